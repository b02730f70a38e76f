"""A deterministic generator of patent corpora (``aieco synth``) in the PATSTAT table layout or the Google
Patents (BigQuery publications) JSON-lines layout, streamed to disk.

Offices and filing years are drawn from the Leusin office x year application counts
(``patstat-leusin/applications_by_office_year.csv``, read at generation time); every document is
written as soon as it is drawn, so memory does not grow with N. Families have 1-4 members in
different offices, later members claim the first (tls204) and share its earliest filing; applicants
come from a fixed pool of firms (legal-form variants, Chinese-script names for CN), inventors are new
persons; CPC/IPC symbols are skewed, with AI codes (G06N) at a few per cent. Titles and abstracts are
drawn from the word frequencies of real patent text (``uspto-xml``, ``lens``); AI phrases are in most texts of
families with a G06N code and in 1-1.5 % of the others; CN filings have Chinese titles.

One draw loop (:func:`applications`) makes every application; a layout only writes it. So for one seed
both layouts hold the same families, applicants, symbols and texts, and classify to the same AI counts.

A corpus can be written in ``parts`` (``--parts K``): part i holds applications i·N/K+1 … (i+1)·N/K, drawn
with its own random stream (from the seed and i), in files of its own (``tls201_appln_part01.csv``…, as the EPO
splits PATSTAT; ``publications-000000000001.json``…, as BigQuery splits an export), so parts can be written by
parallel processes (``--jobs``) or one at a time in separate runs (``--part i``) and the readers read the
folder as one corpus. Families do not cross parts; a firm has one person id per part (as PATSTAT's person ids
are not disambiguated across filings). ``--parts 1`` (the default) is the single-stream corpus.
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import csv
import gzip
import io
import json
import random
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from aieco.errors import InputError
from aieco.sources.fields import HISTORICAL_COUNTRIES, ISO_COUNTRIES, office_problem

FIRMS = 3000
_STEMS = (
    "Huawei",
    "Tencent",
    "Baidu",
    "Siemens",
    "Bosch",
    "Sony",
    "Canon",
    "Samsung",
    "Hitachi",
    "Nokia",
    "Philips",
    "Fujitsu",
    "Toshiba",
    "Alibaba",
    "Lenovo",
    "Panasonic",
    "Ericsson",
    "Intel",
    "Nvidia",
    "Denso",
)
_FORMS = ("Co., Ltd.", "Ltd", "GmbH", "AG", "Inc.", "Corp.", "Corporation", "K.K.", "S.A.", "LLC")
_CN_FORMS = ("有限公司", "股份有限公司", "科技有限公司")
_CN_STEMS = ("华为", "腾讯", "百度", "阿里巴巴", "联想", "中兴", "小米", "京东", "海尔", "格力")
# AI phrases (a tenth of them generative-AI phrases), in a text of an AI-coded family far more often than in others
_AI_PHRASES = (
    ("neural network", 30),
    ("machine learning", 25),
    ("deep learning", 15),
    ("artificial intelligence", 10),
    ("convolutional neural network", 6),
    ("reinforcement learning", 4),
    ("generative adversarial network", 4),
    ("large language model", 3),
    ("diffusion model", 3),
)
_AI_RATE = {True: (0.5, 0.7), False: (0.01, 0.015)}  # (title, abstract) by "the family has a G06N code"
_PHRASES = tuple(p for p, _ in _AI_PHRASES)
_PHRASE_WEIGHTS = tuple(w for _, w in _AI_PHRASES)
_CN_WORDS = ("一种", "方法", "装置", "系统", "数据", "处理", "控制", "图像", "电池", "通信")
_CN_AI = ("神经网络", "深度学习", "人工智能", "机器学习")
# (symbol, weight): a skewed head with G06N (AI) at ~2.5 % of symbols.
_CPC = (
    ("H04L 67/10", 9),
    ("G06F 3/01", 8),
    ("H01M 10/05", 6),
    ("A61K 31/00", 7),
    ("B60W 30/00", 4),
    ("G06Q 10/00", 5),
    ("H04W 72/04", 6),
    ("C08L 23/00", 3),
    ("G01N 33/48", 4),
    ("G06T 7/00", 4),
    ("H01L 21/02", 6),
    ("F16H 57/00", 2),
    ("G06N 3/08", 1),
    ("G06N 20/00", 1),
)
FORMATS = ("patstat", "google")
_OFFICE_FILE = Path("patstat-leusin") / "applications_by_office_year.csv"
_WORD = re.compile(r"[a-z][a-z\-]+")
_POOL = 100_000  # words in a frequency pool: each word repeated in proportion to its count


@dataclass(frozen=True)
class SynthResult:
    docs: int
    out: Path
    seed: int
    files: tuple[str, ...]
    format: str = "patstat"


@dataclass(frozen=True, slots=True)
class Application:
    """One generated application, independent of the layout it is written in."""

    appln_id: int
    office: str
    number: str  # the application number, e.g. 2019000000042
    filing_date: str  # yyyy-mm-dd
    filing_year: int
    first_date: str  # the family's earliest filing
    first_year: int
    first_id: int
    first_office: str
    first_number: str
    granted: bool
    family: int
    family_size: int
    title_lang: str
    title: str
    abstract: str | None  # English filings only
    firm: int  # the firm drawn (1..FIRMS): its name and country
    firm_person: int  # its applicant person id: firm + part * FIRMS (one id per firm and part)
    inventor: int  # inventor person id (> parts * FIRMS)
    inventor_country: str
    symbols: tuple[str, ...]  # distinct CPC symbols, also written as IPC

    @property
    def firm_country(self) -> str:
        return firm_country(self.firm)


_CC = ("CN", "US", "JP", "KR", "DE", "FR", "GB")


def firm_country(firm: int) -> str:
    return _CC[firm % len(_CC)]


def _calibration(data_dir: Path) -> tuple[list[tuple[str, int]], list[int]]:
    path = data_dir / _OFFICE_FILE
    cells: list[tuple[str, int]] = []
    cum: list[int] = []
    total = 0
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh, delimiter=";"), start=2):
                try:
                    year, count = int(row["Year"]), int(row["Total"])
                except (KeyError, ValueError, TypeError):
                    raise InputError(f"{path}:{n}: Year/Total: not an integer") from None
                office = row["CountryCode"]
                if count > 0 and 1980 <= year <= 2022 and office_problem(office) is None:  # drops e.g. XH
                    total += count
                    cells.append((office, year))
                    cum.append(total)
    except OSError as err:
        raise InputError(f"{path}: cannot read the office x year calibration ({err.strerror})") from None
    if not cells:
        raise InputError(f"{path}: no office x year counts")
    return cells, cum


def _firm(k: int, office: str) -> str:
    if office == "CN" and k % 2 == 0:
        return f"{_CN_STEMS[k % len(_CN_STEMS)]}{k // 20}号{_CN_FORMS[k % len(_CN_FORMS)]}"
    return f"{_STEMS[k % len(_STEMS)]} {k // 20} {_FORMS[(k // 7) % len(_FORMS)]}"


@dataclass(frozen=True)
class Words:
    """Frequency pools of real patent words: titles (USPTO grant XML titles and Lens titles) and abstracts
    (the words of the USPTO grant XML: abstracts, claims, descriptions). Uniform draws from a pool follow the
    real frequencies."""

    titles: tuple[str, ...]
    abstracts: tuple[str, ...]


def _pool(counts: collections.Counter[str]) -> tuple[str, ...]:
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))  # ties by word: the same pool every run
    return tuple(w for w, c in ranked for _ in range(max(1, round(c / total * _POOL))))


def word_pools(data_dir: Path) -> Words:
    """The word pools, from ``uspto-xml/*.xml`` and ``lens/*.csv`` under ``data_dir``."""
    titles: collections.Counter[str] = collections.Counter()
    body: collections.Counter[str] = collections.Counter()
    xml_files = sorted((data_dir / "uspto-xml").glob("*.xml"))
    lens_files = sorted((data_dir / "lens").glob("*.csv"))
    if not xml_files or not lens_files:
        raise InputError(
            f"{data_dir}: the generator draws words from real patent text: it needs uspto-xml/*.xml and lens/*.csv"
        )
    for path in xml_files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in re.finditer(r"<invention-title[^>]*>(.*?)</invention-title>", text, re.S):
            titles.update(_WORD.findall(re.sub(r"<[^>]+>", " ", m.group(1)).lower()))
        body.update(_WORD.findall(re.sub(r"<[^>]+>", " ", text).lower()))
    for path in lens_files:
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            for row in csv.DictReader(fh):
                titles.update(_WORD.findall((row.get("Title") or "").lower()))
    return Words(_pool(titles), _pool(body))


def _slice(rnd: random.Random, pool: tuple[str, ...], k: int) -> list[str]:
    """``k`` consecutive words of a shuffled pool: as frequent as drawing each word, at the cost of one draw."""
    start = rnd.randrange(len(pool) - k)
    return list(pool[start : start + k])


def _phrase(rnd: random.Random) -> str:
    return rnd.choices(_PHRASES, _PHRASE_WEIGHTS)[0]


def _title(rnd: random.Random, office: str, words: Words, ai: bool) -> tuple[str, str]:
    if office == "CN":
        cn = [rnd.choice(_CN_WORDS) for _ in range(rnd.randint(3, 6))]
        if rnd.random() < _AI_RATE[ai][0]:
            cn.insert(rnd.randrange(len(cn)), rnd.choice(_CN_AI))
        return "zh", "".join(cn)
    en = _slice(rnd, words.titles, rnd.randint(4, 12))
    if rnd.random() < _AI_RATE[ai][0]:
        en.insert(rnd.randrange(len(en)), _phrase(rnd))
    return "en", " ".join(en).capitalize()


def _abstract(rnd: random.Random, words: Words, ai: bool) -> str:
    text = _slice(rnd, words.abstracts, rnd.randint(20, 50)) + _slice(rnd, words.abstracts, rnd.randint(20, 50))
    if rnd.random() < _AI_RATE[ai][1]:
        text.insert(rnd.randrange(len(text)), _phrase(rnd))
    return " ".join(text).capitalize() + "."


def part_range(docs: int, part: int, parts: int) -> tuple[int, int]:
    """The applications of ``part`` (0-based) of ``parts``: ids lo+1 … hi."""
    return part * docs // parts, (part + 1) * docs // parts


def check_parts(docs: int, parts: int, part: int | None = None) -> None:
    if docs < 1:
        raise InputError(f"--docs: must be at least 1, got {docs}")
    if parts < 1 or parts > docs or parts > 9999:
        raise InputError(f"--parts: must be between 1 and {min(docs, 9999):,} (the documents), got {parts}")
    if part is not None and not 0 <= part < parts:
        raise InputError(f"--part: must be between 1 and {parts} (--parts), got {part + 1}")


def applications(docs: int, *, seed: int, data_dir: Path, part: int = 0, parts: int = 1) -> Iterator[Application]:
    """The applications of ``part`` of ``parts`` of a ``docs`` corpus for ``seed``, one family at a time
    (nothing is kept between families)."""
    check_parts(docs, parts, part)
    cells, cum = _calibration(data_dir)
    # one stream for a one-part corpus; else a stream per part, from the seed and the part (str seeds hash
    # with SHA-512: the same on every run and machine)
    rnd = random.Random(seed) if parts == 1 else random.Random(f"aieco-synth:{seed}:{part}:{parts}")
    real = word_pools(data_dir)
    titles, abstracts = list(real.titles), list(real.abstracts)
    rnd.shuffle(titles)
    rnd.shuffle(abstracts)
    words = Words(tuple(titles), tuple(abstracts))
    symbols = [s for s, _ in _CPC]
    weights = [c for _, c in _CPC]
    lo, hi = part_range(docs, part, parts)
    appln_id, person_id, family = lo, parts * FIRMS + lo, lo
    while appln_id < hi:
        family += 1
        size = min(hi - appln_id, rnd.choices((1, 2, 3, 4), (55, 25, 12, 8))[0])
        office, year = cells[bisect.bisect_left(cum, rnd.randrange(cum[-1]) + 1)]
        first_date = f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        first_id = appln_id + 1
        firm = min(FIRMS, int(rnd.paretovariate(1.1)))  # a skewed pool: a few firms file most
        cpc = tuple(dict.fromkeys(rnd.choices(symbols, weights, k=rnd.randint(1, 3))))
        ai = any(c.startswith("G06N") for c in cpc)
        offices = [office] + rnd.sample([o for o in ("US", "EP", "JP", "CN", "KR", "WO") if o != office], size - 1)
        first_number = f"{year}{first_id:09d}"
        # an inventor lives where the family was first filed, unless that office is regional (EP, WO, EA...)
        inventor_country = office if office in ISO_COUNTRIES or office in HISTORICAL_COUNTRIES else firm_country(firm)
        for m, auth in enumerate(offices):
            appln_id += 1
            fy = year + (m > 0)
            granted = rnd.random() < 0.45
            lang, title = _title(rnd, auth, words, ai)
            abstract = _abstract(rnd, words, ai) if lang == "en" else None
            person_id += 1
            yield Application(
                appln_id=appln_id,
                office=auth,
                number=f"{fy}{appln_id:09d}",
                filing_date=first_date if m == 0 else f"{fy}{first_date[4:]}",
                filing_year=fy,
                first_date=first_date,
                first_year=year,
                first_id=first_id,
                first_office=office,
                first_number=first_number,
                granted=granted,
                family=family,
                family_size=size,
                title_lang=lang,
                title=title,
                abstract=abstract,
                firm=firm,
                firm_person=firm + part * FIRMS,
                inventor=person_id,
                inventor_country=inventor_country,
                symbols=cpc,
            )


_PATSTAT_HEADS = {
    "tls201_appln": [
        "appln_id",
        "appln_auth",
        "appln_nr",
        "appln_kind",
        "appln_filing_date",
        "appln_filing_year",
        "ipr_type",
        "earliest_filing_date",
        "earliest_filing_year",
        "earliest_filing_id",
        "granted",
        "docdb_family_id",
        "inpadoc_family_id",
        "docdb_family_size",
    ],
    "tls202_appln_title": ["appln_id", "appln_title_lg", "appln_title"],
    "tls203_appln_abstr": ["appln_id", "appln_abstract_lg", "appln_abstract"],
    "tls204_appln_prior": ["appln_id", "prior_appln_id", "prior_appln_seq_nr"],
    "tls206_person": ["person_id", "person_name", "person_ctry_code"],
    "tls207_pers_appln": ["person_id", "appln_id", "applt_seq_nr", "invt_seq_nr"],
    "tls209_appln_ipc": ["appln_id", "ipc_class_symbol"],
    "tls224_appln_cpc": ["appln_id", "cpc_class_symbol"],
}


def _text_out(stack: contextlib.ExitStack, out: Path, member: str, compress: bool, archive: str) -> tuple[IO[str], str]:
    """A UTF-8 text stream writing ``member`` in ``out``: plain, or compressed (``archive`` ``zip``: a zip of
    that one member, as the EPO ships PATSTAT; ``gzip``: ``member.gz``, as BigQuery exports). Archive headers
    carry a fixed time, so the same seed still gives the same bytes."""
    raw: Any  # a file, a zip member or a gzip stream
    if not compress:
        name = member
        raw = stack.enter_context((out / name).open("wb"))
    elif archive == "zip":
        name = member.rsplit(".", 1)[0] + ".zip"
        zf = stack.enter_context(zipfile.ZipFile(out / name, "w", compression=zipfile.ZIP_DEFLATED))
        info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info._compresslevel = 1  # type: ignore[attr-defined]  # fast deflate: the corpus is rewritten often
        raw = stack.enter_context(zf.open(info, "w", force_zip64=True))
    else:
        name = member + ".gz"
        fh = stack.enter_context((out / name).open("wb"))
        raw = stack.enter_context(gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=1))
    text = stack.enter_context(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
    return text, name


def _part_suffix(part: int, parts: int) -> str:
    return "" if parts == 1 else f"_part{part + 1:02d}"


def synth_patstat(
    docs: int, out: Path, *, seed: int = 1, data_dir: Path, compress: bool = False, part: int = 0, parts: int = 1
) -> SynthResult:
    """Write ``docs`` tls201 applications (with tls202/203/204/206/207/209/224) as CSV files in ``out``
    (with ``compress``, each table a zip holding its CSV, as the EPO distributes PATSTAT); with ``parts`` > 1,
    only part ``part`` (0-based), in files named ``<table>_partNN``."""
    apps = applications(docs, seed=seed, data_dir=data_dir, part=part, parts=parts)
    first = next(apps)  # checks --docs and the calibration before any file is created
    out.mkdir(parents=True, exist_ok=True)
    sfx = _part_suffix(part, parts)
    with contextlib.ExitStack() as stack:
        opened = {name: _text_out(stack, out, f"{name}{sfx}.csv", compress, "zip") for name in _PATSTAT_HEADS}
        files = tuple(sorted(n for _, n in opened.values()))
        w = {name: csv.writer(fh, lineterminator="\n") for name, (fh, _) in opened.items()}
        for name, head in _PATSTAT_HEADS.items():
            w[name].writerow(head)
        firms_written: set[int] = set()  # at most FIRMS ids: a person is written on first use (PATSTAT has no orphans)
        for a in _chain(first, apps):
            w["tls201_appln"].writerow(
                [
                    a.appln_id,
                    a.office,
                    a.number,
                    "A",
                    a.filing_date,
                    a.filing_year,
                    "PI",
                    a.first_date,
                    a.first_year,
                    a.first_id,
                    "Y" if a.granted else "N",
                    a.family,
                    a.family,
                    a.family_size,
                ]
            )
            w["tls202_appln_title"].writerow([a.appln_id, a.title_lang, a.title])
            if a.abstract is not None:
                w["tls203_appln_abstr"].writerow([a.appln_id, "en", a.abstract])
            if a.appln_id != a.first_id:
                w["tls204_appln_prior"].writerow([a.appln_id, a.first_id, 1])
            if a.firm not in firms_written:
                firms_written.add(a.firm)
                w["tls206_person"].writerow([a.firm_person, _firm(a.firm, a.firm_country), a.firm_country])
            w["tls207_pers_appln"].writerow([a.firm_person, a.appln_id, 1, 0])
            w["tls206_person"].writerow([a.inventor, f"Inventor {a.inventor}", a.inventor_country])
            w["tls207_pers_appln"].writerow([a.inventor, a.appln_id, 0, 1])
            for sym in a.symbols:
                w["tls224_appln_cpc"].writerow([a.appln_id, sym])
                w["tls209_appln_ipc"].writerow([a.appln_id, sym])
    return SynthResult(part_docs(docs, part, parts), out, seed, files)


def part_docs(docs: int, part: int, parts: int) -> int:
    lo, hi = part_range(docs, part, parts)
    return hi - lo


GOOGLE_FILE = "publications-000000000000.json"


def _yyyymmdd(iso: str) -> int:
    return int(iso.replace("-", ""))


def google_row(a: Application) -> dict[str, object]:
    """One row of ``patents-public-data.patents.publications`` for an application (the fields aieco reads,
    in BigQuery's export shape: yyyymmdd integer dates, 0 = none; codes without the space)."""
    kind = "B" if a.granted else "A"
    filing = _yyyymmdd(a.filing_date)
    grant = filing + 20000 if a.granted else 0  # granted two years after filing (same month and day)
    claims = []
    if a.appln_id != a.first_id:
        claims.append(
            {"application_number": f"{a.first_office}-{a.first_number}-A", "filing_date": _yyyymmdd(a.first_date)}
        )
    codes = [{"code": s.replace(" ", "")} for s in a.symbols]
    return {
        "publication_number": f"{a.office}-{a.number}-{kind}",
        "application_number": f"{a.office}-{a.number}-A",
        "country_code": a.office,
        "kind_code": kind,
        "family_id": str(a.family),
        "publication_date": 0,
        "filing_date": filing,
        "grant_date": grant,
        "priority_date": _yyyymmdd(a.first_date),
        "priority_claim": claims,
        "title_localized": [{"text": a.title, "language": a.title_lang}],
        "abstract_localized": [] if a.abstract is None else [{"text": a.abstract, "language": "en"}],
        "cpc": codes,
        "ipc": codes,
        "assignee_harmonized": [{"name": _firm(a.firm, a.firm_country), "country_code": a.firm_country}],
        "inventor_harmonized": [{"name": f"Inventor {a.inventor}", "country_code": a.inventor_country}],
    }


def synth_google(
    docs: int, out: Path, *, seed: int = 1, data_dir: Path, compress: bool = False, part: int = 0, parts: int = 1
) -> SynthResult:
    """Write ``docs`` publications as one BigQuery JSON-lines export file in ``out`` (read by
    ``aieco ingest google``; ``.json.gz`` with ``compress``): the same applications as :func:`synth_patstat`
    for the seed (and part: file ``publications-<12-digit part>.json``, as BigQuery numbers an export's files)."""
    apps = applications(docs, seed=seed, data_dir=data_dir, part=part, parts=parts)
    first = next(apps)
    out.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        fh, name = _text_out(stack, out, GOOGLE_FILE.replace("000000000000", f"{part:012d}"), compress, "gzip")
        for a in _chain(first, apps):
            fh.write(json.dumps(google_row(a), ensure_ascii=False, separators=(",", ":")))
            fh.write("\n")
    return SynthResult(part_docs(docs, part, parts), out, seed, (name,), "google")


def _write_part(args: tuple[str, int, Path, int, Path, bool, int, int]) -> SynthResult:
    fmt, docs, out, seed, data_dir, compress, part, parts = args
    write = synth_patstat if fmt == "patstat" else synth_google
    return write(docs, out, seed=seed, data_dir=data_dir, compress=compress, part=part, parts=parts)


def synth(
    docs: int,
    out: Path,
    *,
    seed: int = 1,
    data_dir: Path,
    fmt: str = "patstat",
    compress: bool = False,
    parts: int = 1,
    part: int | None = None,
    jobs: int = 1,
) -> SynthResult:
    """Write a corpus in the ``fmt`` layout (``patstat`` or ``google``), compressed or not: every part of
    ``parts`` (``jobs`` processes at once), or only ``part`` (0-based)."""
    if fmt not in FORMATS:
        raise InputError(f"--format: {fmt!r} is not a layout (one of {', '.join(FORMATS)})")
    check_parts(docs, parts, part)
    if jobs < 1:
        raise InputError(f"--jobs: must be at least 1, got {jobs}")
    todo = [part] if part is not None else list(range(parts))
    tasks = [(fmt, docs, out, seed, data_dir, compress, i, parts) for i in todo]
    if jobs == 1 or len(tasks) == 1:
        results = [_write_part(t) for t in tasks]
    else:
        import multiprocessing

        # spawn: the workers import only what a part needs, whatever the parent holds
        with multiprocessing.get_context("spawn").Pool(min(jobs, len(tasks))) as pool:
            results = pool.map(_write_part, tasks, chunksize=1)
    files = tuple(f for r in results for f in r.files)
    return SynthResult(sum(r.docs for r in results), out, seed, files, fmt)


def _chain(first: Application, rest: Iterator[Application]) -> Iterator[Application]:
    yield first
    yield from rest
