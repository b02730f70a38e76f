"""Linking applicants to registry firms: across scripts and legal forms, decoys below the threshold, on the
real Lens and USPTO applicants and on a fixture of real spellings in both scripts."""

from __future__ import annotations

import csv
import json
import math
import random
from pathlib import Path

import pytest

import aieco.firms.match as match_module
from aieco.errors import InputError, SettingError
from aieco.firms.creditcode import check_character
from aieco.firms.ingest import FirmsReader, ParatReader
from aieco.firms.match import KEY_RULE, M_PRIORS, U_PRIORS, _correct_u, _resolve_ambiguous, match_store, score
from aieco.firms.names import features
from aieco.firms.query import list_firms, show_firm
from aieco.settings import setting
from aieco.sources import reader_for
from aieco.store.ingest import ingest
from conftest import FIXTURES, shared_path
from test_ingest import aieco

REGISTRY = FIXTURES / "firms" / "little_giants.csv"
APPLICANTS = FIXTURES / "firms" / "applicants_lens.csv"
DJI, SENSETIME, DEEPSEEK = "91440300545822842Q", "91110108366979119U", "91330105MA2198344L"
DECOYS = {"91440300123456789Q", "91330106987654321B", "91110105111122223N"}  # 大江, 深海求索, 商汤餐饮


def _registry(store) -> None:  # type: ignore[no-untyped-def]
    ingest(store, FirmsReader(), REGISTRY, options={"registry": "little-giants"})


def _linked(store, registry: str = "little-giants") -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    out: dict[str, set[str]] = {}
    for firm_id, applicant in store.query(
        "SELECT firm_id, applicant FROM firm_links WHERE linked AND registry = ?", [registry]
    ):
        out.setdefault(firm_id, set()).add(applicant)
    return out


def test_fixture_spellings_link_across_scripts_and_forms(store) -> None:
    ingest(store, reader_for("lens"), APPLICANTS)
    _registry(store)
    summary = match_store(store)
    assert summary.threshold == float(setting("firm_match_threshold"))
    assert "u by declared priors" in summary.method  # 9 x 18 names: too few pairs to sample u from
    assert _linked(store) == {
        DJI: {"深圳市大疆创新科技有限公司", "深圳市大疆創新科技有限公司", "SZ DJI TECHNOLOGY CO., LTD."},
        SENSETIME: {"北京市商汤科技开发有限公司", "BEIJING SENSETIME TECHNOLOGY DEVELOPMENT CO LTD"},
        DEEPSEEK: {"杭州深度求索人工智能基础技术研究有限公司"},
    }
    # DJI's subsidiaries (大疆灵眸 / SZ DJI OSMO) and SenseTime's Shanghai company are other firms: scored, not linked
    near = {a: p for a, p in store.query("SELECT applicant, match_probability FROM firm_links WHERE NOT linked")}
    assert all(p < summary.threshold for p in near.values())
    assert "深圳市大疆灵眸科技有限公司" in near
    rows = {r.firm_id: r for r in list_firms(store)}
    assert (rows[DJI].applicants, rows[DJI].documents) == (3, 3)
    assert all(rows[d].applicants == 0 for d in DECOYS)


def test_every_link_has_its_levels(store) -> None:
    ingest(store, reader_for("lens"), APPLICANTS)
    _registry(store)
    match_store(store)
    model = json.loads(store.scalar("SELECT model FROM firm_match_runs ORDER BY match_id DESC LIMIT 1"))
    lam = model["probability_two_random_records_match"]
    prior = math.log2(lam / (1 - lam))
    for levels, weight in store.query("SELECT levels, match_weight FROM firm_links"):
        parsed = json.loads(levels)
        assert set(parsed) >= {"name", "pinyin", "place"}
        # the levels are what drove the score: their weights and the prior add up to the match weight
        assert sum(parsed[c]["weight"] for c in ("name", "pinyin", "place")) + prior == pytest.approx(weight, abs=0.01)
    detail = show_firm(store, "大疆")[0]
    traditional = next(x for x in detail.links if x.applicant == "深圳市大疆創新科技有限公司")
    assert traditional.levels["name"]["level"] == "key equal"  # t→s folding: the same key
    assert traditional.linked and traditional.match_probability >= 0.9


