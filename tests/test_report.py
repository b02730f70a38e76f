"""The HTML report: its numbers equal the CLI's JSON for the same parameters, and it loads no external URL."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, SHARED
from fixtures_faces import faces_store  # noqa: F401 - a fixture

ARTICLE = SHARED / "articles" / "china-ai-ecosystem.txt"


def _aieco(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "aieco", "--db", str(db), *args], capture_output=True, text=True, env=env, timeout=600
    )


@pytest.fixture(scope="module")
def report_html(faces_store: Path, tmp_path_factory) -> str:  # noqa: F811
    out = tmp_path_factory.mktemp("report") / "report.html"
    png = out.parent / "png"
    r = _aieco(faces_store, "report", "--country", "CN", "--group", "SCO", "--out", str(out), "--png", str(png),
               "--article", str(ARTICLE))
    assert r.returncode == 0, r.stderr
    assert f"wrote {out}" in r.stdout
    pngs = sorted(p.name for p in png.glob("*.png"))
    assert "by-year-office.png" in pngs and "share-spread.png" in pngs
    assert all((png / p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    return out.read_text("utf-8")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        for k, v in attrs:
            if k in ("src", "href") and v:
                self.urls.append((tag, k, v))


def test_report_loads_no_external_url(report_html: str) -> None:
    links = _Links()
    links.feed(report_html)
    external = [u for u in links.urls if re.match(r"\s*(https?:)?//", u[2])]
    assert not external, external
    assert links.scripts >= 2 and "window.vegaEmbed=" in report_html  # the Vega bundle is inlined


def _table_rows(html: str, section: str) -> list[list[str]]:
    body = html.split(f'<h2 id="{section}">', 1)[1].split("</table>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
        if "<td" in row
    ]


def test_report_numbers_equal_the_cli_json(report_html: str, faces_store: Path) -> None:  # noqa: F811
    r = _aieco(
        faces_store,
        "grid",
        "--country",
        "CN",
        "--group",
        "SCO",
        "--years",
        "2000-2019",
        "--source",
        "cset1790",
        "--format",
        "json",
    )
    assert r.returncode == 0, r.stderr
    cli = json.loads(r.stdout)["methods"]
    rows = _table_rows(report_html, "methods")
    assert len(rows) == len(cli) > 0
    for got, want in zip(rows, cli, strict=True):
        subject, source, unit, attribution, counting, date_basis = got[:6]
        assert (subject, source, unit, attribution, counting, date_basis) == (
            want["subject"],
            want["source"],
            want["unit"],
            want["attribution"],
            want["counting"],
            want["date_basis"],
        )
        value = float(got[8].replace(",", ""))
        assert value == pytest.approx(want["value"], abs=0.005)
        assert float(got[9].replace(",", "")) == pytest.approx(want["world"], abs=0.005)
        assert got[10] == f"{want['share']:.1%}"
        assert want["source_sha256"].split(";")[0][:12] in got[12]


def test_report_charts_carry_their_provenance(report_html: str) -> None:
    captions = re.findall(r'<p class="caption">(.*?)</p>', report_html, re.S)
    assert len(captions) >= 4
    for c in captions:
        assert "sha256" in c and ("definition" in c) and ("Method" in c or "method" in c), c


def _rows_of(html: str, table_id: str) -> list[list[str]]:
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [
        [unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
        if "<td" in row
    ]


def _number(text: str) -> float:
    return float(text.rstrip("*").replace(",", ""))


def test_report_aggregates_equal_the_cli_json(report_html: str, faces_store: Path) -> None:  # noqa: F811
    """The section on research, investment and the digital divide shows `aieco profile CN` and `aieco compare
    --group SCO --year 2019`, and "Sources against each other" `aieco sources-agree`, number for number."""

    def cli(*args: str) -> dict:
        r = _aieco(faces_store, *args, "--format", "json")
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    profile = cli("profile", "CN", "--years", "2000-2019")["rows"]  # the report's years (its default)
    rows = _rows_of(report_html, "profile-table")
    assert len(rows) == len(profile) > 5
    for got, want in zip(rows, profile, strict=True):
        assert got[:5] == [want["pillar"], want["publisher"], want["table"], want["measure"], want["period"]]
        value, basis = re.fullmatch(r"([\d,.]+)(.*)", got[5], re.S).groups()  # the value, then what it is
        assert _number(value) == pytest.approx(want["value"], abs=0.005) and basis.strip() == want["value_basis"]
        assert got[8] == want["file_sha256"][:12]
        assert got[6].startswith("complete" if want["complete"] else "incomplete" if want["complete"] is False
                                 else "not stated")
    ncses = next(r for r in rows if r[2] == "SINV-17")
    assert ncses[5].startswith("91,436") and ncses[4] == "2000-2022" and "fractional" in ncses[7]

    compare = cli("compare", "--group", "SCO", "--year", "2019")
    rows = _rows_of(report_html, "compare-table")
    assert [r[0] for r in rows] == [r["subject"] for r in compare["rows"]] and rows[-1][0] == "SCO"
    scale = {"population": 1e6, "gdp": 1e9}
    for got, want in zip(rows, compare["rows"], strict=True):
        cells = {c["column"]: c for c in want["cells"]}
        for text, col in zip(got[2:], compare["columns"], strict=True):
            value = cells[col["id"]]["value"]
            if value is None:
                assert text == "–"
            else:  # shown to 3-4 significant digits, as the CLI's table
                assert _number(text) == pytest.approx(value / scale.get(col["id"], 1), rel=0.01, abs=0.006)
    china = next(r for r in rows if r[0] == "CN")
    assert china[2] == "43,880" and china[9] == "64.08"  # ETO families and internet use, side by side

    agree = cli("sources-agree", "--countries", "CN,US")
    rows = _rows_of(report_html, "sources-agree-table")
    assert len(rows) == len(agree["rows"]) == 12
    for got, want in zip(rows, agree["rows"], strict=True):
        assert (got[0], int(got[1])) == (want["country"], want["year"])
        assert _number(got[2]) == want["left"] and _number(got[3]) == want["right"]
        assert got[4] == f"{want['ratio']:.2f}"
    assert agree["right"]["sha256"][:12] in report_html and "What explains the difference" in report_html


def test_report_claims_equal_the_cli_json(report_html: str, faces_store: Path) -> None:  # noqa: F811
    """The claims section of `aieco report --article FILE` is `aieco check FILE --format json`, claim for claim:
    text, verdict, interval and message, the evidence's sources with their sha256, and the counts."""
    r = _aieco(faces_store, "check", str(ARTICLE), "--format", "json")
    assert r.returncode == 0, r.stderr
    cli = json.loads(r.stdout)
    rows = _rows_of(report_html, "claims-table")
    assert len(rows) == len(cli["claims"]) == 6
    for got, want in zip(rows, cli["claims"], strict=True):
        text, verdict, interval, evidence, why = got
        label = want["interval"]["label"] if want["interval"] else ""  # a membership claim has no number
        assert (text, verdict, interval, why) == (want["text"], want["verdict"], label, want["message"])
        for m in want["evidence"].get("methods") or []:
            assert m["source"] in evidence and m["source_sha256"][:12] in evidence
        for f in want["ledger"]["matches"]:
            assert f["id"] in evidence
        if "conversion" in want:
            assert f"conversion: {want['conversion']['verdict']}" in evidence
    caption = report_html.split('id="claims-table"', 1)[1].split("</table>", 1)[1].split("</p>", 1)[0]
    assert cli["text_sha256"][:16] in caption and f"text date {cli['text_date']}" in caption
    assert all(f"{k} {v}" in caption for k, v in cli["counts"].items())
    assert f"{cli['ledger_matches']} match a published figure" in caption


