"""NCSES Science & Engineering Indicators tables (machine-extracted): `aieco ingest ncses TABLE_DIR`.

A table folder holds ``data.csv`` and ``README.md`` (title, table number, units, notes). This version reads
the time-series layout ``table_id,row_id,time_period,value`` whose ``time_period`` is a region path
("World -> Asia -> China"): the entity is the path's last segment, the period the title's span
("2000–22" → 2000-2022, a cumulative total). A table whose places repeat (the extraction lost its year
labels, as in 9968) is refused, not guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from aieco.errors import InputError
from aieco.sources.aggregates import AggregateWriter, PublishedMethod, TableReader
from aieco.sources.counts import parse_number
from aieco.sources.entities import clean_name, resolve_name
from aieco.sources.files import CsvRows, open_text

PUBLISHER = "ncses"
# Methods the table notes state (README.md), by table number.
METHODS = {
    "SINV-17": dict(
        pillar="patents",
        measure="patents-granted",
        unit="granted patent (first per family)",
        attribution="inventor location (priority country if none); China includes Hong Kong",
        counting="fractional",
        date_basis="grant year, cumulative over the period",
        ai_definition="CSET/1790 AI patent definition; EPO Global Patent Index, accessed March 2023",
    ),
}


def _readme(folder: Path) -> tuple[str, str]:
    text = (folder / "README.md").read_text("utf-8") if (folder / "README.md").is_file() else ""
    title = clean_name(text.splitlines()[0].lstrip("# ")) if text else ""
    m = re.search(r"\*\*Table Number:\*\*\s*(\S+)", text)
    return title, (m.group(1) if m else folder.name)


def _period(title: str) -> str:
    m = re.search(r"(\d{4})\s*[–-]\s*(\d{2,4})\s*$", title)
    if not m:
        return "all"
    a, b = m.group(1), m.group(2)
    return f"{a}-{a[: 4 - len(b)] + b}"


class NcsesReader(TableReader):
    kind = "ncses"
    source = "ncses"
    reads_folders = True


    def read(self, path: Path, ctx: Any) -> None:
        data = path / "data.csv" if path.is_dir() else path
        if not data.is_file():
            raise InputError("not an NCSES table folder: no data.csv", path=str(path))
        title, number = _readme(data.parent)
        with open_text(data, "utf-8") as text:
            rows = CsvRows(text, path=data)
            header = rows.read_header()
            if header != ["table_id", "row_id", "time_period", "value"]:
                raise InputError(
                    f"NCSES layout not read by this version (only table_id,row_id,time_period,"
                    f"value); got {','.join(header[:5])}…",
                    path=str(data),
                    line=1,
                )
            body = list(rows)
        repeats = Counter(r[2] for _, r in body if len(r) > 2)
        if repeats and max(repeats.values()) > 1:
            place, n = repeats.most_common(1)[0]
            raise InputError(
                f"table {number}: year labels lost in extraction ({place!r} appears {n} times, one "
                "row per unlabelled year); refused, not guessed (for articles use 10067)",
                path=str(data),
            )
        spec = METHODS.get(number, dict(pillar="other", measure=number, unit=""))
        method = PublishedMethod(publisher=PUBLISHER, indicator=number, **spec)
        period = _period(title)
        name = self.options.get("name") or f"ncses-{number}"
        ctx.options.update({"name": name, "table": number, "title": title, "period": period})
        writer = AggregateWriter(ctx, name=name, layout="ncses-ts", path=data)
        for line, row in body:
            ctx.row_read()
            raw = ",".join(row)
            if len(row) != 4:
                ctx.reject(line, "row", f"{len(row)} fields for 4 columns", raw)
                continue
            leaf = row[2].split("->")[-1].strip()
            entity = resolve_name(leaf, publisher=PUBLISHER)
            if entity is None:
                ctx.reject(line, "time_period", f"unknown country or region name {clean_name(leaf)!r}", raw)
                continue
            cell = row[3].strip()
            if cell == "D":
                ctx.finding("value-suppressed", f"{entity.id} (line {line})")
                value = None
            else:
                try:
                    value = parse_number(cell.rstrip("ir"))
                except ValueError:
                    ctx.reject(line, "value", f"not a number: {cell!r}", raw)
                    continue
            writer.row(
                line,
                raw,
                [
                    {
                        "method": method,
                        "entity": entity,
                        "entity_raw": row[2],
                        "period": period,
                        "year": None,
                        "value": value,
                        "complete": True,
                    }
                ],
            )
        writer.flush()
