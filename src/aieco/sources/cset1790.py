"""CSET / 1790 Analytics worldwide AI patent database (georgetown-cset/1790-ai-patent-data).

Two published layouts share the identity columns: 7b5b096 (45 columns, with Patent_Type and Priority_Year)
and f0c0114 (46 columns, with Life_Sciences and Networks__eg_social_IOT_etc). A document is identified by
office + normalised number + kind + simple family; ingesting the second layout enriches the first.

The 45-column layout mislabels two flag columns: what it heads ``Security__eg_cybersecurity`` and ``Business``
are the flags the 46-column file calls ``Life_Sciences`` and ``Networks__eg_social_IOT_etc`` — identical to
them on every one of the 221,597 documents listed once in each file (38,610 and 2,796 true in both files),
while every other flag column is identical under its own name, and its ``num_application_fields`` counts the
Security and Business flags it does not carry (it matches its own flags in 234,699 of 287,532 rows, the
46-column file in all). They are read as what they hold (:data:`RELABELLED`), with a finding; that file then
says nothing about Security and Business.

The file is staged as text (:mod:`aieco.sources.rawcsv`) and then checked and normalised set-based, in SQL:
no Python loop over rows. The SQL mirrors the pure functions in :mod:`aieco.sources.fields`
(``is_mangled_number``, ``normalise_publication_number``, ``parse_year``); tests hold the two to the same
answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aieco.sources.fields import known_offices_sql
from aieco.sources.files import CsvRows, check_header, open_text
from aieco.sources.rawcsv import stage_raw_csv

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
# Column of the 45-column layout -> the category it holds (see the module's docstring).
RELABELLED = {"Security__eg_cybersecurity": "Life_Sciences", "Business": "Networks__eg_social_IOT_etc"}
GRANTED_TYPES = frozenset({"Granted Patent", "Granted Utility Patent"})


RAW = "raw_cset1790"
# The SQL twins of fields.is_mangled_number / normalise_publication_number (kept equal by tests).
MANGLED_SQL = "regexp_full_match(trim(Publication_number), '[0-9](\\.[0-9]+)?[eE]\\+?[0-9]+')"
NUMBER_SQL = """CASE
    WHEN {mangled} THEN upper(trim(Publication_number))
    WHEN upper(trim(Publication_country)) = 'US' AND regexp_full_match(n0, '(19|20)[0-9]{{8}}')
        THEN substr(n0, 1, 4) || '0' || substr(n0, 5)
    ELSE n0 END"""
N0_SQL = "replace(replace(replace(trim(Publication_number), ' ', ''), '/', ''), ',', '')"


class Cset1790Reader:
    kind = "cset1790"
    source = "cset1790"

    def read(self, path: Path, ctx: Any) -> None:
        with open_text(path, ctx.encoding or "utf-8") as text:
            header = CsvRows(text, path=path).read_header()
        check_header(path, header, what="CSET/1790 patent database", required=IDENTITY,
                     known=set(IDENTITY) | set(SUMMARY) | set(OPTIONAL) | set(CATEGORY_DIMENSION))
        categories = [h for h in header if h in CATEGORY_DIMENSION]
        wide = "Life_Sciences" in header or "Networks__eg_social_IOT_etc" in header
        labels = {c: c if wide else RELABELLED.get(c, c) for c in categories}
        ctx.declare_categories(SCHEME, [(CATEGORY_DIMENSION[labels[c]], labels[c]) for c in categories])
        ctx.options["layout"] = "46-column (f0c0114)" if wide else "45-column (7b5b096)"
        if not wide and any(c in RELABELLED for c in categories):
            moved = [f"{c} as {RELABELLED[c]}" for c in categories if c in RELABELLED]
            ctx.finding("cset1790-mislabelled-columns", f"{path.name}: " + ", ".join(moved), detail=(
                "Evidence: identical to those columns of the 46-column file (f0c0114) on all 221,597 documents "
                "listed once in each (38,610 and 2,796 true in either file), where every other flag column agrees "
                "under its own name."))
        parser, enc = stage_raw_csv(ctx, path, RAW, header, encoding=ctx.encoding,
                                    select=self._chunk_sql(header, categories, labels))
        ctx.options["parser"] = parser
        ctx.encoding = enc.name
        if enc.detected:
            ctx.finding("legacy-encoding-detected", f"{path.name}: {enc.name}",
                        detail=f"Read as {enc.name}: {enc.reason}.")
        self._transform(ctx, [labels[c] for c in categories])

    @staticmethod
    def _problem_sql(categories: list[str]) -> str:
        """SQL naming a row's first problem as 'field|reason' (NULL when the row is fine)."""
        # Order follows the identity, then the flags.
        checks = [
            ("Publication_country", "NOT regexp_full_match(upper(trim(Publication_country)), '[A-Z]{2}')",
             "'not a two-letter office code: ' || Publication_country"),
            ("Publication_country", f"upper(trim(Publication_country)) NOT IN {known_offices_sql()}",
             "'not a known patent office code (ISO 3166-1, or EP, WO, EA, AP, OA, GC, …): ' "
             "|| upper(trim(Publication_country))"),
            ("Publication_number", "trim(Publication_number) = ''", "'empty publication number'"),
            ("Publication_type", "trim(Publication_type) = ''", "'empty kind code'"),
            ("Simple_family_ID",
             "trim(Simple_family_ID) <> '' AND NOT regexp_full_match(trim(Simple_family_ID), '[0-9]+')",
             "'not a family id: ' || Simple_family_ID"),
        ]
        identity = " ".join(f"WHEN {cond} THEN '{field}|' || {msg}" for field, cond, msg in checks)
        if not categories:
            return f"CASE {identity} END"
        # One regular expression clears a well-formed row's flags at once; only a row it fails is checked
        # flag by flag, to name the first bad one.
        flags = ", ".join(f'"{c}"' for c in categories)
        all_ok = rf"regexp_full_match(concat_ws(',', {flags}), '(?i)(\s*(true|false)\s*,)*\s*(true|false)\s*')"
        each = " ".join(f"WHEN lower(trim(\"{c}\")) NOT IN ('true', 'false') THEN '{c}|not true/false: ' || \"{c}\""
                        for c in categories)
        return f"CASE {identity} WHEN NOT {all_ok} THEN (CASE {each} END) END"

    @classmethod
    def _chunk_sql(cls, header: list[str], categories: list[str], labels: dict[str, str]) -> str:
        """Each chunk is checked and normalised on the way in: the canonical document columns, the row's first
        problem, its text (for a reject), its hash (for exact repeats), the names of its true flags and the
        notes the findings are counted from. A row with a problem is rejected later; nothing here can fail."""
        every = ", ".join(f'"{h}"' for h in header)
        has = set(header)
        true_flags = ("list_filter([" + ", ".join(f"CASE WHEN lower(trim(\"{c}\")) = 'true' THEN '{labels[c]}' END"
                                                  for c in categories) + "], lambda f: f IS NOT NULL)"
                      if categories else "[]::VARCHAR[]")
        number = NUMBER_SQL.format(mangled="mangled")
        summary = ", ".join(
            f"'{c}', " + (f"TRY_CAST(trim({c}) AS INTEGER)" if c.startswith("num_") else f"lower(trim({c})) = 'true'")
            for c in SUMMARY if c in has)
        doc_type = "nullif(trim(Patent_Type), '')" if "Patent_Type" in has else "NULL::VARCHAR"
        year = ("CASE WHEN regexp_full_match(trim(Priority_Year), '[0-9]{4}') AND "
                "TRY_CAST(trim(Priority_Year) AS INTEGER) BETWEEN 1800 AND 2100 "
                "THEN TRY_CAST(trim(Priority_Year) AS INTEGER) END") if "Priority_Year" in has else "NULL::INTEGER"
        bad_year = f"trim(Priority_Year) <> '' AND {year} IS NULL" if "Priority_Year" in has else "false"
        granted = "Granted Patent', 'Granted Utility Patent"
        return f"""
            SELECT line, (hash({every}) >> 1)::BIGINT AS row_hash, 'cset1790' AS source,
                   upper(trim(Publication_country)) AS office, {number} AS number,
                   trim(Publication_number) AS number_raw, mangled AS number_mangled,
                   upper(trim(Publication_type)) AS kind, nullif(trim(Simple_family_ID), '') AS family_id,
                   {doc_type} AS doc_type, {doc_type} IN ('{granted}') AS granted,
                   {year} AS priority_year, json_object({summary}) AS extra,
                   n0 <> {number} AND NOT mangled AS us_normalised, {bad_year} AS bad_year,
                   problem, CASE WHEN problem IS NOT NULL THEN left(concat_ws(',', {every}), 2000) END AS raw,
                   {true_flags} AS true_flags
            FROM (SELECT *, {N0_SQL} AS n0, {MANGLED_SQL} AS mangled,
                         {cls._problem_sql(categories)} AS problem FROM arrow_input)"""

    @staticmethod
    def _transform(ctx: Any, categories: list[str]) -> None:
        con, file = ctx.con, ctx.file
        con.execute(f"""INSERT INTO rejects
            SELECT {ctx.run_id}, ?, line, split_part(problem, '|', 1),
                   substr(problem, length(split_part(problem, '|', 1)) + 2), raw
            FROM {RAW} WHERE problem IS NOT NULL""", [file])
        con.execute(f"DELETE FROM {RAW} WHERE problem IS NOT NULL")
        for finding, cond, example in (
            ("mangled-publication-number", "number_mangled",
             "office || ' ' || number_raw || ' ' || kind || ' (line ' || line || ')'"),
            ("us-pregrant-number-normalised", "us_normalised",
             "office || ' ' || number_raw || ' → ' || number || ' (line ' || line || ')'"),
            ("unparseable-year", "bad_year", "'line ' || line"),
        ):
            row = con.execute(f"SELECT count(*), list({example} ORDER BY line)[1:5] FROM {RAW} "
                              f"WHERE {cond}").fetchone()
            if row and row[0]:
                ctx.finding(finding, count=0)
                for ex in row[1]:
                    ctx.finding(finding, ex, count=0)
                ctx.finding(finding, count=int(row[0]))
        if categories:
            dims = ", ".join(f"('{c}', '{CATEGORY_DIMENSION[c]}')" for c in categories)
            con.execute(f"""CREATE OR REPLACE TEMP TABLE stage_categories AS
                SELECT u.line, '{SCHEME}' AS scheme, d.dimension, u.category
                FROM (SELECT line, unnest(true_flags) AS category FROM {RAW}) u
                JOIN (VALUES {dims}) d(category, dimension) USING (category)""")
            ctx.mark_staged("categories")
        # The checked rows are the staged documents; the merge reads only the canonical columns.
        con.execute(f"ALTER TABLE {RAW} RENAME TO stage_documents")
        ctx.mark_staged("documents")
