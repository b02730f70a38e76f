"""Golden tests of the rule compiler: hand-written documents, exactly which definition/category matched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from aieco.classify import get_definition, load_definitions
from aieco.classify.compiler import classify
from aieco.classify.definitions import load_definition_file
from aieco.classify.results import counts, explain, explain_lines, find_documents, list_classified
from aieco.cli import main
from aieco.errors import InputError, UnknownName
from aieco.sources.fields import normalise_symbol
from conftest import shared_path

HERE = Path(__file__).resolve().parent / "fixtures" / "classify"
GOLDEN = yaml.safe_load((HERE / "golden.yaml").read_text("utf-8"))["documents"]


def load_golden(store) -> None:
    con = store.con
    for d in GOLDEN:
        con.execute("INSERT INTO documents (doc_id, run_id, source, office, number, kind, title, title_lang, "
                    "abstract) VALUES (?, 0, 'test', 'XX', ?, 'A1', ?, ?, ?)",
                    [d["id"], str(d["id"]), d.get("title"), d.get("title_lang"), d.get("abstract")])
        for scheme in ("cpc", "ipc"):
            for i, sym in enumerate(d.get(scheme, [])):
                con.execute("INSERT INTO classifications (doc_id, run_id, scheme, symbol, symbol_norm, seq) "
                            "VALUES (?, 0, ?, ?, ?, ?)", [d["id"], scheme, sym, normalise_symbol(sym), i])


@pytest.fixture(scope="module")
def golden_store(tmp_path_factory):
    from aieco.store import open_store

    store = open_store(tmp_path_factory.mktemp("golden") / "g.duckdb")
    load_golden(store)
    test_def = load_definition_file(HERE / "test-def.yaml")
    classify(store, [test_def, *load_definitions()])
    yield store
    store.close()


def _expectations():
    for d in GOLDEN:
        for definition, cats in d["expect"].items():
            yield pytest.param(d["id"], definition, sorted(cats), id=f"doc{d['id']}-{definition}")


@pytest.mark.parametrize(("doc_id", "definition", "expected"), list(_expectations()))
def test_golden(golden_store, doc_id, definition, expected):
    got = golden_store.query("SELECT category FROM classified WHERE doc_id = ? AND definition = ? ORDER BY 1",
                             [doc_id, definition])
    assert sorted(r[0] for r in got) == expected


def test_rows_carry_version_and_rule(golden_store):
    rows = golden_store.query_dicts("SELECT * FROM classified WHERE doc_id = 61 AND definition = 'cset-1790' "
                                    "ORDER BY category")
    assert [r["version"] for r in rows] == [get_definition("cset-1790").version] * 2
    assert rows[1]["rule"].startswith("CPC/IPC code G06N 7/005 or its successor G06N 7/01 [cset-1790.yaml:")


def test_reclassify_replaces_rows(golden_store):
    before = golden_store.scalar("SELECT count(*) FROM classified WHERE definition = 'genai'")
    classify(golden_store, [get_definition("genai")])
    assert golden_store.scalar("SELECT count(*) FROM classified WHERE definition = 'genai'") == before
    assert golden_store.scalar("SELECT count(*) FROM classified WHERE definition = 'test-def'") > 0


def test_explain_in_words(golden_store):
    entries = explain(golden_store, "XX 62 A1", [get_definition("cset-1790")])
    text = "\n".join(explain_lines(entries))
    assert "AI patent, because:" in text
    assert "CPC code H04N 21/4663 matched CPC H04N21/4663" in text
    assert "category probabilistic_reasoning" in text
    not_ai = explain(golden_store, "XX63A1", [get_definition("genai")])
    assert explain_lines(not_ai)[0].endswith("not AI (no rule of the universe matched)")
    kw = explain(golden_store, "69", [get_definition("cset-1790")])[0]
    assert any("“deep learning”" in m for r in kw["universe"] for m in r["matched"])


def test_find_documents_errors(golden_store):
    assert find_documents(golden_store, "xx 60 a1") == [60]
    with pytest.raises(UnknownName):
        find_documents(golden_store, "US 123 B1")
    with pytest.raises(InputError):
        find_documents(golden_store, "not a document!")


def test_list_and_counts(golden_store):
    rows = list_classified(golden_store, "genai", "")
    assert {(r["office"], r["number"]) for r in rows} == {("XX", "6"), ("XX", "65"), ("XX", "70")}
    c = {(r["definition"], r["category"]): r["documents"] for r in counts(golden_store, "core-ai-cpc")}
    assert c[("core-ai-cpc", "")] == 15


def test_cli(tmp_path, capsys):
    from aieco.store import open_store

    db = tmp_path / "cli.duckdb"
    with open_store(db) as store:
        load_golden(store)
    main(["--db", str(db), "definitions", "--format", "json"])
    defs = json.loads(capsys.readouterr().out)
    assert {d["id"] for d in defs} >= {"cset-1790", "core-ai-cpc", "genai", "cset-1790-zh"}
    assert all({"id", "version", "categories"} <= set(d) for d in defs)
    assert {"id": "agriculture", "title": "Agriculture", "dimension": "application_field"} in next(
        d for d in defs if d["id"] == "cset-1790")["categories"]
    main(["--db", str(db), "classify", "--definition", "genai", "--format", "json"])
    assert json.loads(capsys.readouterr().out)[0]["ai_documents"] == 3
    main(["--db", str(db), "classified", "--definition", "genai", "--format", "csv"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("office,number,kind,definition,version,category")
    assert len(out) == 1 + 3 + 3   # header, universe rows, category rows
    main(["--db", str(db), "explain", "XX 65 A1", "-d", "genai"])
    assert "keyword “generative +1w adversarial” in title or abstract matched title: “generative adversarial”" \
        in capsys.readouterr().out
    with pytest.raises(SystemExit) as ex:
        main(["--db", str(db), "classify", "--definition", "nope"])
    assert ex.value.code == 2
    assert "unknown definition 'nope'" in capsys.readouterr().err


@pytest.mark.shared
def test_lens_drones_counts(tmp_path):
    """The real Lens drones export: AI documents per definition (the figures in docs/definitions.md)."""
    from aieco.sources import reader_for
    from aieco.store import open_store
    from aieco.store.ingest import ingest

    path = shared_path("lens", "drones_fulltext_families_5884.csv")
    with open_store(tmp_path / "lens.duckdb") as store:
        ingest(store, reader_for("lens"), path)
        results = {r["definition"]: r for r in classify(store, load_definitions())}
        ai = {k: v["ai_documents"] for k, v in results.items()}
        assert ai == {"core-ai-cpc": 81, "cset-1790": 132, "cset-1790-zh": 132, "genai": 0}
        cats = results["cset-1790"]["categories"]
        assert (cats["agriculture"], cats["machine_learning"], cats["transportation"]) == (8, 89, 44)
        lines = explain_lines(explain(store, "US 20160217228 A1", [get_definition("cset-1790")]))
        assert "G06N 5" in lines[1]


# ---- the set-based compiler (one join for all symbol leaves, one pass per phase for keyword leaves, one
# statement for all OR-of-leaves categories) against each rule evaluated on its own, on random data ----------

from unittest.mock import patch  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from aieco.classify import compiler  # noqa: E402
from aieco.classify.compiler import _Leaves, base_tables_sql, drop_work_tables, rule_text  # noqa: E402
from aieco.classify.rules import (  # noqa: E402
    AllRule,
    AnyRule,
    KeywordRule,
    NotRule,
    RangeRule,
    SymbolRule,
    Tables,
)
from aieco.model import Category, Definition  # noqa: E402

_SYMS = ["G06N3/08", "G06N3/126", "G06N5/022", "G06N20/00", "G06K9/62", "G10L15/16", "A47J37/00", "A01B1/00",
         "G05D1/0088", "H04L9/32", "G06F17/28", "G06F40/30", "B64C39/024"]
_PATTERNS = ["G06N 3/02*", "G06N 20*", "G06N 5/02*", "G06K 9*", "G10L*", "A4*", "G05*", "G06N 3/08", "G06F 17/2*",
             "H04L 9/32", "B64C 39/024", "G06*"]
# Words in several cases and with punctuation; U+0130 and U+212A lower-case to ASCII letters (i, k).
_WORDS = ["neural", "network", "net", "machine", "learning", "deep", "fuzzy", "logic", "drone", "image", "data",
          "NEURAL", "Net,", "(deep", "learning.", "neural-net", "logicprogram", "logic-program", "knowledge",
          "graph", "knowledge-graph", "\u0130MAGE", "\u212aNOWLEDGE", "svm", "SVMs", "nonfuzzy", "e-learning",
          "人工智能", "基于AI的", "said", "神经网络"]
_KEYWORDS = ["neural +1w net*", "machine* /1w learn*", "deep +1w learn*", "fuzzy*", "Logic(?)program*", "data",
             "image +2w data", "knowledge(-)graph*", "SVM", "e-learning", "image"]

_leaf = st.one_of(
    st.builds(lambda p, s: SymbolRule(pattern=p, schemes=s), st.sampled_from(_PATTERNS),
              st.sampled_from([("cpc",), ("ipc",), ("cpc", "ipc")])),
    st.builds(lambda a, b: RangeRule(low=min(a, b, key=_key), high=max(a, b, key=_key)),
              st.sampled_from(_PATTERNS[:4]), st.sampled_from(_PATTERNS[:4])),
    st.builds(lambda t, f: KeywordRule(terms=t, fields=f), st.lists(st.sampled_from(_KEYWORDS), min_size=1,
              max_size=2, unique=True).map(tuple), st.sampled_from([("title",), ("abstract",), ("title", "abstract")])),
    # Chinese terms (as written, "AI" too) apply to Chinese text only.
    st.builds(lambda t, f: KeywordRule(terms=t, fields=f, lang="zh"), st.lists(st.sampled_from(
              ["人工智能", "AI", "神经网络"]), min_size=1, max_size=2, unique=True).map(tuple),
              st.sampled_from([("title",), ("title", "abstract")])),
)


def _key(p):
    from aieco.classify.symbols import pattern_interval
    return pattern_interval(p)


_rule = st.recursive(_leaf, lambda inner: st.one_of(
    st.builds(lambda rs: AnyRule(rules=tuple(rs)), st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda rs: AllRule(rules=tuple(rs)), st.lists(inner, min_size=1, max_size=2)),
    st.builds(lambda r: NotRule(rules=(r,)), inner)), max_leaves=4)
_flat_rule = st.one_of(_leaf, st.builds(lambda rs: AnyRule(rules=tuple(rs)), st.lists(_leaf, min_size=1, max_size=3)))
_doc = st.fixed_dictionaries({
    "title_lang": st.sampled_from([None, None, "en", "zh"]),
    "title": st.lists(st.sampled_from(_WORDS), max_size=5).map(" ".join),
    "abstract": st.lists(st.sampled_from(_WORDS), max_size=8).map(" ".join),
    "cpc": st.lists(st.sampled_from(_SYMS), max_size=3), "ipc": st.lists(st.sampled_from(_SYMS), max_size=2)})


@pytest.fixture(scope="module")
def scratch_store(tmp_path_factory):
    from aieco.store import open_store

    store = open_store(tmp_path_factory.mktemp("parity") / "p.duckdb")
    yield store
    store.close()


def _reference(con, d):
    """Each rule's own SQL (no shared hits), label = the first leaf (file order) matching on its own."""
    def plain(leaf):
        # Keyword leaves by their regular expression alone: none of the compiler's substring shortcuts.
        if not isinstance(leaf, KeywordRule):
            return None
        rx = "'" + leaf.regex().replace("'", "''") + "'"
        chinese = "({f}_lang LIKE 'zh%' OR ({f}_lang IS NULL AND regexp_matches({f}, '[\u4e00-\u9fff]'))) AND "
        return "SELECT doc_id FROM classify_texts WHERE " + " OR ".join(
            (chinese.format(f=f) if leaf.lang == "zh" else "") + f"regexp_matches({f}, {rx})" for f in leaf.fields)

    full = Tables(keys="classify_keys_k", texts="classify_texts", docs="classify_docs", leaf_sql=plain)
    uni = {r[0] for r in con.execute(" UNION ".join(f"({r.to_sql(full)})" for r in d.universe)).fetchall()}
    own = {}

    def first_leaf(doc, rules):
        for leaf in _Leaves.of(rules).rules:
            if id(leaf) not in own:
                own[id(leaf)] = {x[0] for x in con.execute(leaf.to_sql(full)).fetchall()}
            if doc in own[id(leaf)]:
                return rule_text(leaf)
        return None

    out = {(doc, "", first_leaf(doc, d.universe)) for doc in uni}
    con.execute("CREATE OR REPLACE TEMP TABLE ref_universe AS SELECT unnest(?::BIGINT[]) AS doc_id", [sorted(uni)])
    scoped = Tables(keys="classify_keys_k", texts="classify_texts", docs="ref_universe", leaf_sql=plain)
    hit: dict[str, set[int]] = {}
    for c in d.categories:
        if not c.otherwise:
            got = {r[0] for r in con.execute(" UNION ".join(f"({r.to_sql(scoped)})" for r in c.rules)).fetchall()}
            hit[c.id] = got & uni
            out |= {(doc, c.id, first_leaf(doc, c.rules)) for doc in hit[c.id]}
    for c in d.categories:
        if c.otherwise:
            others = set().union(*(hit[o.id] for o in d.categories if o.dimension == c.dimension and not o.otherwise))
            out |= {(doc, c.id, None) for doc in uni - others}
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=st.lists(_doc, min_size=1, max_size=12), universe=st.lists(_rule, min_size=1, max_size=3),
       flat=st.lists(_flat_rule, min_size=0, max_size=3), nested=st.lists(_rule, min_size=0, max_size=2))
