"""Methods: which the loaded data supports, why others are refused, and which years are still incomplete.

A method is unit × attribution × counting × date basis × definition (:class:`aieco.model.Method`). Each
dimension needs fields; a method whose fields no loaded document of a source carries is refused with a
message naming the missing field, never counted as zero.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from aieco.errors import UnknownName, UnsupportedMethod
from aieco.model import ATTRIBUTIONS, COUNTINGS, DATE_BASES, UNITS, Method
from aieco.store import Store

# Publication lag: an application is published 18 months after its priority (or filing) date.
PUBLICATION_LAG_MONTHS = 18
# Sources whose files carry no publication date: the data end their authors state.
KNOWN_DATA_END: dict[str, tuple[date, str]] = {
    "cset1790": (date(2020, 3, 31), "CSET/1790 covers publications Jan 2000 - Mar 2020 (README of the data set)"),
}

# field label -> SQL counting the documents of a source (alias d) that carry it
_FIELDS: dict[str, str] = {
    "documents.application_number": "count(d.application_number)",
    "documents.family_id": "count(d.family_id)",
    "documents.granted": "count(d.granted)",
    "documents.office": "count(d.office)",
    "documents.priority_office": "count(d.priority_office)",
    "documents.priority_year": "count(d.priority_year)",
    "documents.filing_year": "count(d.filing_year)",
    "documents.publication_year": "count(d.publication_year)",
    "parties.country (role applicant)": "(SELECT count(*) FROM parties p JOIN documents d2 USING (doc_id) "
                                        "WHERE d2.source = ? AND p.role = 'applicant' AND p.country IS NOT NULL)",
    "parties.country (role inventor)": "(SELECT count(*) FROM parties p JOIN documents d2 USING (doc_id) "
                                       "WHERE d2.source = ? AND p.role = 'inventor' AND p.country IS NOT NULL)",
}
NEEDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("unit", "document"): (),
    ("unit", "application"): ("documents.application_number",),
    ("unit", "family"): ("documents.family_id",),
    ("unit", "granted-family"): ("documents.family_id", "documents.granted"),
    ("attribution", "office"): ("documents.office",),
    ("attribution", "priority-office"): ("documents.priority_office",),
    ("attribution", "applicant"): ("parties.country (role applicant)",),
    ("attribution", "inventor"): ("parties.country (role inventor)",),
    ("date_basis", "priority"): ("documents.priority_year",),
    ("date_basis", "filing"): ("documents.filing_year",),
    ("date_basis", "publication"): ("documents.publication_year",),
}


def check_method(method: Method) -> Method:
    """Unknown parameter values are UnknownName, with the known ones listed."""
    for dim, known in (("unit", UNITS), ("attribution", ATTRIBUTIONS), ("counting", COUNTINGS),
                       ("date_basis", DATE_BASES)):
        value = getattr(method, dim)
        if value not in known:
            raise UnknownName(f"unknown {dim.replace('_', ' ')} {value!r}; known: {', '.join(known)}")
    return method


def sources(store: Store) -> list[str]:
    return [r[0] for r in store.query("SELECT DISTINCT source FROM documents ORDER BY 1")]


def field_coverage(store: Store, source: str) -> dict[str, int]:
    """For each field a method may need: how many documents of ``source`` carry it."""
    labels = list(_FIELDS)
    sql = "SELECT " + ", ".join(_FIELDS[k] for k in labels) + " FROM documents d WHERE d.source = ?"
    params = [source] * (1 + sum("?" in _FIELDS[k] for k in labels))
    # the correlated subqueries come first in parameter order, the outer WHERE last
    row = store.query(sql, params)[0]
    return {k: int(v or 0) for k, v in zip(labels, row, strict=True)}


def missing(method: Method, coverage: dict[str, int]) -> list[str]:
    """One clause per field the method needs and the data lacks: 'date basis filing needs documents.filing_year'."""
    out: list[str] = []
    for dim in ("unit", "attribution", "date_basis"):
        value = getattr(method, dim)
        out.extend(f"{dim.replace('_', ' ')} {value} needs {fld}" for fld in NEEDS[(dim, value)]
                   if not coverage.get(fld))
    return out


def refusal(method: Method, source: str, coverage: dict[str, int]) -> str | None:
    """Why ``method`` cannot be computed on ``source`` (the missing fields), or None when it can."""
    clauses = missing(method, coverage)
    if not clauses:
        return None
    return f"{'; '.join(clauses)}, which no loaded {source} document has"


def require(store: Store, method: Method, source: str) -> None:
    reason = refusal(check_method(method), source, field_coverage(store, source))
    if reason:
        raise UnsupportedMethod(reason)


def candidate_methods(definition: str = "all", version: str = "", category: str = "") -> list[Method]:
    """Every combination of unit, attribution, counting and date basis."""
    return [Method(unit=u, attribution=a, counting=c, date_basis=b, definition=definition,
                   definition_version=version, category=category)
            for u, a, b, c in itertools.product(UNITS, ATTRIBUTIONS, DATE_BASES, COUNTINGS)]


def data_end(store: Store, source: str) -> tuple[date | None, str]:
    """The last day the source's data covers, and how aieco knows it."""
    row = store.query("SELECT max(publication_date), max(publication_year) FROM documents WHERE source = ?",
                      [source])[0]
    if row[0] is not None:
        return row[0], "latest publication date in the data"
    if source in KNOWN_DATA_END:
        return KNOWN_DATA_END[source]
    if row[1] is not None:
        return date(int(row[1]), 12, 31), "end of the latest publication year in the data"
    return None, "unknown: no publication dates"


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def _last_day(first: date) -> date:
    """The last day of the month that starts on ``first``."""
    return date.fromordinal(_add_months(first, 1).toordinal() - 1)


def incomplete_years(date_basis: str, end: date | None, years: tuple[int, int]) -> list[int]:
    """Years of the period not yet fully visible on ``date_basis`` when data end at ``end``.

    A priority (or filing) year Y is complete once its last day's applications are published: 18 months
    after 31 December Y. A publication year is complete once it is over.
    """
    if end is None:
        return []
    out = []
    for y in range(years[0], years[1] + 1):
        if date_basis == "publication":
            visible = date(y, 12, 31) <= end
        else:
            visible = _last_day(_add_months(date(y + 1, 1, 1), PUBLICATION_LAG_MONTHS - 1)) <= end
        if not visible:
            out.append(y)
    return out


def source_sha256(store: Store, source: str) -> str:
    """The sha256 of every run whose rows make the documents of ``source``, ';'-joined."""
    # document_sources holds every run that saw a document, its first (documents.run_id) included: the first
    # runs come from documents alone, and only rows of other runs (enrichments) need the join, which DuckDB
    # prunes from column statistics when no document was enriched
    rows = store.query("SELECT DISTINCT r.sha256 FROM runs r WHERE r.run_id IN (SELECT d.run_id FROM documents d "
                       "WHERE d.source = ? UNION SELECT ds.run_id FROM document_sources ds JOIN documents d "
                       "USING (doc_id) WHERE d.source = ? AND ds.run_id <> d.run_id) ORDER BY 1",
                       [source, source])
    return ";".join(r[0] for r in rows)


def method_row(method: Method, **extra: Any) -> dict[str, Any]:
    return {"unit": method.unit, "attribution": method.attribution, "counting": method.counting,
            "date_basis": method.date_basis, "definition": method.definition,
            "definition_version": method.definition_version, "category": method.category, **extra}
