"""The main job behind `make demo`, on the real data in the data folder:

1. ingest every known data set found there (CSET/1790 both versions, Lens exports, USPTO grant XML, the
   PATSTAT-derived country × field table, the published tables of ETO, NCSES, the World Bank and OWID);
2. apply the shipped AI definitions;
3. run the method grid for China on CSET/1790, priority years 2000–2019, with the spread across methods;
4. the published aggregates: the SCO's members side by side in 2019 (``aieco compare``) and China's profile
   (``aieco profile CN``);
5. check the claims of the news article in ``../articles`` beside the data folder, when it is there;
6. write the HTML report (``report.html`` beside the store) and say how to serve the API and the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aieco.errors import InputError
from aieco.results import Stats
from aieco.settings import setting
from aieco.sources import reader_for
from aieco.store import open_store
from aieco.store.ingest import ingest
from aieco.store.readback import stats_result

Inputs = tuple[tuple[str, str, dict[str, Any]], ...]


@dataclass(frozen=True)
class InputSet:
    """What one demo run reads: the files (kind, path under ``folder``, ingest options) in load order, the
    article whose claims it checks, and the label every output carries ("" for the user's own data)."""

    folder: Path
    inputs: Inputs
    article: Path
    label: str = ""

    def found(self) -> list[tuple[str, Path, dict[str, Any]]]:
        return [(k, self.folder / p, o) for k, p, o in self.inputs if (self.folder / p).exists()]

    def missing(self) -> list[str]:
        return [p for _, p, _ in self.inputs if not (self.folder / p).exists()]


# The full job on a data folder: the 45-column CSET version first, then the 46-column one that enriches it.
DATA_FOLDER_INPUTS: Inputs = (
    ("cset1790", "cset-1790/patent_database-7b5b096.csv.zip", {}),
    ("cset1790", "cset-1790/patent_database-f0c0114.csv.zip", {}),
    ("lens", "lens/drones_fulltext_families_5884.csv", {}),
    ("lens", "lens/drones_tac_1606_families.csv", {}),
    ("lens", "lens/pizza_lens_1000_raw.csv", {}),
    ("uspto-xml", "uspto-xml/ipg090106.small.xml", {}),
    ("uspto-xml", "uspto-xml/ipg120103.small.xml", {}),
    ("uspto-xml", "uspto-xml/ipg130416.small.xml", {}),
    ("counts", "patstat-leusin/Data3period_Raw_Info.csv", {"name": "leusin-2004-2018"}),
    ("eto-cat", "eto-cat", {}),
    ("ncses", "ncses-sei-2024/10564", {}),
    ("ncses", "ncses-sei-2024/10565", {}),
    ("ncses", "ncses-sei-2024/10067", {}),
    ("ncses", "ncses-sei-2024/10059", {}),
    ("ncses", "ncses-sei-2024/6208", {}),
    ("wdi", "wdi/population.csv", {}),
    ("wdi", "wdi/gdp_current_usd.csv", {}),
    ("wdi", "wdi/internet_users_pct.csv", {}),
    ("wdi", "owid-cset/artificial-intelligence-patents-submitted-per-million.csv", {}),
    ("wdi", "owid-cset/private-investment-in-artificial-intelligence-cset.csv", {}),
    ("fred", "fred-fx/yearly.csv", {}),
    ("fred", "fred-fx/monthly.csv", {}),
    # CC BY-NC: read from the data folder, never shipped in the built-in sample
    ("parat", "cset-parat/parat_data_2021.js", {}),
)

# The built-in sample (src/aieco/data/sample, cited in its SOURCE.txt): what the demo runs on with no data folder.
SAMPLE_LABEL = "built-in sample"
_SAMPLE_INPUTS: Inputs = (
    ("cset1790", "cset-1790/sample.csv", {}),
    ("lens", "lens/sample.csv", {}),
    ("uspto-xml", "uspto-xml/sample.xml", {}),
    ("ncses", "ncses-sei-2024/10564", {}),
    ("ncses", "ncses-sei-2024/10565", {}),
    ("ncses", "ncses-sei-2024/10067", {}),
    ("ncses", "ncses-sei-2024/10059", {}),
    ("ncses", "ncses-sei-2024/6208", {}),
    ("wdi", "wdi/population.csv", {}),
    ("wdi", "wdi/gdp_current_usd.csv", {}),
    ("fred", "fred-fx/yearly.csv", {}),
    ("fred", "fred-fx/monthly.csv", {}),
)


def data_folder_inputs(folder: Path) -> InputSet:
    """The full job on a data folder; the article is ``articles/`` beside it (as ../shared has it)."""
    return InputSet(folder, DATA_FOLDER_INPUTS, folder.parent / "articles" / "china-ai-ecosystem.txt")


def sample_inputs() -> InputSet:
    """The built-in sample inside the installed package."""
    from importlib import resources

    folder = Path(str(resources.files("aieco") / "data" / "sample"))
    return InputSet(folder, _SAMPLE_INPUTS, folder / "articles" / "sample-article.txt", SAMPLE_LABEL)


WHERE_TO_GET = """no data folder found. aieco reads public data; put it in a folder and set AIECO_DATA_DIR:
  cset-1790/patent_database-7b5b096.csv.zip  from github.com/georgetown-cset/1790-ai-patent-data (commit 7b5b096)
  cset-1790/patent_database-f0c0114.csv.zip  the same repository at commit f0c0114
  lens/*.csv                                 Lens.org patent search exports (lens.org, Export → CSV)
  uspto-xml/ipg*.xml                         USPTO grant full text (bulkdata.uspto.gov, Patent Grant Full Text)
  eto-cat/*.csv                              ETO Country Activity Tracker export (cat.eto.tech, Download)
  ncses-sei-2024/{10564,10565,10067,10059,6208}/  NCSES Science & Engineering Indicators 2024 (SINV-17, SINV-18,
                                             SPBS-99, SPBS-91, SKTI-21)
  wdi/*.csv, owid-cset/*.csv                 World Bank population, GDP, internet use; Our World in Data
  fred-fx/yearly.csv, monthly.csv            FRED average exchange rates (github.com/datasets/exchange-rates)
  cset-parat/parat_data_2021.js              CSET PARAT company data (parat.cset.tech; CC BY-NC 4.0)"""


class Steps:
    """Progress of the demo's steps: a rich bar per step on a terminal (``bar``), nothing otherwise."""

    def __init__(self, bar: Any = None) -> None:
        self.bar = bar
        self.task: Any = None

    def start(self, label: str) -> Callable[[int], None] | None:
        """Begin a step; returns the row counter a reader moves (None without a bar)."""
        if self.bar is None:
            return None
        self.done()
        self.task = self.bar.add_task(label, total=None)
        bar, task = self.bar, self.task
        return lambda rows: bar.update(task, completed=rows)

    def label(self, text: str) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, description=text)

    def done(self) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.remove_task(self.task)
            self.task = None


