"""Firm indicators and the PARAT agreement table on the fixture applicants (real spellings, both scripts)."""

from __future__ import annotations

import pytest

from aieco.classify import get_definition
from aieco.classify.compiler import classify
from aieco.errors import UnknownName
from aieco.firms.indicators import firm_indicators, parat_agreement
from aieco.firms.ingest import FirmsReader, ParatReader
from aieco.firms.match import match_store
from aieco.sources import reader_for
from aieco.store.ingest import ingest
from conftest import FIXTURES, shared_path
from test_ingest import aieco

REGISTRY = FIXTURES / "firms" / "little_giants.csv"
APPLICANTS = FIXTURES / "firms" / "applicants_lens.csv"
DJI = "91440300545822842Q"


@pytest.fixture
def loaded(store):  # type: ignore[no-untyped-def]
    ingest(store, reader_for("lens"), APPLICANTS)
    ingest(store, FirmsReader(), REGISTRY, options={"registry": "little-giants"})
    ingest(store, ParatReader(), shared_path("cset-parat", "parat_data_2021.js"))
    match_store(store)
    classify(store, [get_definition("core-ai-cpc")])
    return store


def _ai_docs(store, applicants: set[str]) -> int:  # type: ignore[no-untyped-def]
    """AI documents of these applicant names, counted straight from the tables (not via firm links)."""
    marks = ",".join("?" * len(applicants))
    return int(store.scalar(
        f"SELECT count(DISTINCT p.doc_id) FROM parties p JOIN classified c ON c.doc_id = p.doc_id "
        f"AND c.category = '' AND c.definition = 'core-ai-cpc' WHERE p.role = 'applicant' AND p.name IN ({marks})",
        list(applicants)))  # fmt: skip


def test_dji_indicators(loaded) -> None:
    rows = {(r.registry, r.firm_id): r for r in firm_indicators(loaded, definition="core-ai-cpc")}
    dji = rows[("little-giants", DJI)]
    spellings = {"深圳市大疆创新科技有限公司", "深圳市大疆創新科技有限公司", "SZ DJI TECHNOLOGY CO., LTD."}
    assert dji.documents == 3 and dji.ai_documents == _ai_docs(loaded, spellings) >= 1
    assert dji.ai_share == round(dji.ai_documents / 3, 4)
    # (document, subclass): G06N G05D | B64C | G06T B64C -> shares 1,1,2,1 of 5
    assert dji.hhi_cpc_subclass == pytest.approx((1 + 1 + 4 + 1) / 25) and dji.cpc_subclasses == 4
    assert sum(dji.ai_by_year.values()) == dji.ai_documents
    assert dji.definition == "core-ai-cpc" and dji.definition_version == get_definition("core-ai-cpc").version
    # decoys have no linked documents, so no row
    assert all(r.firm_id != "91440300123456789Q" for r in rows.values())
    only = firm_indicators(loaded, definition="core-ai-cpc", registry="parat")
    assert {r.registry for r in only} == {"parat"}


def test_parat_agreement_for_dji(loaded) -> None:
    rows = {r.name: r for r in parat_agreement(loaded, definition="core-ai-cpc")}
    dji = rows["DJI"]
    assert dji.parat_ai_patents == 49  # PARAT's total for DJI (data.js)
    assert dji.aieco_documents >= 1 and dji.aieco_ai_documents <= dji.aieco_documents
    years = {r.name: r for r in parat_agreement(loaded, definition="core-ai-cpc", years=(2014, 2018))}
    assert years["DJI"].parat_ai_patents == 6 + 3 + 7 + 17 + 16 and years["DJI"].period == "2014-2018"
    # only firms with a linked applicant name are listed
    linked = {r[0] for r in loaded.query("SELECT DISTINCT firm_id FROM firm_links WHERE linked AND registry = 'parat'")}
    assert {r.firm_id for r in rows.values()} == linked


def test_indicators_need_classification_and_links(store) -> None:
    with pytest.raises(UnknownName, match="not classified by 'core-ai-cpc'"):
        firm_indicators(store, definition="core-ai-cpc")
    ingest(store, reader_for("lens"), APPLICANTS)
    classify(store, [get_definition("core-ai-cpc")])
    with pytest.raises(UnknownName, match="aieco firms match"):
        parat_agreement(store, definition="core-ai-cpc")


def test_cli_agreement_years_checked(db_path) -> None:
    result = aieco(db_path, "ingest", "lens", APPLICANTS)
    assert result.returncode == 0
    bad = aieco(db_path, "firms", "agreement", "--years", "2014")
    assert bad.returncode == 2 and "expected FROM-TO" in bad.stderr
