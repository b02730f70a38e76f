"""SIGKILL mid-ingest, for every reader added after cset1790: the store is exactly as before, and usable.

Issue 3: each run is one transaction, so a process killed while ingesting must leave nothing behind. For each
kind the test writes an input (a fixture's records replicated with distinct numbers), loads a small fixture
first (so the store is not empty), starts ``aieco ingest KIND INPUT`` held at a stage by the test hook
(``AIECO_TEST_HOLD_AT``: while rows are staged, or at the merge), kills it there with SIGKILL, and checks the
store is unchanged and takes the next run. The kill always lands mid-ingest, on any machine.
"""

from __future__ import annotations

import gzip
import json
import signal
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from aieco.sources import reader_for
from aieco.store.ingest import ingest
from conftest import FIXTURES
from test_ingest import LENS, aieco, snapshot
from test_signals import held

LENS_DOCUMENTS = 4  # documents the Lens fixture adds to any store (another source: no overlap)


# -- big inputs: fixture records replicated with distinct identities -------------------------------------


def _patstat(folder: Path, rows: int) -> Path:
    """A PATSTAT folder: tls201 in two zipped parts, titles and IPC codes for every application."""
    tables = folder / "patstat_big"
    tables.mkdir()
    header = (
        "appln_id,appln_auth,appln_nr,appln_kind,appln_filing_date,appln_filing_year,appln_nr_original,"
        "ipr_type,internat_appln_id,earliest_filing_date,earliest_filing_year,earliest_filing_id,granted,"
        "docdb_family_id,inpadoc_family_id,docdb_family_size,nb_applicants,nb_inventors\n"
    )
    offices = ("CN", "US", "JP", "KR", "EP", "DE")
    half = rows // 2
    for part, ids in ((1, range(1, half + 1)), (2, range(half + 1, rows + 1))):
        body = "".join(
            f"{i},{offices[i % 6]},{2000 + i % 23}{i:09d},A ,{2000 + i % 23}-03-{1 + i % 28:02d},{2000 + i % 23},"
            f"{i},PI,0,{2000 + i % 23}-03-{1 + i % 28:02d},{2000 + i % 23},{i},{'YN'[i % 2]},{i // 3},{i // 3},"
            f"3,1,2\n"
            for i in ids
        )
        with zipfile.ZipFile(tables / f"tls201_part{part:02d}.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.writestr(f"tls201_part{part:02d}.csv", header + body)
    (tables / "tls202_part01.csv").write_text(
        "appln_id,appln_title_lg,appln_title\n"
        + "".join(f'{i},en,"Neural network, ""deep"" training method {i}"\n' for i in range(1, rows + 1))
    )
    (tables / "tls209_part01.csv").write_text(
        "appln_id,ipc_class_symbol,ipc_class_level,ipc_version,ipc_value,ipc_position,ipc_gener_auth\n"
        + "".join(f"{i},G06N   3/08,A,2006-01-01,I,F,CN\n" for i in range(1, rows + 1))
    )
    return tables


def _google(folder: Path, copies: int) -> Path:
    """A BigQuery export (.json.gz): the fixture's good publications with new numbers, many times over."""
    templates = []
    with gzip.open(FIXTURES / "google" / "publications-000000000000.json.gz", "rt", encoding="utf-8") as fh:
        for text in fh:
            try:
                row = json.loads(text)
            except json.JSONDecodeError:
                continue
            number = row.get("publication_number", "") if isinstance(row, dict) else ""
            parts = number.split("-")
            if len(parts) == 3 and parts[0] == row.get("country_code") and row.get("kind_code"):
                # split the line at its publication number: a copy is the pieces joined with a new one
                templates.append((parts[0], parts[2], text.strip().split(f'"{number}"')))
    assert len(templates) >= 3, "the Google fixture lost its good rows"
    path = folder / "publications-big.json.gz"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
        for start in range(0, copies, 10_000):
            out.write(
                "".join(
                    f'"{office}-{30_000_000 + i}-{kind}"'.join(pieces) + "\n"
                    for i in range(start, min(start + 10_000, copies))
                    for office, kind, pieces in [templates[i % len(templates)]]
                )
            )
    return path


def _patentsview(folder: Path, rows: int) -> Path:
    """A PatentsView folder: g_patent (zipped), applications, CPC codes, inventors and their locations."""
    tables = folder / "patentsview_big"
    tables.mkdir()
    ids = [str(20_000_000 + i) for i in range(rows)]
    g_patent = (
        '"patent_id"\t"patent_type"\t"patent_date"\t"patent_title"\t"patent_abstract"\t"wipo_kind"\t'
        '"num_claims"\t"withdrawn"\t"filename"\n'
        + "".join(
            f'"{p}"\t"utility"\t"2018-06-19"\t"Neural network {p}"\t"An abstract.\nSecond ""line""."\t"B2"\t'
            f'"20"\t"0"\t"ipg180619.xml"\n'
            for p in ids
        )
    )
    with zipfile.ZipFile(tables / "g_patent.tsv.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("g_patent.tsv", g_patent)
    (tables / "g_application.tsv").write_text(
        "application_id\tpatent_id\tpatent_application_type\tfiling_date\tseries_code\trule_47_flag\n"
        + "".join(f"15/{p}\t{p}\t15\t2016-01-04\t15\t0\n" for p in ids)
    )
    (tables / "g_cpc_current.tsv").write_text(
        "patent_id\tcpc_sequence\tcpc_section\tcpc_class\tcpc_subclass\tcpc_group\tcpc_type\n"
        + "".join(f"{p}\t0\tG\tG06\tG06N\tG06N3/08\tinventional\n" for p in ids)
    )
    (tables / "g_inventor_disambiguated.tsv").write_text(
        "patent_id\tinventor_sequence\tinventor_id\tdisambig_inventor_name_first\tdisambig_inventor_name_last\t"
        "gender_code\tlocation_id\n" + "".join(f"{p}\t0\ti{p}\tWei\tZhang\tM\tloc-cn\n" for p in ids)
    )
    (tables / "g_location_disambiguated.tsv").write_text(
        "location_id\tdisambig_city\tdisambig_state\tdisambig_country\tlatitude\tlongitude\n"
        "loc-cn\tShenzhen\t\tCN\t22.5\t114.1\n"
    )
    return tables


def _uspto_xml(folder: Path, copies: int) -> Path:
    """Concatenated grants: the fixture's first (well-formed) grant with new patent numbers."""
    text = (FIXTURES / "uspto_xml" / "two_grants_one_broken.xml").read_text(encoding="utf-8")
    grant = text[: text.index("<?xml", 1)]
    assert "<doc-number>09000001</doc-number>" in grant, "the USPTO fixture's first grant changed"
    pieces = grant.split("09000001")  # the number, also in the file="US09000001-…" attribute
    path = folder / "ipg-big.xml"
    with open(path, "w", encoding="utf-8") as out:
        for start in range(0, copies, 10_000):
            out.write("".join(f"{20_000_000 + i:08d}".join(pieces) for i in range(start, min(start + 10_000, copies))))
    return path


# kind -> (writes an input of n records, n for the input killed mid-ingest, the small fixture loaded first).
KINDS: dict[str, tuple[Callable[[Path, int], Path], int, Path]] = {
    "patstat": (_patstat, 20_000, FIXTURES / "patstat" / "tables"),
    "google": (_google, 10_000, FIXTURES / "google" / "publications-000000000000.json.gz"),
    "patentsview": (_patentsview, 20_000, FIXTURES / "patentsview"),
    "uspto-xml": (_uspto_xml, 4_000, FIXTURES / "uspto_xml" / "two_grants_one_broken.xml"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_generated_input_is_accepted(kind, store, tmp_path):
    """The generator writes valid, distinct records: the big input is real work, not a fast failure."""
    write, _, _ = KINDS[kind]
    run = ingest(store, reader_for(kind), write(tmp_path, 60)).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (60, 60, 0)
    assert store.scalar("SELECT count(DISTINCT doc_id) FROM documents") == 60


@pytest.mark.parametrize("stage", ["staging", "merge"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_sigkill_mid_ingest_leaves_store_unchanged_and_usable(kind, stage, tmp_path):
    """SIGKILL at a named stage (held there by the test hook: no timing), then the store is as before."""
    write, n, small = KINDS[kind]
    db = tmp_path / "store.duckdb"
    first = aieco(db, "ingest", kind, small)
    assert first.returncode == 0, first.stderr
    before = snapshot(db)
    assert before["documents"] and len(before["runs"]) == 1  # type: ignore[arg-type]
    work = tmp_path / "input"
    work.mkdir()
    proc = held(db, stage, "ingest", kind, str(write(work, n)))
    proc.kill()
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(db) == before, f"{kind}: the killed ingest left something in the store"

    after = aieco(db, "ingest", "lens", LENS)  # the store takes the next run
    assert after.returncode == 0, after.stderr
    now = snapshot(db)
    assert now["documents"] == before["documents"] + LENS_DOCUMENTS  # type: ignore[operator]
    assert [r[1] for r in now["runs"]] == [kind, "lens"]  # type: ignore[union-attr]
