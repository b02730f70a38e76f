"""The command line: global options, output formats, error mapping, the demo job."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from aieco import __version__
from aieco.cli import app, main
from conftest import FIXTURES, ROOT, SHARED_DATA

runner = CliRunner()
L45 = FIXTURES / "cset1790" / "layout45.csv"
LENS = FIXTURES / "lens" / "current.csv"


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def test_version_and_python_m():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-m", "aieco", "--version"], capture_output=True, text=True, env=env)
    assert out.returncode == 0 and out.stdout.strip() == f"aieco {__version__}"


def test_ingest_sources_stats_findings_rejects_json(db_path):
    assert run("--db", db_path, "ingest", "cset1790", L45).exit_code == 0
    assert run("--db", db_path, "ingest", "lens", LENS, "--format", "json").exit_code == 0
    sources = json.loads(run("--db", db_path, "sources", "--format", "json").stdout)
    assert [s["kind"] for s in sources] == ["cset1790", "lens"]
    for key in ("run_id", "kind", "path", "sha256", "rows_read", "rows_accepted", "rows_rejected", "seconds",
                "started_at"):
        assert key in sources[0]
    assert (sources[0]["rows_read"], sources[0]["rows_accepted"], sources[0]["rows_rejected"]) == (9, 8, 1)
    assert len(sources[0]["sha256"]) == 64
    stats = json.loads(run("--db", db_path, "stats", "--format", "json").stdout)
    for key in ("documents", "families", "by_office", "by_priority_year", "by_document_type", "rejects",
                "findings"):
        assert key in stats
    assert stats["documents"] == 12 and stats["by_office"]["CN"] == 3 and stats["rejects"] == 1
    assert stats["coverage"]["lens"]["priority_office"] == 1.0
    findings = json.loads(run("--db", db_path, "findings", "--format", "json").stdout)
    mangled = [f for f in findings if f["finding"] == "mangled-publication-number"]
    assert mangled[0]["count"] == 3 and mangled[0]["examples"][0] == "DE 1.02E+11 A1 (line 5)"
    rejects = json.loads(run("--db", db_path, "rejects", "1", "--format", "json").stdout)
    assert rejects[0]["line"] == 4 and rejects[0]["reason"] == "exact repeat of line 3"
    csv_out = run("--db", db_path, "rejects", "1", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("run_id,file,line,field,reason")
    table = run("--db", db_path, "stats").stdout
    assert "documents 12" in table


def test_db_from_environment(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "AIECO_DB": str(tmp_path / "env.duckdb")}
    out = subprocess.run([sys.executable, "-m", "aieco", "ingest", "lens", str(LENS)], capture_output=True,
                         text=True, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "env.duckdb").exists()


def test_errors_are_one_line(db_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cases = [
        (["rejects", "7"], 3, "no such store"),
        (["ingest", "lens", str(LENS)], 0, ""),
        (["rejects", "7"], 2, "no run 7"),
    ]
    for args, code, message in cases:
        out = subprocess.run([sys.executable, "-m", "aieco", "--db", str(db_path), *args], capture_output=True,
                             text=True, env=env)
        assert out.returncode == code, (args, out.stderr)
        if message:
            assert out.stderr.count("\n") == 1 and message in out.stderr and "Traceback" not in out.stderr


def test_usage_error_exit_code(db_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-m", "aieco", "ingest"], capture_output=True, text=True, env=env)
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_demo_without_data_says_what_to_download(db_path, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db_path), "demo", "--data-dir", str(tmp_path / "nothing")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "georgetown-cset/1790-ai-patent-data" in err


def test_demo_with_no_data_folder_runs_on_the_built_in_sample(tmp_path, monkeypatch):
    """A fresh clone with no data folder: the job runs on the packaged sample, labelled so, and lists the downloads."""
    from aieco.demo import SAMPLE_LABEL, run_demo

    monkeypatch.setenv("AIECO_DATA_DIR", str(tmp_path / "absent"))
    lines: list[str] = []
    stats = run_demo(tmp_path / "out" / "demo.duckdb", None, echo=lines.append)
    text = "\n".join(lines)
    assert lines[0].startswith(f"no data folder found: running on the {SAMPLE_LABEL}")
    assert "georgetown-cset/1790-ai-patent-data" in text and "AIECO_DATA_DIR" in lines[0]
    assert "ncses      10564" in text and "accepted      144" in text
    assert "wdi        population.csv" in text and "accepted   17,195" in text
    # the other NCSES tables and the FRED China rows of the sample are loaded like the full job's
    assert "ncses      10067" in text and "accepted      905" in text
    assert "fred       yearly.csv" in text and "accepted       12" in text and "accepted       30" in text
    assert ("SCO (Shanghai Cooperation Organisation), 8 members on 31 December 2019: NCSES granted AI patents "
            "95,821 (ncses SINV-17 2000-2022, 8/8); population 3,241 m") in text
    assert "CN (China): 7 published figures from ncses, worldbank: patents-granted 91,436 (ncses SINV-17" in text
    assert "venture-capital 67,655 (ncses SKTI-21 2000-2020)" in text
    # the sample's broken XML grant and bad CSET row are rejects, not losses
    assert stats.rejects == 2 and stats.by_source["uspto-xml"] == 2
    assert "claims in sample-article.txt" in text and "'about 48%'" in text
    # step 3 on the sample: its CSET file carries Priority_Year (the 7b5b096 layout), so the grid has methods
    step3 = lines.index(next(x for x in lines if x.startswith("3. ")))
    assert lines[step3 + 1] == ("   document        by office  whole               2 of         8 =  25.0%  "
                                "(incomplete: 2018, 2019)")
    assert lines[step3 + 7].startswith("   spread: 14.3% (family by office, whole, priority year) to 50.0%")
    html = (tmp_path / "out" / "report.html").read_text("utf-8")
    assert f"({SAMPLE_LABEL})" in html and SAMPLE_LABEL in lines[-2]
    # the sample's published tables in the report: CN's NCSES figures and the SCO's members (no ETO in the sample)
    assert 'id="profile-table"' in html and "SKTI-21" in html and 'id="compare-table"' in html
    assert "No chart of AI patent families per million people against internet use: load" in html


def test_demo_on_a_folder_with_one_cset_file(tmp_path):
    """A data folder holding only one CSET file (no Lens, no XML, no article) still runs to the report."""
    import zipfile

    from aieco.demo import run_demo

    folder = tmp_path / "data" / "cset-1790"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / "patent_database-7b5b096.csv.zip", "w") as z:
        z.write(L45, "patent_database.csv")
    lines: list[str] = []
    stats = run_demo(tmp_path / "out" / "demo.duckdb", folder.parent, echo=lines.append)
    assert stats.by_source == {"cset1790": stats.documents} and stats.documents > 0
    assert (tmp_path / "out" / "report.html").stat().st_size > 100_000  # the Vega bundle is inlined


def test_demo_on_a_partial_folder_runs_what_it_can_and_says_what_is_missing(tmp_path):
    """Only a Lens export and an unreadable file: the demo loads the first, names the second and every missing
    file, skips the CSET-only step with the reason, and still writes the report."""
    import shutil

    from aieco.demo import run_demo

    lens = tmp_path / "data" / "lens"
    lens.mkdir(parents=True)
    shutil.copy(LENS, lens / "pizza_lens_1000_raw.csv")
    (lens / "drones_tac_1606_families.csv").write_text("not,a,lens,export\n1,2,3,4\n", encoding="utf-8")
    lines: list[str] = []
    stats = run_demo(tmp_path / "out" / "demo.duckdb", lens.parent, echo=lines.append)
    text = "\n".join(lines)
    assert stats.documents == 4
    assert "(skipped; the full job needs them): cset-1790/patent_database-7b5b096.csv.zip" in text
    assert "drones_tac_1606_families.csv" in text and "skipped: " in text and "not a Lens.org export header" in text
    assert "skipped: no CSET/1790 file was loaded" in text
    assert (tmp_path / "out" / "report.html").exists()


def test_settings_lists_every_setting():
    out = run("settings").stdout
    from aieco.settings import SETTINGS

    assert len(SETTINGS) > 5
    for setting in SETTINGS:
        assert setting.env in out


def test_demo_on_real_data(tmp_path):
    """`make demo`'s job on the real data folder (CI runs this)."""
    from conftest import shared_path

    shared_path("cset-1790", "patent_database-7b5b096.csv.zip")
    lines: list[str] = []
    from aieco.demo import run_demo

    stats = run_demo(tmp_path / "demo.duckdb", SHARED_DATA, echo=lines.append)
    # 1,334 drones documents are in both Lens exports; 2 of the 27 XML documents are sequence listings
    assert stats.by_source == {"cset1790": 287443, "lens": 7156, "uspto-xml": 75}
    text = "\n".join(lines)
    assert "patent_database-f0c0114.csv.zip" in text
    assert "family          by office  whole          87,573 of   150,466 =  58.2%" in text
    assert "spread: 14.4%" in text
    assert "AI for both 128, for CSET only 43, for aieco only 8 (precision 94.1%, recall 74.9%" in text
    assert "'more than 1.5 million AI-related patents': not-checkable-with-loaded-data" in text
    # the published tables: every NCSES table that reads, both FRED files, then compare and profile
    assert "ncses      10067" in text and "accepted      905" in text and "ncses      6208" in text
    assert "read   17,237  accepted   17,237  rejected    0" in text  # fred monthly.csv
    assert ("SCO (Shanghai Cooperation Organisation), 8 members on 31 December 2019: ETO AI patent families 44,059 "
            "(eto patents_yearly_applications 2019, 3/8)") in text
    assert "internet users % of population 46.88* (owid IT.NET.USER.ZS internet-users-pct 2019, 7/8)" in text
    assert "CN (China): 22 published figures from eto, ncses, owid, worldbank: patent-applications 440,526* " in text
    # PARAT (CC BY-NC, data folder only) and `firms match`: DJI's PARAT entry linked to its Lens applicant name
    assert "parat      parat_data_2021.js" in text and "read    1,311  accepted    1,311  rejected    0" in text
    firms_line = next(line for line in lines if line.startswith("   firms: "))
    assert firms_line.startswith("   firms: PARAT 1,311 companies; match 1: ")
    assert "applicant names linked at p >= 0.9; e.g. DJI (parat 78) <- 'SZ DJI TECHNOLOGY CO LTD' p=0.9" in firms_line
    report = tmp_path / "report.html"
    assert f"wrote {report}" in text and "serve" in lines[-1]
    html = report.read_text("utf-8")
    assert "58.2%" in html and "china-ai-ecosystem.txt" in html
    assert 'id="firms-registries"' in html and 'id="firms-agreement-table"' in html and "<td>DJI</td>" in html

    # the life-sciences flags by office (both CSET versions carry them, 7b5b096 under another name; 31 of these
    # documents have no accepted f0c0114 row, so only 7b5b096 flags them)
    from aieco.measure import indicators as ind
    from aieco.measure.sectors import flag_categories
    from aieco.store import open_store

    with open_store(tmp_path / "demo.duckdb", read_only=True) as store:
        life = {r["country"]: r["value"] for r in ind.by_country(
            store, source="cset1790", flag_categories=flag_categories("life-sciences"))}
        assert sum(life.values()) == 38600 and life["US"] == 15170 and life["CN"] == 5439
        # counting by a definition uses the classified rows: equal to a direct count of them
        by_def = {r["country"]: r["value"] for r in ind.by_country(store, definition="cset-1790", source="lens")}
        direct = dict(store.query(
            "SELECT d.office, count(*) FROM documents d JOIN classified c USING (doc_id) "
            "WHERE c.definition = 'cset-1790' AND c.category = '' AND d.source = 'lens' GROUP BY 1"))
        assert by_def == direct and sum(direct.values()) > 100