def test_set_based_compiler_equals_rules_on_their_own(scratch_store, docs, universe, flat, nested):
    con = scratch_store.con
    con.execute("DELETE FROM classified")
    con.execute("DELETE FROM classifications")
    con.execute("DELETE FROM documents")
    for i, doc in enumerate(docs):
        con.execute("INSERT INTO documents (doc_id, run_id, source, office, number, kind, title, abstract, "
                    "title_lang) VALUES (?, 0, 'test', 'XX', ?, 'A1', ?, ?, ?)",
                    [i, str(i), doc["title"], doc["abstract"], doc["title_lang"]])
        for scheme in ("cpc", "ipc"):
            for j, sym in enumerate(doc[scheme]):
                con.execute("INSERT INTO classifications (doc_id, run_id, scheme, symbol, symbol_norm, seq) "
                            "VALUES (?, 0, ?, ?, ?, ?)", [i, scheme, sym, sym, j])
    cats = ([Category(id=f"f{i}", title="", dimension="a", rules=(r,)) for i, r in enumerate(flat)]
            + [Category(id=f"n{i}", title="", dimension="a", rules=(r,)) for i, r in enumerate(nested)]
            + [Category(id="other", title="", dimension="a", otherwise=True)])
    d = Definition(id="p", version="1", title="", citation="", cpc_version="", universe=tuple(universe),
                   categories=tuple(cats))
    got = []
    # DuckDB's scan with the keyword statements in one part, then Arrow's with them in three (one per thread).
    for arrow_from, threads in ((compiler.ARROW_SCAN_MIN_DOCUMENTS, "1"), (0, "3")):
        with patch.object(compiler, "ARROW_SCAN_MIN_DOCUMENTS", arrow_from), \
                patch.dict("os.environ", {"AIECO_THREADS": threads}):
            classify(scratch_store, [d])
        got.append(set(con.execute("SELECT doc_id, category, rule FROM classified").fetchall()))
    for sql in base_tables_sql():
        con.execute(sql)
    try:
        assert got[0] == got[1] == _reference(con, d)
    finally:
        drop_work_tables(con)


