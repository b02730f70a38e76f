"""One module per input format; each turns a file into canonical rows and rejects.

A reader is a class with a stable ``kind`` and a ``read(path, ctx)`` method that streams its input in chunks
into the run context (:class:`aieco.store.ingest.RunContext`): canonical rows are staged, bad rows rejected
with file, line, field and reason.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from aieco.errors import UnknownName

# kind -> "module:Class"; modules load lazily so one reader's optional dependency never blocks another.
READERS: dict[str, str] = {
    "cset1790": "aieco.sources.cset1790:Cset1790Reader",
    "lens": "aieco.sources.lens:LensReader",
    "patstat": "aieco.sources.patstat:PatstatReader",
    "google": "aieco.sources.google:GoogleReader",
    "patentsview": "aieco.sources.patentsview:PatentsViewReader",
    "uspto-xml": "aieco.sources.uspto_xml:UsptoXmlReader",
    "counts": "aieco.sources.counts:CountsReader",
    "eto-cat": "aieco.sources.eto:EtoCatReader",
    "wdi": "aieco.sources.wdi:WdiReader",
    "ncses": "aieco.sources.ncses:NcsesReader",
    "firms": "aieco.firms.ingest:FirmsReader",
    "parat": "aieco.firms.ingest:ParatReader",
    "fred": "aieco.sources.fred:FredReader",
}


def reader_for(kind: str) -> Any:
    try:
        target = READERS[kind]
    except KeyError:
        raise UnknownName(f"unknown ingest kind {kind!r}; known kinds: {', '.join(sorted(READERS))}") from None
    module, cls = target.split(":")
    return getattr(import_module(module), cls)()
