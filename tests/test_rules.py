"""Rule kinds: symbol patterns as key intervals, 1790 keyword syntax as regular expressions."""

from __future__ import annotations

import re

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aieco.classify.keywords import compile_expression, compile_terms
from aieco.classify.rules import AnyRule, KeywordRule, NotRule, RangeRule, SymbolRule, Tables
from aieco.classify.symbols import (
    display,
    parse_pattern,
    pattern_interval,
    range_interval,
    symbol_key,
    symbol_key_sql,
)


def covers(pattern: str, symbol: str) -> bool:
    lo, hi = pattern_interval(pattern)
    return lo <= symbol_key(symbol) <= hi


@pytest.mark.parametrize(("pattern", "symbol", "expected"), [
    ("G06N 20*", "G06N20/00", True), ("G06N 20*", "G06N20/10", True), ("G06N 20*", "G06N2/00", False),
    ("G06N 20*", "G06N200/00", False), ("G06N 20", "G06N20/00", True),
    ("G06N 5/02*", "G06N5/02", True), ("G06N 5/02*", "G06N5/022", True), ("G06N 5/02*", "G06N5/04", False),
    ("G06N 5/02*", "G06N5/01", False),
    ("G06F 17/2*", "G06F17/28", True), ("G06F 17/2*", "G06F17/211", True), ("G06F 17/2*", "G06F17/30", False),
    ("G10L*", "G10L15/16", True), ("G10L*", "G10K11/00", False), ("G05*", "G05D1/0088", True),
    ("A4*", "A47J37/00", True), ("A4*", "A01B1/00", False), ("G06K 5/*", "G06K5/00", True),
    ("G06N 3/08", "G06N3/08", True), ("G06N 3/08", "G06N3/084", False), ("G06N", "G06N", True),
    ("Y10S 42*", "Y10S42/00", True), ("Y10S 42*", "Y10S424/00", False),
])
def test_pattern_interval(pattern, symbol, expected):
    assert covers(pattern, symbol) is expected


@pytest.mark.parametrize(("low", "high", "symbol", "expected"), [
    ("G06N 3/02*", "G06N 3/126*", "G06N3/02", True),
    ("G06N 3/02*", "G06N 3/126*", "G06N3/0455", True),
    ("G06N 3/02*", "G06N 3/126*", "G06N3/08", True),
    ("G06N 3/02*", "G06N 3/126*", "G06N3/10", True),      # 0.10: as plain strings "10" would sort after "126"
    ("G06N 3/02*", "G06N 3/126*", "G06N3/126", True),
    ("G06N 3/02*", "G06N 3/126*", "G06N3/1263", True),
    ("G06N 3/02*", "G06N 3/126*", "G06N3/13", False),
    ("G06N 3/02*", "G06N 3/126*", "G06N3/004", False),
    ("G06N 3/02*", "G06N 3/126*", "G06N3/00", False),
    ("G06N 3/02*", "G06N 3/126*", "G06N5/02", False),
    ("B60*", "B64*", "B64C39/024", True), ("B60*", "B64*", "B65D1/00", False), ("B60*", "B64*", "B59Z1/00", False),
    ("Y02A 10*", "Y02A 30*", "Y02A20/152", True), ("Y02A 10*", "Y02A 30*", "Y02A40/10", False),
    ("F21*", "F24H*", "F24H1/00", True), ("F21*", "F24H*", "F24J1/00", False),
    ("Y10S 706/919*", "Y10S 706/923*", "Y10S706/92", True), ("Y10S 706/919*", "Y10S 706/923*", "Y10S706/924", False),
])
def test_range(low, high, symbol, expected):
    lo, hi = range_interval(low, high)
    assert (lo <= symbol_key(symbol) <= hi) is expected


def test_reversed_range_and_malformed():
    with pytest.raises(ValueError, match="empty"):
        range_interval("F03G*", "F02H*")
    for bad in ("G06", "G06N3/08/1", "6N 3/08", "G06N 3/0a", "", "G06N 3/08**", "Z99X 1/00", "G0 6/00"):
        if bad == "G06":
            assert pattern_interval(bad)[0] == "G06"   # a class is fine
            continue
        with pytest.raises(ValueError):
            parse_pattern(bad)
    assert display(" g06n   3/02* ") == "G06N 3/02*"


