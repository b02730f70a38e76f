"""The checker on a fake method grid (dependency injection), bad input, and the real article + CSET data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aieco.claims import check, read_text
from aieco.claims.check import decode_text
from aieco.claims.verdicts import catalogue
from aieco.errors import InputError
from aieco.results import MoneyConversion

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fake_grid(store, *, country=None, group=None, years=None, **kw):
    """Two methods for Korea, 2010–2019: 1,000 documents of 10,000 (10%), 400 families of 2,000 (20%)."""
    if country != "KR":
        return []
    period = f"{years[0]}-{years[1]}" if years else "2010-2019"
    scale = 0.5 if years else 1.0
    return [
        {
            "subject": "KR",
            "source": "fake",
            "unit": "document",
            "attribution": "office",
            "counting": "whole",
            "date_basis": "priority",
            "definition": "d",
            "definition_version": "1",
            "category": None,
            "period": period,
            "value": 1000 * scale,
            "world": 10000 * scale,
            "share": 0.10,
            "incomplete_years": [],
            "source_sha256": "abc",
        },
        {
            "subject": "KR",
            "source": "fake",
            "unit": "family",
            "attribution": "priority-office",
            "counting": "whole",
            "date_basis": "priority",
            "definition": "d",
            "definition_version": "1",
            "category": None,
            "period": period,
            "value": 400 * scale,
            "world": 2000 * scale,
            "share": 0.20,
            "incomplete_years": [2019],
            "source_sha256": "abc",
        },
    ]


def fake_refused(store, **kw):
    return [
        {
            "unit": "granted-family",
            "attribution": "inventor",
            "counting": "whole",
            "reason": "no inventor countries",
        }
    ]


def _check(text):
    return check(text, object(), grid_fn=fake_grid, refused_fn=fake_refused).claims


def test_catalogue_has_the_six_verdicts():
    assert set(catalogue()) == {
        "supported",
        "supported-under-some-methods",
        "contradicted",
        "not-checkable-with-loaded-data",
        "matches-published-figure",
        "ambiguous",
    }


def test_supported_some_contradicted():
    [r] = _check("Between 2010 and 2019, Korea filed more than 300 AI patents.")
    assert r.verdict == "supported" and all(m.reproduces for m in r.evidence.methods)
    # 2019 is incomplete for families: their 400 is a floor, which cannot contradict "about 1,000"
    [r] = _check("Between 2010 and 2019, Korea filed about 1,000 AI patents.")
    assert r.verdict == "supported" and [m.reproduces for m in r.evidence.methods] == [True, None]
    [r] = _check("Between 2010 and 2018, Korea filed about 500 AI patents.")
    assert r.verdict == "supported-under-some-methods" and "document" in r.message
    [r] = _check("Between 2010 and 2019, Korea filed nearly 50,000 AI patents.")
    assert r.verdict == "contradicted"
    assert r.evidence.range.min == 400 and r.evidence.methods[0].source_sha256 == "abc"
    assert r.evidence.refused[0].reason == "no inventor countries"


def test_share_and_sub_period():
    [r] = _check("Korea holds nearly 20% of all global AI patent families for 2010–2018.")
    assert r.interval.label == "[18, 20)" and r.verdict == "contradicted"  # the data gives 20.0%
    # 2019 is incomplete for families: a share with incomplete years may move either way, so it cannot contradict
    [r] = _check("Korea holds nearly 20% of all global AI patent families for 2010–2019.")
    assert r.verdict == "not-checkable-with-loaded-data" and "may move the share" in r.message
    [r] = _check("Korea holds about 20% of all global AI patent families for 2010–2019.")
    assert r.verdict == "supported" and [m.unit for m in r.evidence.methods] == ["family"]
    [r] = _check("From 2012 to 2015 Korea published about 500 AI patent documents.")
    assert r.evidence.methods[0].period == "2012-2015" and r.verdict == "supported"
    assert [m.unit for m in r.evidence.methods] == ["document"]


def test_not_checkable_says_what_is_missing():
    [r] = _check("By the end of 2024, Korea had filed more than 2,000 AI patents.")
    assert r.verdict == "not-checkable-with-loaded-data"
    assert "covers 2010–2019" in r.message and "2024" in r.message
    # a period past the data is decided on the covered part when that part alone decides it, and says so
    [r] = _check("By the end of 2024, Korea had filed more than 300 AI patents.")
    assert r.verdict == "supported" and "covers only 2010-2019" in r.message
    [r] = _check("In 2015, Peru filed about 3 AI patents.")
    assert r.verdict == "not-checkable-with-loaded-data" and "no rows for PE" in r.message
    [r] = check("In 2015, Korea filed about 300 AI patents.", None).claims
    assert "no store" in r.message


def test_ambiguous_without_a_measure():
    [r] = _check("In 2015, Korea reported 42 of them.")
    assert r.verdict == "ambiguous"


def test_ledger_match_is_reported_apart():
    [r] = _check("As of 2025, China has more than 1.5 million AI patent applications.")
    assert r.ledger.verdict == "matches-published-figure"
    assert r.ledger.matches[0].id == "nda-cnipa-2025-cn-ai-applications"
    assert r.verdict == "not-checkable-with-loaded-data"  # the data verdict stays separate


@pytest.mark.parametrize(
    ("data", "msg"),
    [(b"", "empty"), (b"  \n", "empty"), (b"\x00\x01\x02abc", "binary"), (b"\xff\xfe\xfa text", "UTF-8")],
)
def test_bad_bytes(data, msg):
    with pytest.raises(InputError, match=msg):
        decode_text(data)


def test_huge_file_is_refused_quickly(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # 100 MB, sparse: generated, never committed
        fh.truncate(100 * 1024 * 1024)
    with pytest.raises(InputError, match="more than 1,000,000 bytes"):
        read_text(big)


def test_cli_errors_are_one_line(tmp_path, capsys):
    from aieco.cli import main

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(SystemExit) as ex:
        main(["--db", str(tmp_path / "none.duckdb"), "check", str(empty)])
    assert ex.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "empty" in err


def test_large_text_runs_bounded():
    """A long text is checked whole up to the claims bound (no timing here: the cost per claim is the store's,
    measured in the comment at MAX_CLAIMS); one claim more is a one-line InputError before any checking."""
    text = "In 2015, Korea filed about 1,000 AI patents, nearly 10% of all global applications. " * 1200
    result = check(text, object(), grid_fn=fake_grid)
    assert len(result.claims) == 2400 and sum(result.counts.values()) == 2400
    with pytest.raises(InputError, match="holds 2,400 claims; the checker checks up to 2,399"):
        check(text, object(), grid_fn=fake_grid, max_claims=2399)


def test_article_with_real_data(tmp_path, capsys):
    pytest.importorskip("aieco.measure.grid", reason="aieco.measure.grid (the method grid) is not built yet")
    from aieco.cli import main
    from conftest import SHARED, shared_path

    zipped = shared_path("cset-1790", "patent_database-7b5b096.csv.zip")
    db = str(tmp_path / "a.duckdb")
    main(["--db", db, "ingest", "cset1790", str(zipped)])
    capsys.readouterr()
    article = SHARED / "articles" / "china-ai-ecosystem.txt"
    main(["--db", db, "check", str(article), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    # the CLI prints the library's result: the same object, schema 2 (the claims, the text's date and counts)
    from aieco.store import open_store

    with open_store(db, read_only=True) as store:
        result = check(read_text(article), store, name=article.name)
    assert out == json.loads(json.dumps(result.to_dict()))
    assert out["schema"] == 2 and out["text_date"] == "2025-04-30" and out["name"] == "china-ai-ecosystem.txt"
    assert out["counts"] == {"not-checkable-with-loaded-data": 6} and out["ledger_matches"] == 5
    rows = out["claims"]
    by_text = {r["text"]: r for r in rows}
    assert all({"text", "start", "end", "kind", "interval", "verdict", "evidence"} <= set(r) for r in rows)
    pair = by_text["nearly 600 billion yuan"]["conversion"]
    assert pair["implied_rate"] == pytest.approx(7.19, abs=0.001)
    assert 81.5e9 < pair["period"]["converted_min"] < pair["period"]["converted_max"] < 82.7e9
    patents = by_text["more than 1.5 million AI-related patents"]
    assert patents["verdict"] == "not-checkable-with-loaded-data"
    assert patents["ledger"]["matches"][0]["id"] == "nda-cnipa-2025-cn-ai-applications"
    share = by_text["nearly 40% of all global applications"]
    assert share["verdict"] == "not-checkable-with-loaded-data" and share["evidence"]["methods"]
    assert all(m["source_sha256"] for m in share["evidence"]["methods"])
    assert "firm registry" in by_text["Over 400 “little giant” firms"]["message"]
    assert "DeepSeek" in by_text["Among them is DeepSeek"]["message"]


UTF16_TEXTS = [
    "China filed nearly 40% of the world's AI patent applications in 2023.\n",
    "2024年中国人工智能专利申请超过150万件，约占全球的40%。\n",
]


@pytest.mark.parametrize("text", UTF16_TEXTS)
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])  # "utf-16" writes a BOM
def test_utf16_is_read_as_text(tmp_path, text, encoding):
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    assert read_text(path) == text
    assert decode_text(text.encode(encoding)) == text


def test_utf16_article_gets_the_same_claims_as_utf8(tmp_path):
    text = UTF16_TEXTS[0]
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode("utf-16"))
    assert _check(read_text(path)) == _check(text)


@pytest.mark.parametrize(
    "data",
    [
        "abc".encode("utf-16-le")[:-1] + b"\x00\x00\x00",  # a NUL character: binary
        b"\xff\xfe" + b"\x01\x00\x02\x00",  # a BOM then control characters: not text
        b"\x00\x01\x00\x02abc\x00",  # NULs on both sides: binary
    ],
)
def test_utf16_lookalikes_are_refused(data):
    with pytest.raises(InputError, match="binary|UTF-16|UTF-8"):
        decode_text(data)


# --- FRED annual-average rates beside the ECB days (brief step 4) -----------------------------------------

SEED_PAIR = "As of April 2025, China’s core AI industry reached nearly 600 billion yuan ($83.45 billion)."


def _pair(text: str, store=None) -> MoneyConversion:
    rows = check(text, store, grid_fn=fake_grid).claims
    return next(r.conversion for r in rows if r.conversion is not None)


def test_seed_pair_at_fred_annual_averages_real_file(monkeypatch):
    import hashlib

    from conftest import SHARED, shared_path

    fred = shared_path("fred-fx", "yearly.csv")
    monkeypatch.setenv("AIECO_FRED_RATES", str(fred))
    article = SHARED / "articles" / "china-ai-ecosystem.txt"
    rows = check(read_text(article), None, grid_fn=fake_grid).claims
    pair = next(r.conversion for r in rows if r.text == "nearly 600 billion yuan")
    assert pair is not None
    by_year = {f.year: f for f in pair.annual_average}
    assert list(by_year) == [2025, 2024]  # the article's year (April 2025) and the year before
    sha = hashlib.sha256(fred.read_bytes()).hexdigest()
    assert {f.source_sha256 for f in by_year.values()} == {sha}
    assert by_year[2025].rate == pytest.approx(7.1875) and by_year[2024].rate == pytest.approx(7.1957)
    # 600 bn / 7.1875 = 83.48 bn: the rate quoted as 7.19 (implied 7.1899) -> reproduced at two decimals;
    # 600 bn / 7.1957 = 83.38 bn: neither within the rounding of 83.45 nor quoted as 7.19
    assert by_year[2025].converted == pytest.approx(83.478e9, rel=1e-4)
    assert (by_year[2025].matches, by_year[2025].matches_quoted) == (False, True)
    assert by_year[2024].converted == pytest.approx(83.383e9, rel=1e-4)
    assert (by_year[2024].matches, by_year[2024].matches_quoted) == (False, False)
    assert "FRED annual-average rates: 2025 7.1875 CNY per USD gives 83.48 billion USD" in pair.message
    assert f"sha256 {sha[:12]}" in pair.message


def test_fred_rate_reproducing_exactly_is_reported(monkeypatch):
    monkeypatch.setenv("AIECO_FRED_RATES", str(FIXTURES / "fred" / "yearly-cny.csv"))
    fred = {f.year: f for f in _pair(SEED_PAIR).annual_average}
    assert fred[2024].matches and not fred[2025].matches and not fred[2025].matches_quoted


def test_year_missing_from_fred_file_is_said(monkeypatch, tmp_path):
    f = tmp_path / "yearly.csv"
    f.write_text("Date,Country,Value\n2025-01-01,China,7.1875\n", encoding="utf-8")
    monkeypatch.setenv("AIECO_FRED_RATES", str(f))
    fred = {x.year: x for x in _pair(SEED_PAIR).annual_average}
    assert fred[2025].matches_quoted and "no annual-average CNY rate for 2024" in fred[2024].error


def test_no_fred_file_means_ecb_only(monkeypatch, tmp_path):
    monkeypatch.delenv("AIECO_FRED_RATES", raising=False)
    monkeypatch.setenv("AIECO_DATA_DIR", str(tmp_path))
    pair = _pair(SEED_PAIR)
    assert pair.annual_average == () and "FRED" not in pair.message


def test_fred_setting_naming_a_missing_file_is_one_line_error(monkeypatch, tmp_path):
    from aieco.errors import SettingError

    monkeypatch.setenv("AIECO_FRED_RATES", str(tmp_path / "nope.csv"))
    with pytest.raises(SettingError, match="AIECO_FRED_RATES="):
        _pair(SEED_PAIR)


def test_pair_no_ecb_day_gives_but_a_fred_average_does_is_some(monkeypatch, tmp_path):
    text = "As of April 2025, the market reached 600 billion yuan ($50.00 billion)."
    monkeypatch.setenv("AIECO_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("AIECO_FRED_RATES", raising=False)
    assert _pair(text).verdict == "contradicted"  # 12.00 CNY per USD: no ECB day ever had it
    f = tmp_path / "yearly.csv"
    f.write_text("Date,Country,Value\n2024-01-01,China,12.0000\n2025-01-01,China,7.1875\n", encoding="utf-8")
    monkeypatch.setenv("AIECO_FRED_RATES", str(f))
    pair = _pair(text)
    assert pair.verdict == "supported-under-some-methods"
    assert pair.message.startswith("1 FRED annual average(s) of ")
    assert [x.matches for x in pair.annual_average] == [False, True]


def test_a_claim_without_a_period_is_never_contradicted():
    """Read as cumulative to the text's date (a guess), a claim that states no period may be supported, never
    contradicted: "just 20 documents" may be one year's figure."""
    [r] = _check("Korea filed fewer than 100 AI patents.")
    assert r.verdict == "not-checkable-with-loaded-data" and "states no period" in r.message
    [r] = _check("Korea filed more than 300 AI patents.")
    assert r.verdict == "supported"