def test_report_profile_is_cut_to_years(faces_store: Path, tmp_path: Path) -> None:  # noqa: F811
    """`aieco report --years 2010-2019` shows the profile of those years, as `aieco profile CN --years 2010-2019`
    gives it, not every year the publishers have."""
    out = tmp_path / "report.html"
    r = _aieco(faces_store, "report", "--country", "CN", "--years", "2010-2019", "--out", str(out))
    assert r.returncode == 0, r.stderr
    html = out.read_text("utf-8")

    def cli(*args: str) -> list[dict]:
        r = _aieco(faces_store, "profile", "CN", *args, "--format", "json")
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)["rows"]

    cut, every = cli("--years", "2010-2019"), cli()
    rows = _rows_of(html, "profile-table")
    assert [r[:5] for r in rows] == [[w["pillar"], w["publisher"], w["table"], w["measure"], w["period"]] for w in cut]
    assert {w["period"] for w in cut} != {w["period"] for w in every}  # the years do cut something
    assert not any(r[4][:4].isdigit() and int(r[4][:4]) < 2000 for r in rows)
    yearly = [r for r, w in zip(rows, cut, strict=True) if w["by_year"]]
    assert yearly and all(2010 <= int(y) <= 2019 for r in yearly for y in r[4].split("-"))
    assert "the published figures of every loaded publisher, 2010–2019" in html


