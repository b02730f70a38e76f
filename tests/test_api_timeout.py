"""The API's time limit: an answer that spends longer than AIECO_API_TIMEOUT in the store is interrupted and
answered with a 503 whose JSON body says so; the server goes on answering."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures_faces import faces_store  # noqa: F401 - a fixture

# a query DuckDB cannot finish within a second (10^13 rows summed), so the limit, not the query, ends it
ENDLESS = "SELECT sum(range) FROM range(10000000000000)"


@pytest.fixture
def app(faces_store: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: F811
    from aieco.present.api import create_app

    monkeypatch.setenv("AIECO_API_TIMEOUT", "1")
    application = create_app(faces_store)

    @application.get("/test-only/endless")
    def endless() -> dict[str, int]:
        return {"sum": application.state.backend.cached(("endless",), lambda st: st.con.execute(ENDLESS).fetchone())}

    return application


def test_a_query_over_the_time_limit_is_a_503_with_a_json_body_and_the_server_goes_on(app) -> None:
    from fastapi.testclient import TestClient

    assert app.state.backend.timeout == 1
    with TestClient(app) as client:
        r = client.get("/test-only/endless")
        assert r.status_code == 503
        body = r.json()
        assert body["kind"] == "QueryTimeout"
        assert "AIECO_API_TIMEOUT" in body["error"] and "longer than 1 s" in body["error"]
        assert r.headers["retry-after"] == "60"
        # the interrupted cursor is closed; the next answer comes from a fresh one (under a limit that a busy
        # machine cannot reach, so that this test does not depend on timing)
        app.state.backend.timeout = 600
        after = client.get("/api/v1/stats")
        assert after.status_code == 200, after.text


def test_a_bad_time_limit_is_a_one_line_setting_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from aieco.errors import SettingError
    from aieco.settings import setting_count

    monkeypatch.setenv("AIECO_API_TIMEOUT", "soon")
    with pytest.raises(SettingError, match=r"^AIECO_API_TIMEOUT='soon': not a whole number"):
        setting_count("api_timeout")
