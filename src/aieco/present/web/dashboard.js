// The dashboard: every number comes from the JSON API; nothing is computed here but the filter of the rows.
const api = "/api/v1";
const $ = (id) => document.getElementById(id);
const pct = (v) => (v === null || v === undefined ? "" : (100 * v).toFixed(1) + "%");
const num = (v) => (v === null || v === undefined ? "" : Number(v).toLocaleString("en"));

async function getJSON(url, options) {
  const r = await fetch(url, options);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function status(text, error = false) {
  $("status").textContent = text;
  $("status").className = error ? "error" : "";
}

function option(select, value, label) {
  const o = document.createElement("option");
  o.value = value; o.textContent = label || value; select.appendChild(o);
}

async function setup() {
  const [cov, defs, groups] = await Promise.all([
    getJSON(api + "/coverage"), getJSON(api + "/definitions"), getJSON(api + "/groups?year=2019")]);
  for (const s of Object.keys(cov.by_source)) option($("source"), s);
  // the AI source by default: the other sources hold all patents of a sample, AI only through a definition
  if (Object.keys(cov.by_source).includes("cset1790")) $("source").value = "cset1790";
  for (const d of defs.filter((d) => d.applied)) option($("definition"), d.id, d.id + " " + d.version);
  for (const g of groups) { option($("group"), g.group); option($("compare-group"), g.group); }
  if (groups.some((g) => g.group === "SCO")) $("compare-group").value = "SCO";
  for (const u of ["document", "application", "family", "granted-family"]) option($("unit"), u);
  $("go").addEventListener("click", show);
  $("check").addEventListener("click", check);
  for (const id of ["group", "source", "definition", "unit", "counting"]) $(id).addEventListener("change", show);
  $("country").addEventListener("change", show);
  $("compare-go").addEventListener("click", compare);
  $("compare-group").addEventListener("change", compare);
  $("firms-registry").addEventListener("change", firms);
  $("firm-go").addEventListener("click", firm);
  await Promise.all([show(), compare(), firms()]);
}

function params() {
  const p = new URLSearchParams();
  const country = $("country").value.trim(), group = $("group").value;
  if (group) p.set("group", group); else p.set("country", country);
  for (const id of ["source", "definition", "years"]) if ($(id).value.trim()) p.set(id, $(id).value.trim());
  return p;
}

async function show() {
  const p = params();
  $("report").href = "/report?" + new URLSearchParams({country: $("country").value.trim() || "CN",
                                                       ...($("group").value ? {group: $("group").value} : {})});
  status("loading " + p.toString());
  let result;
  try { result = await getJSON(api + "/grid?" + p.toString()); }
  catch (e) { status(e.message, true); return; }
  const unit = $("unit").value, counting = $("counting").value;
  const rows = result.methods.filter((r) => r.world && (!unit || r.unit === unit) && (!counting || r.counting === counting));
  const data = rows.map((r) => ({subject: r.subject, share: r.share, source: r.source,
    method: `${r.unit} by ${r.attribution}, ${r.counting}, ${r.date_basis} year · ${r.source}`}));
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json", width: "container",
    height: Math.max(120, 22 * new Set(data.map((d) => d.method)).size),
    data: {values: data}, mark: {type: "circle", size: 90},
    encoding: {x: {field: "share", type: "quantitative", axis: {format: "%"}, title: "share of the world"},
               y: {field: "method", type: "nominal", sort: "-x", title: null},
               color: {field: "subject", type: "nominal"},
               tooltip: [{field: "method"}, {field: "share", format: ".1%"}]}};
  $("chart").dataset.rows = String(rows.length);
  $("chart").dataset.subject = rows.length ? rows[0].subject : "";
  $("chart").dataset.values = rows.map((r) => r.value).join(",");
  await window.vegaEmbed("#chart", spec, {actions: false, renderer: "svg"});
  const body = $("rows").tBodies[0];
  body.replaceChildren(...rows.map((r) => {
    const tr = document.createElement("tr");
    for (const [v, n] of [[r.subject], [r.source], [`${r.unit} by ${r.attribution}, ${r.counting}, ${r.date_basis} year`],
                          [`${r.definition} ${r.definition_version}`], [num(r.value), 1], [num(r.world), 1],
                          [pct(r.share), 1], [r.incomplete_years.join(", ")], [r.source_sha256.slice(0, 12)]]) {
      const td = document.createElement("td"); td.textContent = v; if (n) td.className = "n"; tr.appendChild(td);
    }
    return tr;
  }));
  const spread = result.spread.map((s) => `${s.subject}: ${pct(s.min_share)} to ${pct(s.max_share)} across ${s.methods} methods`);
  status(`${rows.length} methods shown; ${result.refused.length} refused. ${spread.join("; ")}`);
}

