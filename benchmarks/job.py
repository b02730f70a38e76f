"""The whole job, end to end, against what a user would write: pandas, and hand-written DuckDB SQL.

    python -m benchmarks.job --docs 1e5,1e6        # or: python benchmarks/job.py --docs 100000

For each size, a corpus in the PATSTAT table layout is generated (``aieco synth``, seed 1) and five stages run,
each stage and variant in a process of its own (so each peak RSS is its own, read as VmHWM):

1. ingest   -- the tls201/202/203/204/206/207/209/224 CSV tables into documents, parties, classifications
               (priority office from tls204, else earliest_filing_id, else the application itself);
2. classify -- every shipped definition (universe and categories);
3. grid     -- every supported method for CN and SCO (year-correct members), all documents;
4. indicator-- every country's count: families by applicant country, fractional, priority year, cset-1790;
5. claims   -- `aieco check` of /work/shared/articles/china-ai-ecosystem.txt on the store (aieco only:
               extracting and checking claims in text is not a dataframe or SQL job, so no baseline).

Each baseline pipeline reads its own previous stage's output (pandas: Parquet files; SQL: tables in a DuckDB
file), and its result must equal aieco's (asserted: document/party/symbol fingerprints, counts per definition
and category, every grid value and world, every country's indicator value). Ratios: ``vs_pandas`` = pandas
seconds / aieco seconds (how many times faster aieco is); ``vs_sql`` = aieco seconds / SQL seconds (how many
times slower than the engine's limit). Results go to benchmarks/results/job-<docs>.json and the table in
docs/benchmarks.md is regenerated from every such file.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

from rss import peak_rss_mb  # noqa: E402

RESULTS = HERE / "results"
DOCS_MD = ROOT / "docs" / "benchmarks.md"
ARTICLE = ROOT.parent / "shared" / "articles" / "china-ai-ecosystem.txt"
STAGES = ("ingest", "classify", "grid", "indicator", "claims")
VARIANTS = ("aieco", "pandas", "sql")
COUNTRY, GROUP = "CN", "SCO"
UNITS = ("document", "application", "family", "granted-family")
ATTRIBUTIONS = ("office", "priority-office", "applicant", "inventor")
DATE_BASES = ("priority", "filing")  # the generated PATSTAT tables have no publications: that basis is refused
INDICATOR = {
    "unit": "family",
    "attribution": "applicant",
    "counting": "fractional",
    "date_basis": "priority",
    "definition": "cset-1790",
}
BEGIN, END = "<!-- job-table:begin (benchmarks/job.py) -->", "<!-- job-table:end -->"

# ---- result fingerprints: one SQL over each variant's output tables (not timed) ---------------------------

FINGERPRINT_SQL = """
SELECT (SELECT count(*) FROM documents) AS documents,
       (SELECT count(DISTINCT family_id) FROM documents) AS families,
       (SELECT count(*) FROM documents WHERE granted) AS granted,
       (SELECT sum(priority_year) FROM documents) AS priority_year_sum,
       (SELECT sum(filing_year) FROM documents) AS filing_year_sum,
       (SELECT count(title) FROM documents) AS titles,
       (SELECT count(abstract) FROM documents) AS abstracts,
       (SELECT count(*) FROM documents WHERE application_number IS NOT NULL) AS application_numbers,
       (SELECT count(*) FROM parties WHERE role = 'applicant') AS applicants,
       (SELECT count(*) FROM parties WHERE role = 'inventor') AS inventors,
       (SELECT count(country) FROM parties) AS party_countries,
       (SELECT count(*) FROM classifications WHERE scheme = 'cpc') AS cpc,
       (SELECT count(*) FROM classifications WHERE scheme = 'ipc') AS ipc,
       (SELECT count(DISTINCT symbol_norm) FROM classifications) AS symbols
"""
PRIORITY_SQL = "SELECT priority_office, count(*) FROM documents GROUP BY 1"
CLASSIFIED_SQL = "SELECT definition, category, count(DISTINCT doc_id) FROM classified GROUP BY ALL"


def fingerprint(con: Any) -> dict[str, Any]:
    cur = con.execute(FINGERPRINT_SQL)
    names = [c[0] for c in cur.description]
    out = {k: (int(v) if v is not None else None) for k, v in zip(names, cur.fetchone(), strict=True)}
    out["priority_office"] = {str(k): int(n) for k, n in con.execute(PRIORITY_SQL).fetchall()}
    return out


def classified_counts(con: Any) -> dict[str, int]:
    return {f"{d}|{c}": int(n) for d, c, n in con.execute(CLASSIFIED_SQL).fetchall()}


def _parquet_con(folder: Path, tables: tuple[str, ...]) -> Any:
    import duckdb

    con = duckdb.connect()
    for t in tables:
        con.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{(folder / f'{t}.parquet').as_posix()}')")
    return con


# ---- the subjects, as (subject index, year, country) rows: year-correct group members ----------------------


def member_rows(years: tuple[int, int] = (1950, 2050)) -> list[tuple[int, int, str]]:
    from aieco.measure.grid import subjects_for

    rows = []
    for i, s in enumerate(subjects_for(COUNTRY, GROUP)):
        for a, b, members in s.spans:
            for y in range(max(a, years[0]), min(b, years[1]) + 1):
                rows.extend((i, y, c) for c in sorted(members))
    return rows


def subject_names() -> list[str]:
    from aieco.measure.grid import subjects_for

    return [s.name for s in subjects_for(COUNTRY, GROUP)]


# ---- stage 1: ingest -------------------------------------------------------------------------------------


def _google(w: Path) -> Path | None:
    """The corpus's Google Patents JSON-lines file, or None for the PATSTAT tables."""
    from aieco.synth import GOOGLE_FILE

    for path in (w / "corpus" / GOOGLE_FILE, w / "corpus" / f"{GOOGLE_FILE}.gz"):
        if path.exists():
            return path
    return None if not any((w / "corpus").glob("publications-*.json*")) else w / "corpus"  # a corpus in parts


def ingest_aieco(w: Path) -> dict[str, Any]:
    from aieco.sources.google import GoogleReader
    from aieco.sources.patstat import PatstatReader
    from aieco.store import open_store
    from aieco.store.ingest import ingest

    reader = GoogleReader() if _google(w) else PatstatReader()
    t0 = time.perf_counter()
    with open_store(w / "aieco.duckdb") as store:
        run = ingest(store, reader, w / "corpus").run
    seconds = time.perf_counter() - t0
    with open_store(w / "aieco.duckdb", read_only=True) as store:
        result = fingerprint(store.con) | {"rejected": run.rows_rejected}
    return {"seconds": seconds, "result": result, "store_mb": (w / "aieco.duckdb").stat().st_size / 1e6}


def _write_parquet(w: Path, docs: Any, parties: Any, classifications: Any, t0: float) -> dict[str, Any]:
    out = w / "pandas"
    out.mkdir(exist_ok=True)
    docs.to_parquet(out / "documents.parquet", index=False)
    parties.to_parquet(out / "parties.parquet", index=False)
    classifications.to_parquet(out / "classifications.parquet", index=False)
    seconds = time.perf_counter() - t0
    con = _parquet_con(out, ("documents", "parties", "classifications"))
    return {"seconds": seconds, "result": fingerprint(con) | {"rejected": 0}}