def run_demo(
    db: Path, data_dir: Path | None, *, echo: Callable[[str], None] = print, bar: Any = None
) -> Stats:
    """Run the main job on the data folder (``data_dir``, else $AIECO_DATA_DIR). A folder named with ``data_dir``
    must exist; when none is named and $AIECO_DATA_DIR is unset, empty or not there, the job runs on the
    built-in sample, labelled so in every output, and says what to download for the full job."""
    configured = str(data_dir) if data_dir else str(setting("data_dir") or "")
    if data_dir is None and (not configured or not Path(configured).is_dir()):
        chosen = sample_inputs()
        echo(f"no data folder found: running on the {SAMPLE_LABEL} (a few documents and published tables; every "
             "number below is the sample's). For the full job, download these into a folder and set AIECO_DATA_DIR:")
        echo(WHERE_TO_GET.split("\n", 1)[1])
    else:
        chosen = data_folder_inputs(Path(configured))
        if not chosen.folder.is_dir():
            raise InputError(WHERE_TO_GET.replace("\n", " | "), path=str(chosen.folder))
    folder, article, label = chosen.folder, chosen.article, chosen.label
    found, missing = chosen.found(), chosen.missing()
    if not found:
        raise InputError("none of the expected files is there. " + WHERE_TO_GET.replace("\n", " | "),
                         path=str(folder))
    steps = Steps(bar)
    width = max(len(path.name) for _, path, _ in found)
    with open_store(db) as store:
        echo("1. ingest")
        if missing:
            echo(f"   not in {folder} (skipped; the full job needs them): {', '.join(missing)}")
        for kind, path, options in found:
            counter = steps.start(f"ingest {path.name}")
            try:
                run = ingest(store, reader_for(kind), path, options=options, progress=counter).run
            except InputError as err:  # one unreadable file: say so, and run the job on the rest
                steps.done()
                echo(f"   {kind:10} {path.name:{width}} skipped: {err}")
                continue
            steps.done()
            echo(f"   {kind:10} {path.name:{width}} run {run.run_id:<3} read {run.rows_read:>8,}  accepted "
                 f"{run.rows_accepted:>8,}  rejected {run.rows_rejected:>4,}")
        s = stats_result(store)
        echo(f"   store {db}: {s.headline()}")
        if store.scalar("SELECT count(*) FROM runs WHERE kind = 'parat'"):
            steps.start("firms match")
            _firms(store, echo)
        steps.start("classify")
        _classify(store, echo)
        steps.start("method grid")
        _grid(store, echo)
        steps.start("published aggregates")
        _aggregates(store, echo)
        checked = None
        if article.exists():
            steps.start(f"claims of {article.name}")
            checked = _check(store, article, echo)
        _report(store, Path(db).parent / "report.html", checked, steps, echo, label=label)
        steps.done()
    echo(f"   the API and the dashboard: aieco --db {db} serve   (then open http://127.0.0.1:8000/)")
    return s