def test_homophones_are_ambiguous(store, tmp_path) -> None:
    """A romanised name that fits 大疆 and 大江 alike (same pinyin) is linked to neither; one that fits
    商汤科技开发 only is linked to it, across scripts."""
    with APPLICANTS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    path = tmp_path / "pinyin.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerow({**rows[0], "Applicants": "SHENZHEN DAJIANG CHUANGXIN KEJI YOUXIAN GONGSI"})
        writer.writerow({**rows[5], "Applicants": "北京市商汤科技开发有限公司"})
        # romanised: the pinyin of 商汤科技开发 (and not of the decoy 商汤餐饮管理)
        writer.writerow({**rows[6], "Applicants": "BEIJING SHANGTANG KEJI KAIFA YOUXIAN GONGSI"})
    ingest(store, reader_for("lens"), path)
    _registry(store)
    match_store(store)
    scored = store.query_dicts("SELECT firm_id, linked, levels FROM firm_links "
                               "WHERE applicant = 'SHENZHEN DAJIANG CHUANGXIN KEJI YOUXIAN GONGSI'")  # fmt: skip
    assert {r["firm_id"] for r in scored} >= {DJI, "91440300123456789Q"}
    assert not any(r["linked"] for r in scored)
    assert any("ambiguous" in json.loads(r["levels"]) for r in scored)
    assert _linked(store) == {SENSETIME: {"北京市商汤科技开发有限公司", "BEIJING SHANGTANG KEJI KAIFA YOUXIAN GONGSI"}}
    pinyin = store.scalar(
        "SELECT levels FROM firm_links WHERE applicant = 'BEIJING SHANGTANG KEJI KAIFA YOUXIAN GONGSI' AND firm_id = ?",
        [SENSETIME],
    )
    assert json.loads(pinyin)["pinyin"]["level"] == "pinyin equal"


def test_match_needs_a_registry_and_applicants(store) -> None:
    with pytest.raises(InputError, match="no firm registry is loaded"):
        match_store(store)
    _registry(store)
    with pytest.raises(InputError, match="no applicant names in the store"):
        match_store(store)
    with pytest.raises(InputError, match="strictly between 0 and 1"):
        match_store(store, threshold=1.5)


def test_threshold_setting_checked(db_path, monkeypatch) -> None:
    monkeypatch.setenv("AIECO_FIRM_MATCH_THRESHOLD", "2")
    with pytest.raises(SettingError, match="AIECO_FIRM_MATCH_THRESHOLD"):
        setting("firm_match_threshold")
    result = aieco(db_path, "firms", "list")
    assert result.returncode == 2 and "AIECO_FIRM_MATCH_THRESHOLD='2'" in result.stderr