def test_that_year_is_the_period_of_the_sentence_before():
    from aieco.claims import extract

    [_, c] = extract("In 2015, Korea filed 844 AI patent documents. India's office received 20 that year.")
    assert c.subject == "IN" and (c.period.start, c.period.end) == ("2015-01-01", "2015-12-31")


# --- FRED annual averages from the store when it holds them (issue 13 part 5, step 1) ---------------------


def _ingest_fred(store, path):
    from aieco.sources import reader_for
    from aieco.store.ingest import ingest

    return ingest(store, reader_for("fred"), path).run


def test_stored_fred_rates_are_preferred_to_the_file(store, monkeypatch):
    """The store holds the fixture's averages (2024: 7.1899, which reproduces 83.45 bn exactly); the file the
    setting names (2024: 12.0) is not read: the evidence says the rates came from the stored run, with its sha256."""
    import hashlib

    run = _ingest_fred(store, FIXTURES / "fred" / "yearly-cny.csv")
    monkeypatch.setenv("AIECO_FRED_RATES", str(FIXTURES / "fred" / "yearly-cny.csv") + ".absent")
    pair = _pair(SEED_PAIR, store)
    by_year = {f.year: f for f in pair.annual_average}
    sha = hashlib.sha256((FIXTURES / "fred" / "yearly-cny.csv").read_bytes()).hexdigest()
    assert {f.rates_from for f in by_year.values()} == {"store"}
    assert {f.source_sha256 for f in by_year.values()} == {sha}
    assert {f.run_id for f in by_year.values()} == {run.run_id}
    assert by_year[2024].rate == pytest.approx(7.1899) and by_year[2024].matches
    assert f"stored run {run.run_id}, sha256 {sha[:12]}" in pair.message


