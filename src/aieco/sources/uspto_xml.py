"""USPTO grant full text (ipg files): concatenated ``<?xml …><us-patent-grant>`` documents, DTD v4.0–v4.7.

The file is split at each XML declaration and each grant parsed on its own, so memory holds one grant at a
time; one grant is one row read, keyed by the line its declaration is on. A grant that is not well-formed XML
is rejected with the parser's message.

Identity: office US, number = doc-number without the zero padding (``07640598`` → ``7640598``, ``D0651432``
→ ``D651432``; the PatentsView/Google form), kind from the data (B1, B2, S1, E1, P2, …), granted.
IPCR codes (scheme ``ipc``), CPC codes when the file has them (``cpc``) and US classes (``uspc``).
Priority office and date: the earliest foreign priority claim, else the earliest US provisional application,
else the US application itself (continuation parents are not followed).

Parties: the XML's applicants were the inventors before the America Invents Act, and still are in most
grants of 2013, so roles are assigned by who the party is, not by the element name:
- inventors: ``<inventor>`` elements; without an inventor list, the applicants whose app-type says inventor;
- applicants: the assignees (the owners); applicants that are neither an inventor nor an assignee (juristic
  applicants after the AIA); and, for a grant with no assignee, its applicants (the inventors, who then are
  the applicants in law, as PATSTAT also records them).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from aieco.errors import InputError
from aieco.sources.fields import (
    normalise_office,
    normalise_us_patent_number,
    parse_date,
)
from aieco.sources.files import open_binary
from aieco.sources.staging import Staging, party_country, symbol_norm

ROOTS = frozenset({"us-patent-grant"})


def split_documents(fh: Any) -> Iterator[tuple[int, bytes]]:
    """(line of the declaration, bytes) for each document of a concatenated XML file."""
    buf: list[bytes] = []
    start = line = 0
    for data in fh:
        line += 1
        if data.startswith(b"<?xml"):
            if buf and any(b.strip() for b in buf):
                yield start, b"".join(buf)
            buf, start = [], line
        elif not buf:
            start = line
        buf.append(data)
    if buf and any(b.strip() for b in buf):
        yield start, b"".join(buf)


def _text(el: ET.Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _name(book: ET.Element | None) -> str | None:
    if book is None:
        return None
    org = _text(book.find("orgname"))
    if org:
        return org
    last, first = _text(book.find("last-name")), _text(book.find("first-name"))
    return ", ".join(p for p in (last, first) if p) or None


def _country(el: ET.Element) -> str:
    for path in ("addressbook/address/country", "address/country", "residence/country"):
        value = _text(el.find(path))
        if value:
            return value
    return ""


def ipcr_symbol(el: ET.Element) -> str:
    """``<section>G</section><class>06</class><subclass>F</subclass><main-group>17</main-group>
    <subgroup>30</subgroup>`` → ``G06F 17/30``."""
    head = "".join(_text(el.find(t)) for t in ("section", "class", "subclass"))
    group, sub = _text(el.find("main-group")), _text(el.find("subgroup"))
    return f"{head} {group}/{sub}" if group and sub else head


class UsptoXmlReader:
    kind = "uspto-xml"
    source = "uspto-xml"

    def read(self, path: Path, ctx: Any) -> None:
        ctx.encoding = "utf-8"
        staging = Staging(ctx)
        versions: set[str] = set()
        with open_binary(path, (".xml",), limit_lines=False) as fh:
            first = fh.peek(64)[:64] if hasattr(fh, "peek") else b""
            if first and not first.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<?xml"):
                raise InputError(
                    "not a USPTO full-text XML file: it does not start with an <?xml …> declaration",
                    path=str(path),
                    line=1,
                )
            for line, doc in split_documents(fh):
                ctx.row_read()
                try:
                    root = ET.fromstring(doc)
                except ET.ParseError as err:
                    ctx.reject(
                        line, "xml", f"not well-formed XML ({err})", doc[:300].decode("utf-8", "replace")
                    )
                    continue
                except LookupError as err:  # <?xml … encoding="UTV-8"?>: found by the fuzz
                    ctx.reject(
                        line, "xml", f"the XML declaration names an unknown encoding ({err})",
                        doc[:300].decode("utf-8", "replace"),
                    )  # fmt: skip
                    continue
                if root.tag not in ROOTS:
                    what = (
                        "a sequence listing (<sequence-cwu>) filed with a grant"
                        if root.tag == "sequence-cwu"
                        else f"root element <{root.tag}>"
                    )
                    ctx.reject(line, "xml", f"not a grant: {what}", doc[:300].decode("utf-8", "replace"))
                    continue
                versions.add(root.get("dtd-version", "?"))
                self._grant(ctx, staging, line, root, doc)
        staging.flush()
        if ctx.rows_read == 0:
            raise InputError("no <?xml …> documents in the file", path=str(path))
        ctx.options["dtd_versions"] = sorted(versions)

    @staticmethod
    def _date(ctx: Any, line: int, name: str, value: str) -> date | None:
        try:
            return parse_date(value)
        except ValueError:
            ctx.finding("unparseable-date", f"line {line} {name}: {value!r}")
            return None

    def _grant(self, ctx: Any, staging: Staging, line: int, root: ET.Element, doc: bytes) -> None:
        bib = root.find("us-bibliographic-data-grant")
        pub = bib.find("publication-reference/document-id") if bib is not None else None
        if bib is None or pub is None:
            ctx.reject(
                line,
                "publication-reference",
                "no publication reference",
                doc[:300].decode("utf-8", "replace"),
            )
            return
        raw_number, kind = _text(pub.find("doc-number")), _text(pub.find("kind")).upper()
        if not raw_number:
            ctx.reject(line, "doc-number", "empty patent number", doc[:300].decode("utf-8", "replace"))
            return
        if not kind:
            ctx.reject(line, "kind", "empty kind code", doc[:300].decode("utf-8", "replace"))
            return
        number = normalise_us_patent_number(raw_number)
        pub_date = self._date(ctx, line, "publication date", _text(pub.find("date")))
        app_ref = bib.find("application-reference")
        app = app_ref.find("document-id") if app_ref is not None else None
        app_number = _text(app.find("doc-number")) if app is not None else ""
        app_date = (
            self._date(ctx, line, "application date", _text(app.find("date"))) if app is not None else None
        )
        # Priority: earliest foreign claim, else earliest provisional, else the application itself.
        claims: list[tuple[date, str]] = []
        seq = 0
        for claim in bib.findall("priority-claims/priority-claim"):
            seq += 1
            raw_office = _text(claim.find("country"))
            office, note = normalise_office(raw_office)
            if note:
                ctx.finding(note, f"{raw_office} → {office or 'unknown'}")
            c_number, c_date = (
                _text(claim.find("doc-number")),
                self._date(ctx, line, "priority date", _text(claim.find("date"))),
            )
            if c_date and office:
                claims.append((c_date, office))
            staging.add(
                "priorities",
                line=line,
                seq=seq,
                office=office,
                number=c_number or None,
                kind=claim.get("kind"),
                priority_date=c_date,
                raw=" ".join(p for p in (raw_office, c_number, _text(claim.find("date"))) if p),
            )
        provisional: list[tuple[date, str]] = []
        for prov in bib.findall("us-related-documents/us-provisional-application/document-id"):
            seq += 1
            p_number, p_raw_date = _text(prov.find("doc-number")), _text(prov.find("date"))
            p_date = self._date(ctx, line, "provisional date", p_raw_date)
            if p_date:
                provisional.append((p_date, "US"))
            staging.add(
                "priorities",
                line=line,
                seq=seq,
                office="US",
                number=p_number or None,
                kind="P",
                priority_date=p_date,
                raw=f"US {p_number} provisional {p_raw_date}".strip(),
            )
        first = (
            min(claims)
            if claims
            else min(provisional)
            if provisional
            else ((app_date, "US") if app_date else None)
        )
        title = _text(bib.find("invention-title")) or None
        abstract = _text(root.find("abstract")) or None
        staging.add(
            "documents",
            line=line,
            row_hash=hash(doc),
            source="uspto-xml",
            office="US",
            number=number,
            number_raw=raw_number,
            number_mangled=False,
            kind=kind,
            application_number=app_number or None,
            application_date=app_date,
            filing_year=app_date.year if app_date else None,
            publication_date=pub_date,
            publication_year=pub_date.year if pub_date else None,
            priority_date=first[0] if first else None,
            priority_year=first[0].year if first else None,
            priority_office=first[1] if first else None,
            doc_type="grant",
            granted=True,
            title=title,
            title_lang="en" if title else None,
            abstract=abstract,
            abstract_lang="en" if abstract else None,
            extra=json.dumps(
                {
                    "appl_type": app_ref.get("appl-type") if app_ref is not None else None,
                    "file": root.get("file"),
                }
            ),
        )
        self._classifications(ctx, staging, line, bib)
        self._parties(ctx, staging, line, bib)

    @staticmethod
    def _classifications(ctx: Any, staging: Staging, line: int, bib: ET.Element) -> None:
        cpc = bib.findall("classifications-cpc/main-cpc/classification-cpc") + bib.findall(
            "classifications-cpc/further-cpc/classification-cpc"
        )
        for scheme, elements in (
            ("ipc", bib.findall("classifications-ipcr/classification-ipcr")),
            ("cpc", cpc),
        ):
            for seq, el in enumerate(elements, start=1):
                symbol = ipcr_symbol(el)
                staging.add("classifications", line=line, scheme=scheme, symbol=symbol,
                            symbol_norm=symbol_norm(ctx, symbol, line), seq=seq)
        national = bib.find("classification-national")
        if national is not None:
            codes = [_text(national.find("main-classification"))] + [
                _text(e) for e in national.findall("further-classification")
            ]
            for seq, code in enumerate((c for c in codes if c), start=1):
                staging.add("classifications", line=line, scheme="uspc", symbol=code, seq=seq)

    @staticmethod
    def _parties(ctx: Any, staging: Staging, line: int, bib: ET.Element) -> None:
        parties = bib.find("us-parties")
        if parties is None:
            parties = bib.find("parties")
        applicants = []
        inventors = []
        if parties is not None:
            applicants = parties.findall("us-applicants/us-applicant") + parties.findall(
                "applicants/applicant"
            )
            inventors = parties.findall("inventors/inventor")
        assignees = bib.findall("assignees/assignee")
        if not inventors:
            inventors = [a for a in applicants if "inventor" in (a.get("app-type") or "")]
        inventor_names = {(_name(i.find("addressbook")) or "").lower() for i in inventors}
        assignee_names = {(_name(a.find("addressbook")) or _name(a) or "").lower() for a in assignees}
        juristic = [
            a
            for a in applicants
            if (_name(a.find("addressbook")) or "").lower() not in inventor_names | assignee_names
        ]
        owners = assignees + juristic if assignees or juristic else applicants

        def add(role: str, elements: list[ET.Element]) -> None:
            for seq, el in enumerate(elements, start=1):
                raw = _country(el)
                country = party_country(ctx, raw)
                staging.add(
                    "parties",
                    line=line,
                    role=role,
                    seq=seq,
                    name=_name(el.find("addressbook")) or _name(el),
                    country=country,
                    country_raw=raw or None,
                )

        add("applicant", owners)
        add("inventor", inventors)