def _report(
    store: Any, out: Path, checked: Any, steps: Steps, echo: Callable[[str], None], *, label: str = ""
) -> None:
    from aieco.measure.overview import ecosystem
    from aieco.present.report import firms_overview, published_aggregates, write_report

    echo("6. report")
    steps.start("report")
    eco = ecosystem(store, country="CN", group=None, years=(2000, 2019), progress=steps.label)
    steps.label("published aggregates")
    published = published_aggregates(store, country="CN", group="SCO", year=2019, years=(2000, 2019))
    steps.label("firms")
    firms = firms_overview(store)
    steps.label("writing the report")
    write_report(eco, out, checks=checked, label=label, published=published, firms=firms)
    echo(f"   wrote {out}" + (f" ({label})" if label else ""))


def _firms(store: Any, echo: Callable[[str], None], example: str = "DJI") -> None:
    """`aieco firms match` on the loaded registries, in one line: the PARAT companies, the applicant names
    linked, and one firm's link as an example."""
    from aieco.errors import AiecoError
    from aieco.firms.match import match_store
    from aieco.firms.query import list_firms, show_firm

    try:
        m = match_store(store)
        companies = len(list_firms(store, registry="parat"))
        details = show_firm(store, example)
    except AiecoError as err:  # e.g. no applicant names loaded: say so, and go on
        echo(f"   firms match skipped: {err}")
        return
    links = sorted((x for d in details for x in d.links if x.linked), key=lambda x: -x.match_probability)
    shown = (f"{example} (parat {details[0].firm_id}) <- {links[0].applicant!r} p={links[0].match_probability:.3f}"
             if links else f"{example}: no applicant name linked")
    echo(f"   firms: PARAT {companies:,} companies; match {m.match_id}: {m.links:,} of {m.applicants:,} applicant "
         f"names linked at p >= {m.threshold}; e.g. {shown} ({m.method})")


def _classify(store: Any, echo: Callable[[str], None]) -> None:
    from aieco.classify import load_definitions
    from aieco.classify.compiler import classify

    echo("2. AI definitions applied to the documents that carry codes and titles (Lens, USPTO)")
    for r in classify(store, load_definitions()):
        echo(f"   {r['definition']:14} v{r['version']:18} {r['ai_documents']:>6,} AI documents")
    if store.scalar("SELECT count(*) FROM runs WHERE kind = 'cset1790'"):
        from aieco.classify.agreement import agreement
        from aieco.present.text import agreement_summary

        echo("   " + agreement_summary(agreement(store, "cset-1790")))


def _grid(store: Any, echo: Callable[[str], None]) -> None:
    from aieco.measure.overview import grid_result
    from aieco.present.text import grid_lines

    echo("3. China's share of CSET/1790 AI patents, priority years 2000-2019, under every supported method")
    if not store.scalar("SELECT count(*) FROM runs WHERE kind = 'cset1790'"):
        echo("   skipped: no CSET/1790 file was loaded (cset-1790/patent_database-*.csv.zip)")
        return
    for line in grid_lines(grid_result(store, country="CN", years=(2000, 2019), source="cset1790")):
        echo("   " + line)


def _aggregates(store: Any, echo: Callable[[str], None]) -> None:
    from aieco.errors import AiecoError
    from aieco.measure.aggregates import series
    from aieco.measure.compare import compare
    from aieco.measure.profile import profile
    from aieco.present.text import compare_headline, profile_line

    echo("4. published aggregates: the SCO's members in 2019 (`aieco compare --group SCO --year 2019`), China's "
         "profile (`aieco profile CN`)")
    if not series(store):
        echo("   skipped: no published tables were loaded (eto-cat, ncses-sei-2024, wdi)")
        return
    try:
        echo("   " + compare_headline(compare(store, "SCO", 2019)))
    except AiecoError as err:  # e.g. only tables without SCO members: say so, and go on
        echo(f"   compare skipped: {err}")
    echo("   " + profile_line(profile(store, "CN")))


def _check(store: Any, article: Path, echo: Callable[[str], None]) -> Any:
    from aieco.claims.check import check, read_text

    echo(f"5. claims in {article.name}")
    result = check(read_text(article), store, name=article.name)
    for c in result.claims:
        echo(f"   [{c.start}-{c.end}] {c.text!r}: {c.verdict}")
        if c.conversion is not None:
            echo(f"      conversion: {c.conversion.message[:160]}…")
        if c.ledger.matches:
            echo(f"      published figure: {c.ledger.message[:160]}")
    return result