def test_cli_match_list_show(db_path: Path) -> None:
    assert aieco(db_path, "ingest", "lens", APPLICANTS).returncode == 0
    assert aieco(db_path, "ingest", "firms", REGISTRY, "--registry", "little-giants").returncode == 0
    out = aieco(db_path, "firms", "match", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["links"] == 6
    shown = aieco(db_path, "firms", "show", DJI, "--format", "json")
    detail = json.loads(shown.stdout)[0]
    assert detail["name_en"] == "SZ DJI Technology Co., Ltd." and detail["documents"] == 3
    assert {x["applicant"] for x in detail["links"] if x["linked"]} >= {"SZ DJI TECHNOLOGY CO., LTD."}
    table = aieco(db_path, "firms", "list", "--registry", "little-giants")
    assert table.returncode == 0 and "深圳市大疆创新科技有限公司" in table.stdout
    missing = aieco(db_path, "firms", "show", "no such firm at all")
    assert missing.returncode == 2 and "no firm named" in missing.stderr and "Traceback" not in missing.stderr


@pytest.fixture(scope="module")
def real_store(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The real Lens drone export and the USPTO XML samples, the fixture registry and PARAT, matched."""
    from aieco.store import open_store

    store = open_store(tmp_path_factory.mktemp("real") / "store.duckdb")
    ingest(store, reader_for("lens"), shared_path("lens", "drones_tac_1606_families.csv"))
    for name in ("ipg090106.small.xml", "ipg120103.small.xml", "ipg130416.small.xml"):
        ingest(store, reader_for("uspto-xml"), shared_path("uspto-xml", name))
    _registry(store)
    ingest(store, ParatReader(), shared_path("cset-parat", "parat_data_2021.js"))
    summary = match_store(store)
    yield store, summary
    store.close()


def test_real_dji_linked_no_decoy_above_threshold(real_store) -> None:
    store, summary = real_store
    assert "u by random sampling" in summary.method
    linked = _linked(store)
    assert linked.get(DJI) == {"SZ DJI TECHNOLOGY CO LTD"}
    assert not DECOYS & set(linked)
    best = store.query("SELECT firm_id, max(match_probability) FROM firm_links WHERE registry = 'little-giants' "
                       "GROUP BY 1")  # fmt: skip
    assert all(p < summary.threshold for f, p in best if f in DECOYS)


def _model(lam: float, share_exact: float) -> dict:  # type: ignore[type-arg]
    """A saved splink model with one comparison (place) and the name comparison's sampled shares."""
    name = [{"is_null_level": True}] + [
        {"m_probability": M_PRIORS["name"][k], "u_probability": v}
        for k, v in {"exact": share_exact, "spaces": 0.0, "generic": 0.0, "jw95": 0.0, "else": 1 - share_exact}.items()
    ]
    place = [{"is_null_level": True}, {"m_probability": 0.95, "u_probability": 0.2},
             {"m_probability": 0.05, "u_probability": 0.95}]  # fmt: skip
    return {"probability_two_random_records_match": lam,
            "comparisons": [{"output_column_name": "name", "comparison_levels": name},
                            {"output_column_name": "place", "comparison_levels": place}]}  # fmt: skip


def test_sampled_u_of_a_rare_level_used_only_out_of_the_noise() -> None:
    """λ comes from the pairs with equal keys, so their share in a random sample, less λ·m, is noise: 15 of
    2,000,000 sampled where 11.8 are expected true gives 1.6e-6, under two standard errors (3.9e-6): the
    declared u stands. The same share out of 200,000,000 pairs stands out of the noise and is used."""
    lam, share = 1.078e-5, 7.5e-6
    model = _model(lam, share)
    assert _correct_u(model, 2_000_000)
    levels = model["comparisons"][0]["comparison_levels"][1:]
    assert levels[0]["u_probability"] == U_PRIORS["name"]["exact"]
    assert sum(lv["u_probability"] for lv in levels) == pytest.approx(1.0)  # "else" takes what is left
    place = model["comparisons"][1]["comparison_levels"][1:]
    assert place[0]["u_probability"] == pytest.approx((0.2 - lam * 0.95) / (1 - lam))
    assert place[1]["u_probability"] == pytest.approx(1 - place[0]["u_probability"])  # not floored at 0.95

    model = _model(lam, share)
    _correct_u(model, 200_000_000)
    exact = model["comparisons"][0]["comparison_levels"][1]["u_probability"]
    assert exact == pytest.approx((share - lam * 0.55) / (1 - lam))


def _records(names: list[str]) -> list[dict]:  # type: ignore[type-arg]
    out = []
    for i, name in enumerate(names):
        f = features(name)
        out.append({"unique_id": i, "name": name, "script": f.script, "place": f.place, "name_key": f.key,
                    "pinyin": f.pinyin})  # fmt: skip
    return out


def test_prefix_blocking_within_a_script_only_for_near_equal_keys() -> None:
    """The first 4 letters join a pair of one script only when its keys are Jaro-Winkler >= 0.95 (the
    level no other rule reaches): at 1 M names the prefix blocks ("inte", "tech") are cross products."""
    firms = _records(["QWERTYUIOPAS"])
    near, far = _records(["QWERTYUIOPAZ", "QWERXXXXXXXX"])
    scored = score(firms, [{**near, "unique_id": 0}, {**far, "unique_id": 1}])
    assert scored.pairs == 1  # the near one only; no shared word, key or pinyin
    assert [r["unique_id_r"] for r in scored.rows] in ([0], [])


def test_a_common_word_is_no_blocking_key(monkeypatch) -> None:
    """A word held by more than RARE_MAX_NAMES names blocks nothing (a million names share "technology")."""
    firms = _records(["WIDGETRON"])
    apps = [{**r, "unique_id": i} for i, r in enumerate(_records(["WIDGETRON BETA", "WIDGETRON GAMMA", "DELTA"]))]
    assert score(firms, apps).pairs == 2  # widgetron, held by 3 names, is the firm's rarest word
    monkeypatch.setattr(match_module, "RARE_MAX_NAMES", 2)
    assert score(firms, apps).pairs == 0  # held by more than 2: no blocking key


def test_real_parat_firms_linked_by_equal_keys(real_store) -> None:
    """PARAT's companies against the real applicants: an equal key without a place is a link (it was p 0.80
    when the u of "key equal" was sampling noise: 1 PARAT firm linked on this store instead of 31)."""
    store, summary = real_store
    model = json.loads(store.scalar("SELECT model FROM firm_match_runs WHERE match_id = ?", [summary.match_id]))
    name = next(c for c in model["comparisons"] if c["output_column_name"] == "name")
    exact = next(lv for lv in name["comparison_levels"] if lv.get("label_for_charts") == "key equal")
    assert exact["u_probability"] == U_PRIORS["name"]["exact"]
    parat = dict(store.query("SELECT applicant, firm_name FROM firm_links WHERE registry = 'parat' AND linked"))
    assert {"SONY CORP", "INTEL CORP", "QUALCOMM INC", "SZ DJI TECHNOLOGY CO LTD"} <= set(parat)
    firms = store.scalar("SELECT count(DISTINCT firm_id) FROM firm_links WHERE registry = 'parat' AND linked")
    assert firms >= 25
    # an equal key alone (no place known for one): above the threshold, and linked by the key rule whatever
    # its p; with different places: below, and not linked
    rows = store.query_dicts("SELECT match_probability, linked, levels FROM firm_links WHERE registry = 'parat'")
    for r in rows:
        levels = json.loads(r["levels"])
        if levels["name"]["level"] == "key equal" and "ambiguous" not in levels:
            place = levels["place"]["level"]
            assert (r["match_probability"] >= summary.threshold) == (place != "different places"), r
            assert r["linked"] == ("rule" in levels) == (place != "different places"), r


def test_real_parat_chinese_companies_matched(real_store) -> None:
    store, _ = real_store
    china = store.query("""
        SELECT f.name_en, l.applicant FROM firm_links l JOIN firm_registry f USING (registry, firm_id)
        WHERE l.registry = 'parat' AND l.linked AND f.country = 'China' ORDER BY 1""")  # fmt: skip
    assert ("DJI", "SZ DJI TECHNOLOGY CO LTD") in china


def test_match_uses_the_current_normaliser(store) -> None:
    """Names stored by an ingest with an older normaliser are matched (and stored again) with today's keys."""
    ingest(store, reader_for("lens"), APPLICANTS)
    _registry(store)
    store.con.execute("UPDATE firm_names SET name_key = 'sz dji technology co ltd', place = NULL WHERE name = ?",
                      ["SZ DJI Technology Co., Ltd."])  # fmt: skip
    match_store(store)
    assert store.query("SELECT place, name_key FROM firm_names WHERE name = ?", ["SZ DJI Technology Co., Ltd."]) == [
        ("shenzhen", "dji technology")
    ]
    assert "SZ DJI TECHNOLOGY CO., LTD." in _linked(store)[DJI]


def test_real_firm_place_from_its_other_names(real_store) -> None:
    """PARAT's CreditX has the alias "Yuxin Technology" and, in another alias, Shanghai; the Lens applicant
    YUXIN TECHNOLOGY SUZHOU CO LTD (a drone patent) has the same key in Suzhou: scored, not linked."""
    store, summary = real_store
    rows = store.query_dicts("""
        SELECT l.linked, l.match_probability, l.levels FROM firm_links l JOIN firm_registry f USING (registry, firm_id)
        WHERE f.name_en = 'CreditX' AND l.applicant = 'YUXIN TECHNOLOGY SUZHOU CO LTD'""")  # fmt: skip
    assert len(rows) == 1 and not rows[0]["linked"] and rows[0]["match_probability"] < summary.threshold
    levels = json.loads(rows[0]["levels"])
    assert levels["name"]["level"] == "key equal" and levels["place"]["level"] == "different places"


def _coined_names(rng: random.Random, n: int, taken: set[str]) -> list[str]:
    """``n`` two-word company names of made-up words (no word shared with ``taken`` or with each other)."""
    out: list[str] = []
    while len(out) < n:
        words = ["".join(rng.choice("bdgklmnprstvz") + rng.choice("aeiou") for _ in range(4)) for _ in range(2)]
        if not taken & set(words):
            taken.update(words)
            out.append(" ".join(words).upper() + " CORPORATION")
    return out


def test_equal_key_linked_whatever_the_estimated_probability(store, tmp_path) -> None:
    """An equal key with places not different is the normaliser's own link: the matcher makes it even when λ
    and u estimated from the data put it under the threshold (AIR-UMASS in full: "International Business
    Machines Corporation" / "... Corp." at p 0.874, recall 0.8794 where the normaliser alone has 0.9485).
    1,800 firms x 1,800 applicant names with two equal keys among 3.2 M pairs: λ ≈ 2 / (0.55 · 3.2 M)."""
    rng, taken = random.Random(14), set()
    ibm = "International Business Machines Corporation"
    registry = tmp_path / "registry.csv"
    with registry.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name_zh", "name_en", "credit_code", "province", "city", "programme", "batch", "year",
                         "industry", "aliases"])  # fmt: skip
        for i, name in enumerate([ibm, *_coined_names(rng, 1799, taken)]):
            body = f"91110000{i:09d}"
            # IBM's entry is in Beijing: an applicant name without a place is "not known for one"
            writer.writerow(["", name, body + check_character(body), "北京" if i == 0 else "", "", "test", "", "",
                             "", ""])  # fmt: skip
    with APPLICANTS.open(encoding="utf-8", newline="") as fh:
        template = next(csv.DictReader(fh))
    decoys = ["International Business Machines Japan Corp.", "Shanghai International Business Machines Corp."]
    applicants = tmp_path / "applicants.csv"
    with applicants.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(template))
        writer.writeheader()
        for i, name in enumerate(["International Business Machines Corp.", *decoys,
                                  *_coined_names(rng, 1797, taken)]):  # fmt: skip
            writer.writerow({**template, "#": i + 1, "Lens ID": f"000-000-{i:03d}-{i // 1000:03d}-{i % 1000:03d}",
                             "Publication Number": f"CN {120000000 + i} A", "Applicants": name})  # fmt: skip
    ingest(store, reader_for("lens"), applicants)
    ingest(store, FirmsReader(), registry, options={"registry": "test"})
    summary = match_store(store)
    assert "u by random sampling" in summary.method
    model = json.loads(store.scalar("SELECT model FROM firm_match_runs WHERE match_id = ?", [summary.match_id]))
    assert model["prior_source"] == "pairs with equal keys / m(key equal)"
    rows = {r["applicant"]: r for r in store.query_dicts("SELECT * FROM firm_links WHERE firm_name = ?", [ibm])}
    corp = rows["International Business Machines Corp."]
    levels = json.loads(corp["levels"])
    assert (levels["name"]["level"], levels["place"]["level"]) == ("key equal", "place not known for one")
    # the model's own p is under the threshold here (the case the rule is for), and stored as it is
    assert corp["match_probability"] < summary.threshold
    assert corp["linked"] and levels["rule"] == KEY_RULE
    # the levels still add up to the stored weight: the probability is the model's, not raised
    lam = model["probability_two_random_records_match"]
    prior = math.log2(lam / (1 - lam))
    assert sum(levels[c]["weight"] for c in ("name", "pinyin", "place")) + prior == pytest.approx(
        corp["match_weight"], abs=0.01
    )
    # another key (Japan), or the same key in another place (Shanghai against Beijing): not linked
    assert not any(rows[d]["linked"] for d in decoys if d in rows)
    assert "rule" not in json.loads(rows[decoys[1]]["levels"])
    assert _linked(store, "test") == {"91110000000000000E": {"International Business Machines Corp."}}


def test_a_link_by_the_key_rule_beats_one_by_probability_alone() -> None:
    """An applicant name linked to two firms of one registry: the firm with its key (p under the threshold, by
    the rule) wins over a near key above it (Jaro-Winkler); two firms with its key tie and get neither."""

    def row(firm: str, weight: float, rule: bool) -> dict:  # type: ignore[type-arg]
        return {"registry": "r", "applicant": "ACME", "firm_id": firm, "match_weight": weight, "linked": True,
                "key_rule": rule, "levels": "{}"}  # fmt: skip

    rows = [row("equal", 2.8, True), row("near", 4.3, False)]
    _resolve_ambiguous(rows)
    assert [r["linked"] for r in rows] == [True, False]
    assert json.loads(rows[1]["levels"])["ambiguous"] == ["equal"]
    rows = [row("a", 2.8, True), row("b", 2.8, True), row("near", 9.0, False)]
    _resolve_ambiguous(rows)
    assert not any(r["linked"] for r in rows)
