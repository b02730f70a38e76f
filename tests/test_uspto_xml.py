"""USPTO grant full-text XML: the real ipg samples, splitting, rejects, and the foundation guarantees."""

from __future__ import annotations

import pytest

from aieco.cli import main
from aieco.errors import InputError
from aieco.sources.uspto_xml import UsptoXmlReader, split_documents
from aieco.store.ingest import ingest
from aieco.store.readback import stats
from conftest import FIXTURES, shared_path

SMALL = FIXTURES / "uspto_xml" / "two_grants_one_broken.xml"
# file -> (grants, IPCR codes, grants with a CN party)
REAL = {
    "ipg090106.small.xml": (25, 32, 1),
    "ipg120103.small.xml": (25, 56, 1),
    "ipg130416.small.xml": (25, 54, 0),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_files_every_grant(store, name):
    path = shared_path("uspto-xml", name)
    grants, ipcr, cn = REAL[name]
    declared = path.read_bytes().count(b"<us-patent-grant ")
    run = ingest(store, UsptoXmlReader(), path).run
    assert run.rows_read == run.rows_accepted + run.rows_rejected
    assert run.rows_accepted == declared == grants
    # every IPCR element of the file is a classification row
    assert (
        store.scalar("SELECT count(*) FROM classifications WHERE scheme = 'ipc'")
        == ipcr
        == path.read_bytes().count(b"<classification-ipcr>")
    )
    assert (
        store.scalar("SELECT count(*) FROM classifications WHERE scheme = 'ipc' AND symbol_norm IS NULL") == 0
    )
    # only sequence listings, which are not grants, are rejected
    assert {r[0] for r in store.query("SELECT reason FROM rejects")} <= {
        "not a grant: a sequence listing (<sequence-cwu>) filed with a grant"
    }
    assert store.scalar("SELECT count(DISTINCT doc_id) FROM parties WHERE country = 'CN'") == cn
    cov = stats(store)["coverage"]["uspto-xml"]
    assert cov["applicant_country"] == cov["inventor_country"] == cov["priority_office"] == 1.0


def test_real_values(store):
    ingest(store, UsptoXmlReader(), shared_path("uspto-xml", "ipg120103.small.xml"))
    assert store.scalar("SELECT count(*) FROM documents WHERE number = 'D651432' AND kind = 'S1'") == 1
    assert store.scalar("SELECT title FROM documents WHERE number = 'D651432'") == "Table base"
    kinds = dict(store.query("SELECT kind, count(*) FROM documents GROUP BY 1"))
    assert kinds == {"B2": 22, "S1": 3}
    assert store.scalar("SELECT count(*) FROM documents WHERE number LIKE '0%'") == 0


def test_split_documents():
    data = [b'<?xml version="1.0"?>\n', b"<a/>\n", b'<?xml version="1.0"?>\n', b"<b/>\n"]
    assert list(split_documents(iter(data))) == [(1, data[0] + data[1]), (3, data[2] + data[3])]


def test_fixture_counts_and_reject(store):
    run = ingest(store, UsptoXmlReader(), SMALL).run
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (3, 2, 1)
    line, field, reason = store.query("SELECT line, field, reason FROM rejects")[0]
    assert (line, field) == (47, "xml") and reason.startswith("not well-formed XML")
    docs = store.query_dicts("SELECT * FROM documents ORDER BY source_line")
    assert [(d["number"], d["kind"], d["priority_office"]) for d in docs] == [
        ("9000001", "B2", "CN"),
        ("9000002", "B1", "US"),
    ]
    parties = store.query(
        "SELECT d.number, role, name, country, country_raw FROM parties JOIN documents d "
        "USING (doc_id) ORDER BY 1, 2, seq"
    )
    assert parties == [
        ("9000001", "applicant", "Huawei Technologies Co., Ltd.", "CN", "CN"),
        ("9000001", "inventor", "Zhang, Wei", "CN", "CN"),
        ("9000001", "inventor", "Smith, John", "US", "TX"),
        ("9000002", "applicant", "Doe, Jane", "JP", "JA"),
        ("9000002", "inventor", "Doe, Jane", "JP", "JA"),
    ]
    assert store.query("SELECT scheme, symbol, symbol_norm FROM classifications ORDER BY 1, 2") == [
        ("ipc", "G06N 3/08", "G06N3/08"),
        ("ipc", "H04L 29/06", "H04L29/06"),
        ("uspc", "706 25", None),
    ]


def test_no_documents_is_atomic_one_line_error(store, tmp_path, capsys):
    ingest(store, UsptoXmlReader(), SMALL)
    bad = tmp_path / "empty.xml"
    bad.write_text("not xml at all\n")
    with pytest.raises(InputError, match="empty.xml:1: not a USPTO full-text XML file"):
        ingest(store, UsptoXmlReader(), bad)
    assert (
        store.scalar("SELECT count(*) FROM runs") == 1 and store.scalar("SELECT count(*) FROM documents") == 2
    )
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(tmp_path / "cli.duckdb"), "ingest", "uspto-xml", str(bad)])
    err = capsys.readouterr().err.strip()
    assert exc.value.code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err


def test_a_grant_declaring_an_unknown_encoding_is_a_reject(store, tmp_path):
    """Found by the fuzz: <?xml … encoding="UTV-8"?> ended in a LookupError traceback."""
    text = SMALL.read_bytes()
    first = text.index(b"<?xml", 1) if text.count(b"<?xml") > 1 else 0
    bad = text[:first] + text[first:].replace(b'encoding="UTF-8"', b'encoding="UTV-8"', 1)
    assert bad != text
    path = tmp_path / "bad.xml"
    path.write_bytes(bad)
    run = ingest(store, UsptoXmlReader(), path).run
    assert run.rows_read == run.rows_accepted + run.rows_rejected
    reasons = [r for (r,) in store.query("SELECT reason FROM rejects")]
    assert any("unknown encoding" in r for r in reasons)