def _pick(items: Any) -> tuple[Any, Any]:
    """The English {text, language} entry of a localized list, else the first: (text, language)."""
    if items is None or len(items) == 0:
        return None, None
    best = next((i for i in items if i.get("language") == "en"), items[0])
    return best.get("text"), best.get("language")


def ingest_pandas_google(w: Path, path: Path) -> dict[str, Any]:
    """pandas on the BigQuery export: read_json of the lines, then explode the repeated fields."""
    import pandas as pd

    t0 = time.perf_counter()
    raw = pd.read_json(path, lines=True, dtype=False)
    raw["doc_id"] = range(1, len(raw) + 1)

    def year(col: str) -> Any:
        return (raw[col] // 10000).where(raw[col] > 0).astype("Int64")

    claims = raw[["doc_id", "priority_claim"]].explode("priority_claim").dropna()
    claims = pd.DataFrame(
        {
            "doc_id": claims.doc_id.to_numpy(),
            "office": [c["application_number"].split("-")[0] for c in claims.priority_claim],
            "date": [c.get("filing_date") or 0 for c in claims.priority_claim],
        }
    )
    dated = claims[claims.date > 0].sort_values(["doc_id", "date"]).drop_duplicates("doc_id")
    prio = raw.doc_id.map(dated.set_index("doc_id").office)
    no_claims = raw.priority_claim.map(len) == 0
    prio = prio.where(prio.notna() | ~no_claims, raw.country_code)
    titles = [_pick(t) for t in raw.title_localized]
    abstracts = [_pick(t) for t in raw.abstract_localized]
    docs = pd.DataFrame(
        {
            "doc_id": raw.doc_id,
            "office": raw.country_code,
            "number": raw.publication_number.str.split("-").str[1],
            "kind": raw.kind_code,
            "family_id": raw.family_id.astype(str).where(~raw.family_id.astype(str).isin(["", "-1", "0"])),
            "application_number": raw.application_number.replace("", None),
            "priority_year": year("priority_date"),
            "filing_year": year("filing_date"),
            "priority_office": prio,
            "granted": raw.grant_date > 0,
            "title": [t for t, _ in titles],
            "title_lang": [lg for _, lg in titles],
            "abstract": [t for t, _ in abstracts],
            "abstract_lang": [lg for _, lg in abstracts],
        }
    )
    parts = []
    for col, role in (("assignee_harmonized", "applicant"), ("inventor_harmonized", "inventor")):
        x = raw[["doc_id", col]].explode(col).dropna()
        parts.append(
            pd.DataFrame(
                {
                    "doc_id": x.doc_id.to_numpy(),
                    "role": role,
                    "name": [p.get("name") for p in x[col]],
                    "country": [p.get("country_code") or None for p in x[col]],
                }
            )
        )
    cls = []
    for scheme in ("cpc", "ipc"):
        x = raw[["doc_id", scheme]].explode(scheme).dropna()
        codes = [c["code"] for c in x[scheme]]
        cls.append(
            pd.DataFrame({"doc_id": x.doc_id.to_numpy(), "scheme": scheme, "symbol": codes, "symbol_norm": codes})
        )
    return _write_parquet(w, docs, pd.concat(parts), pd.concat(cls), t0)


def ingest_pandas(w: Path) -> dict[str, Any]:
    import numpy as np
    import pandas as pd

    if google := _google(w):
        return ingest_pandas_google(w, google)
    t0 = time.perf_counter()
    c = w / "corpus"
    a = pd.read_csv(c / "tls201_appln.csv", dtype={"appln_nr": str, "docdb_family_id": str})
    titles = pd.read_csv(c / "tls202_appln_title.csv", dtype=str, keep_default_na=False)
    abstracts = pd.read_csv(c / "tls203_appln_abstr.csv", dtype=str, keep_default_na=False)
    titles["appln_id"] = titles.appln_id.astype("int64")
    abstracts["appln_id"] = abstracts.appln_id.astype("int64")
    prior = pd.read_csv(c / "tls204_appln_prior.csv")
    # priority office: the earliest filed prior application in tls201, else earliest_filing_id, else itself
    office = a.set_index("appln_id")[["appln_auth", "appln_filing_date"]]
    p = prior.join(office, on="prior_appln_id", how="inner").sort_values(["appln_id", "appln_filing_date"])
    first_prior = p.drop_duplicates("appln_id").set_index("appln_id").appln_auth
    by_ef = a.earliest_filing_id.map(office.appln_auth)
    own = np.where(a.earliest_filing_id == a.appln_id, a.appln_auth, None)
    prio = a.appln_id.map(first_prior).fillna(by_ef).fillna(pd.Series(own, index=a.index))
    docs = pd.DataFrame(
        {
            "doc_id": a.appln_id,
            "office": a.appln_auth,
            "number": a.appln_nr,
            "kind": a.appln_kind,
            "family_id": a.docdb_family_id,
            "application_number": a.appln_nr,
            "priority_year": a.earliest_filing_year.astype("Int64"),
            "filing_year": a.appln_filing_year.astype("Int64"),
            "priority_office": prio,
            "granted": a.granted.eq("Y"),
        }
    )
    docs = docs.merge(
        titles.rename(columns={"appln_id": "doc_id", "appln_title": "title", "appln_title_lg": "title_lang"}),
        on="doc_id",
        how="left",
    )
    docs = docs.merge(
        abstracts.rename(
            columns={"appln_id": "doc_id", "appln_abstract": "abstract", "appln_abstract_lg": "abstract_lang"}
        ),
        on="doc_id",
        how="left",
    )
    persons = pd.read_csv(
        c / "tls206_person.csv", dtype={"person_name": str, "person_ctry_code": str}, keep_default_na=False
    )
    links = pd.read_csv(c / "tls207_pers_appln.csv")
    pl = links.merge(persons, on="person_id")
    pl["country"] = pl.person_ctry_code.replace("", None)
    parties = pd.concat(
        [
            pl[pl.applt_seq_nr > 0].assign(role="applicant", seq=pl.applt_seq_nr),
            pl[pl.invt_seq_nr > 0].assign(role="inventor", seq=pl.invt_seq_nr),
        ]
    )[["appln_id", "role", "seq", "person_name", "country"]].rename(
        columns={"appln_id": "doc_id", "person_name": "name"}
    )
    cls = []
    for scheme, table, col in (
        ("cpc", "tls224_appln_cpc", "cpc_class_symbol"),
        ("ipc", "tls209_appln_ipc", "ipc_class_symbol"),
    ):
        t = pd.read_csv(c / f"{table}.csv", dtype={col: str})
        cls.append(
            pd.DataFrame(
                {
                    "doc_id": t.appln_id,
                    "scheme": scheme,
                    "symbol": t[col],
                    "symbol_norm": t[col].str.replace(" ", "", regex=False),
                }
            )
        )
    return _write_parquet(w, docs, parties, pd.concat(cls), t0)


def ingest_limit(w: Path) -> dict[str, Any]:
    """The floor of the PATSTAT reader's design: Python's csv module reading every row of the eight tables
    (the reader parses each row in Python before staging it), nothing checked or stored; for the Google
    layout, json.loads of every line (the Google reader's own floor)."""
    import csv
    import gzip
    import io
    import zipfile

    t0 = time.perf_counter()
    rows = 0
    if google := _google(w):
        for part in sorted(google.glob("publications-*.json*")) if google.is_dir() else [google]:
            with gzip.open(part, "rb") if part.suffix == ".gz" else part.open("rb") as fh:
                for line in fh:
                    json.loads(line)
                    rows += 1
        return {"seconds": time.perf_counter() - t0, "result": {"json_rows": rows}}
    for path in sorted((w / "corpus").iterdir()):
        with contextlib.ExitStack() as stack:
            if path.suffix == ".zip":
                zf = stack.enter_context(zipfile.ZipFile(path))
                raw = stack.enter_context(zf.open(zf.namelist()[0]))
                fh = stack.enter_context(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
            else:
                fh = stack.enter_context(path.open(encoding="utf-8", newline=""))
            for _ in csv.reader(fh):
                rows += 1
    return {"seconds": time.perf_counter() - t0, "result": {"csv_rows": rows}}


def _csv(w: Path, table: str) -> str:
    return f"read_csv('{(w / 'corpus' / f'{table}.csv').as_posix()}', header=true, all_varchar=true)"


_GOOGLE_COLUMNS = {
    "publication_number": "VARCHAR",
    "application_number": "VARCHAR",
    "country_code": "VARCHAR",
    "kind_code": "VARCHAR",
    "family_id": "VARCHAR",
    "publication_date": "BIGINT",
    "filing_date": "BIGINT",
    "grant_date": "BIGINT",
    "priority_date": "BIGINT",
    "priority_claim": "STRUCT(application_number VARCHAR, filing_date BIGINT)[]",
    "title_localized": "STRUCT(text VARCHAR, language VARCHAR)[]",
    "abstract_localized": "STRUCT(text VARCHAR, language VARCHAR)[]",
    "cpc": "STRUCT(code VARCHAR)[]",
    "ipc": "STRUCT(code VARCHAR)[]",
    "assignee_harmonized": "STRUCT(name VARCHAR, country_code VARCHAR)[]",
    "inventor_harmonized": "STRUCT(name VARCHAR, country_code VARCHAR)[]",
}


def ingest_sql_google(w: Path, path: Path) -> dict[str, Any]:
    """DuckDB on the BigQuery export: read_json with the schema, list functions and UNNEST."""
    import duckdb

    t0 = time.perf_counter()
    con = duckdb.connect(str(w / "sql.duckdb"))
    con.execute("SET memory_limit = '2GB'")
    cols = "{" + ", ".join(f"'{k}': '{v}'" for k, v in _GOOGLE_COLUMNS.items()) + "}"
    con.execute(
        f"CREATE TEMP TABLE raw AS SELECT row_number() OVER () AS doc_id, * FROM "
        f"read_json('{path.as_posix()}', format = 'newline_delimited', columns = {cols})"
    )
    con.execute("""
        CREATE TABLE documents AS
        SELECT doc_id, country_code AS office, split_part(publication_number, '-', 2) AS number, kind_code AS kind,
               CASE WHEN family_id NOT IN ('', '-1', '0') THEN family_id END AS family_id,
               nullif(application_number, '') AS application_number,
               CASE WHEN priority_date > 0 THEN priority_date // 10000 END AS priority_year,
               CASE WHEN filing_date > 0 THEN filing_date // 10000 END AS filing_year,
               CASE WHEN len(priority_claim) = 0 THEN country_code
                    ELSE split_part(list_sort(list_transform(list_filter(priority_claim, lambda c: c.filing_date > 0),
                         lambda c: {'d': c.filing_date, 'a': c.application_number}))[1].a, '-', 1)
               END AS priority_office,
               grant_date > 0 AS granted,
               coalesce(list_filter(title_localized, lambda t: t.language = 'en')[1], title_localized[1]).text AS title,
               coalesce(list_filter(title_localized, lambda t: t.language = 'en')[1], title_localized[1]).language
                   AS title_lang,
               coalesce(list_filter(abstract_localized, lambda t: t.language = 'en')[1], abstract_localized[1]).text
                   AS abstract,
               coalesce(list_filter(abstract_localized, lambda t: t.language = 'en')[1], abstract_localized[1]).language
                   AS abstract_lang
        FROM raw""")
    con.execute("""
        CREATE TABLE parties AS
        SELECT doc_id, 'applicant' AS role, p.name, nullif(p.country_code, '') AS country
        FROM (SELECT doc_id, unnest(assignee_harmonized) AS p FROM raw)
        UNION ALL
        SELECT doc_id, 'inventor', p.name, nullif(p.country_code, '')
        FROM (SELECT doc_id, unnest(inventor_harmonized) AS p FROM raw)""")
    con.execute("""
        CREATE TABLE classifications AS
        SELECT doc_id, 'cpc' AS scheme, c.code AS symbol, c.code AS symbol_norm
        FROM (SELECT doc_id, unnest(cpc) AS c FROM raw)
        UNION ALL
        SELECT doc_id, 'ipc', c.code, c.code FROM (SELECT doc_id, unnest(ipc) AS c FROM raw)""")
    con.execute("CHECKPOINT")
    seconds = time.perf_counter() - t0
    result = fingerprint(con) | {"rejected": 0}
    con.close()
    return {"seconds": seconds, "result": result}


def ingest_sql(w: Path) -> dict[str, Any]:
    import duckdb

    if google := _google(w):
        return ingest_sql_google(w, google)
    t0 = time.perf_counter()
    con = duckdb.connect(str(w / "sql.duckdb"))
    con.execute("SET memory_limit = '2GB'")
    con.execute(f"""
        CREATE TABLE documents AS
        WITH a AS (SELECT appln_id::BIGINT AS appln_id, appln_auth, appln_nr, appln_kind, appln_filing_date,
                          appln_filing_year::INT AS filing_year, earliest_filing_year::INT AS priority_year,
                          earliest_filing_id::BIGINT AS earliest_filing_id, granted = 'Y' AS granted,
                          docdb_family_id FROM {_csv(w, "tls201_appln")}),
             p AS (SELECT pr.appln_id::BIGINT AS appln_id, arg_min(a.appln_auth, a.appln_filing_date) AS office
                   FROM {_csv(w, "tls204_appln_prior")} pr JOIN a ON a.appln_id = pr.prior_appln_id::BIGINT
                   GROUP BY 1)
        SELECT a.appln_id AS doc_id, a.appln_auth AS office, a.appln_nr AS number, a.appln_kind AS kind,
               a.docdb_family_id AS family_id, a.appln_nr AS application_number, a.priority_year, a.filing_year,
               coalesce(p.office, ef.appln_auth,
                        CASE WHEN a.earliest_filing_id = a.appln_id THEN a.appln_auth END) AS priority_office,
               a.granted, t.appln_title AS title, t.appln_title_lg AS title_lang,
               ab.appln_abstract AS abstract, ab.appln_abstract_lg AS abstract_lang
        FROM a LEFT JOIN p USING (appln_id)
        LEFT JOIN a ef ON ef.appln_id = a.earliest_filing_id
        LEFT JOIN {_csv(w, "tls202_appln_title")} t ON t.appln_id::BIGINT = a.appln_id
        LEFT JOIN {_csv(w, "tls203_appln_abstr")} ab ON ab.appln_id::BIGINT = a.appln_id""")
    con.execute(f"""
        CREATE TABLE parties AS
        WITH pl AS (SELECT l.appln_id::BIGINT AS doc_id, l.applt_seq_nr::INT AS applt, l.invt_seq_nr::INT AS invt,
                           p.person_name AS name, nullif(p.person_ctry_code, '') AS country
                    FROM {_csv(w, "tls207_pers_appln")} l JOIN {_csv(w, "tls206_person")} p USING (person_id))
        SELECT doc_id, 'applicant' AS role, applt AS seq, name, country FROM pl WHERE applt > 0
        UNION ALL SELECT doc_id, 'inventor', invt, name, country FROM pl WHERE invt > 0""")
    con.execute(f"""
        CREATE TABLE classifications AS
        SELECT appln_id::BIGINT AS doc_id, 'cpc' AS scheme, cpc_class_symbol AS symbol,
               replace(cpc_class_symbol, ' ', '') AS symbol_norm FROM {_csv(w, "tls224_appln_cpc")}
        UNION ALL
        SELECT appln_id::BIGINT, 'ipc', ipc_class_symbol, replace(ipc_class_symbol, ' ', '')
        FROM {_csv(w, "tls209_appln_ipc")}""")
    con.execute("CHECKPOINT")
    seconds = time.perf_counter() - t0
    result = fingerprint(con) | {"rejected": 0}
    con.close()
    return {"seconds": seconds, "result": result}


# ---- stage 2: classify -----------------------------------------------------------------------------------


def classify_aieco(w: Path) -> dict[str, Any]:
    from aieco.classify import load_definitions
    from aieco.classify.compiler import classify
    from aieco.store import open_store

    definitions = load_definitions()
    t0 = time.perf_counter()
    with open_store(w / "aieco.duckdb") as store:
        classify(store, definitions)
    seconds = time.perf_counter() - t0
    with open_store(w / "aieco.duckdb", read_only=True) as store:
        return {"seconds": seconds, "result": classified_counts(store.con)}


def classify_pandas(w: Path) -> dict[str, Any]:
    """The rules of every definition evaluated with pandas/numpy (benchmarks/classify.py's evaluator)."""
    import numpy as np
    import pandas as pd
    from classify import _pandas_eval, _pandas_key

    from aieco.classify import load_definitions

    definitions = load_definitions()
    t0 = time.perf_counter()
    folder = w / "pandas"
    docs = pd.read_parquet(folder / "documents.parquet", columns=["doc_id", "title", "abstract"])
    docs["title"] = docs.title.fillna("").str.lower()
    docs["abstract"] = docs.abstract.fillna("").str.lower()
    keys = pd.read_parquet(folder / "classifications.parquet", columns=["doc_id", "scheme", "symbol_norm"])
    keys = keys[keys.symbol_norm.notna()]
    distinct = keys.symbol_norm.drop_duplicates()
    keys["key"] = keys.symbol_norm.map(pd.Series(_pandas_key(distinct).to_numpy(), index=distinct.to_numpy()))
    frames = {"docs": docs.doc_id.to_numpy(), "texts": docs, "keys": keys}
    parts = []
    for d in definitions:
        universe = np.unique(np.concatenate([_pandas_eval(r, frames) for r in d.universe]))
        parts.append(pd.DataFrame({"doc_id": universe, "definition": d.id, "category": ""}))
        sub = {"docs": universe, "texts": docs[docs.doc_id.isin(universe)], "keys": keys[keys.doc_id.isin(universe)]}
        matched: dict[str, Any] = {}
        for c in d.categories:
            if not c.otherwise:
                matched[c.id] = np.unique(np.concatenate([_pandas_eval(r, sub) for r in c.rules]))
        for c in d.categories:
            if c.otherwise:
                others = [matched[o.id] for o in d.categories if o.dimension == c.dimension and not o.otherwise]
                matched[c.id] = np.setdiff1d(universe, np.concatenate(others) if others else [])
        for cat, ids in matched.items():
            parts.append(pd.DataFrame({"doc_id": ids, "definition": d.id, "category": cat}))
    classified = pd.concat(parts)
    classified["doc_id"] = classified.doc_id.astype("int64")
    classified.to_parquet(folder / "classified.parquet", index=False)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "result": classified_counts(_parquet_con(folder, ("classified",)))}


def classify_limit(w: Path) -> dict[str, Any]:
    """The classify stage's own limit (benchmarks/classify.py's ``scan``): the keyword scan alone, every title
    and abstract against the alternation of the universes' keyword rules, rolled back."""
    from classify import scan_duckdb

    from aieco.classify import load_definitions

    counts, seconds, _ = scan_duckdb(w / "aieco.duckdb", load_definitions())
    return {"seconds": seconds, "result": counts}


_KEY_SQL = (
    "CASE WHEN contains(s, '/') THEN s[1:4] || lpad(split_part(s[5:], '/', 1), 5, '0') || '/' "
    "|| rpad(split_part(s, '/', 2), 8, '0') ELSE s END"
)


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def classify_sql(w: Path) -> dict[str, Any]:
    """Every definition as plain SQL: the symbol rules as one table of key ranges joined to the symbols, each
    keyword rule one regexp scan of the texts, then each rule tree as UNION / INTERSECT / EXCEPT of leaf hits."""
    import duckdb

    from aieco.classify import load_definitions
    from aieco.classify.rules import AllRule, AnyRule, KeywordRule, NotRule

    definitions = load_definitions()
    t0 = time.perf_counter()
    con = duckdb.connect(str(w / "sql.duckdb"))
    con.execute("SET memory_limit = '2GB'")
    leaves: dict[int, Any] = {}

    def collect(rule: Any) -> None:
        if isinstance(rule, AnyRule | AllRule | NotRule):
            for r in rule.rules:
                collect(r)
        else:
            leaves.setdefault(id(rule), rule)

    for d in definitions:
        for r in d.universe:
            collect(r)
        for c in d.categories:
            for r in c.rules:
                collect(r)
    ids = {k: i for i, k in enumerate(leaves)}
    ranges = [
        (ids[k], s, lo, hi)
        for k, r in leaves.items()
        if not isinstance(r, KeywordRule)
        for s in r.schemes
        for lo, hi in r.intervals()
    ]
    con.execute("CREATE TEMP TABLE ranges (leaf INT, scheme VARCHAR, lo VARCHAR, hi VARCHAR)")
    con.executemany("INSERT INTO ranges VALUES (?, ?, ?, ?)", ranges)
    con.execute(f"""CREATE TEMP TABLE keys AS SELECT DISTINCT doc_id, scheme, {_KEY_SQL} AS key
                    FROM (SELECT doc_id, scheme, symbol_norm AS s FROM classifications
                          WHERE symbol_norm IS NOT NULL)""")
    con.execute(
        "CREATE TEMP TABLE hits AS SELECT DISTINCT r.leaf, k.doc_id FROM keys k JOIN ranges r "
        "ON k.scheme = r.scheme AND k.key BETWEEN r.lo AND r.hi"
    )
    con.execute(
        "CREATE TEMP TABLE texts AS SELECT doc_id, coalesce(lower(title), '') AS title, "
        "coalesce(lower(abstract), '') AS abstract FROM documents"
    )
    # One scan of every text against the alternation of all keyword rules keeps the candidates; each rule
    # then scans only those (the same matches: a text that matches a rule matches the alternation).
    keyword = [(k, r) for k, r in leaves.items() if isinstance(r, KeywordRule)]
    if keyword:
        union = _q("|".join(f"(?:{r.regex()})" for _, r in keyword))
        con.execute(
            f"CREATE TEMP TABLE candidates AS SELECT * FROM texts "
            f"WHERE regexp_matches(title, {union}) OR regexp_matches(abstract, {union})"
        )
    for k, r in keyword:
        rx = _q(r.regex())
        conds = [
            f"regexp_matches({f}, {rx})" + (f" AND regexp_matches({f}, '[\u4e00-\u9fff]')" if r.lang == "zh" else "")
            for f in r.fields
        ]
        con.execute(f"INSERT INTO hits SELECT {ids[k]}, doc_id FROM candidates WHERE {' OR '.join(conds)}")

    def expr(rule: Any, docs: str) -> str:
        if isinstance(rule, AnyRule):
            return " UNION ".join(f"({expr(r, docs)})" for r in rule.rules)
        if isinstance(rule, AllRule):
            return " INTERSECT ".join(f"({expr(r, docs)})" for r in rule.rules)
        if isinstance(rule, NotRule):
            return f"SELECT doc_id FROM {docs} EXCEPT ({expr(rule.rules[0], docs)})"
        return f"SELECT doc_id FROM hits WHERE leaf = {ids[id(rule)]}"

    con.execute("CREATE OR REPLACE TABLE classified (doc_id BIGINT, definition VARCHAR, category VARCHAR)")
    for d in definitions:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE u AS " + " UNION ".join(f"({expr(r, 'documents')})" for r in d.universe)
        )
        con.execute(f"INSERT INTO classified SELECT doc_id, {_q(d.id)}, '' FROM u")
        for c in d.categories:
            if not c.otherwise:
                body = " UNION ".join(f"({expr(r, 'u')})" for r in c.rules)
                con.execute(
                    f"INSERT INTO classified SELECT doc_id, {_q(d.id)}, {_q(c.id)} FROM "
                    f"(({body}) INTERSECT (SELECT doc_id FROM u))"
                )
        for c in d.categories:
            if c.otherwise:
                others = ", ".join(_q(o.id) for o in d.categories if o.dimension == c.dimension and not o.otherwise)
                con.execute(
                    f"INSERT INTO classified SELECT doc_id, {_q(d.id)}, {_q(c.id)} FROM u WHERE doc_id NOT IN "
                    f"(SELECT doc_id FROM classified WHERE definition = {_q(d.id)} "
                    f"AND category IN ({others or 'NULL'}))"
                )
    con.execute("CHECKPOINT")
    seconds = time.perf_counter() - t0
    result = classified_counts(con)
    con.close()
    return {"seconds": seconds, "result": result}