symbols = st.builds(
    lambda s, c, letter, g, sub: f"{s}{c:02d}{letter}{g}/{sub}",
    st.sampled_from("ABCDEFGHY"), st.integers(1, 99), st.sampled_from("ABFKLNQ"), st.integers(1, 9999),
    st.text(alphabet="0123456789", min_size=2, max_size=6),
)


CON = duckdb.connect()


@settings(max_examples=60, deadline=None)
@given(symbols)
def test_sql_key_equals_python_key(sym):
    got = CON.execute(f"SELECT {symbol_key_sql('s')} FROM (SELECT ? AS s)", [sym]).fetchone()[0]
    assert got == symbol_key(sym)
    head, group, sub = sym[:4], int(sym[4:].split("/")[0]), sym.split("/")[1]
    assert covers(f"{head} {group}*", sym)
    assert covers(f"{head} {group}/{sub}", sym)
    assert covers(f"{head} {group}/{sub[:1]}*", sym)
    assert covers(head[:3] + "*", sym)


@given(symbols, symbols)
def test_key_order_is_decimal_order(a, b):
    def numeric(s):
        return (s[:4], int(s[4:].split("/")[0]), float("0." + s.split("/")[1]))
    if numeric(a) != numeric(b):
        assert (symbol_key(a) < symbol_key(b)) == (numeric(a) < numeric(b))


@pytest.mark.parametrize(("expr", "text", "expected"), [
    ("neural +1w net*", "a neural network", True),
    ("neural +1w net*", "neural nets", True),
    ("neural +1w net*", "neural deep net", True),          # one word between
    ("neural +1w net*", "neural very deep net", False),    # two words between
    ("neural +1w net*", "network neural", False),          # ordered
    ("neural +1w net*", "neural-network", True),
    ("neural +1w net*", "neuralnetwork", False),
    ("machine* /1w learn*", "learning machines", True),    # unordered
    ("machine* /1w learn*", "machine-based learning", True),
    ("machine* /1w learn*", "machine with deep learning", False),
    ("artificial +1w intelligen*", "artificial intelligence", True),
    ("artificial +1w intelligen*", "artificially intelligent", False),
    ("support +1w vector +1w machine*", "support vector machines", True),
    ("support +1w vector +1w machine*", "vector support machine", False),
    ("Logic?program*", "logic programming", True),
    ("Logic?program*", "logic-program", True),
    ("Logic?program*", "logicprogram", False),
    ("Logic(?)program*", "logicprogram", True),
    ("Knowledge(-)graph*", "knowledge-graph", True),
    ("Knowledge(-)graph*", "knowledgegraphs", True),
    ("SVM", "an svm classifier", True),
    ("SVM", "svms", False),
    ("random +1w forest", "random forests", False),        # no truncation: word must end
    ("Bayes*", "bayesian", True),
])
def test_keyword_syntax(expr, text, expected):
    rx = compile_expression(expr)
    assert bool(re.search(rx, text.lower())) is expected
    # DuckDB (RE2) reads the same expression the same way.
    got = CON.execute("SELECT regexp_matches(?, ?)", [text.lower(), rx]).fetchone()[0]
    assert got is expected


def test_keyword_errors_and_zh():
    for bad in ("neural +1w", "+1w net", "neural net", "neural +x net", "a*b", "foo(bar"):
        with pytest.raises(ValueError):
            compile_expression(bad)
    assert compile_expression("深度学习", lang="zh") == "深度学习"
    assert re.search(compile_terms(("深度学习", "深度學習"), lang="zh"), "基於深度學習")