def _generated_store(path, n: int):
    """A store of N generated documents dense in AI words and codes (deterministic)."""
    from aieco.store import open_store

    words = ("system method device neural network networks deep learning machine learn fuzzy logic program "
             "model semantic markov probability random forest decision tree support vector genetic algorithm "
             "artificial intelligence generative adversarial diffusion large language image data drone").split()
    codes = ["G06N3/08", "G06N20/00", "G06N5/022", "G06K9/6256", "G06V20/13", "G06F17/289", "G06N7/005",
             "A01B79/005", "A61B5/7267", "G05D1/0088", "H04L9/32", "B64C39/024", "G06N3/0475", "G10L15/16"]
    store = open_store(path)
    con = store.con
    con.execute("SELECT setseed(0.7)")
    pick = f"{words}[1 + floor(random() * {len(words)})::INT]"
    con.execute(f"""INSERT INTO documents (doc_id, run_id, source, office, number, kind, title, abstract)
        SELECT i, 0, 'gen', 'XX', i::VARCHAR, 'A1',
               upper(array_to_string(list_transform(range(6), lambda x: {pick}), ' ')),
               array_to_string(list_transform(range(30), lambda x: {pick}), ' ') FROM range({n}) t(i)""")
    con.execute(f"""INSERT INTO classifications (doc_id, run_id, scheme, symbol, symbol_norm, seq)
        SELECT i, 0, CASE WHEN k = 2 THEN 'ipc' ELSE 'cpc' END, c, c, k FROM (
            SELECT i, k, {codes}[1 + floor(random() * {len(codes)})::INT] AS c FROM range({n}) t(i), range(3) u(k)
            WHERE random() < 0.1)""")
    con.execute("CHECKPOINT")
    return store


def test_classify_is_deterministic_across_threads_and_runs(tmp_path, monkeypatch):
    """The same documents give the same rows (document, definition, category, rule) with one thread or two,
    run after run, with Arrow's scan or DuckDB's (one early benchmark run once disagreed; this guards it)."""
    import shutil

    from aieco.store import open_store

    _generated_store(tmp_path / "a.duckdb", 30_000).close()
    shutil.copy(tmp_path / "a.duckdb", tmp_path / "b.duckdb")
    defs = [get_definition(d) for d in ("cset-1790", "cset-1790-zh", "genai", "core-ai-cpc")]
    rows = []
    for name, threads, arrow_from in (("a", "1", 0), ("b", "2", 0), ("b", "2", 0), ("b", "2", 10**9)):
        monkeypatch.setenv("AIECO_THREADS", threads)
        monkeypatch.setattr(compiler, "ARROW_SCAN_MIN_DOCUMENTS", arrow_from)
        with open_store(tmp_path / f"{name}.duckdb") as store:
            classify(store, defs)
            rows.append(store.con.execute("SELECT doc_id, definition, category, rule FROM classified "
                                          "ORDER BY ALL").fetchall())
    assert len(rows[0]) > 10_000
    assert rows[0] == rows[1] == rows[2] == rows[3]


def test_keyword_scan_edge_cases(tmp_path):
    """The case-insensitive scan keeps texts that only lower-case into a match (İ → i, Kelvin sign → k), and
    Chinese terms apply to Chinese text only: by its language, or, when unknown, by its script."""
    from aieco.store import open_store

    texts = {1: ("\u0130MAGE DATA", None), 2: ("\u212aNOWLEDGE GRAPH", None), 3: ("AI system", "zh"),
             4: ("said to maintain", None), 5: ("基于AI的方法", None), 6: ("AI system", "en"), 7: ("Image", "en"),
             8: ("nonimage", None)}
    d = Definition(id="edge", version="1", title="", citation="", cpc_version="", universe=(
        KeywordRule(terms=("image",), fields=("title",)),
        KeywordRule(terms=("knowledge +1w graph*",), fields=("title",)),
        KeywordRule(terms=("AI",), fields=("title",), lang="zh")), categories=())
    with open_store(tmp_path / "e.duckdb") as store:
        for i, (title, lang) in texts.items():
            store.con.execute("INSERT INTO documents (doc_id, run_id, source, office, number, kind, title, "
                              "title_lang) VALUES (?, 0, 't', 'XX', ?, 'A1', ?, ?)", [i, str(i), title, lang])
        for arrow_from in (compiler.ARROW_SCAN_MIN_DOCUMENTS, 0):   # DuckDB's scan, then Arrow's
            with patch.object(compiler, "ARROW_SCAN_MIN_DOCUMENTS", arrow_from):
                classify(store, [d])
            got = {r[0] for r in store.con.execute("SELECT doc_id FROM classified").fetchall()}
            assert got == {1, 2, 3, 5, 7}


def test_an_extending_definition_reuses_its_base_with_the_same_rows(tmp_path):
    """A definition that extends another gives the same rows (document, category, rule) when it runs alone
    and when its base ran before it in the same run (its base's rows reused, only the documents its own rules
    add classified): on generated documents with Chinese texts, for the shipped cset-1790-zh, and for test
    definitions with non-flat and `otherwise` categories, with the categories shared or one added."""
    from aieco.classify.compiler import extended
    from aieco.classify.definitions import load_definition_text

    nested = load_definition_file(HERE / "test-def.yaml")   # its universe has an `all`: not reused
    # test-def's universe without its `all` rule (an OR of leaves), with its categories (flat, `not`, otherwise).
    text = (HERE / "test-def.yaml").read_text("utf-8")
    # A category of codes outside the universe: its hits for the documents only the extension adds count.
    base = load_definition_text(text.replace('  - all:\n      - symbol: B64C*\n      - keyword: "autonomous"\n', "")
                                + "  - id: drones\n    title: D\n    dimension: field3\n    rules:\n"
                                  "      - symbol: B64C*\n", "test-flat.yaml")
    assert len(base.universe) == len(nested.universe) - 1
    ext_text = ("id: test-ext\nextends: test-def\nversion: e1\ntitle: t\ncitation: c\nuniverse:\n"
                "  - keyword: fuzzy*\n  - symbol: B64C*\n  - keyword: ['人工智能']\n    lang: zh\n")
    ext = load_definition_text(ext_text, "test-ext.yaml", {"test-def": base})
    added = load_definition_text(ext_text.replace("test-ext", "test-add") + (
        "categories:\n  - id: fuzzy\n    title: F\n    dimension: technique2\n    rules:\n      - keyword: fuzzy*\n"),
        "test-add.yaml", {"test-def": base})
    on_nested = load_definition_text(ext_text, "test-ext.yaml", {"test-def": nested})
    zh, cset = get_definition("cset-1790-zh"), get_definition("cset-1790")
    assert extended(zh, [cset]) is cset and extended(ext, [base]) is base and extended(added, [base]) is base
    assert extended(cset, [zh, base]) is None and extended(on_nested, [nested]) is None

    store = _generated_store(tmp_path / "x.duckdb", 20_000)
    chinese = ["基于人工智能的深度学习方法", "神经网络 NEURAL NETWORK", "深度學習 系统", "无人机 fuzzy logic",
               "人工智能"]
    for i, title in enumerate(chinese * 40):
        doc = 10**6 + i
        store.con.execute("INSERT INTO documents (doc_id, run_id, source, office, number, kind, title, title_lang, "
                          "abstract) VALUES (?, 0, 'zh', 'CN', ?, 'A', ?, ?, ?)",
                          [doc, str(doc), title, "zh" if i % 3 else None, "机器学习 machine learning" * (i % 2)])
        for code in ("G06N3/08",) * (i % 4 == 0) + ("B64C39/024",) * (i % 5 == 1):
            store.con.execute("INSERT INTO classifications (doc_id, run_id, scheme, symbol, symbol_norm, seq) VALUES "
                              "(?, 0, 'cpc', ?, ?, 0)", [doc, code, code])

    def rows(defs, of):
        classify(store, defs)
        return store.con.execute("SELECT doc_id, category, rule FROM classified WHERE definition = ? ORDER BY ALL",
                                 [of]).fetchall()

    for extension, its_base in ((zh, cset), (ext, base), (added, base), (on_nested, nested)):
        alone = rows([extension], extension.id)
        assert len(alone) > 1000 and any(doc >= 10**6 and cat == "" for doc, cat, _ in alone)
        assert rows([its_base, extension], extension.id) == alone
        assert rows([extension, its_base], extension.id) == alone   # run after its base all the same
    results = classify(store, [zh, cset])
    assert [r["definition"] for r in results] == ["cset-1790-zh", "cset-1790"]   # in the order asked for
    store.close()