# ---- stage 3: the grid -----------------------------------------------------------------------------------


def _grid_key(subject: str, unit: str, attribution: str, counting: str, basis: str) -> str:
    return "|".join((subject, unit, attribution, counting, basis))


def grid_aieco(w: Path) -> dict[str, Any]:
    from aieco.measure.grid import grid
    from aieco.store import open_store

    t0 = time.perf_counter()
    with open_store(w / "aieco.duckdb", read_only=True) as store:
        rows = grid(store, country=COUNTRY, group=GROUP)
    seconds = time.perf_counter() - t0
    result = {
        _grid_key(r["subject"], r["unit"], r["attribution"], r["counting"], r["date_basis"]): [
            float(r["value"]),
            float(r["world"]),
        ]
        for r in rows
    }
    return {"seconds": seconds, "result": result}


def grid_pandas(w: Path) -> dict[str, Any]:
    import pandas as pd

    names = subject_names()
    members = pd.DataFrame(member_rows(), columns=["s", "year", "country"])
    t0 = time.perf_counter()
    folder = w / "pandas"
    docs = pd.read_parquet(
        folder / "documents.parquet",
        columns=[
            "doc_id",
            "office",
            "application_number",
            "family_id",
            "priority_year",
            "filing_year",
            "priority_office",
            "granted",
        ],
    )
    parties = pd.read_parquet(folder / "parties.parquet", columns=["doc_id", "role", "country"]).dropna()
    result: dict[str, list[float]] = {}
    for unit in UNITS:
        if unit == "document":
            key = docs.doc_id
        elif unit == "application":
            key = docs.office + "|" + docs.application_number
        else:
            key = docs.family_id
        d = docs.assign(unit=pd.factorize(key)[0])  # -1 for a missing key
        d = d[d.unit >= 0]
        if unit == "granted-family":
            d = d[d.groupby("unit").granted.transform("any")]
        for attribution in ATTRIBUTIONS:
            if attribution in ("office", "priority-office"):
                uc = d[["unit", "office" if attribution == "office" else "priority_office"]]
                uc = uc.set_axis(["unit", "country"], axis=1)
            else:
                p = parties[parties.role == attribution]
                uc = d[["unit", "doc_id"]].merge(p[["doc_id", "country"]], on="doc_id")[["unit", "country"]]
            uc = uc.dropna().drop_duplicates()
            n = uc.groupby("unit").size().rename("n")
            for basis in DATE_BASES:
                years = d.groupby("unit")[f"{basis}_year"].min().dropna().astype("int64").rename("year")
                ucy = uc.join(years, on="unit", how="inner")
                units = ucy.unit.nunique()
                hits = ucy.merge(members, on=["year", "country"])
                h = hits.groupby(["s", "unit"]).size().rename("h").reset_index().join(n, on="unit")
                for i, name in enumerate(names):
                    hi = h[h.s == i]
                    result[_grid_key(name, unit, attribution, "whole", basis)] = [float(len(hi)), float(units)]
                    result[_grid_key(name, unit, attribution, "fractional", basis)] = [
                        round(float((hi.h / hi.n).sum()), 9),
                        float(units),
                    ]
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "result": result}


