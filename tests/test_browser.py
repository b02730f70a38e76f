"""The dashboard in real headless Chromium (Debian's package, driven by Playwright; never a browser download):
change the country and see the chart's data change, paste the article and see its verdicts, no console error."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, SHARED
from fixtures_faces import faces_store  # noqa: F401 - a fixture

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server did not answer {url} in {seconds} s")


@pytest.fixture(scope="module")
def server(faces_store: Path):  # noqa: F811
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "aieco", "--db", str(faces_store), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        _wait(f"http://127.0.0.1:{port}/api/v1/sources", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_dashboard_in_chromium(server: str) -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is missing: `make test` installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    article = (SHARED / "articles" / "china-ai-ecosystem.txt").read_text("utf-8")
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 1400})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server + "/")
        page.wait_for_function("document.getElementById('chart').dataset.subject === 'CN'", timeout=60_000)
        cn_values = page.get_attribute("#chart", "data-values")
        assert page.locator("#chart svg").count() == 1
        page.fill("#country", "US")
        page.click("#go")
        page.wait_for_function("document.getElementById('chart').dataset.subject === 'US'", timeout=60_000)
        us_values = page.get_attribute("#chart", "data-values")
        assert cn_values and us_values and cn_values != us_values
        page.fill("#text", article)
        page.click("#check")
        page.wait_for_selector("#verdicts li", timeout=60_000)
        verdicts = page.locator("#verdicts .verdict").all_text_contents()
        assert len(verdicts) >= 3 and all(v.strip() for v in verdicts)
        # the check's JSON (schema 2): the counts and the text's date, and each claim's evidence with sha256
        said = page.inner_text("#status")
        assert said.startswith("6 claims checked (") and said.endswith("; text date 2025-04-30"), said
        basis = page.locator("#verdicts .basis").all_text_contents()
        assert basis and all("sha256" in b for b in basis)
        out = ROOT / "out"
        out.mkdir(exist_ok=True)
        page.screenshot(path=str(out / "dashboard.png"), full_page=True)
        browser.close()
    assert not errors, errors


def test_group_compare_panel_in_chromium(server: str) -> None:
    """The compare panel renders /api/v1/compare: the SCO's members in 2019 with internet use beside the AI
    figures and the chart of the members publishing both; another group or year changes them; a year with no
    members says why."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is missing: `make test` installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (make test installs it)")
    import json

    from playwright.sync_api import sync_playwright

    with urllib.request.urlopen(server + "/api/v1/compare?group=SCO&year=2019", timeout=60) as r:
        want = json.load(r)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 1400})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server + "/")
        page.wait_for_function("document.getElementById('compare-rows').dataset.group === 'SCO 2019'", timeout=60_000)
        header = page.locator("#compare-rows thead th").all_text_contents()
        assert header[:2] == ["member", "name"] and header[2:] == [
            c["label"] + {"population": " (million)", "gdp": " (USD bn)"}.get(c["id"], "") for c in want["columns"]
        ]
        rows = page.locator("#compare-rows tbody tr")
        assert rows.count() == len(want["rows"]) == 9
        cn = rows.nth([r["subject"] for r in want["rows"]].index("CN")).locator("td").all_text_contents()
        cells = {c["column"]: c["value"] for c in next(r for r in want["rows"] if r["subject"] == "CN")["cells"]}
        assert cn[2] == f"{cells['eto-families']:,.0f}" == "43,880"
        assert cn[2 + header[2:].index("internet users % of population")] == f"{cells['internet-users-pct']:.2f}"
        assert page.get_attribute("#compare-chart", "data-points") == "CN,IN,RU"
        assert page.locator("#compare-chart svg").count() == 1
        assert "sha256 02d093837126" in page.locator("#compare-sources").inner_text()
        page.select_option("#compare-group", "BRICS")
        page.wait_for_function("document.getElementById('compare-rows').dataset.group === 'BRICS 2019'",
                               timeout=60_000)
        members = page.locator("#compare-rows tbody tr td:first-child").all_text_contents()
        assert members == ["BR", "CN", "IN", "RU", "ZA", "BRICS"]
        page.fill("#compare-year", "1990")
        page.click("#compare-go")
        page.wait_for_function("document.getElementById('compare-status').className === 'error'", timeout=60_000)
        assert "no members" in page.locator("#compare-status").inner_text()
        assert page.locator("#compare-rows tbody tr").count() == 0  # the previous group's rows are not left
        (ROOT / "out").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "out" / "dashboard-compare.png"), full_page=True)
        browser.close()
    # the 422 of the year without members is the only error the console sees (the failed fetch)
    assert all("422" in e for e in errors), errors


def test_firms_panel_in_chromium(server: str) -> None:
    """The firms panel renders /api/v1/firms, /firms/{firm} and /firms/agreement: the linked firms with their
    registry's sha256, DJI's applicant names with their probabilities, PARAT against aieco; an unknown firm says
    why."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is missing: `make test` installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (make test installs it)")
    import json

    from playwright.sync_api import sync_playwright

    def get(path: str) -> list:
        with urllib.request.urlopen(server + path, timeout=60) as r:
            return json.load(r)

    listed, dji, agreement = get("/api/v1/firms"), get("/api/v1/firms/DJI"), get("/api/v1/firms/agreement")
    linked = [f for f in listed if f["applicants"] > 0]
    assert linked and agreement
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 1400})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server + "/")
        page.wait_for_function("document.getElementById('firm-detail').dataset.firm === 'DJI'", timeout=60_000)
        rows = [r.locator("td").all_text_contents() for r in page.locator("#firms-rows tbody tr").all()]
        assert rows == [[f["registry"], f["firm_id"], f["name_en"] or f["name_zh"], f["country"] or "",
                         f"{f['applicants']:,}", f"{f['documents']:,}", f["registry_sha256"][:12]]
                        for f in linked[:25]]
        assert f"{len(listed):,} firms, {len(linked):,} linked to applicant names" in page.inner_text("#firms-status")
        links = page.locator("#firm-detail .firm-links li").all_text_contents()
        assert len(links) == len(dji[0]["links"])
        assert any(x.startswith("SZ DJI TECHNOLOGY CO LTD ← ") and ", linked" in x for x in links)
        table = [r.locator("td").all_text_contents() for r in page.locator("#firms-agreement tbody tr").all()]
        assert [(t[0], t[2]) for t in table] == [(a["name"] or "", f"{a['aieco_ai_documents']:,}") for a in agreement]
        caption = page.inner_text("#firms-agreement-caption")
        a0 = agreement[0]
        assert f"version {a0['definition_version']}" in caption and a0["registry_sha256"][:12] in caption
        page.select_option("#firms-registry", "parat")
        page.wait_for_function("document.getElementById('firms-rows').dataset.registry === 'parat'", timeout=60_000)
        page.fill("#firm", "no such firm at all")
        page.click("#firm-go")
        page.wait_for_function("document.getElementById('firms-status').className === 'error'", timeout=60_000)
        assert "no firm named" in page.inner_text("#firms-status")
        (ROOT / "out").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "out" / "dashboard-firms.png"), full_page=True)
        browser.close()
    # the 422 of the unknown firm is the only error the console sees (the failed fetch)
    assert all("422" in e for e in errors), errors