// a compare cell as `aieco compare` shows it: – when not published, * when incomplete; population in millions,
// GDP in USD billions
const SCALE = {population: 1e6, gdp: 1e9};
function cellText(column, cell) {
  if (!cell || cell.value === null) return "–";
  const v = cell.value / (SCALE[column] || 1);
  const text = Math.abs(v) >= 100 || (!SCALE[column] && Number.isInteger(v))
    ? Math.round(v).toLocaleString("en")
    : Math.abs(v) >= 0.1 ? v.toLocaleString("en", {minimumFractionDigits: 2, maximumFractionDigits: 2})
    : Number(v.toPrecision(3)).toString();
  return text + (cell.complete === false ? "*" : "");
}

async function compare() {
  const group = $("compare-group").value, year = $("compare-year").value.trim();
  const say = (text, error = false) => {
    $("compare-status").textContent = text; $("compare-status").className = error ? "error" : "";
  };
  if (!group) { say("no groups"); return; }
  say(`loading ${group} ${year}`);
  let c;
  try { c = await getJSON(api + "/compare?" + new URLSearchParams({group, year})); }
  catch (e) {  // nothing stale under the error
    for (const id of ["compare-chart", "compare-sources"]) $(id).replaceChildren();
    $("compare-rows").tHead.replaceChildren(); $("compare-rows").tBodies[0].replaceChildren();
    $("compare-rows").dataset.group = "";
    say(e.message, true); return;
  }
  const head = document.createElement("tr");
  for (const h of ["member", "name", ...c.columns.map((col) => col.label + (SCALE[col.id] ? (col.id === "gdp" ? " (USD bn)" : " (million)") : ""))]) {
    const th = document.createElement("th"); th.textContent = h; head.appendChild(th);
  }
  $("compare-rows").tHead.replaceChildren(head);
  $("compare-rows").tBodies[0].replaceChildren(...c.rows.map((r) => {
    const tr = document.createElement("tr"); if (r.kind === "group") tr.className = "group";
    const cells = Object.fromEntries(r.cells.map((x) => [x.column, x]));
    for (const [v, n, note] of [[r.subject], [r.name], ...c.columns.map((col) => [cellText(col.id, cells[col.id]), 1,
                                                                                   cells[col.id] && cells[col.id].note])]) {
      const td = document.createElement("td"); td.textContent = v; if (n) td.className = "n"; if (note) td.title = note;
      tr.appendChild(td);
    }
    return tr;
  }));
  $("compare-sources").replaceChildren(...c.columns.map((col) => {
    const shas = new Set(c.rows.flatMap((r) => r.cells.filter((x) => x.column === col.id)
      .flatMap((x) => x.source_sha256.split(";").filter(Boolean).map((s) => s.slice(0, 12)))));
    const li = document.createElement("li");
    li.textContent = `${col.label}: ${col.publisher} ${col.table} ${col.period} — ${col.unit}; counted as: ${col.method}; sha256 ${[...shas].join(", ") || "none"}`;
    return li;
  }));
  // the chart: AI patent families per million people against internet use, one point per member publishing both
  const points = c.rows.filter((r) => r.kind !== "group").map((r) => {
    const cells = Object.fromEntries(r.cells.map((x) => [x.column, x.value]));
    return {member: r.subject, families: cells["eto-families-per-million"], internet: cells["internet-users-pct"]};
  }).filter((d) => d.families !== undefined && d.families !== null && d.internet !== undefined && d.internet !== null);
  $("compare-chart").dataset.group = c.group;
  $("compare-chart").dataset.points = points.map((d) => d.member).join(",");
  $("compare-rows").dataset.group = `${c.group} ${c.year}`;
  if (points.length) {
    const enc = {x: {field: "internet", type: "quantitative", title: "internet users, % of population", scale: {domain: [0, 100]}},
                 y: {field: "families", type: "quantitative", title: "AI patent families per million people (ETO)"}};
    await window.vegaEmbed("#compare-chart", {
      $schema: "https://vega.github.io/schema/vega-lite/v5.json", width: "container", height: 260,
      data: {values: points},
      layer: [{mark: {type: "circle", size: 100}, encoding: {...enc, tooltip: [{field: "member"}, {field: "families"}, {field: "internet"}]}},
              {mark: {type: "text", dx: 9, align: "left"}, encoding: {...enc, text: {field: "member"}}}]},
      {actions: false, renderer: "svg"});
  } else {
    $("compare-chart").replaceChildren();
  }
  const members = c.rows.filter((r) => r.kind !== "group").length;
  say(`${c.group} (${c.title}): ${members} members on 31 December ${c.year}` +
      (points.length ? `; ${points.length} drawn (ETO families per million and internet use published)` : "; no chart: ETO families or internet use not loaded") +
      (c.missing.length ? `; not loaded: ${c.missing.join(", ")}` : ""));
}