def test_store_without_fred_rates_falls_back_to_the_file(store, monkeypatch, tmp_path):
    f = tmp_path / "yearly.csv"
    f.write_text("Date,Country,Value\n2024-01-01,China,7.1957\n2025-01-01,China,7.1875\n", encoding="utf-8")
    monkeypatch.setenv("AIECO_FRED_RATES", str(f))
    pair = _pair(SEED_PAIR, store)
    assert {x.rates_from for x in pair.annual_average} == {"file"}
    assert {x.source_file for x in pair.annual_average} == {str(f)}
    assert "stored run" not in pair.message


def test_stored_real_fred_rates_reproduce_the_seed_pair_at_2025(store, monkeypatch, tmp_path):
    from conftest import shared_path

    _ingest_fred(store, shared_path("fred-fx", "yearly.csv"))
    monkeypatch.setenv("AIECO_DATA_DIR", str(tmp_path))  # no file beside: only the store can answer
    monkeypatch.delenv("AIECO_FRED_RATES", raising=False)
    by_year = {f.year: f for f in _pair(SEED_PAIR, store).annual_average}
    assert by_year[2025].rate == pytest.approx(7.1875) and by_year[2025].matches_quoted
    assert by_year[2024].rate == pytest.approx(7.1957) and not by_year[2024].matches_quoted


# --- the typed result (issue 18): each claim's JSON keeps the keys of schema 1 --------------------------------

SCHEMA1_KEYS = {"text", "start", "end", "kind", "interval", "verdict", "verdict_title", "message", "ledger",
                "evidence", "subject", "subject_kind", "measure", "unit", "attribution", "date_basis", "category",
                "versus", "period", "provenance", "amounts", "links", "notes", "sentence"}  # fmt: skip
SERIES_KEYS = {"provider", "source", "unit", "attribution", "counting", "date_basis", "definition",
               "definition_version", "category", "source_sha256", "note"}  # fmt: skip


def test_the_result_is_typed_and_its_json_keeps_the_keys_of_schema_1():
    from aieco.results import CHECK_SCHEMA, CheckResult, MethodEvidence

    result = check("Korea holds about 20% of all global AI patent families for 2010–2019. " + SEED_PAIR,
                   object(), grid_fn=fake_grid, refused_fn=fake_refused)  # fmt: skip
    assert isinstance(result, CheckResult) and result.to_dict()["schema"] == CHECK_SCHEMA == 2
    assert result.counts == {"supported": 1, "not-checkable-with-loaded-data": 1} and result.text_date == "2025-04-30"
    share, money = result.claims
    assert all(isinstance(m, MethodEvidence) for m in share.evidence.methods)
    d = json.loads(json.dumps(result.to_dict()))
    for c, row in zip(result.claims, d["claims"], strict=True):
        assert set(row) == SCHEMA1_KEYS | ({"conversion"} if c.conversion is not None else set())
        assert row == c.to_dict()
    assert money.kind == "money" and money.conversion is not None and share.conversion is None
    ev = d["claims"][0]["evidence"]
    assert set(ev) == {"methods", "refused", "notes", "samples", "claim_period", "range", "context"}
    assert set(ev["methods"][0]) >= SERIES_KEYS | {"period", "compared", "reproduces", "why"}
    assert all(set(r) == {"source", "unit", "attribution", "counting", "category", "reason"} for r in ev["refused"])
    conv = d["claims"][1]["conversion"]  # the typed fields and the implied-rate remainder, side by side
    assert {"verdict", "message", "implied_rate", "rate_unit", "pair", "tiers", "annual_average", "period",
            "source", "converted", "ecb_coverage"} <= set(conv)  # fmt: skip
    assert "error" not in conv and [p["text"] for p in conv["pair"]] == ["nearly 600 billion yuan", "$83.45 billion"]


