"""The store the faces' tests render: the real CSET/1790 file (once per session) plus a Lens export classified
by the shipped definitions, so that every chart of the report and every endpoint has data."""

from __future__ import annotations

from pathlib import Path

import pytest

from aieco.store import open_store
from fixtures_measure import cset_db

_CACHE: dict[str, Path] = {}


@pytest.fixture(scope="session")
def faces_store(tmp_path_factory) -> Path:
    if "faces" in _CACHE:
        return _CACHE["faces"]
    import shutil

    from aieco.classify.compiler import classify
    from aieco.classify.definitions import get_definition
    from aieco.sources import reader_for
    from aieco.store.ingest import ingest
    from conftest import shared_path

    db = tmp_path_factory.mktemp("faces") / "faces.duckdb"
    shutil.copy(cset_db(tmp_path_factory), db)
    with open_store(db) as store:
        ingest(store, reader_for("lens"), shared_path("lens", "drones_tac_1606_families.csv"))
        classify(store, [get_definition("cset-1790")])
    _CACHE["faces"] = db
    return db