_UNIT_SQL = {
    "document": "doc_id::VARCHAR",
    "application": "office || '|' || application_number",
    "family": "family_id",
    "granted-family": "family_id",
}


def grid_sql_query(unit: str, attribution: str, basis: str) -> str:
    """One method's counts for the subjects in ``members(s, year, country)``: world, whole and fractional."""
    granted = "WHERE unit IN (SELECT unit FROM d0 WHERE granted)" if unit == "granted-family" else ""
    if attribution in ("office", "priority-office"):
        col = "office" if attribution == "office" else "priority_office"
        uc = f"SELECT DISTINCT unit, {col} AS country FROM d WHERE {col} IS NOT NULL"
    else:
        uc = (
            f"SELECT DISTINCT d.unit, p.country FROM d JOIN parties p USING (doc_id) "
            f"WHERE p.role = '{attribution}' AND p.country IS NOT NULL"
        )
    return f"""
        WITH d0 AS (SELECT {_UNIT_SQL[unit]} AS unit, doc_id, office, priority_office, {basis}_year AS year, granted
                    FROM documents WHERE {_UNIT_SQL[unit]} IS NOT NULL),
             d AS (SELECT * FROM d0 {granted}),
             y AS (SELECT unit, min(year) AS year FROM d GROUP BY unit HAVING min(year) IS NOT NULL),
             ucy AS (SELECT uc.unit, y.year, uc.country FROM ({uc}) uc JOIN y USING (unit)),
             pu AS (SELECT ucy.unit, count(DISTINCT ucy.country) AS n,
                           count(m.s) FILTER (WHERE m.s = 0) AS h0, count(m.s) FILTER (WHERE m.s = 1) AS h1
                    FROM ucy LEFT JOIN members m ON m.year = ucy.year AND m.country = ucy.country GROUP BY ucy.unit)
        SELECT count(*) AS world, count(*) FILTER (WHERE h0 > 0) AS w0, sum(h0 / n) AS f0,
               count(*) FILTER (WHERE h1 > 0) AS w1, sum(h1 / n) AS f1 FROM pu"""


