"""CSET / 1790 Analytics worldwide AI patent database (georgetown-cset/1790-ai-patent-data).

Two published layouts share the identity columns: 7b5b096 (45 columns, with Patent_Type and Priority_Year)
and f0c0114 (46 columns, with Life_Sciences and Networks__eg_social_IOT_etc). A document is identified by
office + normalised number + kind + simple family; ingesting the second layout enriches the first.
"""

from __future__ import annotations

import json
from pathlib import Path

from aieco.errors import InputError
from aieco.sources.fields import is_mangled_number, normalise_publication_number, parse_year
from aieco.sources.files import CsvRows, detect_encoding, open_text
from aieco.sources.staging import Staging

SCHEME = "cset1790"
IDENTITY = ("Publication_country", "Publication_number", "Simple_family_ID", "Publication_type")
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "application_field": (
        "Physical_Sciences_and_Engineering", "Life_Sciences", "Security__eg_cybersecurity", "Transportation",
        "Industrial_and_Manufacturing", "Education", "Document_Mgt_and_Publishing", "Military", "Agricultural",
        "Computing_in_Government", "Personal_Devices_and_Computing", "Banking_and_Finance",
        "Telecommunications", "Networks__eg_social_IOT_etc", "Business", "Energy_Management",
        "Entertainment", "Nanotechnology", "Semiconductors"),
    "functional_application": (
        "Language_Processing", "Speech_Processing", "Knowledge_Representation", "Planning_and_Scheduling",
        "Control", "Distributed_AI", "Robotics", "Computer_Vision", "Analytics_and_Algorithms",
        "Measuring_and_Testing"),
    "ai_technique": (
        "Logic_Programming", "Fuzzy_Logic", "Probabilistic_Reasoning", "Ontology_Engineering",
        "Machine_Learning", "Search_Methods", "Generic_and_Unspecified"),
}
CATEGORY_DIMENSION = {cat: dim for dim, cats in DIMENSIONS.items() for cat in cats}
SUMMARY = ("num_application_fields", "num_functional_applications", "num_ai_techniques",
           "has_application_field", "has_functional_application", "has_ai_technique")
OPTIONAL = ("Patent_Type", "Priority_Year")
GRANTED_TYPES = frozenset({"Granted Patent", "Granted Utility Patent"})
_BOOL = {"true": True, "false": False, "TRUE": True, "FALSE": False, "True": True, "False": False}


class Cset1790Reader:
    kind = "cset1790"
    source = "cset1790"

    def read(self, path: Path, ctx) -> None:  # type: ignore[no-untyped-def]
        encoding = ctx.encoding or detect_encoding(path).name
        ctx.encoding = encoding
        with open_text(path, encoding) as text:
            rows = CsvRows(text, path=path)
            header = rows.read_header()
            self._check_header(path, header)
            idx = {name: i for i, name in enumerate(header)}
            categories = [h for h in header if h in CATEGORY_DIMENSION]
            ctx.declare_categories(SCHEME, [(CATEGORY_DIMENSION[c], c) for c in categories])
            ctx.options["layout"] = "46-column (f0c0114)" if "Life_Sciences" in idx else "45-column (7b5b096)"
            staging = Staging(ctx)
            width = len(header)
            for line, row in rows:
                ctx.row_read()
                if len(row) != width:
                    ctx.reject(line, "row", f"row has {len(row)} fields, header has {width}", ",".join(row))
                    continue
                self._row(ctx, staging, line, row, idx, categories)
            staging.flush()

    @staticmethod
    def _check_header(path: Path, header: list[str]) -> None:
        missing = [c for c in IDENTITY if c not in header]
        if missing:
            raise InputError(f"not a CSET/1790 patent database header: missing {', '.join(missing)} "
                             f"(got {', '.join(header[:6])}…)", path=str(path), line=1)
        known = set(IDENTITY) | set(SUMMARY) | set(OPTIONAL) | set(CATEGORY_DIMENSION)
        unknown = [h for h in header if h not in known]
        if unknown:
            raise InputError(f"unknown column(s) {', '.join(unknown)} in a CSET/1790 header",
                             path=str(path), line=1)
        dupes = sorted({h for h in header if header.count(h) > 1})
        if dupes:
            raise InputError(f"column(s) repeated in header: {', '.join(dupes)}", path=str(path), line=1)

    @staticmethod
    def _row(ctx, staging: Staging, line: int, row: list[str], idx: dict[str, int],  # type: ignore[no-untyped-def]
             categories: list[str]) -> None:
        office = row[idx["Publication_country"]].strip().upper()
        raw_number = row[idx["Publication_number"]].strip()
        kind = row[idx["Publication_type"]].strip().upper()
        family = row[idx["Simple_family_ID"]].strip()
        raw = ",".join(row)
        if len(office) != 2 or not office.isalpha():
            ctx.reject(line, "Publication_country", f"not a two-letter office code: {office!r}", raw)
            return
        if not raw_number:
            ctx.reject(line, "Publication_number", "empty publication number", raw)
            return
        if not kind:
            ctx.reject(line, "Publication_type", "empty kind code", raw)
            return
        if family and not family.isdigit():
            ctx.reject(line, "Simple_family_ID", f"not a family id: {family!r}", raw)
            return
        mangled = is_mangled_number(raw_number)
        if mangled:
            number, note = raw_number.upper(), None
            ctx.finding("mangled-publication-number", f"{office} {raw_number} {kind} (line {line})")
        else:
            number, note = normalise_publication_number(office, raw_number)
            if note:
                ctx.finding(note, f"{office} {raw_number} → {number} (line {line})")
        flags: dict[str, bool] = {}
        for cat in categories:
            value = row[idx[cat]].strip()
            if value not in _BOOL:
                ctx.reject(line, cat, f"not true/false: {value!r}", raw)
                return
            flags[cat] = _BOOL[value]
        extra: dict[str, object] = {}
        for name in SUMMARY:
            if name in idx:
                value = row[idx[name]].strip()
                extra[name] = _BOOL.get(value, int(value) if value.isdigit() else value)
        doc_type = row[idx["Patent_Type"]].strip() or None if "Patent_Type" in idx else None
        priority_year = None
        if "Priority_Year" in idx:
            try:
                priority_year = parse_year(row[idx["Priority_Year"]])
            except ValueError:
                ctx.finding("unparseable-year", f"line {line}: {row[idx['Priority_Year']]!r}")
        staging.add("documents", line=line, row_hash=hash(tuple(row)), source="cset1790", office=office,
                    number=number, number_raw=raw_number, number_mangled=mangled, kind=kind,
                    family_id=family or None, doc_type=doc_type,
                    granted=(doc_type in GRANTED_TYPES) if doc_type else None,
                    priority_year=priority_year, extra=json.dumps(extra))
        for cat, value in flags.items():
            if value:
                staging.add("categories", line=line, scheme=SCHEME, dimension=CATEGORY_DIMENSION[cat],
                            category=cat)
