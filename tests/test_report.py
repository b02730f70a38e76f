"""The HTML report: its numbers equal the CLI's JSON for the same parameters, and it loads no external URL."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT
from fixtures_faces import faces_store  # noqa: F401 - a fixture


def _aieco(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "aieco", "--db", str(db), *args], capture_output=True, text=True, env=env, timeout=600
    )


@pytest.fixture(scope="module")
def report_html(faces_store: Path, tmp_path_factory) -> str:  # noqa: F811
    out = tmp_path_factory.mktemp("report") / "report.html"
    png = out.parent / "png"
    r = _aieco(faces_store, "report", "--country", "CN", "--group", "SCO", "--out", str(out), "--png", str(png))
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
