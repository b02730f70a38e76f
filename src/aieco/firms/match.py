"""Linking patent applicants to registry firms: blocking + Fellegi-Sunter, with splink 5 on DuckDB.

The records on one side are the firms' names (Chinese, English, aliases: ``firm_names``), on the other the
distinct applicant names of every source in the store (``parties`` with role ``applicant``: Lens, USPTO XML,
PatentsView, PATSTAT tls206, Google). Each name has the features of :func:`aieco.firms.names.features`:
script, place (kept as a feature), key (no place, no legal form), and the key in pinyin.

The model (:func:`model_settings`) has three comparisons, each conditionally independent of the others:

- ``name``: the keys of two names in the same script — equal; equal but for spaces, the words of one among
  the other's, Jaro-Winkler ≥ 0.95 on keys of 10 letters or more (Latin keys only: in Han script one
  character is one word, 大疆 ≠ 大江); else. Null across scripts.
- ``pinyin``: a Han name against a Latin one — the Han key spelt in pinyin equals the Latin key without
  spaces, or is close to it (Jaro-Winkler ≥ 0.95, 10 letters or more). Null within one script (``name``
  already compares them).
- ``place``: the leading place of both names equal, different, or (null) not known for one.

m probabilities are priors declared here (:data:`M_PRIORS`); u probabilities are estimated by splink from
random pairs of the loaded names (seeded) when there are at least :data:`U_MIN_PAIRS` pairs to draw from —
random pairs are then nearly all non-matches, as the estimate assumes; with fewer (a handful of firms and
applicants, where true pairs are a large share of all pairs) the declared :data:`U_PRIORS` are used. The
prior probability that a pair matches (λ) is estimated by splink from the pairs with equal keys, divided by
the share of true pairs that have equal keys (m of "key equal"); with no such pair it is 1 / (applicant
names): each firm name is expected to have about one applicant spelling among them. Random pairs hold true
pairs too, so each estimated u is corrected for them (:func:`_correct_u`), and a rare level's corrected u is
used only when it stands out of the sampling noise (else its declared u stands). An applicant name above the
threshold for two firms of one registry is linked to neither unless one is better by
:data:`AMBIGUITY_MARGIN` bits.

A pair whose keys are equal (one script) and whose places are not different (equal, or not known for one)
is linked whatever its probability (:data:`KEY_RULE_SQL`, decided by :func:`is_linked`, the one decision
function of ``aieco firms match`` and of benchmarks/firms.py): the matcher must never lose a link its own
normaliser makes. Measured 2026-12-04 on the full PatentsView AIR-UMASS assignee benchmark (185,250 mentions,
2,269 names): the normaliser alone P 1.0000 R 0.9485, the matcher at p >= 0.9 P 1.0000 R 0.8794, because
λ and the u of "key equal" estimated on a dedupe dominated by giant clusters put every equal key without a
place at p 0.874 ("International Business Machines Corporation" / "... Corp.", General Electric Company /
Co.). The probability stored is the model's and so are the levels (their weights and the prior still add up
to the match weight); such a pair's levels carry ``"rule"`` saying that the rule links it, so a link under
the threshold says why it is one. A rule rather than a floor on p: raising p would make the stored
probability disagree with the levels that are said to have driven it. Among the firms an applicant name is
linked to in one registry, a link by the rule beats one by probability alone (an equal key over a near
one); two links by the rule are told apart by weight as any two are. Splink runs on its own in-memory
DuckDB connection (its working tables never enter the store); the links are written to the store in one
transaction, replacing those of the previous match.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

import duckdb

from aieco.errors import InputError
from aieco.firms.names import PLACES, features, fold
from aieco.results import MatchSummary
from aieco.settings import setting
from aieco.store.connection import Store

SEED = 14
LinkType = Literal["link_only", "dedupe_only"]
CANDIDATE_FLOOR = 0.01  # pairs scored below this are not kept (they are not near misses)
U_MAX_PAIRS = 2_000_000
U_MIN_PAIRS = 100_000
AMBIGUITY_MARGIN = 1.0  # bits of match weight between the best firm and the next
# The pairs the normaliser alone links: "key equal" and not "different places" (the levels of COMPARISONS).
KEY_RULE_SQL = ("coalesce(script_l = script_r AND name_key_l = name_key_r "
                "AND (place_l IS NULL OR place_r IS NULL OR place_l = place_r), FALSE)")  # fmt: skip
KEY_RULE = "key equal, places not different: linked whatever the probability"

# m = P(level | the names are of the same firm): priors, set by judgement (no labelled pairs in the store).
M_PRIORS: dict[str, dict[str, float]] = {
    "name": {"exact": 0.55, "spaces": 0.05, "generic": 0.15, "jw95": 0.10, "else": 0.15},
    "pinyin": {"exact": 0.50, "jw95": 0.20, "else": 0.30},
    # a registry entry is one legal entity, registered in one place: its names rarely carry two places
    "place": {"exact": 0.95, "else": 0.05},
}
# u priors: the u of every level when there are too few pairs to sample from, and the floor of each u
# estimated by sampling once it is corrected for the true pairs among the random ones (_correct_u).
U_PRIORS: dict[str, dict[str, float]] = {
    "name": {"exact": 1e-7, "spaces": 1e-7, "generic": 1e-5, "jw95": 1e-5, "else": 0.9999},
    "pinyin": {"exact": 1e-7, "jw95": 1e-5, "else": 0.9999},
    "place": {"exact": 0.05, "else": 0.95},
}
# words that many different firms' names share; two names that differ only in these may be one firm
GENERIC_WORDS = frozenset(
    "technology technologies tech science sciences industry industries industrial international global china "
    "chinese electronics electronic information intelligent intelligence company holdings group systems system "
    "solutions products development research innovation innovations the of and".split()
)


def _jw95(column: str, *, blocking: bool = False) -> str:
    """Jaro-Winkler >= 0.95 on two values of 10 letters or more (shorter names differ by too little), as a
    comparison level (``x_l``, ``x_r``) or in a blocking rule (``l.x``, ``r.x``)."""
    left, right = (f"l.{column}", f"r.{column}") if blocking else (f"{column}_l", f"{column}_r")
    return f"least(length({left}), length({right})) >= 10 AND jaro_winkler_similarity({left}, {right}) >= 0.95"


# A word held by more names than this is no blocking key: at 1 M applicant names a common word's block is
# a cross product of thousands (benchmarks/firms.py scale).
RARE_MAX_NAMES = 1000
BLOCKING_RULES = (
    "l.name_key = r.name_key",
    "l.pinyin = r.pinyin",
    # the first 4 letters of the pinyin: across scripts (the pinyin comparison's near-equal level); within one
    # script only a pair the Jaro-Winkler level holds (the only level no other rule reaches), so that the
    # prefix blocks ("inte", "tech": most of a million names) are filtered in the join, not scored
    "substr(l.pinyin, 1, 4) = substr(r.pinyin, 1, 4) AND l.script <> r.script",
    "substr(l.pinyin, 1, 4) = substr(r.pinyin, 1, 4) AND l.script = r.script AND " + _jw95("name_key", blocking=True),
    # the rarest words of the two names (3 letters or more; rarest among all names compared): a pair whose
    # names start differently ("The Board of Trustees of the Leland Stanford…" / "Leland Stanford Jr…")
    "l.rare1 = r.rare1",
    "l.rare1 = r.rare2",
    "l.rare2 = r.rare1",
)


_LATIN = "script_l = 'latin'"
# comparison -> its null level (SQL, label) and its levels best first (level id, SQL, label); the last is TRUE.
COMPARISONS: dict[str, tuple[tuple[str, str], tuple[tuple[str, str, str], ...]]] = {
    "name": (
        ("script_l <> script_r", "different scripts (compared by pinyin)"),
        (
            ("exact", "name_key_l = name_key_r", "key equal"),
            ("spaces", f"{_LATIN} AND pinyin_l = pinyin_r", "key equal but for spaces"),
            # the same words but for generic ones (SZ DJI Technology / SZ DJI): a word that is not generic
            # (SZ DJI Osmo Technology: a subsidiary, another legal entity) is a different name
            ("generic", f"{_LATIN} AND len(core_l) > 0 AND list_has_all(core_l, core_r) "
                        "AND list_has_all(core_r, core_l)", "key equal but for generic words"),  # fmt: skip
            # Latin keys only: in Han script one character is one word, 大疆 ≠ 大江
            ("jw95", f"{_LATIN} AND {_jw95('name_key')}", "key Jaro-Winkler >= 0.95 (10 letters or more)"),
            ("else", "TRUE", "key differs"),
        ),
    ),
    "pinyin": (
        ("script_l = script_r", "same script (compared by key)"),
        (
            ("exact", "pinyin_l = pinyin_r", "pinyin equal"),
            ("jw95", _jw95("pinyin"), "pinyin Jaro-Winkler >= 0.95 (10 letters or more)"),
            ("else", "TRUE", "pinyin differs"),
        ),
    ),
    "place": (
        ("place_l IS NULL OR place_r IS NULL", "place not known for one"),
        (
            ("exact", "place_l = place_r", "same place"),
            ("else", "TRUE", "different places"),
        ),
    ),
}


def model_settings(prior: float, link_type: LinkType = "link_only") -> Any:
    """The splink settings: the three comparisons (m from M_PRIORS, u from U_PRIORS until estimated), blocking
    rules, and the prior match probability (``link_type`` dedupe_only: one list of names against itself, as the
    benchmarks use it)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator

    comparisons: list[Any] = []
    for cname, ((null_sql, null_label), levels) in COMPARISONS.items():
        built: list[Any] = [cll.CustomLevel(null_sql, null_label).configure(is_null_level=True)]
        built += [cll.CustomLevel(sql, label).configure(m_probability=M_PRIORS[cname][lid],
                                                        u_probability=U_PRIORS[cname][lid])
                  for lid, sql, label in levels]  # fmt: skip
        comparisons.append(cl.CustomComparison(output_column_name=cname, comparison_levels=built))
    return SettingsCreator(
        link_type=link_type,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=list(BLOCKING_RULES),  # type: ignore[arg-type]
        probability_two_random_records_match=prior,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )


@dataclass(frozen=True, kw_only=True)
class _Scored:
    pairs: int
    rows: list[dict[str, Any]]
    model: dict[str, Any]


def _level_labels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """comparison -> {gamma value: label}: splink numbers non-null levels from n-1 down to 0, null is -1."""
    out: dict[str, dict[int, str]] = {}
    for comp in model["comparisons"]:
        levels = comp["comparison_levels"]
        real = [lv for lv in levels if not lv.get("is_null_level")]
        labels = {len(real) - 1 - i: lv["label_for_charts"] for i, lv in enumerate(real)}
        labels[-1] = next((lv["label_for_charts"] for lv in levels if lv.get("is_null_level")), "null")
        out[comp["output_column_name"]] = labels
    return out


def _correct_u(model: dict[str, Any], sampled: int) -> bool:
    """Random pairs hold true pairs too: a level's share among them is λ·m + (1-λ)·u, so u = (share - λ·m) /
    (1-λ). The corrected u of a level is used only when it stands out of the sampling noise — more than
    two standard errors of the share (√(share·(1-share)/n), n = ``sampled`` pairs) above zero; else the
    declared U_PRIORS stand (λ is estimated from the pairs with equal keys, so for "key equal" the
    corrected share is the noise between the sample and the count of all pairs: PARAT against the demo's
    6,557 applicant names, 1.4e-6 from about three of 2,000,000 pairs, which put every equal key without a
    place at p 0.80). The last level, "else", takes what the others leave."""
    lam = float(model["probability_two_random_records_match"])
    changed = False
    for comp in model["comparisons"]:
        cname = comp["output_column_name"]
        real = [x for x in comp["comparison_levels"] if not x.get("is_null_level")]
        for (level, _, _), lv in zip(COMPARISONS[cname][1][:-1], real[:-1], strict=True):
            share, m = lv.get("u_probability"), lv.get("m_probability")
            if share is None or m is None:
                continue
            corrected = (share - lam * m) / (1 - lam)
            noise = 2 * math.sqrt(share * (1 - share) / max(sampled, 1))
            u = corrected if corrected > noise else U_PRIORS[cname][level]
            if u != share:
                lv["u_probability"], changed = u, True
        rest = 1.0 - sum(float(lv.get("u_probability") or 0.0) for lv in real[:-1])
        if real[-1].get("u_probability") != rest:
            real[-1]["u_probability"], changed = rest, True
    return changed