const FIRMS_SHOWN = 25;  // the firms with the most linked documents; the API has them all

function rowsOf(table, rows) {
  $(table).tBodies[0].replaceChildren(...rows.map((cells) => {
    const tr = document.createElement("tr");
    for (const [v, n] of cells) {
      const td = document.createElement("td"); td.textContent = v === null || v === undefined ? "" : v;
      if (n) td.className = "n"; tr.appendChild(td);
    }
    return tr;
  }));
}

function firmsSay(text, error = false) {
  $("firms-status").textContent = text;
  $("firms-status").className = error ? "error" : "";
}

async function firms() {
  const registry = $("firms-registry").value;
  let list, agreement = [];
  try {
    list = await getJSON(api + "/firms" + (registry ? "?" + new URLSearchParams({registry}) : ""));
  } catch (e) { rowsOf("firms-rows", []); firmsSay(e.message, true); return; }
  if (!$("firms-registry").dataset.filled) {
    for (const r of new Set(list.map((f) => f.registry))) option($("firms-registry"), r);
    $("firms-registry").dataset.filled = "yes";
  }
  const linked = list.filter((f) => f.applicants > 0);
  rowsOf("firms-rows", linked.slice(0, FIRMS_SHOWN).map((f) => [[f.registry], [f.firm_id], [f.name_en || f.name_zh],
    [f.country], [num(f.applicants), 1], [num(f.documents), 1], [f.registry_sha256.slice(0, 12)]]));
  $("firms-rows").dataset.registry = registry || "all";
  if (list.some((f) => f.registry === "parat")) {
    try { agreement = await getJSON(api + "/firms/agreement"); }
    catch (e) { $("firms-agreement-caption").textContent = e.message; }
  }
  rowsOf("firms-agreement", agreement.map((a) => [[a.name], [num(a.parat_ai_patents), 1], [num(a.aieco_ai_documents), 1],
    [num(a.aieco_documents), 1], [a.ratio === null ? "" : a.ratio.toFixed(4), 1]]));
  if (agreement.length) {
    const a = agreement[0];
    $("firms-agreement-caption").textContent = `PARAT: ${a.parat_unit}, ${a.period}; aieco: ${a.aieco_unit}, AI by ` +
      `definition ${a.definition} version ${a.definition_version}; ratio = aieco / PARAT; PARAT sha256 ${a.registry_sha256.slice(0, 12)}`;
  }
  firmsSay(`${num(list.length)} firms${registry ? " of " + registry : ""}, ${num(linked.length)} linked to applicant names` +
           (linked.length > FIRMS_SHOWN ? ` (the ${FIRMS_SHOWN} with the most documents shown)` : ""));
  if (linked.length) await firm();
}

