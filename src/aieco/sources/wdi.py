"""World Bank indicators: `aieco ingest wdi FILE`.

Two layouts, told apart by the header:

- World Bank long: ``Country Name,Country Code,Year,Value`` (ISO alpha-3 codes and WB aggregates such as
  WLD, EAS, HIC in the same file); the indicator code comes from ``--name`` or the file name
  (population → SP.POP.TOTL, gdp → NY.GDP.MKTP.CD);
- Our World in Data: ``Entity,Code,Year,<indicator>`` (OWID_* codes, regions without a code); the
  indicator's name is the fourth column's header.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aieco.errors import InputError
from aieco.sources.aggregates import AggregateWriter, PublishedMethod, TableReader, check_year
from aieco.sources.counts import parse_number
from aieco.sources.entities import resolve_code, resolve_name
from aieco.sources.files import CsvRows, detect_encoding, open_text

# file-name stem -> (indicator code, measure, unit)
KNOWN = {
    "population": ("SP.POP.TOTL", "population", "persons"),
    "gdp_current_usd": ("NY.GDP.MKTP.CD", "gdp", "current USD"),
    "gdp": ("NY.GDP.MKTP.CD", "gdp", "current USD"),
    "internet_users_pct": ("IT.NET.USER.ZS", "internet-users-pct", "percent of population"),
    # OWID's charts of the CSET/ETO data (owid-cset): rates and money, not counts; the indicator keeps OWID's name
    "artificial-intelligence-patents-submitted-per-million": (
        "Patent applications per 1 million people - Field: All",
        "patent-applications-per-million",
        "patent applications per million people",
    ),
    "private-investment-in-artificial-intelligence-cset": (
        "Estimated investment - Field: All",
        "investment-estimated-owid",
        "USD (constant 2021 US$, inferred)",
    ),
}


class WdiReader(TableReader):
    """Reads one World Bank (long) or OWID indicator file into ``measure_counts``."""

    kind = "wdi"
    source = "wdi"


    def read(self, path: Path, ctx: Any) -> None:
        encoding = ctx.encoding or detect_encoding(path).name
        ctx.encoding = encoding
        with open_text(path, encoding) as text:
            rows = CsvRows(text, path=path)
            header = rows.read_header()
            if header[:4] == ["Country Name", "Country Code", "Year", "Value"]:
                layout, publisher = "worldbank-long", "worldbank"
                code, measure, unit = KNOWN.get(path.stem, (path.stem, path.stem, ""))
            elif header[:3] == ["Entity", "Code", "Year"] and len(header) == 4:
                layout, publisher = "owid", "owid"
                code, measure, unit = KNOWN.get(path.stem, (header[3], header[3], ""))
            else:
                raise InputError(
                    "not a World Bank (Country Name,Country Code,Year,Value) or OWID "
                    f"(Entity,Code,Year,<indicator>) header (got {','.join(header)})",
                    path=str(path),
                    line=1,
                )
            name = self.options.get("name") or code
            ctx.options.update({"name": name, "layout": layout, "indicator": code})
            method = PublishedMethod(
                publisher=publisher,
                pillar="context",
                measure=measure,
                unit=unit,
                indicator=code,
                kind="all",
                attribution="country or World Bank aggregate as published",
            )
            writer = AggregateWriter(ctx, name=name, layout=layout, path=path)
            for line, row in rows:
                ctx.row_read()
                raw = ",".join(row)
                if len(row) != len(header):
                    ctx.reject(line, "row", f"{len(row)} fields for {len(header)} columns", raw)
                    continue
                ent_name, ent_code = row[0].strip(), row[1].strip()
                entity = (resolve_code(ent_code, publisher=publisher) if ent_code else None) or resolve_name(
                    ent_name, publisher=publisher
                )
                if entity is None:
                    ctx.reject(line, header[1], f"unknown country or aggregate {ent_name!r} (code {ent_code!r})", raw)
                    continue
                try:
                    year = check_year(row[2])
                except ValueError as err:
                    ctx.reject(line, "Year", str(err), raw)
                    continue
                try:
                    value = parse_number(row[3])
                except ValueError:
                    ctx.reject(line, header[3], f"not a number: {row[3].strip()!r}", raw)
                    continue
                writer.row(
                    line,
                    raw,
                    [
                        {
                            "method": method,
                            "entity": entity,
                            "entity_raw": ent_name,
                            "period": str(year),
                            "year": year,
                            "value": value,
                            "complete": True,
                        }
                    ],
                )
            writer.flush()
