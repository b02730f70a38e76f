"""Definitions are data: loading, errors with file and line, and the shipped files against their sources."""

from __future__ import annotations

import re

import pytest

from aieco.classify import get_definition, load_definitions
from aieco.classify.definitions import load_definition_text
from aieco.classify.rules import KeywordRule, RangeRule, SymbolRule
from aieco.errors import DefinitionError, UnknownName
from conftest import shared_path

HEAD = """id: t
version: "1"
title: T
citation: C
cpc_version: "2024.01"
"""


def test_shipped_definitions():
    defs = {d.id: d for d in load_definitions()}
    assert set(defs) >= {"cset-1790", "cset-1790-zh", "core-ai-cpc", "genai"}
    cset = defs["cset-1790"]
    assert cset.version and cset.cpc_version and "1790" in cset.citation
    assert cset.dimensions == ("application_field", "functional_application", "ai_technique")
    assert len([c for c in cset.categories if c.dimension == "application_field"]) == 19
    assert len([c for c in cset.categories if c.dimension == "functional_application"]) == 10
    assert len([c for c in cset.categories if c.dimension == "ai_technique"]) == 7
    for cid in ("agriculture", "life_sciences", "education", "transportation", "security", "machine_learning"):
        assert cset.category(cid).title
    assert get_definition("genai").id == "genai"
    with pytest.raises(UnknownName, match="known definitions: core-ai-cpc"):
        get_definition("nope")


@pytest.mark.parametrize(("body", "message"), [
    ("universe:\n  - cpcx: G06N 20*\n", r"<string>:7: unknown rule type 'cpcx'"),
    ("universe:\n  - symbol: G06N 2O*\n", r"<string>:7: malformed classification symbol 'G06N 2O\*'"),
    ("universe:\n  - symbol: G06N 20*\n  - range: \">=F03G* AND <=F02H*\"\n", r"<string>:8: range .* is empty"),
    ("universe:\n  - range: \"G06N 3/02 - 3/126\"\n", r"<string>:7: malformed range"),
    ("universe:\n  - keyword: \"neural +1x net\"\n", r"<string>:7: malformed keyword expression"),
    ("universe:\n  - symbol: G06N 20*\n    scheme: [cpc]\n", r"<string>:7: rule 'symbol' does not take scheme"),
    ("universe:\n  - any:\n      - symbol: G06N 20*\n      - foo: x\n", r"<string>:9: unknown rule type 'foo'"),
    ("universe:\n  - keyword: x\n    lang: fr\n", r"<string>:7: unknown keyword language 'fr'"),
    ("universe: [\n", r"<string>:\d+: not valid YAML"),
    ("universe:\n  - symbol: G06N 20*\ncategories:\n  - id: a\n    title: A\n    dimension: d\n",
     r"<string>:9: category 'a' needs either rules or `otherwise: true`"),
])
def test_load_errors_name_file_and_line(body, message):
    with pytest.raises(DefinitionError, match=message):
        load_definition_text(HEAD + body)


def test_missing_keys():
    with pytest.raises(DefinitionError, match="missing 'universe'"):
        load_definition_text(HEAD)


def _published_codes(text: str) -> list[str]:
    codes = []
    for line in text.splitlines():
        m = re.match(r"^- (.+?)\s*$", line.strip())
        if m and re.match(r"^(\\?>=)?[A-HY]\d", m.group(1)):
            codes.append(m.group(1).replace("\\", ""))
    return codes


@pytest.mark.shared
@pytest.mark.parametrize("name", ["AI_Techniques_Categories.md", "Functional_Application_Categories.md",
                                  "Application_Fields_Categories.md"])
def test_categories_transcribe_the_source(name):
    """Every published code and range is in the YAML, in the published order (corrections via `published:`)."""
    published = _published_codes(shared_path("cset-1790", name).read_text("utf-8"))
    cset = get_definition("cset-1790")
    ours = []
    for c in cset.categories:
        for r in c.rules:
            if isinstance(r, RangeRule):
                ours.append(r.published or f">={r.low} AND <={r.high}")
            elif isinstance(r, SymbolRule):
                ours.append(r.pattern)
    fixed = {"H01N 21/4663": "H04N 21/4663"}
    for code in published:
        assert fixed.get(code, code) in ours, code


@pytest.mark.shared
def test_universe_keywords_and_zh_terms_match_sources():
    text = shared_path("cset-1790", "Define_Patent_Universe.md").read_text("utf-8")
    words = [w.replace("\\*", "*") for w in re.findall(r"^- (.+?)\s*$", text, re.M)]
    ours = [r.terms[0] for r in get_definition("cset-1790").universe if isinstance(r, KeywordRule)]
    assert ours == words
    zh_file = shared_path("reference", "cset_ai_terms_zh_simp_trad.txt").read_text("utf-8")
    terms = {t.strip() for line in zh_file.splitlines() for t in line.split("\t") if t.strip()}
    zh = [r for r in get_definition("cset-1790-zh").universe if isinstance(r, KeywordRule) and r.lang == "zh"]
    assert len(zh) == 1 and set(zh[0].terms) == terms
