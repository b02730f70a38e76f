"""PARAT's data.js read as a registry: the real file, and small broken ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aieco.errors import InputError
from aieco.firms.parat import read_parat
from conftest import shared_path

CJK = re.compile(r"[\u3400-\u9fff]")


def test_real_parat_counts() -> None:
    parsed = read_parat(shared_path("cset-parat", "parat_data_2021.js"))
    assert parsed.rows_read == len(parsed.companies) + len(parsed.rejects) == 1311
    assert parsed.rejects == ()
    chinese = [c for c in parsed.companies if c.country == "China"]
    assert len(chinese) == 134
    # SOURCE.txt says 125: it counts Chinese script anywhere; LinkDoc has it only in its site description.
    assert sum(1 for c in chinese if any(CJK.search(a) for a in c.aliases)) == 124
    microsoft = next(c for c in parsed.companies if c.name == "Microsoft")
    assert microsoft.ai_patents == 1741
    assert microsoft.ai_patents_by_year[0] == (2010, 120)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "data.js"
    path.write_text("const company_data = " + body + ";\n", encoding="utf-8")
    return path


def test_bad_company_is_reject(tmp_path: Path) -> None:
    body = (
        '[{"CSET_id": "1", "name": "A", "years": "[2020, 2021]", "yearly_ai_patents": "[1, 2]"},'
        ' {"CSET_id": "2", "name": "B", "years": "[2020, 2021]", "yearly_ai_patents": "[1]"},'
        ' {"CSET_id": "3", "name": ""}]'
    )
    parsed = read_parat(_write(tmp_path, body))
    assert parsed.rows_read == 3 and len(parsed.companies) == 1
    assert [(r.line, r.field) for r in parsed.rejects] == [(2, "yearly_ai_patents"), (3, "name")]


def test_not_json(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"data\.js:1: not JSON"):
        read_parat(_write(tmp_path, "[{oops}]"))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[{"CSET_id": ' + "9" * 5000 + "}]", r"data\.js: not readable JSON: Exceeds the limit \(4300 digits\)"),
        ("[" * 100_000 + "]" * 100_000, r"data\.js: not readable JSON: nested too deeply"),
    ],
    ids=["5000-digit integer", "deep nesting"],
)
def test_json_python_cannot_read_is_a_one_line_error(tmp_path: Path, body: str, message: str) -> None:
    """Found by make fuzz (parat mutant 751): a 5,000-digit integer ended in a ValueError traceback."""
    with pytest.raises(InputError, match=message):
        read_parat(_write(tmp_path, body))