def grid_sql(w: Path) -> dict[str, Any]:
    import duckdb

    names = subject_names()
    rows = member_rows()
    t0 = time.perf_counter()
    con = duckdb.connect(str(w / "sql.duckdb"), read_only=True)
    con.execute("SET memory_limit = '2GB'")
    con.execute("CREATE TEMP TABLE members (s INT, year INT, country VARCHAR)")
    con.executemany("INSERT INTO members VALUES (?, ?, ?)", rows)
    result: dict[str, list[float]] = {}
    for unit in UNITS:
        for attribution in ATTRIBUTIONS:
            for basis in DATE_BASES:
                world, w0, f0, w1, f1 = con.execute(grid_sql_query(unit, attribution, basis)).fetchone()
                for name, whole, frac in ((names[0], w0, f0), (names[1], w1, f1)):
                    result[_grid_key(name, unit, attribution, "whole", basis)] = [float(whole), float(world)]
                    result[_grid_key(name, unit, attribution, "fractional", basis)] = [
                        round(float(frac or 0.0), 9),
                        float(world),
                    ]
    seconds = time.perf_counter() - t0
    con.close()
    return {"seconds": seconds, "result": result}


def grid_spark(w: Path) -> dict[str, Any]:
    """The same grid on PySpark local mode (AIECO_SPARK_MASTER, default local[1]); its rows must be DuckDB's."""
    from aieco.measure.engines import SparkEngine
    from aieco.measure.grid import grid
    from aieco.store import open_store

    with open_store(w / "aieco.duckdb", read_only=True) as store:
        t0 = time.perf_counter()
        eng = SparkEngine(store, workdir=w)
        try:
            rows = grid(store, country=COUNTRY, group=GROUP, engine=eng)
        finally:
            eng.close()
        seconds = time.perf_counter() - t0
    result = {
        _grid_key(r["subject"], r["unit"], r["attribution"], r["counting"], r["date_basis"]): [
            float(r["value"]),
            float(r["world"]),
        ]
        for r in rows
    }
    return {"seconds": seconds, "result": result}