def test_cli_choices_are_the_models():
    """The CLI's choices (typer needs Enum classes) list exactly the methods the model knows."""
    from aieco.cli.measure import By, Counting, DateBasis, Unit
    from aieco.model import ATTRIBUTIONS, COUNTINGS, DATE_BASES, UNITS

    assert [m.value for m in Unit] == list(UNITS)
    assert [m.value for m in By] == list(ATTRIBUTIONS)
    assert [m.value for m in Counting] == list(COUNTINGS)
    assert [m.value for m in DateBasis] == list(DATE_BASES)


def test_the_demo_lines_of_compare_and_profile():
    """The demo's compare headline gives the group's own row per column with how many members are listed, an
    incomplete figure starred and each table not loaded once; the profile line one figure per publisher × measure."""
    from aieco.present.text import compare_headline, profile_line
    from aieco.results import CompareCell, CompareColumn, CompareResult, CompareRow, Profile, ProfileRow

    def cell(column, value, complete=True):
        return CompareCell(column=column, value=value, unit="", publisher="p", table="t", period="2019", method="m",
                           complete=complete, source_sha256="ab")

    cols = tuple(CompareColumn(id=i, label=label, publisher="eto", table="tab", measure="", unit=unit, method="m",
                               ai_definition="", period="2019")
                 for i, label, unit in (("fam", "families", "patent family"), ("invest", "investment", "USD million"),
                                        ("population", "population", "persons")))
    rows = (
        CompareRow(subject="AA", kind="country", name="A", cells=(cell("fam", 3), cell("invest", None),
                                                                  cell("population", 2e6))),
        CompareRow(subject="BB", kind="country", name="B", cells=(cell("fam", None), cell("invest", 1.5),
                                                                  cell("population", 1e6))),
        CompareRow(subject="G", kind="group", name="Group", cells=(cell("fam", 3), cell("invest", 1.5, False),
                                                                   cell("population", 3e6))),
    )
    c = CompareResult(group="G", title="Group", year=2019, members=("AA", "BB"), columns=cols, rows=rows,
                      missing=("x_table", "y_table"))
    assert compare_headline(c) == (
        "G (Group), 2 members on 31 December 2019: families 3 (eto tab 2019, 1/2); investment 1.50* USD million "
        "(eto tab 2019, 1/2); population 3 m (eto tab 2019, 2/2); not loaded: x_table, y_table")

    def prow(measure, value, complete, table, basis="publisher's period total"):
        return ProfileRow(country="AA", pillar="patents", publisher="eto", measure=measure, table=table, unit="",
                          attribution="", counting="", date_basis="", ai_definition="", period="2014-2024",
                          value=value, value_basis=basis, complete=complete, incomplete_years=(), file="f",
                          file_sha256="ab", run_id=1, run_sha256="ab")

    p = Profile(country="AA", name="A", years=None, rows=(
        prow("families", 440526, False, "summary"), prow("families", 440526, False, "yearly", "sum over the years"),
        prow("population", 1.5e6, True, "SP.POP.TOTL", "value in 2024")))
    assert profile_line(p) == (
        "AA (A): 3 published figures from eto: families 440,526* (eto summary 2014-2024); population 1,500,000 "
        "(eto SP.POP.TOTL value in 2024) (* = a year marked incomplete)")
    assert "no published aggregates loaded" in profile_line(Profile(country="AA", name="A", years=None, rows=()))


def test_the_demo_grid_line_when_every_method_is_refused():
    """A CSET file without a year column (the f0c0114 layout alone): the demo's step 3 says why no method can be
    computed, with what the refused methods need, instead of printing nothing."""
    from aieco.present.text import grid_lines
    from aieco.results import GridResult, RefusedMethod

    def refused(date_basis, missing):
        return RefusedMethod(source="cset1790", unit="document", attribution="office", counting="whole",
                             date_basis=date_basis, definition="all", definition_version="", category="",
                             reason="; ".join(missing), missing=missing)

    g = GridResult(country="CN", group=None, years=(2000, 2019), definition=None, rows=(), spread=(), refused=(
        refused("priority", ("date basis priority needs documents.priority_year",)),
        refused("priority", ("date basis priority needs documents.priority_year",)),
        refused("filing", ("date basis filing needs documents.filing_year",))))
    assert grid_lines(g) == [
        "no method can be computed: all 3 methods refused, none of the cset1790 documents has what they need "
        "(date basis priority needs documents.priority_year; date basis filing needs documents.filing_year)"]