def test_the_digital_divide_chart_draws_the_compared_members(report_html: str, faces_store: Path) -> None:  # noqa: F811
    from aieco.measure.compare import compare
    from aieco.store import open_store

    specs = json.loads(report_html.split("const specs = ", 1)[1].split(";\n", 1)[0].replace("<\\/", "</"))
    values = specs["digital-divide"]["data"]["values"]
    with open_store(faces_store, read_only=True) as s:
        c = compare(s, "SCO", 2019)
    want = {
        r.subject: (r.cell("eto-families-per-million").value, r.cell("internet-users-pct").value)
        for r in c.rows
        if r.kind == "country" and r.cell("eto-families-per-million").value is not None
    }
    assert {v["member"]: (v["families_per_million"], v["internet_pct"]) for v in values} == want
    assert set(want) == {"CN", "IN", "RU"}
    caption = report_html.split('id="digital-divide"', 1)[1].split('<p class="caption">', 1)[1].split("</p>")[0]
    assert "patents_yearly_applications" in caption and "IT.NET.USER.ZS" in caption and "sha256" in caption
    assert "not drawn (a figure not published): KG, KZ, PK, TJ, UZ" in caption


def test_without_aggregates_the_sections_say_what_to_load(tmp_path: Path) -> None:
    """A store of patent documents only: both sections are there, each with the one sentence of what to load."""
    from markupsafe import escape

    from aieco.measure.overview import ecosystem
    from aieco.present.report import LOAD_AGGREGATES, published_aggregates, render_report
    from fixtures_measure import tiny_store

    store, _ = tiny_store(tmp_path / "tiny.duckdb", [(1, "CN", 1, 2015, True), (2, "US", 2, 2016, False)])
    with store:
        assert published_aggregates(store) is None
        html = render_report(ecosystem(store, country="CN"), published=None)
    assert 'id="aggregates-absent"' in html and 'id="sources-agree-absent"' in html
    assert html.count(str(escape(LOAD_AGGREGATES))) == 2
    assert "profile-table" not in html and "digital-divide" not in html


def test_the_sample_tables_give_the_profile_and_compare_without_the_chart(tmp_path: Path) -> None:
    """The built-in sample's NCSES and World Bank tables (no ETO, no internet use, no CSET): the profile and the
    compare are shown, the chart and the sources comparison say what is missing."""
    from importlib import resources

    from aieco.measure.overview import ecosystem
    from aieco.present.report import published_aggregates, render_report
    from aieco.sources import reader_for
    from aieco.store import open_store
    from aieco.store.ingest import ingest

    sample = Path(str(resources.files("aieco") / "data" / "sample"))
    with open_store(tmp_path / "sample.duckdb") as store:
        ingest(store, reader_for("ncses"), sample / "ncses-sei-2024" / "10564")
        ingest(store, reader_for("wdi"), sample / "wdi" / "population.csv")
        published = published_aggregates(store, country="CN", group="BRICS", year=2019)
        assert published is not None and published.compare is not None and published.sources is None
        html = render_report(ecosystem(store, country="CN"), published=published)
    profile = _rows_of(html, "profile-table")
    assert [(r[1], r[2], re.match(r"[\d,.]+", r[5])[0]) for r in profile] == [("ncses", "SINV-17", "91,436"),
                                                                  ("worldbank", "SP.POP.TOTL", "1,408,975,000")]
    compare = {r[0]: r for r in _rows_of(html, "compare-table")}
    assert set(compare) == {"BR", "RU", "IN", "CN", "ZA", "BRICS"} and compare["CN"][2] == "91,436"
    assert "No chart of AI patent families per million people against internet use: load" in html
    assert "Sources against each other" in html and "sources against each other:" in html


