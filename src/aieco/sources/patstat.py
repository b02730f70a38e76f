"""EPO PATSTAT Global: the CSV tables as the EPO distributes them, and the reduced Leusin et al. extracts.

**Tables** (``aieco ingest patstat DIR``): a folder holding tls201_appln and any of tls202 (titles), tls203
(abstracts), tls204 (priority claims), tls206 + tls207 (persons and their roles), tls209 (IPC), tls224
(CPC), tls211 (publications), each possibly split into numbered, zipped parts (``tls201_part01.zip``);
column names as in the PATSTAT Data Catalog. Other tables in the folder are listed in the run's options
(``tables_ignored``) and not read.

A document is an application: office = appln_auth, number = appln_nr, kind = appln_kind, family_id =
docdb_family_id, extended_family_id = inpadoc_family_id, doc_type ``application``. Priority date/year come
from earliest_filing_date/year; the priority office is the office of the earliest prior application in
tls204 (when that application is in tls201), else of earliest_filing_id (when in tls201), else appln_auth
when the application is its own first filing (earliest_filing_id = appln_id; or no tls204 claim while tls204
is loaded; or, without tls204 and earliest_filing_id, its filing date is the earliest filing date).

Accounting (rows read = accepted + rejected):
- every tls201 row counts as read once; it is accepted as a document or rejected (bad appln_id, office or
  number; appln_id repeated; or by the store, for a repeat of the same document);
- rows of the other tables are the documents' details: a row that is linked (through appln_id, or for a
  tls206 person through a linked tls207 row) is not counted; a row that cannot be linked or is malformed
  is rejected *and* counted as read, with its own part file and line.

Row keys: a tls201 row's staging line is ``part_index * 10**9 + line`` (the first part keys by its line).

Each table is read set-based (:mod:`aieco.sources.tablesets`): the ``*_sql`` twins below type and check the
rows in SQL, the converters (``_tls201`` …) handle the rows the SQL does not clear and name their problems;
party countries and classification symbols are normalised once per distinct value.

**Leusin extracts** (``aieco ingest patstat FILE``): ``appln_id;ctry_code;ipc_class_symbol;priority_year``
or ``appln_id;ctry_code;techn_field_nr;weight;priority_year`` — one row per application × inventor country
× code. Source ``patstat-leusin``: they carry no office or application number, so they cannot be linked to
full PATSTAT documents. The first row of an application becomes its document (keyed by that line); its other
rows are accepted into that document (distinct inventor countries, codes; every row's country, code and
weight kept in ``extra.rows``) and counted with ``accept_direct``. Weights lost their decimal comma in the
source (``10`` = 1.0, ``5`` = 0.5); they are decoded with :func:`decode_lost_decimal`.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from aieco.errors import InputError
from aieco.sources.fields import (
    decode_lost_decimal,
    known_offices_sql,
    normalise_party_country,
    normalise_symbol,
    office_problem,
    parse_date,
    parse_int64,
    parse_year,
)
from aieco.sources.files import CsvRows, open_text
from aieco.sources.staging import party_country, symbol_norm
from aieco.sources.tablesets import (
    RowProblem,
    TableSpec,
    begin_staging,
    count,
    discover,
    load_tables,
    reject_unlinked,
)

PREFIX = "patstat"
_TABLE = re.compile(r"^(tls\d{3})(?:[_.]|$)", re.IGNORECASE)
_TRUE = frozenset({"Y", "1", "T", "TRUE", "YES"})


INT32_MAX = 2**31 - 1


def _int(get: Any, name: str, *, required: bool = True, small: bool = False) -> int | None:
    """An id (BIGINT) or, ``small``, a sequence number or size (INTEGER)."""
    v = get(name)
    if not v:
        if required:
            raise RowProblem(name, "empty")
        return None
    try:
        number = parse_int64(v)
    except ValueError as err:
        raise RowProblem(name, str(err)) from None
    if small and not -INT32_MAX <= number <= INT32_MAX:
        raise RowProblem(name, f"integer out of range: {number}")
    return number


def _date(get: Any, ctx: Any, name: str) -> Any:
    v = get(name)
    if not v or v.startswith("9999"):
        return None
    try:
        return date.fromisoformat(v[:10])  # the Data Catalog's yyyy-mm-dd, fast
    except ValueError:
        pass
    try:
        return parse_date(v[:10])
    except ValueError:
        ctx.finding("unparseable-date", f"{Path(ctx.file).name} {name}: {v!r}")
        return None


def _year(get: Any, ctx: Any, name: str) -> int | None:
    v = get(name)
    if not v or v == "9999":
        return None
    if len(v) == 4 and v.isdigit() and "1800" <= v <= "2100":
        return int(v)
    try:
        return parse_year(v)
    except ValueError:
        ctx.finding("unparseable-year", f"{Path(ctx.file).name} {name}: {v!r}")
        return None


def _tls201(get: Any, ctx: Any) -> tuple[Any, ...]:
    appln_id = _int(get, "appln_id")
    auth = get("appln_auth").upper()
    if problem := office_problem(auth):
        raise RowProblem("appln_auth", problem)
    nr = get("appln_nr")
    if not nr:
        raise RowProblem("appln_nr", "empty application number")
    filing = _date(get, ctx, "appln_filing_date")
    earliest = _date(get, ctx, "earliest_filing_date")
    granted = get("granted").upper()
    return (
        appln_id,
        auth,
        nr.replace(" ", ""),
        get("appln_kind").upper() or None,
        filing,
        _year(get, ctx, "appln_filing_year") or (filing.year if filing else None),
        earliest,
        _year(get, ctx, "earliest_filing_year") or (earliest.year if earliest else None),
        _int(get, "earliest_filing_id", required=False),
        get("docdb_family_id") or None,
        get("inpadoc_family_id") or None,
        (granted in _TRUE) if granted else None,
        _int(get, "docdb_family_size", required=False, small=True),
        get("ipr_type") or None,
    )


def _tls202(get: Any, ctx: Any) -> tuple[Any, ...]:
    return _int(get, "appln_id"), get("appln_title_lg") or None, get("appln_title") or None


def _tls203(get: Any, ctx: Any) -> tuple[Any, ...]:
    return _int(get, "appln_id"), get("appln_abstract_lg") or None, get("appln_abstract") or None


def _tls204(get: Any, ctx: Any) -> tuple[Any, ...]:
    return (
        _int(get, "appln_id"),
        _int(get, "prior_appln_id"),
        _int(get, "prior_appln_seq_nr", required=False, small=True),
    )


def _tls206(get: Any, ctx: Any) -> tuple[Any, ...]:
    # the country is normalised afterwards, once per distinct code (_countries)
    return _int(get, "person_id"), get("person_name") or None, None, get("person_ctry_code") or None


def _tls207(get: Any, ctx: Any) -> tuple[Any, ...]:
    applt, invt = (
        _int(get, "applt_seq_nr", required=False, small=True) or 0,
        _int(get, "invt_seq_nr", required=False, small=True) or 0,
    )
    if applt <= 0 and invt <= 0:
        raise RowProblem(
            "applt_seq_nr", "neither applicant nor inventor (applt_seq_nr and invt_seq_nr are 0)"
        )
    return _int(get, "person_id"), _int(get, "appln_id"), applt, invt


def _classification(column: str) -> Any:
    def convert(get: Any, ctx: Any) -> tuple[Any, ...]:
        symbol = " ".join(get(column).upper().split())
        if not symbol:
            raise RowProblem(column, "empty classification symbol")
        return _int(get, "appln_id"), symbol, None  # normalised afterwards, once per symbol (_symbols)

    return convert


def _tls211(get: Any, ctx: Any) -> tuple[Any, ...]:
    first = get("publn_first_grant").upper()
    return (
        _int(get, "pat_publn_id"),
        _int(get, "appln_id"),
        get("publn_auth").upper() or None,
        get("publn_nr") or None,
        get("publn_kind").upper() or None,
        _date(get, ctx, "publn_date"),
        (first in _TRUE) if first else None,
    )


# -- the SQL twins of the converters: (column -> value SQL, the condition under which they agree) ----------
# Each condition is conservative: what it does not clear goes to the converter.
Cell = Any  # (column name) -> SQL of the stripped cell


def _int_sql(cell: Cell, name: str, *, required: bool = True, small: bool = False) -> tuple[str, str]:
    v = cell(name, checked=True)
    # 18 (9) digits always fit BIGINT (INTEGER); longer numbers, a '+' or other digits go to _int
    ok = f"regexp_full_match({v}, '-?[0-9]{{1,{9 if small else 18}}}')"
    return f"TRY_CAST(nullif({v}, '') AS {'INTEGER' if small else 'BIGINT'})", ok if required else f"({v} = '' OR {ok})"


def _date_sql(cell: Cell, name: str) -> tuple[str, str]:
    # checked: Python strips an edge tab, SQL keeps it; either way '9999…' is no date, a trailing one is past
    # the tenth character, and a leading one fails the pattern
    v = cell(name, checked=True)
    none = f"({v} = '' OR starts_with({v}, '9999'))"
    day = f"left({v}, 10)"
    iso = f"regexp_full_match({day}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') AND {day} >= '0001'"
    value = f"CASE WHEN NOT {none} THEN TRY_CAST({day} AS DATE) END"
    return value, f"({none} OR ({iso} AND TRY_CAST({day} AS DATE) IS NOT NULL))"


def _year_sql(cell: Cell, name: str) -> tuple[str, str]:
    v = cell(name, checked=True)
    four = f"regexp_full_match({v}, '[0-9]{{4}}')"
    value = f"CASE WHEN {four} AND {v} BETWEEN '1800' AND '2100' THEN TRY_CAST({v} AS INTEGER) END"
    return value, f"({v} = '' OR {four})"


def _ascii(v: str) -> str:
    return f"strlen({v}) = length({v})"  # upper() of ASCII is Python's


def _flag_sql(v: str) -> str:
    return f"CASE WHEN {v} <> '' THEN upper({v}) IN ({', '.join(repr(t) for t in sorted(_TRUE))}) END"


def _tls201_sql(cell: Cell) -> tuple[dict[str, str], str]:
    (appln_id, ok_id), (efid, ok_efid), (size, ok_size) = (
        _int_sql(cell, "appln_id"),
        _int_sql(cell, "earliest_filing_id", required=False),
        _int_sql(cell, "docdb_family_size", required=False, small=True),
    )
    filing, ok_filing = _date_sql(cell, "appln_filing_date")
    earliest, ok_earliest = _date_sql(cell, "earliest_filing_date")
    fyear, ok_fyear = _year_sql(cell, "appln_filing_year")
    eyear, ok_eyear = _year_sql(cell, "earliest_filing_year")
    auth, nr, kind, granted = cell("appln_auth", checked=True), cell("appln_nr"), cell("appln_kind"), cell("granted")
    values = {
        "appln_id": appln_id,
        "auth": f"upper({auth})",
        "nr": f"replace({nr}, ' ', '')",
        "kind": f"nullif(upper({kind}), '')",
        "filing_date": filing,
        "filing_year": f"coalesce({fyear}, year({filing}))",
        "earliest_date": earliest,
        "earliest_year": f"coalesce({eyear}, year({earliest}))",
        "earliest_filing_id": efid,
        "docdb": f"nullif({cell('docdb_family_id')}, '')",
        "inpadoc": f"nullif({cell('inpadoc_family_id')}, '')",
        "granted": _flag_sql(granted),
        "family_size": size,
        "ipr_type": f"nullif({cell('ipr_type')}, '')",
    }
    ok = " AND ".join([
        ok_id, f"regexp_full_match({auth}, '[A-Za-z]{{2}}')", f"upper({auth}) IN {known_offices_sql()}", f"{nr} <> ''",
        _ascii(kind), _ascii(granted), ok_filing, ok_earliest, ok_fyear, ok_eyear, ok_efid, ok_size,
    ])
    return values, ok


def _text_sql(id_column: str, lang: str, text: str) -> Any:
    def twin(cell: Cell) -> tuple[dict[str, str], str]:
        appln_id, ok = _int_sql(cell, id_column)
        return {"appln_id": appln_id, "lang": f"nullif({cell(lang)}, '')", "text": f"nullif({cell(text)}, '')"}, ok

    return twin


def _tls204_sql(cell: Cell) -> tuple[dict[str, str], str]:
    (a, ok_a), (p, ok_p), (seq, ok_seq) = (
        _int_sql(cell, "appln_id"),
        _int_sql(cell, "prior_appln_id"),
        _int_sql(cell, "prior_appln_seq_nr", required=False, small=True),
    )
    return {"appln_id": a, "prior_appln_id": p, "seq": seq}, f"{ok_a} AND {ok_p} AND {ok_seq}"


def _tls206_sql(cell: Cell) -> tuple[dict[str, str], str]:
    person, ok = _int_sql(cell, "person_id")
    return {
        "person_id": person,
        "name": f"nullif({cell('person_name')}, '')",
        "country": "NULL",  # normalised afterwards (_countries)
        "country_raw": f"nullif({cell('person_ctry_code')}, '')",
    }, ok


def _tls207_sql(cell: Cell) -> tuple[dict[str, str], str]:
    (person, ok_p), (appln, ok_a) = _int_sql(cell, "person_id"), _int_sql(cell, "appln_id")
    (applt, ok_ap), (invt, ok_in) = (
        _int_sql(cell, "applt_seq_nr", required=False, small=True),
        _int_sql(cell, "invt_seq_nr", required=False, small=True),
    )
    applt, invt = f"coalesce({applt}, 0)", f"coalesce({invt}, 0)"
    ok = f"{ok_p} AND {ok_a} AND {ok_ap} AND {ok_in} AND ({applt} > 0 OR {invt} > 0)"
    return {"person_id": person, "appln_id": appln, "applt_seq": applt, "invt_seq": invt}, ok


def _classification_sql(column: str) -> Any:
    def twin(cell: Cell) -> tuple[dict[str, str], str]:
        appln_id, ok = _int_sql(cell, "appln_id")
        v = cell(column, checked=True)  # printable ASCII only
        # printable ASCII: Python's split/join on whitespace is collapsing runs of spaces, its upper() SQL's
        symbol = f"upper(regexp_replace({v}, ' +', ' ', 'g'))"
        values = {"appln_id": appln_id, "symbol": symbol, "symbol_norm": "NULL"}
        return values, f"regexp_full_match({v}, '[ -~]+') AND {ok}"

    return twin


def _tls211_sql(cell: Cell) -> tuple[dict[str, str], str]:
    (pub, ok_pub), (appln, ok_a), (day, ok_day) = (
        _int_sql(cell, "pat_publn_id"),
        _int_sql(cell, "appln_id"),
        _date_sql(cell, "publn_date"),
    )
    auth, kind, first = cell("publn_auth"), cell("publn_kind"), cell("publn_first_grant")
    values = {
        "pat_publn_id": pub,
        "appln_id": appln,
        "auth": f"nullif(upper({auth}), '')",
        "nr": f"nullif({cell('publn_nr')}, '')",
        "kind": f"nullif(upper({kind}), '')",
        "publn_date": day,
        "first_grant": _flag_sql(first),
    }
    return values, " AND ".join([ok_pub, ok_a, ok_day, _ascii(auth), _ascii(kind), _ascii(first)])


def _countries(ctx: Any, table: str) -> None:
    """Each distinct party country code normalised once, with its finding counted over its rows (examples in
    the order the codes first appear, as row by row)."""
    con = ctx.con
    codes = con.execute(f"SELECT country_raw, count(*) FROM {table} WHERE country_raw IS NOT NULL "
                        "GROUP BY 1 ORDER BY min(key)").fetchall()
    mapped = []
    for raw, n in codes:
        country, note = normalise_party_country(raw)
        if note:
            ctx.finding(note, f"{raw} → {country or 'unknown'}", count=n)
        if country:
            mapped.append((raw, country))
    _update_from(ctx, table, "country", "country_raw", mapped)


def _symbols(ctx: Any, table: str) -> None:
    """Each distinct classification symbol normalised once; an unparseable one is a finding per row (examples
    ``<part file>: <symbol>`` in the order they first appear)."""
    con = ctx.con
    rows = con.execute(f"SELECT file, symbol, count(*) FROM {table} GROUP BY 1, 2 ORDER BY min(key)").fetchall()
    mapped: dict[str, str] = {}
    for file, symbol, n in rows:
        try:
            mapped[symbol] = normalise_symbol(symbol)
        except ValueError:
            ctx.finding("unparseable-symbol", f"{Path(file).name}: {symbol}", count=n)
    _update_from(ctx, table, "symbol_norm", "symbol", list(mapped.items()))


def _update_from(ctx: Any, table: str, column: str, key: str, pairs: list[tuple[str, str]]) -> None:
    if not pairs:
        return
    keys, values = zip(*pairs, strict=True)
    lookup = pa.table({"k": pa.array(keys, pa.string()), "v": pa.array(values, pa.string())})  # noqa: F841
    ctx.con.execute(f"UPDATE {table} SET {column} = lookup.v FROM lookup WHERE {table}.{key} = lookup.k")


S, N, B, D, L = pa.string(), pa.int32(), pa.bool_(), pa.date32(), pa.int64()
TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        TableSpec(
            name="tls201",
            sql=_tls201_sql,
            main=True,
            with_hash=True,
            convert=_tls201,
            required=(
                "appln_id",
                "appln_auth",
                "appln_nr",
                "appln_kind",
                "appln_filing_date",
                "earliest_filing_date",
                "docdb_family_id",
            ),
            columns={
                "appln_id": L,
                "auth": S,
                "nr": S,
                "kind": S,
                "filing_date": D,
                "filing_year": N,
                "earliest_date": D,
                "earliest_year": N,
                "earliest_filing_id": L,
                "docdb": S,
                "inpadoc": S,
                "granted": B,
                "family_size": N,
                "ipr_type": S,
            },
        ),
        TableSpec(
            name="tls202",
            sql=_text_sql("appln_id", "appln_title_lg", "appln_title"),
            convert=_tls202,
            required=("appln_id", "appln_title_lg", "appln_title"),
            columns={"appln_id": L, "lang": S, "text": S},
        ),
        TableSpec(
            name="tls203",
            sql=_text_sql("appln_id", "appln_abstract_lg", "appln_abstract"),
            convert=_tls203,
            required=("appln_id", "appln_abstract_lg", "appln_abstract"),
            columns={"appln_id": L, "lang": S, "text": S},
        ),
        TableSpec(
            name="tls204",
            sql=_tls204_sql,
            convert=_tls204,
            required=("appln_id", "prior_appln_id", "prior_appln_seq_nr"),
            columns={"appln_id": L, "prior_appln_id": L, "seq": N},
        ),
        TableSpec(
            name="tls206",
            sql=_tls206_sql,
            normalise=_countries,
            convert=_tls206,
            required=("person_id", "person_name", "person_ctry_code"),
            columns={"person_id": L, "name": S, "country": S, "country_raw": S},
        ),
        TableSpec(
            name="tls207",
            sql=_tls207_sql,
            convert=_tls207,
            required=("person_id", "appln_id", "applt_seq_nr", "invt_seq_nr"),
            columns={"person_id": L, "appln_id": L, "applt_seq": N, "invt_seq": N},
        ),
        TableSpec(
            name="tls209",
            sql=_classification_sql("ipc_class_symbol"),
            normalise=_symbols,
            convert=_classification("ipc_class_symbol"),
            required=("appln_id", "ipc_class_symbol"),
            columns={"appln_id": L, "symbol": S, "symbol_norm": S},
        ),
        TableSpec(
            name="tls224",
            sql=_classification_sql("cpc_class_symbol"),
            normalise=_symbols,
            convert=_classification("cpc_class_symbol"),
            required=("appln_id", "cpc_class_symbol"),
            columns={"appln_id": L, "symbol": S, "symbol_norm": S},
        ),
        TableSpec(
            name="tls211",
            sql=_tls211_sql,
            convert=_tls211,
            required=("pat_publn_id", "publn_auth", "publn_nr", "publn_kind", "appln_id", "publn_date"),
            columns={
                "pat_publn_id": L,
                "appln_id": L,
                "auth": S,
                "nr": S,
                "kind": S,
                "publn_date": D,
                "first_grant": B,
            },
        ),
    )
}
# Primary keys of the PATSTAT Data Catalog: a second row with the same key is rejected.
KEYS = {
    "tls201": ("appln_id",),
    "tls202": ("appln_id",),
    "tls203": ("appln_id",),
    "tls204": ("appln_id", "prior_appln_id"),
    "tls206": ("person_id",),
    "tls207": ("person_id", "appln_id"),
    "tls209": ("appln_id", "symbol"),
    "tls224": ("appln_id", "symbol"),
    "tls211": ("pat_publn_id",),
}
LEUSIN_IPC = ("appln_id", "ctry_code", "ipc_class_symbol", "priority_year")
LEUSIN_FIELDS = ("appln_id", "ctry_code", "techn_field_nr", "weight", "priority_year")


def table_of(filename: str) -> str | None:
    m = _TABLE.match(filename)
    return m.group(1).lower() if m else None


class PatstatReader:
    kind = "patstat"
    source = "patstat"
    reads_folders = True

    def read(self, path: Path, ctx: Any) -> None:
        ctx.encoding = ctx.encoding or "utf-8"
        if path.is_dir():
            self._tables(path, ctx)
        else:
            LeusinReader().read(path, ctx)

    # -- PATSTAT tables ------------------------------------------------------------------------------
    def _tables(self, folder: Path, ctx: Any) -> None:
        found, others = discover(folder, table_of)
        if "tls201" not in found:
            raise InputError(
                "no tls201_appln table (tls201*.csv or tls201*.zip) in the folder; "
                f"found: {', '.join(sorted(found) + others) or 'nothing'}",
                path=str(folder),
            )
        if ("tls206" in found) != ("tls207" in found):
            have, need = ("tls206", "tls207") if "tls206" in found else ("tls207", "tls206")
            raise InputError(
                f"{have} is there but {need} is not: persons link to applications only through both",
                path=str(folder),
            )
        t = load_tables(ctx, found, others, TABLES, KEYS, prefix=PREFIX, main="tls201")
        main = t["tls201"]
        for name in ("tls202", "tls203", "tls204", "tls207", "tls209", "tls224", "tls211"):
            if name in t:
                reject_unlinked(
                    ctx, t[name], "appln_id", main, "appln_id", f"{name}: no tls201 row for appln_id"
                )
        if "tls207" in t:
            reject_unlinked(
                ctx, t["tls207"], "person_id", t["tls206"], "person_id", "tls207: no tls206 row for person_id"
            )
            reject_unlinked(
                ctx,
                t["tls206"],
                "person_id",
                t["tls207"],
                "person_id",
                "tls206: no application in tls201 (via tls207) for person_id",
            )
        self._stage(ctx, t)

    @staticmethod
    def _stage(ctx: Any, t: dict[str, str]) -> None:
        con, main = ctx.con, t["tls201"]
        has204 = "tls204" in t
        joins, cols = [], []
        if has204:
            joins.append(f"""LEFT JOIN (
                SELECT p.appln_id, arg_min(a.auth, (coalesce(a.filing_date, DATE '9999-12-31'), p.seq))
                       AS first_office, true AS has_claim
                FROM {t["tls204"]} p LEFT JOIN {main} a ON a.appln_id = p.prior_appln_id GROUP BY 1) pr
                ON pr.appln_id = d.appln_id""")
            own = "pr.has_claim IS NULL"
            first = "pr.first_office"
        else:
            own = "d.filing_date IS NOT DISTINCT FROM d.earliest_date AND d.earliest_date IS NOT NULL"
            first = "NULL"
        for name, col, lang in (("tls202", "title", "title_lang"), ("tls203", "abstract", "abstract_lang")):
            if name in t:
                joins.append(f"LEFT JOIN {t[name]} {name} ON {name}.appln_id = d.appln_id")
                cols.append(f"{name}.text AS {col}, {name}.lang AS {lang}")
        granted = "d.granted"
        if "tls211" in t:
            joins.append(f"""LEFT JOIN (SELECT appln_id, min(publn_date) AS publn_date,
                bool_or(first_grant) AS first_grant, count(*) AS publications
                FROM {t["tls211"]} GROUP BY 1) pb
                ON pb.appln_id = d.appln_id""")
            cols.append("pb.publn_date AS publication_date, year(pb.publn_date) AS publication_year")
            granted = "coalesce(d.granted, pb.first_grant)"
        begin_staging(ctx, "documents")
        con.execute(f"""
            INSERT INTO stage_documents BY NAME
            SELECT d.key AS line, d.row_hash, 'patstat' AS source, d.auth AS office, d.nr AS number,
                   d.nr AS number_raw, false AS number_mangled, d.kind, d.docdb AS family_id,
                   d.inpadoc AS extended_family_id, d.nr AS application_number,
                   d.filing_date AS application_date,
                   d.filing_year, d.earliest_date AS priority_date, d.earliest_year AS priority_year,
                   coalesce({first}, ef.auth, CASE WHEN d.earliest_filing_id = d.appln_id THEN d.auth
                            WHEN d.earliest_filing_id IS NULL AND {own} THEN d.auth END) AS priority_office,
                   'application' AS doc_type, {granted} AS granted, d.family_size AS simple_family_size,
                   json_object('appln_id', d.appln_id, 'ipr_type', d.ipr_type)::VARCHAR AS extra
                   {"".join(", " + c for c in cols)}
            FROM {main} d LEFT JOIN {main} ef ON ef.appln_id = d.earliest_filing_id
                 AND d.earliest_filing_id <> d.appln_id
            {" ".join(joins)}""")
        for name, scheme in (("tls209", "ipc"), ("tls224", "cpc")):
            if name in t:
                begin_staging(ctx, "classifications")
                con.execute(f"""
                    INSERT INTO stage_classifications BY NAME
                    SELECT d.key AS line, '{scheme}' AS scheme, c.symbol, c.symbol_norm,
                           row_number() OVER (PARTITION BY c.appln_id ORDER BY c.key)::INTEGER AS seq
                    FROM {t[name]} c JOIN {main} d USING (appln_id)""")
        if "tls207" in t:
            begin_staging(ctx, "parties")
            for role, seq in (("applicant", "applt_seq"), ("inventor", "invt_seq")):
                con.execute(f"""
                    INSERT INTO stage_parties BY NAME
                    SELECT d.key AS line, '{role}' AS role, l.{seq} AS seq, p.name, p.country, p.country_raw
                    FROM {t["tls207"]} l JOIN {t["tls206"]} p USING (person_id) JOIN {main} d USING (appln_id)
                    WHERE l.{seq} > 0""")
        if has204:
            begin_staging(ctx, "priorities")
            con.execute(f"""
                INSERT INTO stage_priorities BY NAME
                SELECT d.key AS line, p.seq, a.auth AS office, a.nr AS number, a.kind,
                       a.filing_date AS priority_date, 'prior_appln_id ' || p.prior_appln_id AS raw
                FROM {t["tls204"]} p JOIN {main} d USING (appln_id)
                LEFT JOIN {main} a ON a.appln_id = p.prior_appln_id""")


class LeusinReader:
    """The `;`-separated PATSTAT extracts of Leusin et al. (see the module docstring)."""

    kind = "patstat"
    source = "patstat-leusin"

    def read(self, path: Path, ctx: Any) -> None:
        con = ctx.con
        with open_text(path, ctx.encoding or "utf-8") as text:
            rows = CsvRows(text, path=path, delimiter=";")
            header = rows.read_header()
            if tuple(header) not in (LEUSIN_IPC, LEUSIN_FIELDS):
                raise InputError(
                    "not a PATSTAT folder nor a Leusin extract: the header must be "
                    f"{';'.join(LEUSIN_IPC)} or {';'.join(LEUSIN_FIELDS)} (got {';'.join(header[:6])})",
                    path=str(path),
                    line=1,
                )
            fields = tuple(header) == LEUSIN_FIELDS
            ctx.options["layout"] = "techn_field/weight" if fields else "ipc_class_symbol"
            schema = pa.schema(
                [
                    ("key", pa.int64()),
                    ("appln_id", pa.int64()),
                    ("country", pa.string()),
                    ("country_raw", pa.string()),
                    ("symbol", pa.string()),
                    ("symbol_norm", pa.string()),
                    ("weight", pa.float64()),
                    ("weight_raw", pa.string()),
                    ("year", pa.int32()),
                ]
            )
            empty = schema.empty_table()  # noqa: F841
            con.execute("CREATE OR REPLACE TEMP TABLE stage_patstat_leusin AS SELECT * FROM empty")
            cols: dict[str, list[Any]] = {n: [] for n in schema.names}
            lost_decimal = 0

            def flush() -> None:
                batch = pa.Table.from_pydict(cols, schema=schema)  # noqa: F841
                con.execute("INSERT INTO stage_patstat_leusin SELECT * FROM batch")
                for c in cols.values():
                    c.clear()

            for line, row in rows:
                ctx.row_read()
                raw = ";".join(row)
                if len(row) != len(header):
                    ctx.reject(line, "row", f"row has {len(row)} fields, header has {len(header)}", raw)
                    continue
                get = dict(zip(header, (v.strip() for v in row), strict=True))
                try:
                    appln_id = parse_int64(get["appln_id"])
                except ValueError as err:
                    ctx.reject(line, "appln_id", f"not an application id ({err})", raw)
                    continue
                symbol = (
                    get["techn_field_nr"] if fields else " ".join(get["ipc_class_symbol"].upper().split())
                )
                if not symbol:
                    ctx.reject(line, header[2], "empty code", raw)
                    continue
                weight = None
                if fields:
                    try:
                        weight = decode_lost_decimal(get["weight"])
                    except ValueError:
                        ctx.reject(line, "weight", f"not a weight: {get['weight']!r}", raw)
                        continue
                    lost_decimal += 1
                try:
                    year = parse_year(get["priority_year"])
                except ValueError:
                    ctx.finding("unparseable-year", f"line {line}: {get['priority_year']!r}")
                    year = None
                cols["key"].append(line)
                cols["appln_id"].append(appln_id)
                cols["country"].append(party_country(ctx, get["ctry_code"]))
                cols["country_raw"].append(get["ctry_code"] or None)
                cols["symbol"].append(symbol)
                cols["symbol_norm"].append(None if fields else symbol_norm(ctx, symbol))
                cols["weight"].append(weight)
                cols["weight_raw"].append(get["weight"] if fields else None)
                cols["year"].append(year)
                if len(cols["key"]) >= ctx.chunk_rows:
                    flush()
            flush()
        if lost_decimal:
            ctx.finding(
                "weight-decimal-lost", f"{path.name}: weights such as 10, 5, 6666667", count=lost_decimal
            )
        scheme = "wipo-techn-field" if fields else "ipc"
        t = "stage_patstat_leusin"
        begin_staging(ctx, "documents")
        con.execute(f"""
            INSERT INTO stage_documents BY NAME
            SELECT min(key) AS line, (hash(appln_id) >> 1)::BIGINT AS row_hash, 'patstat-leusin' AS source,
                   CAST(appln_id AS VARCHAR) AS number, CAST(appln_id AS VARCHAR) AS number_raw,
                   false AS number_mangled, 'application' AS doc_type, min(year) AS priority_year,
                   json_object('appln_id', appln_id,
                               'rows', list([country_raw, symbol, weight_raw] ORDER BY key))::VARCHAR AS extra
            FROM {t} GROUP BY appln_id""")
        con.execute(f"""CREATE OR REPLACE TEMP TABLE stage_patstat_leusin_doc AS
                        SELECT appln_id, min(key) AS line FROM {t} GROUP BY 1""")
        begin_staging(ctx, "parties")
        con.execute(f"""
            INSERT INTO stage_parties BY NAME
            SELECT d.line, 'inventor' AS role,
                   row_number() OVER (PARTITION BY appln_id ORDER BY min(key))::INTEGER AS seq,
                   any_value(country) AS country, country_raw
            FROM {t} JOIN stage_patstat_leusin_doc d USING (appln_id)
            WHERE country_raw IS NOT NULL GROUP BY appln_id, d.line, country_raw""")
        begin_staging(ctx, "classifications")
        con.execute(f"""
            INSERT INTO stage_classifications BY NAME
            SELECT d.line, '{scheme}' AS scheme, symbol, any_value(symbol_norm) AS symbol_norm,
                   row_number() OVER (PARTITION BY appln_id ORDER BY min(key))::INTEGER AS seq,
                   sum(weight) AS weight
            FROM {t} JOIN stage_patstat_leusin_doc d USING (appln_id) GROUP BY appln_id, d.line, symbol""")
        loaded = count(ctx, f"SELECT count(*) FROM {t}")
        documents = count(ctx, "SELECT count(*) FROM stage_patstat_leusin_doc")
        # Rows after an application's first are accepted into its document (its countries and codes).
        ctx.accept_direct(loaded - documents)
