"""The main job behind `make demo`: ingest the real data sets found in the data folder, print the stats."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from aieco.errors import InputError
from aieco.settings import setting
from aieco.sources import reader_for
from aieco.store import open_store
from aieco.store.ingest import ingest
from aieco.store.readback import stats

# (kind, path under the data folder), in load order: the 45-column CSET version first, then its enrichment.
DEMO_INPUTS: tuple[tuple[str, str], ...] = (
    ("cset1790", "cset-1790/patent_database-7b5b096.csv.zip"),
    ("cset1790", "cset-1790/patent_database-f0c0114.csv.zip"),
    ("lens", "lens/drones_fulltext_families_5884.csv"),
    ("lens", "lens/drones_tac_1606_families.csv"),
    ("lens", "lens/pizza_lens_1000_raw.csv"),
)

WHERE_TO_GET = """no data folder found. aieco reads public data; put it in a folder and set AIECO_DATA_DIR:
  cset-1790/patent_database-7b5b096.csv.zip  from github.com/georgetown-cset/1790-ai-patent-data (commit 7b5b096)
  cset-1790/patent_database-f0c0114.csv.zip  the same repository at commit f0c0114
  lens/*.csv                                 Lens.org patent search exports (lens.org, Export → CSV)"""


def run_demo(db: Path, data_dir: Path | None, *, echo: Callable[[str], None] = print) -> dict[str, object]:
    folder = Path(data_dir) if data_dir else Path(setting("data_dir"))
    if not str(folder) or not folder.is_dir():
        raise InputError(WHERE_TO_GET.replace("\n", " | "), path=str(folder))
    found = [(k, folder / p) for k, p in DEMO_INPUTS if (folder / p).exists()]
    if not found:
        raise InputError("none of the expected files is there. " + WHERE_TO_GET.replace("\n", " | "),
                         path=str(folder))
    with open_store(db) as store:
        for kind, path in found:
            result = ingest(store, reader_for(kind), path)
            run = result.run
            state = "already loaded" if result.noop else f"run {run.run_id}"
            echo(f"{kind:9} {path.name:45} {state:14} read {run.rows_read:>9,}  accepted "
                 f"{run.rows_accepted:>9,}  rejected {run.rows_rejected:>5,}")
        s = stats(store)
    echo("")
    echo(f"store {db}: {s['documents']:,} documents, {s['families']:,} families, {s['rejects']:,} rejects")
    top = ", ".join(f"{k} {v:,}" for k, v in list(s["by_office"].items())[:8])
    echo(f"documents by office: {top}")
    echo("findings: " + ", ".join(f"{k} {v:,}" for k, v in s["findings"].items()))
    return s
