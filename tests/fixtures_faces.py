"""The store the faces' tests render: the real CSET/1790 file (once per session) plus a Lens export classified
by the shipped definitions, and the published aggregates (ETO CAT, NCSES SINV-17 and SPBS-99, World Bank
population and GDP, internet use), and CSET PARAT matched to the applicants (``aieco firms match``), so that
every chart of the report and every endpoint has data."""

from __future__ import annotations

from pathlib import Path

import pytest

from aieco.store import open_store
from fixtures_measure import cset_db

_CACHE: dict[str, Path] = {}
AGGREGATES = (
    ("eto-cat", ("eto-cat",)),
    ("ncses", ("ncses-sei-2024", "10564")),
    ("ncses", ("ncses-sei-2024", "10067")),
    ("wdi", ("wdi", "population.csv")),
    ("wdi", ("wdi", "gdp_current_usd.csv")),
    ("wdi", ("wdi", "internet_users_pct.csv")),
)


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
        for kind, parts in AGGREGATES:
            ingest(store, reader_for(kind), shared_path(*parts))
        from aieco.firms.match import match_store

        ingest(store, reader_for("parat"), shared_path("cset-parat", "parat_data_2021.js"))
        match_store(store)
    _CACHE["faces"] = db
    return db
