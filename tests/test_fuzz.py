"""Every reader on mutated inputs (tests/mutants.py): never a traceback, a one-line error when it fails, the
store unchanged by a failed run, rows read = accepted + rejected in a successful one.

Bounded for CI (a few dozen mutants per reader); `make fuzz` runs 1,000 per reader and prints the table."""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutants import SEEDS, make_mutant, run_mutant


@pytest.mark.parametrize("kind", sorted(SEEDS))
@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31))
def test_a_mutant_never_breaks_a_promise(kind, seed, tmp_path_factory):
    work = tmp_path_factory.mktemp(f"fuzz-{kind}")
    path, mutations = make_mutant(kind, seed, work)
    outcome = run_mutant(kind, path, work / "store.duckdb", mutations)
    assert outcome.traceback is None, (mutations, outcome.traceback)
    assert outcome.invariant is None, (mutations, outcome.invariant)
    assert outcome.exit_code in (0, 2), (mutations, outcome.exit_code, outcome.message)


def test_the_mutants_are_not_all_rejected_at_the_door(tmp_path):
    """The mutations leave many inputs readable (the fuzz reaches the readers' row checks, not only the
    header check): of 28 mutants per reader, at least a quarter ingest."""
    for kind in sorted(SEEDS):
        ok = 0
        for seed in range(28):
            work = tmp_path / f"{kind}-{seed}"
            work.mkdir()
            path, mutations = make_mutant(kind, seed, work)
            ok += run_mutant(kind, path, tmp_path / f"{kind}.duckdb", mutations).exit_code == 0
        assert ok >= 7, (kind, ok)


def test_a_short_row_with_bytes_that_are_not_utf8_prints_nothing(tmp_path, monkeypatch):
    """Found by the fuzz: Arrow decodes an invalid row as UTF-8 before aieco sees it, and Python printed
    'Exception ignored in … UnicodeDecodeError' on a successful run."""
    from aieco.sources.cset1790 import Cset1790Reader
    from aieco.store import open_store
    from aieco.store.ingest import ingest
    from mutants import FIXTURES

    data = (FIXTURES / "cset1790" / "layout46.csv").read_bytes()
    path = tmp_path / "bad.csv"
    path.write_bytes(data + b"US,\xfe\xff,short\n")
    seen: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: seen.append(u.exc_value))
    with open_store(tmp_path / "s.duckdb") as store:
        run = ingest(store, Cset1790Reader(), path).run
    assert run.rows_read == run.rows_accepted + run.rows_rejected
    assert seen == []  # what Python would have printed as "Exception ignored in …"
