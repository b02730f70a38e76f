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
  for (const g of groups) option($("group"), g.group);
  for (const u of ["document", "application", "family", "granted-family"]) option($("unit"), u);
  $("go").addEventListener("click", show);
  $("check").addEventListener("click", check);
  for (const id of ["group", "source", "definition", "unit", "counting"]) $(id).addEventListener("change", show);
  $("country").addEventListener("change", show);
  await show();
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
    if (c.ledger && c.ledger.verdict) {
      const led = document.createElement("div"); led.className = "evidence"; led.textContent = c.ledger.message;
      li.appendChild(led);
    }
    return li;
  }));
  status(`${result.claims.length} claims checked`);
}

setup().catch((e) => status(e.message, true));
