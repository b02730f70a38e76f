"""ETO Country Activity Tracker (AI) CSV export: `aieco ingest eto-cat DIR|FILE`.

The export is a folder of CSV files, one row per country × field × year (``*_yearly_*``) or per country ×
field summed over 2014-2024 (``*_summary``). Which file a CSV is comes from its header (the value columns),
not its name, and any subset of the files may be given. Countries are names ("China (mainland)",
"Korea, Republic of"); the 13 group rows of the publication and company files (EU, NATO, Quad, …) are
stored as aggregates (``entity_kind = 'aggregate'``) and never summed with countries. ``complete = False``
(years still filling in) is kept as an incomplete flag; a file without the column (citations) leaves it
unknown.

Method as ETO states it (dataset docs, via OWID's description of the CAT patent data): patent *families*
attributed to the country of first filing, by year of first filing; sources 1790 Analytics, PATSTAT and
The Lens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aieco.errors import InputError
from aieco.sources.aggregates import AggregateWriter, PublishedMethod, TableReader, check_year
from aieco.sources.counts import parse_number
from aieco.sources.entities import resolve_name
from aieco.sources.files import CsvRows, detect_encoding, open_text

PUBLISHER = "eto"
_PATENTS = dict(
    publisher=PUBLISHER,
    pillar="patents",
    attribution="country of first filing (priority)",
    counting="whole",
    date_basis="year of first filing",
    ai_definition="ETO/CSET AI patent definition (1790 Analytics; PATSTAT, The Lens)",
)
_RESEARCH = dict(
    publisher=PUBLISHER,
    pillar="research",
    attribution="country of author organisation",
    counting="whole (not stated in the export)",
    date_basis="publication year",
    ai_definition="ETO Merged Academic Corpus, AI classifier",
)
_INVEST = dict(
    publisher=PUBLISHER,
    pillar="investment",
    attribution="company headquarters country",
    counting="whole",
    date_basis="year of the investment",
    ai_definition="ETO AI company list (Crunchbase-based)",
)
# value column -> (measure, unit, method fields)
MEASURES: dict[str, tuple[str, str, dict[str, str]]] = {
    "num_patent_applications": ("patent-applications", "patent family", _PATENTS),
    "num_patent_granted": ("patents-granted", "granted patent family", _PATENTS),
    "num_articles": ("articles", "article", _RESEARCH),
    "num_citations": ("citations", "citation", _RESEARCH),
    "disclosed_investment": ("investment-disclosed", "USD million (nominal)", _INVEST),
    "estimated_investment": ("investment-estimated", "USD million (nominal)", _INVEST),
}
SUMMARY_PERIOD = "2014-2024"


def _method(column: str, indicator: str) -> PublishedMethod:
    measure, unit, fields = MEASURES[column]
    return PublishedMethod(measure=measure, unit=unit, indicator=indicator, **fields)


def parse_complete(raw: str) -> bool:
    v = raw.strip().lower()
    if v in ("true", "1"):
        return True
    if v in ("false", "0"):
        return False
    raise ValueError(f"complete {raw.strip()!r} is not True or False")


class EtoCatReader(TableReader):
    """Reads an ETO CAT export folder (or one of its CSV files) into ``measure_counts``."""

    kind = "eto-cat"
    source = "eto-cat"
    reads_folders = True


    def read(self, path: Path, ctx: Any) -> None:
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv") if path.is_dir() else [path]
        if not files:
            raise InputError(
                "no CSV files in the folder (an ETO CAT export holds patents_*.csv, "
                "publications_*.csv, companies_*.csv)",
                path=str(path),
            )
        name = self.options.get("name") or self.kind
        ctx.options["name"] = name
        seen: dict[tuple[Any, ...], int] = {}
        read_files = []
        for f in files:
            self._read_file(f, ctx, name, seen)
            read_files.append(f.name)
        ctx.options["files"] = read_files

    def _read_file(self, path: Path, ctx: Any, name: str, seen: dict[tuple[Any, ...], int]) -> None:
        encoding = ctx.encoding or detect_encoding(path).name
        with open_text(path, encoding) as text:
            rows = CsvRows(text, path=path)
            header = rows.read_header()
            values = [h for h in header if h in MEASURES]
            if "country" not in header or "field" not in header or not values:
                raise InputError(
                    f"not an ETO CAT export file: expected country,field,[year,]<value>[,complete] "
                    f"with a value column among {', '.join(MEASURES)} (got {','.join(header)})",
                    path=str(path),
                    line=1,
                )
            dupes = sorted({h for h in header if header.count(h) > 1})
            if dupes:
                raise InputError(f"column(s) repeated in header: {', '.join(dupes)}", path=str(path), line=1)
            yearly = "year" in header
            idx = {h: i for i, h in enumerate(header)}
            indicator = path.stem
            methods = {v: _method(v, indicator) for v in values}
            writer = AggregateWriter(ctx, name=name, layout="eto-cat", path=path, seen=seen)
            for line, row in rows:
                ctx.row_read()
                raw = ",".join(row)
                if len(row) != len(header):
                    ctx.reject(
                        line, "row", f"{len(row)} fields for {len(header)} columns (short, truncated or long row)", raw
                    )
                    continue
                try:
                    records = self._records(row, idx, values, methods, yearly)
                except _Reject as err:
                    ctx.reject(line, err.field, err.reason, raw)
                    continue
                if writer.row(line, raw, records) and "complete" not in idx and yearly:
                    ctx.finding("completeness-not-stated", f"{path.name} line {line}")
            writer.flush()

    @staticmethod
    def _records(
        row: list[str], idx: dict[str, int], values: list[str], methods: dict[str, PublishedMethod], yearly: bool
    ) -> list[dict[str, Any]]:
        raw_name = row[idx["country"]].strip()
        entity = resolve_name(raw_name, publisher=PUBLISHER)
        if entity is None:
            raise _Reject(
                "country",
                f"unknown country or group name {raw_name!r} (not in the alias table "
                "data/countries/aliases.yaml nor ISO 3166)",
            )
        field = row[idx["field"]].strip()
        if not field:
            raise _Reject("field", "empty field")
        year: int | None
        if yearly:
            try:
                year = check_year(row[idx["year"]])
            except ValueError as err:
                raise _Reject("year", str(err)) from None
            period = str(year)
            complete: bool | None = None
            if "complete" in idx:
                try:
                    complete = parse_complete(row[idx["complete"]])
                except ValueError as err:
                    raise _Reject("complete", str(err)) from None
        else:
            year, period, complete = None, SUMMARY_PERIOD, False  # the sum includes incomplete years
        out = []
        for col in values:
            cell = row[idx[col]]
            try:
                value = parse_number(cell)
            except ValueError:
                raise _Reject(col, f"not a number: {cell.strip()!r}") from None
            out.append(
                {
                    "method": methods[col],
                    "entity": entity,
                    "entity_raw": raw_name,
                    "field": field,
                    "period": period,
                    "year": year,
                    "value": value,
                    "complete": complete,
                }
            )
        return out


class _Reject(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason
