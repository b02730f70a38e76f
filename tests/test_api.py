"""The read-only API: typed results as JSON, 422s that name the parameter and the allowed values, bounds,
and schemathesis against the OpenAPI schema (no 5xx; every 4xx a JSON body that says what was wrong)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from fixtures_faces import faces_store  # noqa: F401 - a fixture


@pytest.fixture(scope="module")
def app(faces_store: Path):  # noqa: F811
    from aieco.present.api import create_app

    return create_app(faces_store)


@pytest.fixture(scope="module")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


def test_grid_equals_the_library(client, faces_store: Path) -> None:  # noqa: F811
    from aieco.measure.overview import grid_result
    from aieco.store import open_store

    got = client.get("/api/v1/grid", params={"country": "CN", "years": "2000-2019", "source": "cset1790"})
    assert got.status_code == 200
    with open_store(faces_store, read_only=True) as s:
        want = grid_result(s, country="CN", years=(2000, 2019), source="cset1790").to_dict()
    assert got.json() == json.loads(json.dumps(want))  # JSON keys are strings (by_year)
    fam = [m for m in got.json()["methods"] if m["unit"] == "family" and m["counting"] == "whole"]
    assert fam and fam[0]["source_sha256"] and fam[0]["definition"] == "all"


@pytest.mark.parametrize(
    ("query", "parameter", "allowed"),
    [
        ({"country": "XX"}, "country", "CN"),
        ({"group": "NOPE"}, "group", "SCO"),
        ({"country": "CN", "definition": "nope"}, "definition", "cset-1790"),
        ({"country": "CN", "source": "nope"}, "source", "cset1790"),
        ({"country": "CN", "sector": "nope"}, "sector", "agriculture"),
        ({"country": "CN", "years": "2019-2000"}, "years", None),
        ({}, "country", "CN"),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter(client, query, parameter, allowed) -> None:
    r = client.get("/api/v1/grid", params=query)
    assert r.status_code == 422
    body = r.json()
    assert body["parameter"] == parameter and parameter in body["error"]
    if allowed:
        assert allowed in body["allowed"]


def test_bounds(client) -> None:
    r = client.get("/api/v1/grid?country=CN&x=" + "a" * 3000)
    assert r.status_code == 414 and "query string" in r.json()["error"]
    r = client.post(
        "/api/v1/check", content=b'{"text": "' + b"a" * 1_100_000 + b'"}', headers={"content-type": "application/json"}
    )
    assert r.status_code == 413 and "body" in r.json()["error"]
    r = client.post("/api/v1/check", json={"text": ""})
    assert r.status_code == 422 and r.json()["error"]


def test_a_text_with_too_many_claims_is_a_422_before_any_checking(client) -> None:
    from aieco.present.api import MAX_API_CLAIMS

    text = " ".join(f"Japan filed {1000 + i:,} AI patents in 2015." for i in range(MAX_API_CLAIMS + 1))
    r = client.post("/api/v1/check", json={"text": text})
    assert r.status_code == 422 and f"up to {MAX_API_CLAIMS:,}" in r.json()["error"]


def test_a_chunked_body_without_content_length_is_bounded_too(client) -> None:
    def chunks():
        yield b'{"text": "'
        for _ in range(200):  # 2 MB in 10 kB chunks, no Content-Length header
            yield b"a" * 10_000
        yield b'"}'

    r = client.post("/api/v1/check", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert r.status_code == 413 and "body" in r.json()["error"]


def test_check_equals_the_library(client, faces_store: Path) -> None:  # noqa: F811
    """POST /check answers what `check()` answers over the same store (the API passes its cached grid): the
    seed article's claims and an internet-use claim decided from the published indicators, schema 2."""
    import hashlib

    from aieco.claims import check, read_text
    from aieco.store import open_store
    from conftest import SHARED

    article = read_text(SHARED / "articles" / "china-ai-ecosystem.txt")
    texts = (article, "In 2022, 76% of people in China used the internet.")
    got = [client.post("/api/v1/check", json={"text": t}).json() for t in texts]
    with open_store(faces_store, read_only=True) as store:
        want = [json.loads(json.dumps(check(t, store).to_dict())) for t in texts]
    assert got == want
    assert got[0]["schema"] == 2 and got[0]["text_sha256"] == hashlib.sha256(article.encode()).hexdigest()
    assert sum(got[0]["counts"].values()) == len(got[0]["claims"]) == 6
    [online] = got[1]["claims"]
    assert online["verdict"] == "supported" and online["evidence"]["values"][0]["source_sha256"]


def test_check_and_convert(client) -> None:
    r = client.post("/api/v1/check", json={"text": "China holds nearly 40% of all global AI patent applications."})
    assert r.status_code == 200
    claims = r.json()["claims"]
    assert claims and claims[0]["verdict"] and claims[0]["interval"]["label"]
    r = client.get("/api/v1/convert", params={"amount": 600e9, "from": "CNY", "to": "USD", "date": "2025-05-28"})
    assert r.status_code == 200 and r.json()["rate_source"] == "ecb" and 8.0e10 < r.json()["amount"] < 8.6e10


def test_docs_are_offline(client) -> None:
    html = client.get("/docs").text
    assert "cdn" not in html.lower() and "https://" not in html
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "aieco"


def test_no_5xx_and_every_4xx_says_why(app) -> None:
    """Every operation of the OpenAPI schema (but the report, which is slow to build), with bounded examples."""
    from hypothesis import given

    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 8
    tried = 0
    for op in operations:
        if op.path == "/report":
            continue

        @given(case=op.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case) -> None:
            # schemathesis's own 10 s read timeout would fail a first /check on a busy CI machine: the API's
            # time limit (AIECO_API_TIMEOUT, 60 s) bounds every answer, so wait past it
            response = case.call(timeout=300)
            assert response.status_code < 500, (case.path, case.query, response.text[:300])
            if response.status_code >= 400:
                body = response.json()
                assert isinstance(body.get("error"), str) and body["error"], body

        run()
        tried += 1
    assert tried >= 7


def test_a_content_length_over_the_limit_is_refused_before_the_body_is_read() -> None:
    import asyncio

    from aieco.present.api import MAX_BODY, _BodyLimit

    async def app(scope, receive, send):  # the application must never be reached
        raise AssertionError("the body limit let an oversized request through")

    async def receive():
        raise AssertionError("the body was read")

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    for size in (str(MAX_BODY + 1).encode(), b"lots"):
        sent.clear()
        scope = {"type": "http", "method": "POST", "path": "/api/v1/check", "headers": [(b"content-length", size)]}
        asyncio.run(_BodyLimit(app, MAX_BODY)(scope, receive, send))
        assert sent[0]["status"] == 413
        assert b"TooLarge" in sent[1]["body"]


def test_stats_definitions_and_rejects_equal_the_library(faces_store: Path) -> None:  # noqa: F811
    from fastapi.testclient import TestClient

    from aieco.classify.definitions import definition_infos
    from aieco.present.api import create_app
    from aieco.store import open_store
    from aieco.store.readback import reject_rows, stats_result

    with open_store(faces_store, read_only=True) as s:
        stats = stats_result(s).to_dict()
        runs = [r[0] for r in s.query("SELECT run_id FROM runs WHERE rows_rejected > 0 ORDER BY run_id")]
        assert runs, "the faces store should hold a run with rejects"
        rejects = [r.to_dict() for r in reject_rows(s, runs[0], 100)]
        applied = {r[0] for r in s.query("SELECT DISTINCT definition FROM classify_runs")}
    with TestClient(create_app(faces_store)) as client:
        _stats_definitions_and_rejects(client, stats, runs, rejects, definition_infos(applied=applied))


def _stats_definitions_and_rejects(client, stats, runs, rejects, infos) -> None:
    assert client.get("/api/v1/stats").json() == json.loads(json.dumps(stats))
    got = client.get("/api/v1/rejects", params={"run": runs[0]})
    assert got.status_code == 200 and got.json() == rejects and rejects[0]["reason"]
    defs = client.get("/api/v1/definitions").json()
    assert defs == [d.to_dict() for d in infos]
    assert any(d["applied"] for d in defs) and all(d["categories"] is not None for d in defs)
    r = client.get("/api/v1/rejects", params={"run": 999_999})
    assert r.status_code == 422 and r.json()["parameter"] == "run" and str(runs[0]) in r.json()["allowed"]


@pytest.fixture(scope="module")
def agg_client(faces_store: Path):  # noqa: F811
    """A client of its own app: schemathesis's ASGI calls end the shared app's lifespan (closing its store)."""
    from fastapi.testclient import TestClient

    from aieco.present.api import create_app

    with TestClient(create_app(faces_store)) as c:
        yield c


def _library(faces_store: Path, compute):  # noqa: F811
    from aieco.store import open_store

    with open_store(faces_store, read_only=True) as s:
        return json.loads(json.dumps(compute(s).to_dict()))  # JSON keys are strings (by_year)


def test_profile_equals_the_library(agg_client, faces_store: Path) -> None:  # noqa: F811
    from aieco.measure.profile import profile

    got = agg_client.get("/api/v1/profile", params={"country": "CN", "years": "2014-2019"})
    assert got.status_code == 200
    assert got.json() == _library(faces_store, lambda s: profile(s, "CN", years=(2014, 2019)))
    rows = {(r["publisher"], r["table"]): r for r in got.json()["rows"]}
    eto = rows["eto", "patents_yearly_applications"]
    assert len(eto["file_sha256"]) == 64 and "first filing" in eto["attribution"] and eto["complete"] is True
    assert rows["ncses", "SINV-17"]["value"] == 91436 and rows["ncses", "SINV-17"]["period"] == "2000-2022"
    r = agg_client.get("/api/v1/profile", params={"country": "ZZ"})
    assert r.status_code == 422 and r.json()["parameter"] == "country" and "CN" in r.json()["allowed"]


def test_compare_equals_the_library(agg_client, faces_store: Path) -> None:  # noqa: F811
    from aieco.measure.compare import compare

    got = agg_client.get("/api/v1/compare", params={"group": "sco", "year": 2019})
    assert got.status_code == 200
    assert got.json() == _library(faces_store, lambda s: compare(s, "SCO", 2019))
    china = next(r for r in got.json()["rows"] if r["subject"] == "CN")
    cells = {c["column"]: c for c in china["cells"]}
    assert cells["eto-families"]["value"] == 43880 and cells["internet-users-pct"]["value"] > 60
    for query, parameter in (({"group": "NOPE", "year": 2019}, "group"), ({"group": "SCO", "year": 1990}, "year"),
                             ({"group": "SCO"}, "year")):
        r = agg_client.get("/api/v1/compare", params=query)
        assert r.status_code == 422 and r.json()["parameter"] == parameter, r.json()
    assert "SCO" in agg_client.get("/api/v1/compare", params={"group": "NOPE", "year": 2019}).json()["allowed"]


def test_aggregate_indicators_equal_the_library(agg_client, faces_store: Path) -> None:  # noqa: F811
    from aieco.measure.aggregates import indicators

    params = {"kind": "share", "pillar": "patents", "country": "CN", "years": "2019"}
    got = agg_client.get("/api/v1/indicators/aggregates", params=params)
    assert got.status_code == 200
    want = _library(faces_store, lambda s: indicators(s, "share", pillar="patents", country="CN", years=(2019, 2019)))
    assert got.json() == want
    eto = next(r for r in want["rows"] if r["table"] == "patents_yearly_applications")
    assert eto["value"] == 43880 and round(eto["result"], 3) == 0.596
    per = agg_client.get("/api/v1/indicators/aggregates", params={"kind": "per-million", "table": "SINV-17",
                                                              "country": "CN"})
    assert per.status_code == 200 and per.json()["rows"][0]["result_unit"]
    for query, parameter, allowed in (({"kind": "nope"}, "kind", "per-million"),
                                      ({"pillar": "nope"}, "pillar", "research"),
                                      ({"table": "nope"}, "table", "SINV-17"),
                                      ({"publisher": "nope"}, "publisher", "eto"),
                                      ({"measure": "nope"}, "measure", "articles"),
                                      ({"world": "nope"}, "world", "row")):
        r = agg_client.get("/api/v1/indicators/aggregates", params=query)
        assert r.status_code == 422 and r.json()["parameter"] == parameter and allowed in r.json()["allowed"]


def test_sources_agree_equals_the_library(agg_client, faces_store: Path) -> None:  # noqa: F811
    from aieco.measure.sources_agree import sources_agree

    got = agg_client.get("/api/v1/sources-agree", params={"countries": "CN,US"})
    assert got.status_code == 200
    assert got.json() == _library(faces_store, lambda s: sources_agree(s, countries=("CN", "US"), years=(2014, 2019)))
    rows = got.json()["rows"]
    assert len(rows) == 12 and all(r["ratio"] is None or r["ratio"] > 0 for r in rows)
    assert got.json()["left"]["sha256"] and got.json()["right"]["sha256"]
    for query, parameter in (({"countries": "CN,XX"}, "countries"), ({"question": "nope"}, "question"),
                             ({"countries": ",".join(["CN"] * 21)}, "countries"), ({"years": "x"}, "years")):
        r = agg_client.get("/api/v1/sources-agree", params=query)
        assert r.status_code == 422 and r.json()["parameter"] == parameter, r.json()