async function firm() {
  const text = $("firm").value.trim();
  if (!text) return;
  let details;
  try { details = await getJSON(api + "/firms/" + encodeURIComponent(text)); }
  catch (e) { $("firm-detail").replaceChildren(); firmsSay(e.message, true); return; }
  $("firm-detail").replaceChildren(...details.map((d) => {
    const box = document.createElement("div"); box.className = "evidence";
    const title = document.createElement("h3");
    title.textContent = `${[d.name_zh, d.name_en].filter(Boolean).join(" / ")} — ${d.registry} ${d.firm_id}`;
    const names = document.createElement("p"); names.textContent = "names: " + d.names.join("; ");
    const links = document.createElement("ul"); links.className = "firm-links";
    for (const x of d.links) {
      const li = document.createElement("li");
      li.textContent = `${x.applicant} ← ${x.firm_name}: p = ${x.match_probability.toFixed(3)}` +
        `${x.linked ? ", linked" : ", not linked"}; ${num(x.documents)} documents`;
      links.appendChild(li);
    }
    const how = document.createElement("p");
    how.textContent = d.method ? `linked at p ≥ ${d.threshold} (${d.method}); registry sha256 ${d.registry_sha256.slice(0, 12)}`
                               : "no applicant links: run aieco firms match";
    box.append(title, names, links, how);
    return box;
  }));
  $("firm-detail").dataset.firm = text;
}

async function check() {
  const text = $("text").value;
  status("checking…");
  let result;
  try {
    result = await getJSON(api + "/check", {method: "POST", headers: {"Content-Type": "application/json"},
                                            body: JSON.stringify({text})});
  } catch (e) { status(e.message, true); return; }
  $("verdicts").replaceChildren(...result.claims.map((c) => {
    const li = document.createElement("li");
    const head = document.createElement("div");
    head.innerHTML = "<q></q> — <span class=verdict></span>";
    head.querySelector("q").textContent = c.text;
    head.querySelector(".verdict").textContent = c.verdict;
    const why = document.createElement("div"); why.className = "evidence"; why.textContent = c.message;
    li.append(head, why);
    const basis = evidenceLine(c.evidence || {});
    if (basis) {
      const ev = document.createElement("div"); ev.className = "evidence basis"; ev.textContent = basis;
      li.appendChild(ev);
    }
    if (c.ledger && c.ledger.verdict) {
      const led = document.createElement("div"); led.className = "evidence"; led.textContent = c.ledger.message;
      li.appendChild(led);
    }
    return li;
  }));
  const counts = Object.entries(result.counts || {}).map(([k, v]) => `${k} ${v}`).join(", ");
  status(`${result.claims.length} claims checked (${counts}); text date ${result.text_date || "none"}`);
}

// What decided a verdict, in one line: the methods compared with their sources' sha256, the registries, the
// published indicator values (the check's JSON, schema 2, as `aieco check --format json` prints it).
function evidenceLine(ev) {
  const parts = [];
  const series = (ev.methods || []).filter((m) => m.provider);
  if (series.length) {
    const yes = series.filter((m) => m.reproduces === true).length;
    const no = series.filter((m) => m.reproduces === false).length;
    const sources = [...new Set(series.map((m) => `${m.source} sha256 ${String(m.source_sha256 || "").slice(0, 12)}`))];
    parts.push(`${series.length} method(s): ${yes} reproduce, ${no} do not (${sources.join("; ")})`);
  }
  (ev.methods || []).filter((m) => !m.provider).forEach((m) => parts.push(`${m.method}: ${m.value}`));
  if (ev.registry) {
    parts.push(`registries ${ev.registry.registries.join(", ")} sha256 ` +
               ev.registry.registry_sha256.map((h) => h.slice(0, 12)).join(", "));
  }
  (ev.values || []).forEach((v) => parts.push(`${v.method}: ${v.value} (sha256 ${String(v.source_sha256).slice(0, 12)})`));
  return parts.length ? "evidence: " + parts.join("; ") : "";
}

setup().catch((e) => status(e.message, true));
