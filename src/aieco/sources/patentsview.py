"""PatentsView granted-patent bulk tables: a folder of tab-separated files, zipped or not
(``g_patent.tsv.zip``).

Tables read: g_patent (the main table), g_application, g_cpc_current, g_ipc_at_issue,
g_assignee_disambiguated,
g_inventor_disambiguated, g_location_disambiguated, g_foreign_priority. Fields may be quoted and hold tabs
and newlines. Other files in the folder are listed in the run's options (``tables_ignored``).

A document is a grant: office US, number = patent_id, kind = wipo_kind, granted, doc_type ``grant``.
Application number and date from g_application. Priority: the earliest foreign priority claim, else the US
application itself (US provisional and continuity data are in tables not read here, so a US first filing's
date is its own filing date). Assignees are the applicants (owners); countries come from the location table
through location_id.

Accounting (rows read = accepted + rejected): every g_patent row counts as read once and becomes a document
or a reject; rows of the other tables count only when rejected (malformed, or not linked: a patent_id not in
g_patent, a location no assignee or inventor uses), with their own file and line. g_patent rows key by line
(``part_index * 10**9 + line`` when a table comes in parts).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyarrow as pa

from aieco.errors import InputError
from aieco.sources.fields import normalise_office, parse_date
from aieco.sources.staging import party_country, symbol_norm
from aieco.sources.tablesets import (
    RowProblem,
    TableSpec,
    begin_staging,
    discover,
    load_tables,
    reject_unlinked,
)

PREFIX = "pv"
_TABLE = re.compile(r"^(g_[a-z_]+?)(?:_part\d+)?\.(?:tsv|txt|csv|zip)", re.IGNORECASE)


def _id(get: Any, name: str) -> str:
    v = get(name)
    if not v:
        raise RowProblem(name, "empty")
    return v


def _seq(get: Any, name: str) -> int | None:
    v = get(name)
    if not v:
        return None
    try:
        number = float(v)
        if not number.is_integer() or abs(number) > 2**31:
            raise ValueError(v)
        return int(number)
    except ValueError:
        raise RowProblem(name, f"not a sequence number: {v!r}") from None


def _date(get: Any, ctx: Any, name: str) -> Any:
    v = get(name)
    if not v or v.startswith("0000"):
        return None
    try:
        return parse_date(v[:10])
    except ValueError:
        ctx.finding("unparseable-date", f"{Path(ctx.file).name} {name}: {v!r}")
        return None


def _g_patent(get: Any, ctx: Any) -> tuple[Any, ...]:
    patent_id = _id(get, "patent_id").upper()
    kind = get("wipo_kind").upper()
    if not kind:
        raise RowProblem("wipo_kind", "empty kind code")
    pdate = _date(get, ctx, "patent_date")
    extra = {k: get(k) for k in ("patent_type", "num_claims", "withdrawn", "filename") if get(k)}
    return (
        patent_id,
        kind,
        pdate,
        get("patent_title") or None,
        get("patent_abstract") or None,
        json.dumps(extra) if extra else None,
    )


def _g_application(get: Any, ctx: Any) -> tuple[Any, ...]:
    return _id(get, "patent_id").upper(), get("application_id") or None, _date(get, ctx, "filing_date")


def _g_cpc(get: Any, ctx: Any) -> tuple[Any, ...]:
    symbol = " ".join(get("cpc_group").upper().split())
    if not symbol:
        raise RowProblem("cpc_group", "empty CPC group")
    return _id(get, "patent_id").upper(), _seq(get, "cpc_sequence"), symbol, symbol_norm(ctx, symbol)


def _g_ipc(get: Any, ctx: Any) -> tuple[Any, ...]:
    head = f"{get('section')}{get('ipc_class')}{get('subclass')}".upper()
    group, sub = get("main_group"), get("subgroup")
    symbol = f"{head} {group}/{sub}" if group and sub else head
    if not head:
        raise RowProblem("section", "empty IPC symbol")
    return _id(get, "patent_id").upper(), _seq(get, "ipc_sequence"), symbol, symbol_norm(ctx, symbol)


def _person(prefix: str) -> Any:
    def convert(get: Any, ctx: Any) -> tuple[Any, ...]:
        org = get(f"disambig_{prefix}_organization") if prefix == "assignee" else ""
        first = get(
            f"disambig_{prefix}_individual_name_first"
            if prefix == "assignee"
            else f"disambig_{prefix}_name_first"
        )
        last = get(
            f"disambig_{prefix}_individual_name_last"
            if prefix == "assignee"
            else f"disambig_{prefix}_name_last"
        )
        name = org or ", ".join(p for p in (last, first) if p) or None
        return (
            _id(get, "patent_id").upper(),
            _seq(get, f"{prefix}_sequence"),
            name,
            get("location_id") or None,
        )

    return convert


def _g_location(get: Any, ctx: Any) -> tuple[Any, ...]:
    raw = get("disambig_country")
    return _id(get, "location_id"), party_country(ctx, raw), raw or None


def _g_foreign_priority(get: Any, ctx: Any) -> tuple[Any, ...]:
    raw = get("foreign_country_filed")
    office, note = normalise_office(raw) if raw else (None, None)
    if note:
        ctx.finding(note, f"{raw} → {office or 'unknown'}")
    return (
        _id(get, "patent_id").upper(),
        _seq(get, "priority_claim_sequence"),
        office,
        get("foreign_application_id") or None,
        get("priority_claim_kind") or None,
        _date(get, ctx, "filing_date"),
        raw or None,
    )


S, N, D = pa.string(), pa.int32(), pa.date32()
TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        TableSpec(
            name="g_patent",
            main=True,
            with_hash=True,
            convert=_g_patent,
            required=("patent_id", "patent_type", "patent_date", "patent_title", "wipo_kind"),
            columns={"patent_id": S, "kind": S, "patent_date": D, "title": S, "abstract": S, "extra": S},
        ),
        TableSpec(
            name="g_application",
            convert=_g_application,
            required=("application_id", "patent_id", "filing_date"),
            columns={"patent_id": S, "application_id": S, "filing_date": D},
        ),
        TableSpec(
            name="g_cpc_current",
            convert=_g_cpc,
            required=("patent_id", "cpc_sequence", "cpc_group"),
            columns={"patent_id": S, "seq": N, "symbol": S, "symbol_norm": S},
        ),
        TableSpec(
            name="g_ipc_at_issue",
            convert=_g_ipc,
            required=(
                "patent_id",
                "ipc_sequence",
                "section",
                "ipc_class",
                "subclass",
                "main_group",
                "subgroup",
            ),
            columns={"patent_id": S, "seq": N, "symbol": S, "symbol_norm": S},
        ),
        TableSpec(
            name="g_assignee_disambiguated",
            convert=_person("assignee"),
            required=("patent_id", "assignee_sequence", "disambig_assignee_organization", "location_id"),
            columns={"patent_id": S, "seq": N, "name": S, "location_id": S},
        ),
        TableSpec(
            name="g_inventor_disambiguated",
            convert=_person("inventor"),
            required=("patent_id", "inventor_sequence", "disambig_inventor_name_first", "location_id"),
            columns={"patent_id": S, "seq": N, "name": S, "location_id": S},
        ),
        TableSpec(
            name="g_location_disambiguated",
            convert=_g_location,
            required=("location_id", "disambig_country"),
            columns={"location_id": S, "country": S, "country_raw": S},
        ),
        TableSpec(
            name="g_foreign_priority",
            convert=_g_foreign_priority,
            required=(
                "patent_id",
                "priority_claim_sequence",
                "foreign_application_id",
                "filing_date",
                "foreign_country_filed",
            ),
            columns={
                "patent_id": S,
                "seq": N,
                "office": S,
                "number": S,
                "kind": S,
                "priority_date": D,
                "raw": S,
            },
        ),
    )
}
KEYS = {
    "g_patent": ("patent_id",),
    "g_application": ("patent_id",),
    "g_cpc_current": ("patent_id", "seq"),
    "g_ipc_at_issue": ("patent_id", "seq"),
    "g_assignee_disambiguated": ("patent_id", "seq"),
    "g_inventor_disambiguated": ("patent_id", "seq"),
    "g_location_disambiguated": ("location_id",),
    "g_foreign_priority": ("patent_id", "seq"),
}
PEOPLE = (("g_assignee_disambiguated", "applicant"), ("g_inventor_disambiguated", "inventor"))


def table_of(filename: str) -> str | None:
    m = _TABLE.match(filename)
    return m.group(1).lower() if m else None


class PatentsViewReader:
    kind = "patentsview"
    source = "patentsview"
    reads_folders = True

    def read(self, path: Path, ctx: Any) -> None:
        ctx.encoding = ctx.encoding or "utf-8"
        if not path.is_dir():
            raise InputError(
                "give the folder of PatentsView tables (g_patent.tsv[.zip], …), not one file", path=str(path)
            )
        found, others = discover(path, table_of)
        if "g_patent" not in found:
            raise InputError(
                "no g_patent table (g_patent.tsv or g_patent.tsv.zip) in the folder; found: "
                f"{', '.join(sorted(found) + others) or 'nothing'}",
                path=str(path),
            )
        t = load_tables(ctx, found, others, TABLES, KEYS, prefix=PREFIX, main="g_patent", delimiter="\t")
        main = t["g_patent"]
        for name in TABLES:
            if name in t and name not in ("g_patent", "g_location_disambiguated"):
                reject_unlinked(
                    ctx, t[name], "patent_id", main, "patent_id", f"{name}: no g_patent row for patent_id"
                )
        if "g_location_disambiguated" in t:
            people = [t[n] for n, _ in PEOPLE if n in t]
            used = (
                " UNION ".join(f"SELECT location_id FROM {p}" for p in people)
                or "SELECT NULL::VARCHAR AS location_id WHERE false"
            )
            ctx.con.execute(f"CREATE OR REPLACE TEMP TABLE stage_pv_used_locations AS {used}")
            reject_unlinked(
                ctx,
                t["g_location_disambiguated"],
                "location_id",
                "stage_pv_used_locations",
                "location_id",
                "g_location_disambiguated: no assignee or inventor at location_id",
            )
        self._stage(ctx, t)

    @staticmethod
    def _stage(ctx: Any, t: dict[str, str]) -> None:
        con, main = ctx.con, t["g_patent"]
        joins, cols = [], []
        if "g_application" in t:
            joins.append(f"LEFT JOIN {t['g_application']} a USING (patent_id)")
            cols.append(
                "a.application_id AS application_number, a.filing_date AS application_date, "
                "year(a.filing_date) AS filing_year"
            )
            own_date = "a.filing_date"
        else:
            own_date = "NULL::DATE"
        if "g_foreign_priority" in t:
            joins.append(f"""LEFT JOIN (
                SELECT patent_id, min(priority_date) AS fp_date,
                       arg_min(office, (coalesce(priority_date, DATE '9999-12-31'), seq)) AS fp_office
                FROM {t["g_foreign_priority"]} WHERE office IS NOT NULL GROUP BY 1) fp USING (patent_id)""")
            prio_office = (
                f"CASE WHEN fp.fp_office IS NOT NULL THEN fp.fp_office WHEN {own_date} IS NOT NULL "
                "THEN 'US' END"
            )
            prio_date = f"coalesce(fp.fp_date, {own_date})"
        else:
            prio_office = f"CASE WHEN {own_date} IS NOT NULL THEN 'US' END"
            prio_date = own_date
        begin_staging(ctx, "documents")
        con.execute(f"""
            INSERT INTO stage_documents BY NAME
            SELECT p.key AS line, p.row_hash, 'patentsview' AS source, 'US' AS office, p.patent_id AS number,
                   p.patent_id AS number_raw, false AS number_mangled, p.kind,
                   p.patent_date AS publication_date,
                   year(p.patent_date) AS publication_year, {prio_date} AS priority_date,
                   year({prio_date}) AS priority_year, {prio_office} AS priority_office, 'grant' AS doc_type,
                   true AS granted, p.title, CASE WHEN p.title IS NOT NULL THEN 'en' END AS title_lang,
                   p.abstract, CASE WHEN p.abstract IS NOT NULL THEN 'en' END AS abstract_lang, p.extra
                   {"".join(", " + c for c in cols)}
            FROM {main} p {" ".join(joins)}""")
        for name, scheme in (("g_ipc_at_issue", "ipc"), ("g_cpc_current", "cpc")):
            if name in t:
                begin_staging(ctx, "classifications")
                con.execute(f"""
                    INSERT INTO stage_classifications BY NAME
                    SELECT p.key AS line, '{scheme}' AS scheme, c.symbol, c.symbol_norm,
                           coalesce(c.seq,
                                    row_number() OVER (PARTITION BY c.patent_id ORDER BY c.key)
                           )::INTEGER AS seq
                    FROM {t[name]} c JOIN {main} p USING (patent_id)""")
        loc = t.get("g_location_disambiguated")
        for name, role in PEOPLE:
            if name in t:
                begin_staging(ctx, "parties")
                country = (
                    ("l.country, l.country_raw", f"LEFT JOIN {loc} l USING (location_id)")
                    if loc
                    else ("NULL AS country, NULL AS country_raw", "")
                )
                con.execute(f"""
                    INSERT INTO stage_parties BY NAME
                    SELECT p.key AS line, '{role}' AS role, c.seq, c.name, {country[0]}
                    FROM {t[name]} c JOIN {main} p USING (patent_id) {country[1]}""")
        if "g_foreign_priority" in t:
            begin_staging(ctx, "priorities")
            con.execute(f"""
                INSERT INTO stage_priorities BY NAME
                SELECT p.key AS line, f.seq, f.office, f.number, f.kind, f.priority_date,
                       concat_ws(' ', f.raw, f.number, f.priority_date) AS raw
                FROM {t["g_foreign_priority"]} f JOIN {main} p USING (patent_id)""")