def test_rule_sql_and_labels():
    t = Tables(keys="k", texts="x", docs="d")
    r = RangeRule(low="G06N 3/02*", high="G06N 3/126*", schemes=("cpc",), line=7, source="f.yaml")
    assert "key BETWEEN 'G06N00003/02000000' AND 'G06N00003/12699999'" in r.to_sql(t)
    assert "scheme IN ('cpc')" in r.to_sql(t)
    assert r.label() == "CPC range G06N 3/02* to G06N 3/126*" and r.where() == "f.yaml:7"
    s = SymbolRule(pattern="G06K 9*", successors=("G06V*", "G06F 18*"))
    assert s.label() == "CPC/IPC codes under G06K 9* or its successors G06V*, G06F 18*"
    assert len(s.intervals()) == 3
    k = KeywordRule(terms=("neural +1w net*",))
    assert "regexp_matches(title" in k.to_sql(t) and "regexp_matches(abstract" in k.to_sql(t)
    assert k.label() == "keyword “neural +1w net*” in title or abstract"
    both = AnyRule(rules=(s, k))
    assert "UNION" in both.to_sql(t) and [x.type for x in both.leaves()] == ["symbol", "keyword"]
    assert NotRule(rules=(s,)).to_sql(t).startswith("SELECT doc_id FROM d EXCEPT")


# ---- the compiler's shortcuts: required pieces (guards) and witnesses (proofs) ---------------------------

from aieco.classify.keywords import required_pieces, witness  # noqa: E402

_TERM = st.builds(lambda w, mid, suffix, star: w + mid + suffix + ("*" if star else ""),
                  st.sampled_from(["neural", "net", "deep", "learn", "e-learning", "svm", "logic", "ai"]),
                  st.sampled_from(["", "?", "(?)", "(-)", "(s)"]), st.sampled_from(["", "program", "graph", "x"]),
                  st.booleans())
_EXPR = st.builds(lambda first, rest: " ".join([first] + [f"{op} {t}" for op, t in rest]), _TERM,
                  st.lists(st.tuples(st.sampled_from(["+1w", "/1w", "+2w", "/3w"]), _TERM), max_size=2))
_TEXT = st.lists(st.sampled_from(["neural", "net", "nets", "deep", "learning", "e-learning", "svm", "logic",
                                  "program", "graph", "-", " ", ",", "(", "ai", "x", "logicprogram", "neural-net",
                                  "xneural", "logic-graph"]), max_size=12).map(" ".join)


def _search(expr: str, text: str) -> bool:
    # Python's re with ASCII word characters behaves as RE2 does on these texts.
    return re.search(compile_expression(expr), text, re.ASCII) is not None


@settings(max_examples=300, deadline=None)
@given(expr=_EXPR, text=_TEXT)
def test_a_match_contains_every_required_piece(expr, text):
    if _search(expr, text):
        assert all(p in text for p in required_pieces(expr))


@settings(max_examples=300, deadline=None)
@given(expr=_EXPR, before=_TEXT, after=_TEXT)
def test_a_witness_proves_a_match(expr, before, after):
    w = witness(expr)
    if w is None:
        return
    text, whole = w
    # The witness as the compiler tests it: after a space (or at the start) and, for a whole word, before one.
    for written in (f"{before} {text}{' ' if whole else ''}{after}", f"{text}{' ' if whole else ''}{after}"):
        assert _search(expr, written), (expr, written)


@pytest.mark.parametrize(("expr", "pieces", "proof"), [
    ("artificial +1w intelligen*", ("artificial", "intelligen"), ("artificial intelligen", False)),
    ("Knowledge(-)graph*", ("knowledge", "graph"), ("knowledge-graph", False)),
    ("Support(?)Vector(?)Machin*", ("support", "vector", "machin"), ("support vector machin", False)),
    ("SVM", ("svm",), ("svm", True)),
    ("machine* /1w learn*", ("machine", "learn"), ("machine learn", False)),
    ("inc.", ("inc.",), None),          # ends with a non-word character: no witness
    ("?x", ("x",), None),
])
def test_pieces_and_witness_examples(expr, pieces, proof):
    assert required_pieces(expr) == pieces
    assert witness(expr) == proof
    assert required_pieces("人工智能", lang="zh") == ("人工智能",)
    assert witness("人工智能", lang="zh") == ("人工智能", False)