def _rare_words(left: Any, right: Any) -> None:
    """Columns rare1, rare2: a name's two rarest words of 3 letters or more (by how many names hold them),
    among the words held by at most RARE_MAX_NAMES names."""
    frames = [left] if right is None else [left, right]
    freq = Counter(t for df in frames for toks in df["tokens"] for t in set(toks))
    for df in frames:
        rare = [sorted({t for t in toks if len(t) >= 3 and freq[t] <= RARE_MAX_NAMES}, key=lambda t: (freq[t], t))[:2]
                for toks in df["tokens"]]  # fmt: skip
        df["rare1"] = [r[0] if r else None for r in rare]
        df["rare2"] = [r[1] if len(r) > 1 else None for r in rare]


def _equal_key_pairs(left: Any, right: Any) -> int:
    """Pairs (left, right) with equal keys; for a dedupe (right None), distinct pairs within left."""
    counts = Counter(left["name_key"])
    if right is None:
        return sum(n * (n - 1) // 2 for n in counts.values())
    return sum(counts[k] * n for k, n in Counter(right["name_key"]).items())


def score(firm_names: list[dict[str, Any]], applicants: list[dict[str, Any]] | None) -> _Scored:
    """Score every blocked (firm name, applicant name) pair; returns pairs scored ≥ the floor and those the
    key rule links (column ``key_rule``; :func:`is_linked` decides).

    ``applicants`` None: the names of ``firm_names`` against each other (dedupe), each pair once."""
    import pandas as pd
    from splink import DuckDBAPI, Linker

    cols = ["unique_id", "script", "place", "name_key", "pinyin"]

    def frame(rows: list[dict[str, Any]]) -> Any:
        df = pd.DataFrame([{c: r[c] for c in cols} for r in rows], columns=cols)
        df["tokens"] = [k.split(" ") for k in df["name_key"]]
        df["core"] = [[t for t in k.split(" ") if t not in GENERIC_WORDS] for k in df["name_key"]]
        return df

    left = frame(firm_names)
    right = None if applicants is None else frame(applicants)
    _rare_words(left, right)
    others = len(firm_names) if applicants is None else len(applicants)
    prior = 1.0 / max(others, 2)
    possible = len(firm_names) * others if right is not None else len(firm_names) * (len(firm_names) - 1) // 2
    u_estimated = possible >= U_MIN_PAIRS
    con = duckdb.connect(config={"threads": 2, "autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})  # fmt: skip
    try:
        db = DuckDBAPI(connection=con)
        inputs = [db.register(left, dataset_display_name="firms")]
        if right is not None:
            inputs.append(db.register(right, dataset_display_name="applicants"))
        link_type: LinkType = "link_only" if right is not None else "dedupe_only"
        linker = Linker(inputs, model_settings(prior, link_type), log_level=None)
        with contextlib.redirect_stdout(io.StringIO()):  # splink prints a summary of what it trained
            if u_estimated:
                linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=SEED)
            if _equal_key_pairs(left, right):
                # λ from the data: pairs with equal keys, over the share of true pairs that have them (m)
                linker.training.estimate_probability_two_random_records_match(
                    ["l.name_key = r.name_key"], recall=M_PRIORS["name"]["exact"]
                )
            model = linker.misc.save_model_to_json()
            if u_estimated and _correct_u(model, min(U_MAX_PAIRS, possible)):
                linker = Linker(inputs, model, log_level=None)
            pred = linker.inference.predict(warning_mode="never")
        model = linker.misc.save_model_to_json()
        table = pred.physical_name
        counted = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        pairs = int(counted[0]) if counted else 0
        cur = con.execute(
            f"SELECT *, {KEY_RULE_SQL} AS key_rule FROM {table} WHERE match_probability >= ? OR {KEY_RULE_SQL}",
            [CANDIDATE_FLOOR],
        )
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()
    model["u_source"] = ("random sampling (a rare level: declared unless out of the noise)" if u_estimated
                         else "declared priors (too few pairs to sample)")  # fmt: skip
    model["prior_source"] = (f"1 / {others} names" if model["probability_two_random_records_match"] == prior
                             else "pairs with equal keys / m(key equal)")  # fmt: skip
    return _Scored(pairs=pairs, rows=rows, model=model)


def is_linked(row: dict[str, Any], threshold: float) -> bool:
    """Whether a scored pair (a row of :func:`score`) is a link: its probability is at or above ``threshold``,
    or the key rule holds (equal keys, places not different: the normaliser's own judgement).

    >>> is_linked({"match_probability": 0.874, "key_rule": True}, 0.9)
    True
    """
    return bool(row["key_rule"]) or float(row["match_probability"]) >= threshold


def _refresh_features(firm_names: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Recompute each firm name's features with the current normaliser (in place); return those that changed."""
    changed = []
    for r in firm_names:
        f = features(r["name"])
        new = {
            "script": f.script,
            "place": f.place,
            "name_key": f.key or r["name_key"],
            "pinyin": f.pinyin or r["pinyin"],
        }
        if any(r[k] != v for k, v in new.items()):
            r.update(new)
            changed.append({k: r[k] for k in ("run_id", "registry", "firm_id", "name", *new)})
    return changed


def _with_firm_places(store: Store, firm_names: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Firm names for scoring, each without a place of its own given its firm's place when the firm has one:
    the registry's city (or province), else the one place its other names carry (CreditX's alias "Yuxin
    Technology" is in Shanghai, as "Shanghai Creditx Information Technology" says)."""
    places: dict[tuple[str, str], set[str]] = {}
    for r in firm_names:
        if r["place"]:
            places.setdefault((r["registry"], r["firm_id"]), set()).add(r["place"])
    for registry, firm_id, city, province in store.query(
        "SELECT registry, firm_id, any_value(city), any_value(province) FROM firm_registry GROUP BY ALL"
    ):
        for where in (city, province):
            place = PLACES.get(fold(where or ""))
            if place:
                places[(registry, firm_id)] = {place}
                break
    out = []
    for r in firm_names:
        known = places.get((r["registry"], r["firm_id"]), set())
        out.append({**r, "place": next(iter(known))} if not r["place"] and len(known) == 1 else r)
    return out


def _applicants(store: Store) -> list[dict[str, Any]]:
    rows = store.query("SELECT name, count(DISTINCT doc_id) FROM parties WHERE role = 'applicant' "
                       "AND name IS NOT NULL GROUP BY name ORDER BY name")  # fmt: skip
    out = []
    for i, (name, docs) in enumerate(rows):
        f = features(name)
        if f.key:
            out.append(
                {
                    "unique_id": i,
                    "name": name,
                    "documents": int(docs),
                    "script": f.script,
                    "place": f.place,
                    "name_key": f.key,
                    "pinyin": f.pinyin,
                }
            )
    return out


def _resolve_ambiguous(rows: list[dict[str, Any]]) -> None:
    """An applicant name linked to two firms of one registry is linked to the better only when it is better:
    linked by the key rule where the other is not, else by AMBIGUITY_MARGIN bits; else to neither
    (homophones: DAJIANG fits 大疆 and 大江 alike)."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        if r["linked"]:
            groups.setdefault((r["registry"], r["applicant"]), []).append(r)
    for group in groups.values():
        if len(group) < 2:
            continue
        # a link by the key rule beats one by probability alone; among equals, by weight
        group.sort(key=lambda r: (not r["key_rule"], -r["match_weight"]))
        top, runner = group[0], group[1]
        better = (
            top["key_rule"] > runner["key_rule"] or top["match_weight"] - runner["match_weight"] >= AMBIGUITY_MARGIN
        )
        keep = top if better else None
        for r in group:
            if r is not keep:
                r["linked"] = False
                levels = json.loads(r["levels"])
                levels["ambiguous"] = sorted(x["firm_id"] for x in group if x is not r)
                r["levels"] = json.dumps(levels, ensure_ascii=False)


def match_store(store: Store, *, threshold: float | None = None) -> MatchSummary:
    """Score every loaded applicant name against every registry firm's names; replace the stored links.

    >>> match_store(store).links  # doctest: +SKIP
    """
    cut = float(setting("firm_match_threshold")) if threshold is None else threshold
    if not 0 < cut < 1:
        raise InputError(f"threshold {cut} is not a probability strictly between 0 and 1")
    started = time.perf_counter()
    firm_names = store.query_dicts(
        "SELECT row_number() OVER (ORDER BY run_id, registry, firm_id, name) AS unique_id, * FROM firm_names"
    )
    stale = _refresh_features(firm_names)
    if not firm_names:
        raise InputError(
            "no firm registry is loaded: aieco ingest firms PATH --registry NAME (or aieco ingest parat data.js)"
        )
    applicants = _applicants(store)
    if not applicants:
        raise InputError(
            "no applicant names in the store: ingest a patent source with applicants "
            "(lens, uspto-xml, patentsview, patstat, google)"
        )
    scored = score(_with_firm_places(store, firm_names), applicants)
    labels = _level_labels(scored.model)
    by_firm = {r["unique_id"]: r for r in firm_names}
    by_app = {r["unique_id"]: r for r in applicants}
    best: dict[tuple[int, str, str, str], dict[str, Any]] = {}
    for r in scored.rows:
        fid, aid = ((r["unique_id_l"], r["unique_id_r"]) if r["source_dataset_l"] == "firms"
                    else (r["unique_id_r"], r["unique_id_l"]))  # fmt: skip
        firm, app = by_firm[int(fid)], by_app[int(aid)]
        key = (firm["run_id"], firm["registry"], firm["firm_id"], app["name"])
        linked = is_linked(r, cut)
        # one row per firm and applicant name: the best of the firm's names (a link first, then by p)
        if key in best and (best[key]["linked"], best[key]["match_probability"]) >= (linked, r["match_probability"]):
            continue
        levels: dict[str, Any] = {c: {"level": labels[c].get(int(r[f"gamma_{c}"]), "?"),
                                      "weight": round(float(r[f"mw_{c}"]), 3)} for c in labels}  # fmt: skip
        if r["key_rule"]:
            levels["rule"] = KEY_RULE
        best[key] = {
            "run_id": firm["run_id"],
            "registry": firm["registry"],
            "firm_id": firm["firm_id"],
            "applicant": app["name"],
            "firm_name": firm["name"],
            "match_probability": float(r["match_probability"]),
            "match_weight": float(r["match_weight"]),
            "levels": json.dumps(levels, ensure_ascii=False),
            "linked": linked,
            "key_rule": bool(r["key_rule"]),
        }
    rows = list(best.values())
    _resolve_ambiguous(rows)
    for r in rows:
        del r["key_rule"]  # said in the levels ("rule"); firm_links has no column for it
    links = sum(1 for r in rows if r["linked"])
    seconds = time.perf_counter() - started
    import splink

    method = (
        f"splink {splink.__version__} Fellegi-Sunter on DuckDB {duckdb.__version__}, m declared, "
        f"u by {scored.model['u_source']}"
    )
    con = store.con
    with store.transaction(what="the firm links"):
        row = con.execute("SELECT coalesce(max(match_id), 0) + 1 FROM firm_match_runs").fetchone()
        match_id = int(row[0]) if row else 1
        if stale:
            # names stored by an ingest with an older normaliser get the features they were matched with
            import pyarrow as pa

            fresh = pa.Table.from_pylist(stale)  # noqa: F841 -- read by DuckDB by its name
            con.execute("""
                UPDATE firm_names SET script = f.script, place = f.place, name_key = f.name_key, pinyin = f.pinyin
                FROM fresh f WHERE firm_names.run_id = f.run_id AND firm_names.registry = f.registry
                  AND firm_names.firm_id = f.firm_id AND firm_names.name = f.name""")
        con.execute("DELETE FROM firm_links")
        if rows:
            import pyarrow as pa

            batch = pa.Table.from_pylist([{**r, "match_id": match_id} for r in rows])  # noqa: F841
            con.execute("INSERT INTO firm_links BY NAME SELECT * FROM batch")
        con.execute("INSERT INTO firm_match_runs (match_id, method, threshold, applicants, firm_names, pairs, "
                    "links, seconds, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [match_id, method, cut, len(applicants), len(firm_names), scored.pairs, links, seconds,
                     json.dumps(scored.model, ensure_ascii=False)])  # fmt: skip
    return MatchSummary(
        match_id=match_id,
        method=method,
        threshold=cut,
        applicants=len(applicants),
        firm_names=len(firm_names),
        pairs=scored.pairs,
        candidates=len(rows),
        links=links,
        seconds=round(seconds, 3),
    )