# ---- stage 4: an indicator: every country's count on one method ------------------------------------------


def indicator_aieco(w: Path) -> dict[str, Any]:
    from aieco.measure.indicators import by_country
    from aieco.model import Method
    from aieco.store import open_store

    m = {k: v for k, v in INDICATOR.items() if k != "definition"}
    t0 = time.perf_counter()
    with open_store(w / "aieco.duckdb", read_only=True) as store:
        rows = by_country(store, Method(**m), definition=INDICATOR["definition"])
    seconds = time.perf_counter() - t0
    result = {r["country"]: round(float(r["value"]), 6) for r in rows}
    result["_world"] = float(rows[0]["world"]) if rows else 0.0
    return {"seconds": seconds, "result": result}


def indicator_pandas(w: Path) -> dict[str, Any]:
    import pandas as pd

    t0 = time.perf_counter()
    folder = w / "pandas"
    c = pd.read_parquet(folder / "classified.parquet")
    ai = c[(c.definition == INDICATOR["definition"]) & (c.category == "")].doc_id
    docs = pd.read_parquet(folder / "documents.parquet", columns=["doc_id", "family_id", "priority_year"])
    docs = docs[docs.doc_id.isin(ai) & docs.family_id.notna()]
    years = docs.groupby("family_id").priority_year.min().dropna()
    p = pd.read_parquet(folder / "parties.parquet", columns=["doc_id", "role", "country"])
    p = p[(p.role == "applicant") & p.country.notna()]
    uc = docs[["doc_id", "family_id"]].merge(p, on="doc_id")[["family_id", "country"]].drop_duplicates()
    uc = uc[uc.family_id.isin(years.index)]
    uc["w"] = 1.0 / uc.groupby("family_id").country.transform("size")
    by = uc.groupby("country").w.sum()
    result = {k: round(float(v), 6) for k, v in by.items()}
    result["_world"] = float(uc.family_id.nunique())
    return {"seconds": time.perf_counter() - t0, "result": result}


def indicator_sql(w: Path) -> dict[str, Any]:
    import duckdb

    t0 = time.perf_counter()
    con = duckdb.connect(str(w / "sql.duckdb"), read_only=True)
    rows = con.execute(f"""
        WITH d AS (SELECT doc_id, family_id AS unit, priority_year FROM documents
                   WHERE family_id IS NOT NULL AND doc_id IN (SELECT doc_id FROM classified
                         WHERE definition = {_q(INDICATOR["definition"])} AND category = '')),
             y AS (SELECT unit FROM d GROUP BY unit HAVING min(priority_year) IS NOT NULL),
             uc AS (SELECT DISTINCT d.unit, p.country FROM d JOIN parties p USING (doc_id)
                    WHERE p.role = 'applicant' AND p.country IS NOT NULL AND d.unit IN (SELECT unit FROM y)),
             n AS (SELECT unit, count(*) AS n FROM uc GROUP BY unit)
        SELECT country, sum(1.0 / n) FROM uc JOIN n USING (unit) GROUP BY country
        UNION ALL SELECT '_world', count(*) FROM n""").fetchall()
    seconds = time.perf_counter() - t0
    con.close()
    return {"seconds": seconds, "result": {k: round(float(v), 6) for k, v in rows}}


# ---- stage 5: a claims check of the article --------------------------------------------------------------


def claims_aieco(w: Path) -> dict[str, Any]:
    from aieco.claims import check, read_text
    from aieco.store import open_store

    t0 = time.perf_counter()
    text = read_text(ARTICLE)
    with open_store(w / "aieco.duckdb", read_only=True) as store:
        result = check(text, store)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "result": {"claims": len(result.claims), "verdicts": dict(result.counts)}}


RUN = {
    ("ingest", "aieco"): ingest_aieco,
    ("ingest", "pandas"): ingest_pandas,
    ("ingest", "sql"): ingest_sql,
    ("classify", "aieco"): classify_aieco,
    ("classify", "pandas"): classify_pandas,
    ("classify", "sql"): classify_sql,
    ("grid", "aieco"): grid_aieco,
    ("grid", "pandas"): grid_pandas,
    ("grid", "sql"): grid_sql,
    ("indicator", "aieco"): indicator_aieco,
    ("indicator", "pandas"): indicator_pandas,
    ("indicator", "sql"): indicator_sql,
    ("claims", "aieco"): claims_aieco,
    ("ingest", "limit"): ingest_limit,
    ("classify", "limit"): classify_limit,
    ("grid", "spark"): grid_spark,
}


# ---- the harness -----------------------------------------------------------------------------------------


def _pandas_memory_limit() -> int | None:
    """Address-space cap for the pandas baseline: BENCH_PANDAS_MEMORY_GB, default half the machine's memory."""
    gb = os.environ.get("BENCH_PANDAS_MEMORY_GB")
    if gb:
        return int(float(gb) * 2**30) if float(gb) > 0 else None
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError):
        return None