def test_the_report_endpoint_shows_the_published_aggregates(agg_client) -> None:
    r = agg_client.get("/report", params={"country": "US", "group": "G7"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert 'id="profile-table"' in r.text and 'id="sources-agree-table"' in r.text
    assert "G7 (Group of Seven): its members on 31 December 2019 side by side" in r.text


def _rows(faces_store: Path, compute) -> list:  # noqa: F811
    from aieco.store import open_store

    with open_store(faces_store, read_only=True) as s:
        return json.loads(json.dumps([r.to_dict() for r in compute(s)]))


def test_firms_equal_the_library(agg_client, faces_store: Path) -> None:  # noqa: F811
    """GET /firms, /firms/{firm} and /firms/agreement are the typed results of aieco firms list, show and
    agreement; an unknown registry or firm is a 422 naming its parameter."""
    from aieco.firms.indicators import parat_agreement
    from aieco.firms.query import list_firms, show_firm

    got = agg_client.get("/api/v1/firms", params={"registry": "parat"})
    assert got.status_code == 200
    want = _rows(faces_store, lambda s: list_firms(s, registry="parat"))
    assert got.json() == want and len(want) == 1311 and want[0]["registry_sha256"]
    assert agg_client.get("/api/v1/firms").json() == _rows(faces_store, list_firms)
    dji = agg_client.get("/api/v1/firms/DJI")
    assert dji.status_code == 200 and dji.json() == _rows(faces_store, lambda s: show_firm(s, "DJI"))
    assert [x["applicant"] for x in dji.json()[0]["links"] if x["linked"]] == ["SZ DJI TECHNOLOGY CO LTD"]
    agreement = agg_client.get("/api/v1/firms/agreement", params={"years": "2014-2018"})
    want = _rows(faces_store, lambda s: parat_agreement(s, definition="cset-1790", years=(2014, 2018)))
    assert agreement.status_code == 200 and agreement.json() == want and want
    assert all(r["definition_version"] and r["period"] == "2014-2018" for r in want)
    for path, params, parameter in (
        ("/api/v1/firms", {"registry": "nope"}, "registry"),
        ("/api/v1/firms/no such firm at all", {}, "firm"),
        ("/api/v1/firms/agreement", {"definition": "nope"}, "definition"),
        ("/api/v1/firms/agreement", {"years": "2018-2014"}, "years"),
    ):
        r = agg_client.get(path, params=params)
        assert r.status_code == 422 and r.json()["parameter"] == parameter, (path, r.text)
    assert "parat" in agg_client.get("/api/v1/firms", params={"registry": "nope"}).json()["allowed"]


def test_a_check_over_the_time_limit_is_a_503_and_the_next_check_is_answered(
    faces_store: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """POST /check runs on the checker's own cursor under the same AIECO_API_TIMEOUT as every answer: a check
    whose store query cannot finish (10^13 rows summed, through Store.query, which wraps DuckDB's interrupt) is
    a 503 with a JSON body; the interrupted cursor is dropped and the next check gets a new one."""
    import importlib

    from fastapi.testclient import TestClient

    from aieco.present.api import create_app

    check_mod = importlib.import_module("aieco.claims.check")  # the module (aieco.claims.check is the function)
    real = check_mod.check

    def endless(text, store, **kw):
        if text == "endless":
            store.query("SELECT sum(range) FROM range(10000000000000)")
        return real(text, store, **kw)

    monkeypatch.setenv("AIECO_API_TIMEOUT", "1")
    monkeypatch.setattr(check_mod, "check", endless)
    app = create_app(faces_store)
    with TestClient(app) as client:
        r = client.post("/api/v1/check", json={"text": "endless"})
        assert r.status_code == 503 and r.json()["kind"] == "QueryTimeout", r.text
        assert "AIECO_API_TIMEOUT" in r.json()["error"] and r.headers["retry-after"] == "60"
        app.state.backend.timeout = 600  # a limit a busy machine cannot reach: no timing in what follows
        r = client.post("/api/v1/check", json={"text": "In 2022, 76% of people in China used the internet."})
        assert r.status_code == 200 and r.json()["claims"][0]["verdict"] == "supported"


def test_an_answer_through_store_query_over_the_time_limit_is_a_timeout(
    faces_store: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """The library's queries go through Store.query, which wraps DuckDB's interrupt in a StoreError: past
    AIECO_API_TIMEOUT that is the QueryTimeout (503) too, not a 422 query failure."""
    from aieco.present.api import Backend, QueryTimeout

    monkeypatch.setenv("AIECO_API_TIMEOUT", "1")
    backend = Backend(faces_store)
    try:
        with pytest.raises(QueryTimeout, match="AIECO_API_TIMEOUT"):
            backend.cached(("endless",), lambda st: st.query("SELECT sum(range) FROM range(10000000000000)"))
    finally:
        backend.close()
