"""The checker's firm claims against the loaded registries: the article's little-giant sentences with the
fixture registry loaded and without it. A registry may list only part of a programme, so its counts are
floors and a firm it does not list is never a contradiction."""

from __future__ import annotations

from aieco.claims.check import check
from aieco.firms.ingest import FirmsReader
from aieco.store.ingest import ingest
from conftest import FIXTURES

REGISTRY = FIXTURES / "firms" / "little_giants.csv"
SEED = (
    "Over 400 “little giant” firms have been cultivated. These are small and medium-sized enterprises "
    "focused on cutting-edge AI niches. Among them is DeepSeek, an emerging leader in advanced AI models."
)


def _by_kind(claims, kind):
    (c,) = [c for c in claims if c["kind"] == kind]
    return c


def test_without_a_registry_the_firm_claims_say_what_would_decide_them(store) -> None:
    claims = check(SEED, store, as_of="2025-05-29").rows()
    for kind in ("firm-count", "membership"):
        c = _by_kind(claims, kind)
        assert c["verdict"] == "not-checkable-with-loaded-data"
        assert "aieco ingest firms PATH --registry NAME" in c["message"] and "no firm registry loaded" in c["message"]


def test_with_the_fixture_registry(store) -> None:
    ingest(store, FirmsReader(), REGISTRY, options={"registry": "little-giants"})
    claims = check(SEED, store, as_of="2025-05-29").rows()
    count = _by_kind(claims, "firm-count")
    # 6 firms of the programme in the fixture: a floor below "over 400", so undecided, never contradicted
    assert count["verdict"] == "not-checkable-with-loaded-data"
    assert "firms of the programme: 6 (a floor)" in count["message"] and "little-giants" in count["message"]
    member = _by_kind(claims, "membership")
    assert member["verdict"] == "supported"
    assert "杭州深度求索人工智能基础技术研究有限公司" in member["message"] and "little-giants" in member["message"]


def test_a_registry_count_above_the_claim_contradicts_it_and_a_missing_firm_decides_nothing(store) -> None:
    ingest(store, FirmsReader(), REGISTRY, options={"registry": "little-giants"})
    text = "Fewer than 3 “little giant” firms have been named. Among them is Huawei."
    claims = check(text, store, as_of="2025-05-29").rows()
    assert _by_kind(claims, "firm-count")["verdict"] == "contradicted"
    member = _by_kind(claims, "membership")
    assert (
        member["verdict"] == "not-checkable-with-loaded-data" and "cannot show a firm is not in it" in member["message"]
    )