def child(stage: str, variant: str, w: Path, *, fatal: bool = True) -> dict[str, Any]:
    """Run one stage of one variant in a fresh process; its seconds, peak RSS and result. A baseline that
    fails (at 10 M documents pandas may run out of memory) is recorded as ``{"failed": why}``, not fatal."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", stage, variant, str(w)]
    t0 = time.perf_counter()
    limit = _pandas_memory_limit() if variant == "pandas" else None

    def cap() -> None:  # a MemoryError in the baseline, not the kernel's OOM killer on a shared machine
        if limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, preexec_fn=cap)
    if proc.returncode:
        why = f"killed by signal {-proc.returncode}" if proc.returncode < 0 else f"exit {proc.returncode}"
        last = (proc.stderr.strip().splitlines() or [""])[-1][:300]
        if fatal:
            raise SystemExit(f"{stage}/{variant} failed ({why}):\n{proc.stderr[-3000:]}")
        print(f"  {stage}/{variant} failed after {time.perf_counter() - t0:.0f}s ({why}): {last}", flush=True)
        return {"failed": f"{why} after {time.perf_counter() - t0:.0f} s: {last}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def same(stage: str, a: Any, b: Any) -> list[str]:
    """Where result ``b`` differs from aieco's ``a`` (fractional values to 1e-6)."""
    if stage in ("grid", "indicator"):
        diffs = []
        for k in sorted(set(a) | set(b)):
            va, vb = a.get(k), b.get(k)
            if va is None or vb is None:
                diffs.append(f"{k}: {va} vs {vb}")
                continue
            xs = va if isinstance(va, list) else [va]
            ys = vb if isinstance(vb, list) else [vb]
            if any(abs(x - y) > 1e-6 * max(1.0, abs(x)) for x, y in zip(xs, ys, strict=True)):
                diffs.append(f"{k}: {va} vs {vb}")
        return diffs
    return [] if a == b else [f"{k}: {a.get(k)} vs {b.get(k)}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


def run_size(
    docs: int,
    workdir: Path | None,
    baselines: bool,
    spark: bool = False,
    layout: str = "patstat",
    compress: bool = False,
    jobs: int = 1,
    corpus: Path | None = None,
    limits: bool = True,
) -> list[dict[str, Any]]:
    from aieco.settings import setting
    from aieco.synth import synth

    tmp = Path(tempfile.mkdtemp(prefix=f"aieco-job-{docs}-", dir=workdir))
    rows: list[dict[str, Any]] = []
    broken: set[str] = set()
    try:
        t0 = time.perf_counter()
        gen_s: float | None = None
        if corpus is not None:  # --corpus: written before (aieco synth, part by part); read there, kept
            (tmp / "corpus").symlink_to(corpus.resolve(), target_is_directory=True)
        else:  # --jobs J: the corpus in J parts written by J processes (aieco reads the parts as one corpus)
            synth(
                docs, tmp / "corpus", seed=1, data_dir=Path(setting("data_dir")), fmt=layout, compress=compress,
                parts=jobs, jobs=jobs,
            )  # fmt: skip
            gen_s = time.perf_counter() - t0
        size_mb = sum(p.stat().st_size for p in (tmp / "corpus").iterdir()) / 1e6
        how = f"generated in {gen_s:.1f}s" if gen_s is not None else f"read from {corpus}"
        print(f"docs {docs:,}: corpus {how} ({size_mb:.0f} MB on disk)", flush=True)
        for stage in STAGES:
            res = {"aieco": child(stage, "aieco", tmp)}
            if baselines and (stage, "pandas") in RUN:
                for v in ("pandas", "sql"):
                    if v in broken:  # its pipeline failed at an earlier stage: no input for this one
                        res[v] = {"failed": f"not run: the {v} pipeline failed at an earlier stage"}
                        continue
                    res[v] = child(stage, v, tmp, fatal=False)
                    if "failed" in res[v]:
                        broken.add(v)
                        continue
                    diff = same(stage, res["aieco"]["result"], res[v]["result"])
                    if diff:
                        raise SystemExit(f"{stage}: {v} differs from aieco ({len(diff)}): {diff[:8]}")
            a = res["aieco"]
            row: dict[str, Any] = {
                "stage": stage,
                "docs": docs,
                "layout": layout,
                "seconds": round(a["seconds"], 3),
                "peak_rss_mb": round(a["peak_rss_mb"], 1),
                "vs_pandas": None,
                "vs_sql": None,
            }
            if stage == "ingest":
                row["store_mb"] = round(a["store_mb"], 1)
            if stage == "ingest" and limits:
                lim = child("ingest", "limit", tmp)
                row |= {
                    "limit_seconds": round(lim["seconds"], 3),
                    "limit": "Python's csv module reading every row of the eight tables (the reader's floor)",
                }
            if stage == "classify" and limits:
                lim = child("classify", "limit", tmp)
                row |= {
                    "limit_seconds": round(lim["seconds"], 3),
                    "limit": "the keyword scan alone (every text against the universes' keyword alternation)",
                }
            if stage == "grid" and spark:
                sp = child("grid", "spark", tmp, fatal=False)
                diff = [] if "failed" in sp else same("grid", a["result"], sp["result"])
                if diff:
                    raise SystemExit(f"grid: Spark differs from DuckDB ({len(diff)}): {diff[:8]}")
                row |= (
                    {"spark_failed": sp["failed"]}
                    if "failed" in sp
                    else {
                        "spark_seconds": round(sp["seconds"], 3),
                        "spark_peak_rss_mb": round(sp["peak_rss_mb"], 1),
                        "spark_same_rows": True,
                    }
                )
            if "pandas" in res:
                p, s = res["pandas"], res["sql"]
                for v, r in (("pandas", p), ("sql", s)):
                    if "failed" in r:
                        row[f"{v}_failed"] = r["failed"]
                    else:
                        row |= {f"{v}_seconds": round(r["seconds"], 3), f"{v}_peak_rss_mb": round(r["peak_rss_mb"], 1)}
                if "failed" not in p:
                    row["vs_pandas"] = round(p["seconds"] / a["seconds"], 2)
                if "failed" not in s:
                    row["vs_sql"] = round(a["seconds"] / s["seconds"], 2)
                row["same_result"] = True  # every baseline that ran gave aieco's result (asserted above)
            elif stage == "claims":
                row["note"] = "no baseline: extracting and checking claims in text is not a dataframe or SQL job"
            else:
                row["note"] = "baselines not run (--no-baselines)"
            row["result"] = a["result"] if stage in ("ingest", "classify", "claims") else {"values": len(a["result"])}
            rows.append(row)
            print(
                f"  {stage}: aieco {a['seconds']:.2f}s {a['peak_rss_mb']:.0f} MB"
                + (
                    f"; pandas {row['pandas_seconds']:.2f}s ({row['vs_pandas']}x); SQL {row['sql_seconds']:.2f}s "
                    f"(aieco/SQL {row['vs_sql']}); same result"
                    if "pandas_seconds" in row and "sql_seconds" in row
                    else ""
                ),
                flush=True,
            )
        based = [r for r in rows if r["stage"] != "claims"]
        job = {
            "stage": "whole job",
            "docs": docs,
            "layout": layout,
            "seconds": round(sum(r["seconds"] for r in rows), 3),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in rows),
            "vs_pandas": None,
            "vs_sql": None,
            "generate_seconds": None if gen_s is None else round(gen_s, 3),
            "corpus_mb": round(size_mb, 1),
        }
        a_s = sum(r["seconds"] for r in based)
        for v in ("pandas", "sql"):
            if all(f"{v}_seconds" in r for r in based):
                v_s = sum(r[f"{v}_seconds"] for r in based)
                job |= {
                    f"{v}_seconds": round(v_s, 3),
                    f"{v}_peak_rss_mb": max(r[f"{v}_peak_rss_mb"] for r in based),
                    f"vs_{v}": round(v_s / a_s if v == "pandas" else a_s / v_s, 2),
                }
        job["note"] = "ratios over the four stages with baselines (claims excluded); seconds: all five"
        rows.append(job)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def _cell(x: Any, fmt: str = "{:.2f}") -> str:
    return "–" if x is None else fmt.format(x)