def test_an_indicator_claim_has_the_indicator_evidence_only():
    [r] = check("In 2022, 76% of people in China used the internet.", None).claims
    assert set(r.evidence.to_dict()) == {"measure"} and r.evidence.methods is None and r.evidence.series() == ()


def test_cli_table_renders_the_typed_result(tmp_path, capsys):
    """The table face: each claim with its data message and ledger line, then the counts, the text's date and
    sha256 (no store: every verdict is not checkable or ambiguous, none contradicted: exit 0)."""
    import hashlib

    from aieco.cli import main

    article = tmp_path / "a.txt"
    text = "As of April 2025, China holds nearly 40% of all global AI patent applications. " + SEED_PAIR
    article.write_text(text, encoding="utf-8")
    main(["--db", str(tmp_path / "none.duckdb"), "check", str(article)])
    out = capsys.readouterr().out
    result = check(text, None)
    assert len(result.claims) == 2 and out.count("  data: ") == 2 and out.count("  ledger: ") == 2
    assert "conversion (" in out and "matches-published-figure" not in out.split("  ledger: ")[0]
    tally = ", ".join(f"{k} {v}" for k, v in sorted(result.counts.items()))
    sha = hashlib.sha256(text.encode()).hexdigest()[:12]
    assert out.rstrip().endswith(f"2 claims ({tally}); text date {result.text_date}; sha256 {sha}")
