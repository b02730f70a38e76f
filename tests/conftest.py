"""Shared fixtures: paths to real data in ../shared and fresh stores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from aieco.store import open_store

# Machines are shared and busy: a property test is about correctness, never about how long an example took.
settings.register_profile("aieco", deadline=None)
settings.load_profile("aieco")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(os.environ.get("AIECO_SHARED_DATA", ROOT.parent / "shared" / "data"))
SHARED = SHARED_DATA.parent


def shared_path(*parts: str) -> Path:
    """A file under ../shared/data. Missing: fail in CI (CI=true), skip elsewhere with the reason."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{path} is missing: CI must have ../shared beside the clone")
        pytest.skip(f"real data not available: {path} (put ../shared beside the project)")
    return path


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "store.duckdb")
    yield s
    s.close()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "cli.duckdb"