def _docs(r: dict[str, Any]) -> str:
    layout = r.get("layout", "patstat")
    return f"{r['docs']:,}" + ("" if layout == "patstat" else f" ({layout})")


def _run(r: dict[str, Any], v: str) -> str:
    return "failed" if f"{v}_failed" in r else _cell(r.get(f"{v}_seconds"))


def markdown() -> str:
    """The table of every benchmarks/results/job-*.json, smallest corpus first."""
    rows = []
    for path in sorted(RESULTS.glob("job-*.json"), key=lambda p: (int(p.stem.split("-")[1]), p.stem)):
        rows.extend(json.loads(path.read_text(encoding="utf-8"))["rows"])
    out = [
        "| docs | stage | aieco s | aieco peak RSS MB | pandas s | pandas peak RSS MB | SQL s | SQL peak RSS MB "
        "| vs pandas (pandas ÷ aieco) | vs SQL (aieco ÷ SQL) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {_docs(r)} | {r['stage']} | {r['seconds']:.2f} | {r['peak_rss_mb']:,.0f} | "
            f"{_run(r, 'pandas')} | {_cell(r.get('pandas_peak_rss_mb'), '{:,.0f}')} | "
            f"{_run(r, 'sql')} | {_cell(r.get('sql_peak_rss_mb'), '{:,.0f}')} | "
            f"{_cell(r['vs_pandas'], '{:.1f}×')} | {_cell(r['vs_sql'], '{:.2f}×')} |"
        )
    out += [
        "",
        "Per size: the corpus (generation time, CSV size), the store after ingest, the ingest stage's own limit "
        "(Python's csv module reading every row of the eight tables, as the PATSTAT reader does before any "
        "check), the classify stage's (the keyword scan alone, as in benchmarks/classify.py), and the grid on "
        "Spark local mode when run with `--spark` (its rows checked equal to DuckDB's; peak RSS of the Python "
        "driver, not of Spark's JVM).",
        "",
        "| docs | generate s | corpus MB | store MB | aieco ingest s | csv read alone s | aieco classify s "
        "| keyword scan alone s | grid on Spark s | Spark peak RSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    by_docs: dict[str, dict[str, Any]] = {}
    for r in rows:
        by_docs.setdefault(_docs(r), {})[r["stage"]] = r
    for docs, st in by_docs.items():
        ing, job, grd, cls = (st.get(k, {}) for k in ("ingest", "whole job", "grid", "classify"))
        out.append(
            f"| {docs} | {_cell(job.get('generate_seconds'), '{:.1f}')} | {_cell(job.get('corpus_mb'), '{:,.0f}')} | "
            f"{_cell(ing.get('store_mb'), '{:,.0f}')} | {_cell(ing.get('seconds'))} | "
            f"{_cell(ing.get('limit_seconds'))} | {_cell(cls.get('seconds'))} | {_cell(cls.get('limit_seconds'))} | "
            f"{_cell(grd.get('spark_seconds'))} | "
            f"{_cell(grd.get('spark_peak_rss_mb'), '{:,.0f}')} |"
        )
    return "\n".join(out)


def write_docs() -> None:
    text = DOCS_MD.read_text(encoding="utf-8")
    if BEGIN not in text:
        raise SystemExit(f"{DOCS_MD}: no {BEGIN!r} marker to put the table after")
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    DOCS_MD.write_text(f"{head}{BEGIN}\n{markdown()}\n{END}{tail}", encoding="utf-8")


def parse_sizes(text: str) -> list[int]:
    """``1e5,1e6`` → [100000, 1000000]."""
    out = []
    for part in text.split(","):
        n = float(part)
        if n < 1 or n != int(n):
            raise SystemExit(f"--docs: {part!r} is not a whole number of documents")
        out.append(int(n))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", default="1e5", help="corpus sizes, comma-separated (1e5,1e6)")
    ap.add_argument("--workdir", type=Path, default=None, help="scratch folder (default: the system temp)")
    ap.add_argument("--no-baselines", action="store_true", help="aieco only (no pandas or SQL runs)")
    ap.add_argument(
        "--compress", action="store_true", help="zipped corpus (aieco only, with --no-baselines): 1e8 on a small disk"
    )
    ap.add_argument(
        "--jobs", type=int, default=1, help="write the corpus in this many parts at once (aieco only; --no-baselines)"
    )
    ap.add_argument("--layout", choices=("patstat", "google"), default="patstat", help="corpus layout to ingest")
    ap.add_argument(
        "--no-limits", action="store_true", help="skip the stages' own limits (csv read alone, keyword scan alone)"
    )
    ap.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="an existing corpus folder (aieco synth --docs N, written earlier or part by part) instead of "
        "generating one; it is read in place and kept (one --docs size)",
    )
    ap.add_argument("--spark", action="store_true", help="also the grid on PySpark local mode (same rows checked)")
    ap.add_argument("--docs-only", action="store_true", help="only regenerate the table in docs/benchmarks.md")
    ap.add_argument("--child", nargs=3, metavar=("STAGE", "VARIANT", "DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        stage, variant, w = args.child
        res = RUN[(stage, variant)](Path(w))
        print(json.dumps({**res, "peak_rss_mb": peak_rss_mb()}))
        return 0
    if args.compress and not args.no_baselines:
        raise SystemExit("--compress needs --no-baselines: the baselines read the plain CSV and JSON files")
    if args.jobs != 1 and not args.no_baselines:
        raise SystemExit("--jobs needs --no-baselines: the baselines read one file per table")
    if args.corpus is not None and (not args.corpus.is_dir() or len(parse_sizes(args.docs)) != 1):
        raise SystemExit(f"--corpus {args.corpus}: needs an existing folder and exactly one --docs size")
    if not args.docs_only:
        RESULTS.mkdir(exist_ok=True)
        for docs in parse_sizes(args.docs):
            load_before = os.getloadavg()[1]
            rows = run_size(
                docs, args.workdir, not args.no_baselines, args.spark, args.layout, args.compress, args.jobs,
                args.corpus, not args.no_limits,
            )  # fmt: skip
            meta = {
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "cpus": os.cpu_count(),
                # the machine is shared: its 5-minute load average before and after (2 cores: 2.0 is busy)
                "load_average_5min": [round(load_before, 2), round(os.getloadavg()[1], 2)],
                "seed": 1,
                "layout": args.layout,
                "compress": args.compress,
                "parts": args.jobs,
            }
            if args.corpus is not None:
                parts = list(args.corpus.glob("tls201_appln*"))
                meta |= {
                    "corpus": str(args.corpus),
                    "parts": len(parts),
                    "compress": any(p.suffix == ".zip" for p in parts),
                }
            suffix = "" if args.layout == "patstat" else f"-{args.layout}"
            (RESULTS / f"job-{docs}{suffix}.json").write_text(
                json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n", encoding="utf-8"
            )
    write_docs()
    print(markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
