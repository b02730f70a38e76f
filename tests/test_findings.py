"""Every data-quality finding a reader can record has its id in the catalogue (src/aieco/data/findings.yaml).

Two checks: statically, every kebab-case id written in the source where a finding is recorded or a
normaliser returns one; at run time, RunContext.finding refuses an id the catalogue lacks (so every reader
test would fail on one)."""

from __future__ import annotations

import ast
import re

import pytest

from aieco.errors import StoreError
from aieco.store.ingest import RunContext
from aieco.store.readback import finding_catalogue
from conftest import ROOT

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")


def _ids_in_source() -> set[str]:
    """Ids passed as the first argument of ``.finding(...)``, and kebab-case strings that normalisers of
    sources/fields.py return as the second element of a tuple (the finding to record)."""
    ids: set[str] = set()
    for path in (ROOT / "src" / "aieco").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "finding"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                ids.add(node.args[0].value)
            if (
                path.name == "fields.py"
                and isinstance(node, ast.Return)
                and isinstance(node.value, ast.Tuple)
                and len(node.value.elts) == 2
                and isinstance(node.value.elts[1], ast.Constant)
                and isinstance(node.value.elts[1].value, str)
                and _ID.match(node.value.elts[1].value)
            ):
                ids.add(node.value.elts[1].value)
    return ids


def test_every_finding_id_in_the_source_is_in_the_catalogue():
    ids = _ids_in_source()
    assert len(ids) >= 10  # the scan finds the readers' findings (it is not vacuous)
    assert sorted(ids - set(finding_catalogue())) == []


def test_catalogue_entries_are_complete():
    for fid, entry in finding_catalogue().items():
        assert _ID.match(fid) and entry.get("title") and entry.get("message"), fid


def test_an_unknown_id_is_refused_at_run_time(store, tmp_path):
    ctx = RunContext(store.con, 1, tmp_path / "x.csv", encoding=None)
    ctx.finding("unparseable-date", "line 2")
    with pytest.raises(StoreError, match="'no-such-finding' is not in data/findings.yaml"):
        ctx.finding("no-such-finding")
