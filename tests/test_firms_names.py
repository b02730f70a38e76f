"""Credit-code check character (GB 32100-2015) and firm-name normalisation."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aieco.errors import InputError
from aieco.firms.creditcode import ALPHABET, check_character, code_problem, is_valid
from aieco.firms.names import fold, name_key, pinyin_key, place_prefix
from aieco.firms.registry import read_registry
from conftest import shared_path

# Published codes of real firms (Huawei Technologies, Xiaomi) validate.
REAL_CODES = ["914403001922038216", "91110108551385082Q"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_valid(code: str) -> None:
    assert code_problem(code) is None


def test_wrong_check_character_named() -> None:
    code = REAL_CODES[0][:17] + "7"
    problem = code_problem(code)
    assert problem is not None and "'6'" in problem


def test_bad_length_and_characters() -> None:
    assert "18 characters" in (code_problem("91440300") or "")
    assert "'I'" in (code_problem("9144030019220382I6") or "")
    with pytest.raises(InputError):
        check_character("O" * 17)


body = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


@given(body)
def test_check_character_makes_valid(first17: str) -> None:
    assert is_valid(first17 + check_character(first17))


@given(body, st.integers(0, 16), st.sampled_from(ALPHABET))
def test_single_substitution_detected(first17: str, pos: int, ch: str) -> None:
    code = first17 + check_character(first17)
    mutated = code[:pos] + ch + code[pos + 1 :]
    if mutated != code:
        assert not is_valid(mutated)


@given(st.text())
def test_fold_idempotent(name: str) -> None:
    assert fold(fold(name)) == fold(name)


@given(st.text())
def test_name_key_total(name: str) -> None:
    key = name_key(name)
    assert isinstance(key.key, str)


LEGAL_EN = ["Co., Ltd.", "CO.,LTD", "Co. Ltd", "Company Limited", "Inc.", "Corp.", "LLC", "GmbH", "AG", "K.K.", "S.A."]
LEGAL_ZH = ["有限公司", "股份有限公司", "有限责任公司", "集团", "集团有限公司"]


@given(st.sampled_from(LEGAL_EN), st.sampled_from(LEGAL_EN))
def test_english_legal_forms_same_key(a: str, b: str) -> None:
    assert name_key(f"Acme Robotics {a}") == name_key(f"ACME ROBOTICS {b}")


@given(st.sampled_from(LEGAL_ZH), st.sampled_from(LEGAL_ZH))
def test_chinese_legal_forms_same_key(a: str, b: str) -> None:
    assert name_key("深圳市大疆创新科技" + a) == name_key("深圳大疆创新科技" + b)


def test_full_width_folded() -> None:
    assert name_key("ＳＺ　ＤＪＩ　Ｔｅｃｈｎｏｌｏｇｙ　Ｃｏ．，Ｌｔｄ．") == name_key("SZ DJI Technology Co., Ltd.")


def test_place_kept_as_feature() -> None:
    assert name_key("SZ DJI Technology Co., Ltd.").place == "shenzhen"
    assert name_key("深圳市大疆创新科技有限公司").place == "shenzhen"
    assert name_key("Beijing SenseTime Technology Development Co., Ltd.") == (
        "beijing",
        "sensetime technology development",
    )
    # A place alone is the name, not an empty key; a word merely starting with "sz" is not a place.
    assert place_prefix("Beijing") == (None, "beijing")
    assert place_prefix("Szabo GmbH")[0] is None


def test_decoy_differs() -> None:
    assert name_key("深圳市大疆创新科技有限公司") != name_key("深圳市大江创新科技有限公司")
    assert name_key("Hangzhou DeepSeek Artificial Intelligence Co., Ltd.") != name_key(
        "Hangzhou Deep Sea Intelligence Co., Ltd."
    )


FIXTURE = Path(__file__).parent / "fixtures" / "firms" / "little_giants.csv"


def test_registry_fixture_accounts_for_every_row() -> None:
    parsed = read_registry(FIXTURE)
    assert parsed.rows_read == len(parsed.firms) + len(parsed.rejects) == 10
    assert {f.name_en for f in parsed.firms} >= {"SZ DJI Technology Co., Ltd."}
    reasons = {(r.line, r.field): r.reason for r in parsed.rejects}
    assert set(reasons) == {(8, "credit_code"), (9, "name_zh"), (10, "credit_code"), (11, "credit_code")}
    assert "line 4" in reasons[(10, "credit_code")]
    assert "18 characters" in reasons[(11, "credit_code")]
    assert all(r.file == str(FIXTURE) for r in parsed.rejects)


def test_registry_bad_header(tmp_path: Path) -> None:
    bad = tmp_path / "r.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"r\.csv:1: header lacks credit_code"):
        read_registry(bad)


def test_real_lens_dji_applicant_keys_to_registry_english_name() -> None:
    import csv

    csv.field_size_limit(1 << 30)
    path = shared_path("lens", "drones_tac_1606_families.csv")
    # The export has a few non-UTF-8 bytes (not in applicant names); replace them for this look-up.
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        applicants = {
            name.strip() for row in csv.DictReader(handle) for name in (row.get("Applicants") or "").split(";;")
        }
    assert "SZ DJI TECHNOLOGY CO LTD" in applicants
    firms = {f.name_zh: f for f in read_registry(FIXTURE).firms}
    dji, decoy = firms["深圳市大疆创新科技有限公司"], firms["深圳市大江创新科技有限公司"]
    assert name_key("SZ DJI TECHNOLOGY CO LTD") == name_key(dji.name_en or "")
    assert name_key("SZ DJI TECHNOLOGY CO LTD") != name_key(decoy.name_en or "")


def test_pinyin_key_cross_script() -> None:
    assert pinyin_key("深圳市大疆创新科技有限公司") == ("shenzhen", "dajiangchuangxinkeji")
    assert pinyin_key("SZ DJI Technology Co., Ltd.") == name_key("SZ DJI Technology Co., Ltd.")
    # Same sound, different firm: pinyin alone makes the decoy 商汤餐饮 a candidate for 商汤, no more.
    assert pinyin_key("北京商汤餐饮管理有限公司").key.startswith("shangtang")


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x9FFF)))
def test_pinyin_key_spells_every_han_it_can(name: str) -> None:
    import re

    from pypinyin import lazy_pinyin

    # A Han character is left only when pypinyin has no reading for it (881 rare ones of U+3400..U+9FFF).
    left = re.findall(r"[\u3400-\u9fff]", pinyin_key(name).key)
    assert all(lazy_pinyin(ch) == [ch] for ch in left)


def test_traditional_folds_to_simplified() -> None:
    assert name_key("深圳市大疆創新科技有限公司") == name_key("深圳市大疆创新科技有限公司")
    assert name_key("北京市商湯科技開發有限公司") == name_key("北京市商汤科技开发有限公司")


def test_office_abbreviations_and_plurals_fold() -> None:
    # a real Lens spelling (drones exports) and DOCDB-style abbreviations against the long forms
    assert name_key("SHENZHEN AEE AVIAT TECHNOLOGY CO LTD") == name_key("Shenzhen AEE Aviation Technologies Co., Ltd.")
    assert name_key("HON HAI PREC IND CO LTD") == name_key("Hon Hai Precision Industry Co., Ltd.")
    assert name_key("The Procter & Gamble Company") == name_key("PROCTER & GAMBLE")
    # a leading "The" goes, one inside a name stays; a name that is only "The" keeps it
    assert name_key("Bank of the West").key == "bank of the west"
    assert name_key("The").key == "the"
    assert name_key("SZ DJI OSMO TECHNOLOGY CO LTD") != name_key("SZ DJI Technology Co., Ltd.")


def test_place_at_the_end_is_a_feature_too() -> None:
    # real Lens spelling and the form a registry writes (place in brackets, in either script)
    assert name_key("HONGFUJIN PREC IND SHENZHEN") == ("shenzhen", "hongfujin precision industry")
    assert name_key("Hongfujin Precision Industry (Shenzhen) Co., Ltd.") == name_key("HONGFUJIN PREC IND SHENZHEN")
    assert name_key("鸿富锦精密工业（深圳）有限公司") == ("shenzhen", "鸿富锦精密工业")
    assert name_key("浙江大华技术股份有限公司").place == "zhejiang"
    # the place is the name's own word
    assert name_key("Bank of Dalian") == (None, "bank of dalian")


@given(st.text(alphabet=st.sampled_from(list("abc 深圳北京市有限公司 co ltd the of shenzhen sz,.()（）")), max_size=40))
def test_features_never_lose_a_name(name: str) -> None:
    """Whatever is folded away, a name that folds to something keeps a key to compare (never '')."""
    from aieco.firms.names import features

    f = features(name)
    if fold(name):
        assert f.key and f.pinyin
    assert f.script in ("han", "latin")
