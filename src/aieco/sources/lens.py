"""Lens.org patent CSV exports: the current layout (with Lens ID) and the older one (no Lens ID, dd/mm/yy
dates, lines ending in CR only, often in a legacy encoding).

``;;`` multi-values (CPC, IPCR, US classes, applicants, inventors, priority numbers) become child rows.
Lens exports carry no family id, only family sizes: a Lens document is identified by office + number + kind.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from aieco.sources.fields import (
    normalise_publication_number,
    office_problem,
    parse_date,
    parse_int64,
    split_multi,
)
from aieco.sources.files import CsvRows, check_header, detect_encoding, open_text
from aieco.sources.staging import Staging, symbol_norm

REQUIRED = ("Jurisdiction", "Kind", "Publication Number")
KNOWN = frozenset({
    "#", "Jurisdiction", "Kind", "Publication Number", "Lens ID", "Publication Date", "Publication Year",
    "Application Number", "Application Date", "Priority Numbers", "Title", "Applicants", "Inventors", "URL",
    "Type", "Full Text", "Cited Count", "Simple Family Size", "Extended Family Size", "Sequence Count",
    "CPC Classifications", "IPCR Classifications", "US Classifications", "PubMed Id(s)", "DOI(s)",
    "Non-Patent Citations", "Abstract", "Claims", "Earliest Priority Date", "Owners",
})
# Columns with a canonical home; every other column is kept as read in `extra`.
MAPPED = frozenset({"Jurisdiction", "Kind", "Publication Number", "Lens ID", "Publication Date",
                    "Publication Year", "Application Number", "Application Date", "Priority Numbers", "Title",
                    "Applicants", "Inventors", "Type", "Simple Family Size", "Extended Family Size",
                    "CPC Classifications", "IPCR Classifications", "US Classifications", "Abstract"})
SCHEMES = (("CPC Classifications", "cpc"), ("IPCR Classifications", "ipc"), ("US Classifications", "uspc"))
_PRIORITY = re.compile(r"^([A-Z]{2})\s+(\S+)\s+([A-Z]\d?)\s+(\d{8})$")
GRANTED_TYPES = frozenset({"Granted Patent"})


def parse_priority(text: str) -> tuple[str, str, str, date] | None:
    """``FR 1051751 A 20100311`` → (office, number, kind, date); None when it has another shape."""
    m = _PRIORITY.match(text.strip())
    if not m:
        return None
    try:
        d = parse_date(m.group(4))
    except ValueError:
        return None
    return (m.group(1), m.group(2), m.group(3), d) if d else None


def publication_number(office: str, kind: str, text: str) -> str:
    """``AT 399980 B`` → ``399980``; ``US 2013/0101709 A1`` → ``20130101709``."""
    parts = text.strip().split()
    if len(parts) >= 2 and parts[0] == office:
        parts = parts[1:]
    if len(parts) >= 2 and parts[-1] == kind:
        parts = parts[:-1]
    return normalise_publication_number(office, "".join(parts))[0]


class LensReader:
    kind = "lens"
    source = "lens"

    def read(self, path: Path, ctx) -> None:  # type: ignore[no-untyped-def]
        detected = detect_encoding(path) if not ctx.encoding else None
        encoding = ctx.encoding or (detected.name if detected else "utf-8")
        ctx.encoding = encoding
        if detected and detected.detected:
            ctx.finding("legacy-encoding-detected", f"{path.name}: {detected.name}",
                        detail=f"Read as {detected.name}: {detected.reason}.")
        with open_text(path, encoding) as text:
            rows = CsvRows(text, path=path)
            header = rows.read_header()
            check_header(path, header, what="Lens.org export", required=REQUIRED, known=KNOWN)
            idx = {name: i for i, name in enumerate(header)}
            ctx.options["layout"] = "current (Lens ID)" if "Lens ID" in idx else "older (no Lens ID)"
            staging = Staging(ctx)
            width = len(header)
            for line, row in rows:
                ctx.row_read()
                if len(row) != width:
                    ctx.reject(line, "row", f"row has {len(row)} fields, header has {width}", ",".join(row))
                    continue
                self._row(ctx, staging, line, row, idx)
            staging.flush()

    def _row(self, ctx, staging: Staging, line: int, row: list[str],  # type: ignore[no-untyped-def]
             idx: dict[str, int]) -> None:
        def get(name: str) -> str:
            i = idx.get(name)
            return row[i].strip() if i is not None else ""

        raw = ",".join(row)
        office, kind, pubno = get("Jurisdiction").upper(), get("Kind").upper(), get("Publication Number")
        if problem := office_problem(office):
            ctx.reject(line, "Jurisdiction", problem, raw)
            return
        if not kind:
            ctx.reject(line, "Kind", "empty kind code", raw)
            return
        number = publication_number(office, kind, pubno)
        if not number:
            ctx.reject(line, "Publication Number", f"no publication number in {pubno!r}", raw)
            return
        pub_year = self._int(ctx, line, "Publication Year", get("Publication Year"))
        pub_date = self._date(ctx, line, "Publication Date", get("Publication Date"), pub_year)
        if pub_year is None and pub_date is not None:
            pub_year = pub_date.year
        ref_year = pub_year if pub_year is not None else (pub_date.year if pub_date else None)
        app_date = self._date(ctx, line, "Application Date", get("Application Date"), ref_year)
        priorities = []
        for seq, text in enumerate(split_multi(get("Priority Numbers")), start=1):
            parsed = parse_priority(text)
            if parsed is None:
                ctx.finding("priority-unparsed", f"line {line}: {text}")
                staging.add("priorities", line=line, seq=seq, raw=text)
            else:
                p_office, p_number, p_kind, p_date = parsed
                priorities.append((p_date, p_office))
                staging.add("priorities", line=line, seq=seq, office=p_office, number=p_number, kind=p_kind,
                            priority_date=p_date, raw=text)
        first = min(priorities) if priorities else None
        doc_type = get("Type") or None
        extra = {name: row[i] for name, i in idx.items() if name not in MAPPED and row[i] != ""}
        staging.add(
            "documents", line=line, row_hash=hash(tuple(row)), source="lens", office=office, number=number,
            number_raw=pubno, number_mangled=False, kind=kind, lens_id=get("Lens ID") or None,
            application_number=get("Application Number") or None, application_date=app_date,
            filing_year=app_date.year if app_date else None, publication_date=pub_date,
            publication_year=pub_year, priority_date=first[0] if first else None,
            priority_year=first[0].year if first else None, priority_office=first[1] if first else None,
            doc_type=doc_type, granted=(doc_type in GRANTED_TYPES) if doc_type and doc_type != "unknown" else None,
            title=get("Title") or None, abstract=get("Abstract") or None,
            simple_family_size=self._int(ctx, line, "Simple Family Size", get("Simple Family Size")),
            extended_family_size=self._int(ctx, line, "Extended Family Size", get("Extended Family Size")),
            extra=json.dumps(extra, ensure_ascii=False) if extra else None)
        for column, scheme in SCHEMES:
            for seq, symbol in enumerate(split_multi(get(column)), start=1):
                norm = None if scheme == "uspc" else symbol_norm(ctx, symbol, line)
                staging.add("classifications", line=line, scheme=scheme, symbol=symbol.upper(),
                            symbol_norm=norm, seq=seq)
        for column, role in (("Applicants", "applicant"), ("Inventors", "inventor")):
            for seq, name in enumerate(split_multi(get(column)), start=1):
                staging.add("parties", line=line, role=role, seq=seq, name=name)

    @staticmethod
    def _int(ctx, line: int, field: str, value: str) -> int | None:  # type: ignore[no-untyped-def]
        if not value:
            return None
        try:
            return parse_int64(value)
        except ValueError:
            ctx.finding("unparseable-number", f"line {line} {field}: {value[:40]!r}")
            return None

    @staticmethod
    def _date(ctx, line: int, field: str, value: str, ref_year: int | None) -> date | None:  # type: ignore[no-untyped-def]
        try:
            return parse_date(value, latest_year=ref_year)
        except ValueError:
            ctx.finding("unparseable-date", f"line {line} {field}: {value!r}")
            return None
