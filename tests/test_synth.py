"""The synthetic corpus generator: deterministic for a seed, its output ingests with zero rejects in both
layouts (PATSTAT tables, Google Patents JSON lines), and both layouts give the same counts for one seed."""

from __future__ import annotations

import hashlib
import json

import pytest

from aieco.cli import main
from aieco.sources.google import GoogleReader
from aieco.sources.patstat import PatstatReader
from aieco.store import open_store
from aieco.store.ingest import ingest
from aieco.synth import GOOGLE_FILE, synth, synth_google, synth_patstat
from conftest import shared_path


def _digest(folder):
    h = hashlib.sha256()
    for p in sorted(folder.iterdir()):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def _data():
    return shared_path("patstat-leusin").parent


@pytest.mark.parametrize("write", [synth_patstat, synth_google], ids=["patstat", "google"])
def test_same_seed_same_bytes_other_seed_differs(tmp_path, write):
    data = _data()
    a = write(300, tmp_path / "a", seed=5, data_dir=data)
    write(300, tmp_path / "b", seed=5, data_dir=data)
    write(300, tmp_path / "c", seed=6, data_dir=data)
    assert _digest(a.out) == _digest(tmp_path / "b")
    assert _digest(a.out) != _digest(tmp_path / "c")


def test_patstat_layout_ingests_with_zero_rejects(tmp_path, store):
    result = synth_patstat(400, tmp_path / "corpus", seed=3, data_dir=_data())
    lines = (result.out / "tls201_appln.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 401
    run = ingest(store, PatstatReader(), result.out)
    assert (run.run.rows_read, run.run.rows_accepted, run.run.rows_rejected) == (400, 400, 0)
    assert store.scalar("SELECT count(*) FROM documents") == 400
    assert store.scalar("SELECT count(*) FROM rejects") == 0


def test_google_layout_ingests_with_zero_rejects(tmp_path, store):
    result = synth_google(400, tmp_path / "corpus", seed=3, data_dir=_data())
    rows = [json.loads(x) for x in (result.out / GOOGLE_FILE).read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 400
    assert any(r["priority_claim"] for r in rows) and any(r["grant_date"] for r in rows)
    run = ingest(store, GoogleReader(), result.out)
    assert (run.run.rows_read, run.run.rows_accepted, run.run.rows_rejected) == (400, 400, 0)
    assert store.scalar("SELECT count(*) FROM rejects") == 0
    # regional offices (EP, WO) are never given as a person's country
    assert store.scalar("SELECT count(*) FROM parties WHERE country IS NULL") == 0
    # a later family member's first filing is the family's first office, as in the PATSTAT layout
    later = store.query("SELECT d.priority_office, p.office FROM documents d JOIN priorities p USING (doc_id)")
    assert later and all(a == b for a, b in later)


def test_both_layouts_same_ai_counts_and_grid(tmp_path):
    """The same seed in both layouts: every shipped definition marks the same number of documents, and the
    grid for a country and a group gives the same values (only the source label and sha256 differ)."""
    from aieco.classify import load_definitions
    from aieco.classify.compiler import classify
    from aieco.measure.grid import grid

    data = _data()
    found, grids = {}, {}
    for name, write, reader in (("patstat", synth_patstat, PatstatReader()), ("google", synth_google, GoogleReader())):
        corpus = write(3000, tmp_path / name, seed=2, data_dir=data)
        with open_store(tmp_path / f"{name}.duckdb") as store:
            ingest(store, reader, corpus.out)
            found[name] = {r["definition"]: r["ai_documents"] for r in classify(store, load_definitions())}
            rows = grid(store, country="CN", group="SCO", years=(1990, 2020))
            grids[name] = sorted(
                (r["subject"], r["unit"], r["attribution"], r["counting"], r["date_basis"], r["value"], r["world"])
                for r in rows
            )
    assert found["patstat"] == found["google"]
    share = found["patstat"]["core-ai-cpc"] / 3000
    assert 0.01 < share < 0.10, share
    assert found["patstat"]["cset-1790"] > found["patstat"]["core-ai-cpc"]  # keywords add to the codes
    assert 0 < found["patstat"]["genai"] < found["patstat"]["core-ai-cpc"]  # generative phrases: a few
    assert grids["patstat"] == grids["google"] and len(grids["patstat"]) > 0
    assert any(row[5] > 0 for row in grids["patstat"])


def test_cn_filings_have_chinese_titles(tmp_path, store):
    result = synth_google(2000, tmp_path / "corpus", seed=2, data_dir=_data())
    ingest(store, GoogleReader(), result.out)
    langs = dict(store.query("SELECT title_lang, count(*) FROM documents WHERE office = 'CN' GROUP BY 1"))
    assert set(langs) == {"zh"} and langs["zh"] > 0
    # English texts draw on the vocabulary of real patents (thousands of words), not a short list
    words = store.scalar(
        "SELECT count(DISTINCT w) FROM (SELECT unnest(string_split(lower(abstract), ' ')) AS w FROM documents)"
    )
    assert words > 3000, words


def test_cli_unknown_format_is_one_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["synth", "--docs", "10", "--out", str(tmp_path / "x"), "--format", "lens"])
    assert exit_info.value.code != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'lens'" in err and "patstat, google" in err
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("write", [synth_patstat, synth_google], ids=["patstat", "google"])
def test_whole_job_baselines_give_aieco_results(tmp_path, write):
    """benchmarks/job.py on a small generated corpus in either layout: the pandas and the hand-written SQL
    pipeline give aieco's result at every stage (in this process: no timings are compared), and the claims
    check runs."""
    import importlib.util

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("bench_job", ROOT / "benchmarks" / "job.py")
    assert spec and spec.loader
    job = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(job)
    write(600, tmp_path / "corpus", seed=9, data_dir=_data())
    for stage in ("ingest", "classify", "grid", "indicator"):
        ours = job.RUN[(stage, "aieco")](tmp_path)["result"]
        assert ours, stage
        for variant in ("pandas", "sql"):
            theirs = job.RUN[(stage, variant)](tmp_path)["result"]
            assert job.same(stage, ours, theirs) == [], (stage, variant)
    assert job.same("grid", {"k": [1.0, 2.0]}, {"k": [1.0, 3.0]})  # the comparison can fail
    assert ours["_world"] > 0 and any(v > 0 for k, v in ours.items() if k != "_world")
    if job.ARTICLE.exists():
        assert job.RUN[("claims", "aieco")](tmp_path)["result"]["claims"] > 0


@pytest.mark.parametrize("write", [synth_patstat, synth_google], ids=["patstat", "google"])
def test_compressed_output_same_content_same_bytes_and_ingests(tmp_path, write):
    """--compress: zipped tables (google: .json.gz) holding exactly the plain output, the same bytes for a
    seed (no timestamps in the archive headers), read by the reader with zero rejects."""
    import gzip
    import zipfile

    data = _data()
    plain = write(300, tmp_path / "plain", seed=4, data_dir=data)
    a = write(300, tmp_path / "a", seed=4, data_dir=data, compress=True)
    write(300, tmp_path / "b", seed=4, data_dir=data, compress=True)
    assert _digest(a.out) == _digest(tmp_path / "b")
    for name in a.files:
        path = a.out / name
        if name.endswith(".zip"):
            with zipfile.ZipFile(path) as zf:
                (member,) = zf.namelist()
                inner = zf.read(member)
        else:
            member, inner = name[: -len(".gz")], gzip.decompress(path.read_bytes())
        assert inner == (plain.out / member).read_bytes(), name
    with open_store(tmp_path / "s.duckdb") as store:
        reader = PatstatReader() if write is synth_patstat else GoogleReader()
        run = ingest(store, reader, a.out).run
        assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (300, 300, 0)


# -- a corpus in parts (parallel processes, or one part per run): the readers read the folder as one corpus


@pytest.mark.parametrize(("fmt", "reader"), [("patstat", PatstatReader), ("google", GoogleReader)])
def test_a_corpus_in_parts_is_the_same_whatever_the_jobs_and_ingests_with_zero_rejects(tmp_path, store, fmt, reader):
    data = _data()
    one = synth(1001, tmp_path / "one", seed=2, data_dir=data, fmt=fmt, parts=3)
    two = synth(1001, tmp_path / "two", seed=2, data_dir=data, fmt=fmt, parts=3, jobs=2)
    assert one.docs == two.docs == 1001 and one.files == two.files
    assert _digest(one.out) == _digest(two.out)
    # a part written on its own (another run, another day) is byte for byte that part of the whole
    alone = synth(1001, tmp_path / "alone", seed=2, data_dir=data, fmt=fmt, parts=3, part=1)
    assert alone.docs == 334 and set(alone.files) < set(one.files)
    for name in alone.files:
        assert (alone.out / name).read_bytes() == (one.out / name).read_bytes()
    # the parts are not three copies of one stream
    prefix = "publications" if fmt == "google" else "tls202"
    first, second = sorted(n for n in one.files if n.startswith(prefix))[:2]
    assert (one.out / first).read_bytes()[200:] != (one.out / second).read_bytes()[200:]
    run = ingest(store, reader(), one.out).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (1001, 1001, 0)
    assert store.scalar("SELECT count(DISTINCT doc_id) FROM documents") == 1001
    assert store.scalar("SELECT count(*) FROM rejects") == 0


def test_a_one_part_corpus_is_the_single_stream_corpus(tmp_path):
    data = _data()
    a = synth_patstat(200, tmp_path / "a", seed=4, data_dir=data)
    b = synth(200, tmp_path / "b", seed=4, data_dir=data, parts=1, jobs=2)
    assert _digest(a.out) == _digest(b.out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--parts", "0"], "--parts: must be between 1 and 10 (the documents), got 0"),
        (["--parts", "11"], "--parts: must be between 1 and 10 (the documents), got 11"),
        (["--parts", "2", "--part", "3"], "--part: must be between 1 and 2 (--parts), got 3"),
        (["--jobs", "0"], "--jobs: must be at least 1, got 0"),
    ],
)
def test_bad_parts_are_one_line_errors(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["synth", "--docs", "10", "--out", str(tmp_path / "x"), *args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "x").exists()
