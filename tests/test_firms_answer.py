"""registry_answer: what the claims checker gets about a programme and a named firm, loaded or not."""

from __future__ import annotations

import json

import pytest

from aieco.classify import get_definition
from aieco.classify.compiler import classify
from aieco.errors import UnknownName
from aieco.firms import registry_answer
from aieco.firms.ingest import FirmsReader, ParatReader
from aieco.firms.match import match_store
from aieco.sources import reader_for
from aieco.store.ingest import ingest
from conftest import FIXTURES, shared_path

REGISTRY = FIXTURES / "firms" / "little_giants.csv"
APPLICANTS = FIXTURES / "firms" / "applicants_lens.csv"


def _registry(store) -> None:  # type: ignore[no-untyped-def]
    ingest(store, FirmsReader(), REGISTRY, options={"registry": "little-giants"})


def test_no_registry_says_what_is_missing(store) -> None:
    answer = registry_answer(store, programme="little giant", firm="DeepSeek")
    assert answer.firms is None and answer.firm_found is None and answer.firms_with_ai is None
    assert len(answer.missing) == 1 and answer.missing[0].startswith("no firm registry loaded")
    assert "aieco ingest firms PATH --registry NAME" in answer.missing[0]


def test_registry_without_the_programme(store) -> None:
    ingest(store, ParatReader(), shared_path("cset-parat", "parat_data_2021.js"))
    answer = registry_answer(store.con, programme="little giant", firm="SenseTime")  # a bare connection too
    assert answer.firms == 0 and answer.firm_found is False
    assert any("no loaded registry lists the programme 'little giant'" in m for m in answer.missing)


def test_registry_loaded_not_linked(store) -> None:
    _registry(store)
    answer = registry_answer(store, programme="little giant", firm="DeepSeek")
    assert answer.registries == ("little-giants",) and answer.firms == 6
    assert answer.firms_ai_industry == 2  # DeepSeek and SenseTime list 人工智能 as their industry
    assert answer.firm_found is True and answer.firm_found_as == ("杭州深度求索人工智能基础技术研究有限公司",)
    assert answer.firms_with_ai is None
    assert any("aieco firms match" in m for m in answer.missing)
    assert any("aieco classify" in m for m in answer.missing)
    assert registry_answer(store, programme="专精特新“小巨人”", batch="5").firms == 2  # the Chinese name, batch 5
    assert registry_answer(store, programme="little giant", firm="Huawei").firm_found is False
    assert registry_answer(store, programme="little giant", province="广东").firms == 2


def test_registry_linked_and_classified(store) -> None:
    ingest(store, reader_for("lens"), APPLICANTS)
    _registry(store)
    match_store(store)
    classify(store, [get_definition("core-ai-cpc")])
    answer = registry_answer(store, programme="little giant", firm="深度求索", definition="core-ai-cpc")
    assert answer.missing == ()
    # AI (G06N) documents of DJI, SenseTime and DeepSeek's linked applicant names; none of the decoys
    assert answer.firms_with_ai == 3 == answer.firms_with_ai_by_definition["core-ai-cpc"]
    assert answer.definition_versions["core-ai-cpc"] == get_definition("core-ai-cpc").version
    assert answer.firm_found is True and answer.threshold == 0.9 and answer.method
    unknown = registry_answer(store, programme="little giant", definition="no-such-definition")
    assert any("not classified by 'no-such-definition'" in m for m in unknown.missing)
    assert unknown.firms_with_ai is None


def test_cli_programme(db_path) -> None:
    from test_ingest import aieco

    empty = aieco(db_path, "ingest", "lens", APPLICANTS)
    assert empty.returncode == 0
    before = aieco(db_path, "firms", "programme", "little giant", "--firm", "DeepSeek")
    assert before.returncode == 0 and "missing: no firm registry loaded" in before.stdout
    assert aieco(db_path, "ingest", "firms", REGISTRY, "--registry", "little-giants").returncode == 0
    after = aieco(db_path, "firms", "programme", "小巨人", "--firm", "DeepSeek", "--format", "json")
    answer = json.loads(after.stdout)[0]
    assert answer["firms"] == 6 and answer["firm_found"] is True
    assert answer["missing"] == ["applicants not linked to the registry's firms: aieco firms match",
                                 "no AI classification of the documents: aieco classify"]  # fmt: skip


def test_store_made_before_firms(store) -> None:
    """A store from before migration 0006, opened read-only (not migrated), has no firm tables."""
    from aieco.firms.query import list_firms

    for table in ("firm_links", "firm_match_runs", "firm_counts", "firm_names", "firm_registry"):
        store.con.execute(f"DROP TABLE {table}")
    answer = registry_answer(store, programme="little giant", firm="DeepSeek")
    assert answer.firms is None and answer.missing[0].startswith("no firm registry loaded")
    with pytest.raises(UnknownName, match="no firm tables"):
        list_firms(store)