def test_the_firms_section_equals_the_cli_json(report_html: str, faces_store: Path) -> None:  # noqa: F811
    """The registries (PARAT, with its sha256), the firms linked and PARAT against aieco: the rows of `aieco
    firms list` and `aieco firms agreement` for the same store."""
    r = _aieco(faces_store, "firms", "list", "--registry", "parat", "--format", "json")
    assert r.returncode == 0, r.stderr
    listed = json.loads(r.stdout)
    registries = _rows_of(report_html, "firms-registries")
    linked = sum(1 for x in listed if x["applicants"])
    names, documents = sum(x["applicants"] for x in listed), sum(x["documents"] for x in listed)
    assert linked > 0
    assert [row[:5] for row in registries] == [["parat", f"{len(listed):,}", f"{linked:,}", f"{names:,}",
                                                f"{documents:,}"]]
    assert listed[0]["registry_sha256"][:16] in registries[0][5]
    r = _aieco(faces_store, "firms", "agreement", "--format", "json")
    assert r.returncode == 0, r.stderr
    agreement = json.loads(r.stdout)
    table = _rows_of(report_html, "firms-agreement-table")
    assert agreement and [(row[1], row[3], row[4]) for row in table] == [
        (a["firm_id"], "" if a["parat_ai_patents"] is None else f"{a['parat_ai_patents']:,}",
         f"{a['aieco_ai_documents']:,}") for a in agreement]
    assert any(row[0] == "DJI" for row in table)
    caption = unescape(report_html.split('id="firms-agreement-table"', 1)[1].split("</p>", 1)[0])
    a0 = agreement[0]
    assert f"definition cset-1790 version {a0['definition_version']}" in caption
    assert a0["registry_sha256"][:12] in caption and a0["parat_unit"] in caption


def test_without_firm_registries_the_firms_section_says_what_to_load(tmp_path: Path) -> None:
    from markupsafe import escape

    from aieco.measure.overview import ecosystem
    from aieco.present.report import LOAD_FIRMS, firms_overview, render_report
    from fixtures_measure import tiny_store

    store, _ = tiny_store(tmp_path / "tiny.duckdb", [(1, "CN", 1, 2015, True), (2, "US", 2, 2016, False)])
    with store:
        assert firms_overview(store) is None
        html = render_report(ecosystem(store, country="CN"), firms=firms_overview(store))
    assert 'id="firms-absent"' in html and html.count(str(escape(LOAD_FIRMS))) == 1
    assert "firms-registries" not in html and "firms-agreement-table" not in html


def test_a_registry_without_a_match_says_to_run_it(tmp_path: Path) -> None:
    """PARAT loaded but `aieco firms match` not run: the registry is listed, nothing linked, and the note says
    what to run instead of a table."""
    from aieco.present.report import firms_overview
    from aieco.sources import reader_for
    from aieco.store import open_store
    from aieco.store.ingest import ingest

    with open_store(tmp_path / "p.duckdb") as store:
        ingest(store, reader_for("parat"), ROOT / "tests" / "fixtures" / "firms" / "parat_small.js")
        f = firms_overview(store)
    assert f is not None and f.match_method is None and f.agreement == ()
    assert [(r.registry, r.firms_linked, r.applicants_linked) for r in f.registries] == [("parat", 0, 0)]
    assert f.registries[0].firms > 0 and len(f.registries[0].registry_sha256[0]) == 64
    assert f.notes == ("applicants are not linked to firms: run aieco firms match",)
