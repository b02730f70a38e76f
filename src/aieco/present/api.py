"""The read-only REST API and the dashboard: FastAPI over the store opened read-only.

Every endpoint calls one library function and returns its typed result as JSON (``to_dict()``); it never runs
caller SQL. Parameters are checked before any query: an unknown country, group, definition, source, sector or
a malformed period is a 422 whose JSON body names the parameter and the allowed values. Bounds: request bodies
up to ``MAX_BODY`` bytes (413, counted as they arrive when no Content-Length is sent), query strings up to
``MAX_QUERY`` characters (414), texts to check up to the checker's limit and ``MAX_API_CLAIMS`` claims (422);
time in the store per answer up to ``AIECO_API_TIMEOUT`` seconds (the query is interrupted: 503).
The store is read-only for the life of the server, so answers are cached per parameters.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Callable
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from aieco.errors import AiecoError
from aieco.settings import setting_count
from aieco.store import Store, open_store

MAX_BODY = 1_000_000
MAX_QUERY = 2_000
MAX_API_CLAIMS = 200  # claims one POST /check may hold (about a minute of checking); more is a 422
CACHE_SIZE = 256
MAX_COUNTRIES = 20  # countries one GET /sources-agree may name
API = "/api/v1"


class QueryTimeout(AiecoError):
    """An answer that spent longer than AIECO_API_TIMEOUT in the store; rendered as 503 with a JSON body."""

    exit_code = 1


class ParameterError(AiecoError, ValueError):
    """A query parameter the API cannot take; rendered as 422 with the parameter and the allowed values."""

    exit_code = 2

    def __init__(self, parameter: str, message: str, allowed: list[str] | None = None) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter, self.allowed = parameter, allowed or []


def _fastapi() -> Any:
    # imported when a server is made, not when the CLI starts
    import fastapi
    import fastapi_offline

    return fastapi, fastapi_offline


class Backend:
    """The store (read-only) and the cached library calls the endpoints make."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.store = open_store(db, read_only=True)
        self.timeout = setting_count("api_timeout")
        self._lock = threading.Lock()
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._computing: dict[tuple[Any, ...], threading.Lock] = {}
        # what the store holds, read once (the store is read-only): parameters are checked against it
        self.sources = self._known_sources()
        self.definitions = self._known_definitions()
        self.series = self._known_series()
        self.registries = self._known_registries()

    def cursor(self) -> Store:
        # one DuckDB connection per request thread: a cursor shares the database, not the statement state
        return Store(self.store.con.cursor(), self.store.path)

    def cached(self, key: tuple[Any, ...], compute: Callable[[Store], Any]) -> Any:
        """``compute(store)`` once per key: concurrent requests for the same key wait for the first."""
        with self._lock:
            if key in self._cache:
                return self._cache[key]
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._cache:
                    return self._cache[key]
            s = self.cursor()
            # a query past the time limit is interrupted (DuckDB stops at once) and answered with a 503
            timer = threading.Timer(self.timeout, s.con.interrupt)
            timer.daemon = True
            timer.start()
            try:
                value = compute(s)
            except duckdb.InterruptException:
                if timer.finished.is_set():
                    raise QueryTimeout(
                        f"the answer took longer than {self.timeout} s (AIECO_API_TIMEOUT) and was stopped"
                    ) from None
                raise
            finally:
                timer.cancel()
                s.close()
            with self._lock:
                if len(self._cache) >= CACHE_SIZE:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[key] = value
                self._computing.pop(key, None)
        return value

    def cached_json(self, key: tuple[Any, ...], compute: Callable[[Store], Any]) -> bytes:
        """The JSON bytes of ``compute(store).to_dict()``, cached: a large answer is encoded once."""
        return self.cached(
            ("json", *key),
            lambda st: json.dumps(compute(st).to_dict(), ensure_ascii=False, allow_nan=False).encode("utf-8"),
        )

    def grid_rows(self, _store: Store, **kw: Any) -> Any:
        """The grid's rows for the claims checker, cached like every other answer."""
        from aieco.measure.grid import grid

        return self.cached(("grid-rows", *sorted(kw.items())), lambda st: grid(st, **kw))

    def refused_rows(self, _store: Store, **kw: Any) -> Any:
        from aieco.measure.grid import refused

        return self.cached(("refused-rows", *sorted(kw.items())), lambda st: refused(st, **kw))

    def _known_sources(self) -> tuple[str, ...]:
        from aieco.measure import method as mth

        return tuple(mth.sources(self.store))

    def _known_definitions(self) -> tuple[str, ...]:
        if not self.store.has_table("classified"):
            return ()
        return tuple(r[0] for r in self.store.query("SELECT DISTINCT definition FROM classified ORDER BY 1"))

    def _known_registries(self) -> tuple[str, ...]:
        if not self.store.has_table("firm_registry"):
            return ()
        return tuple(r[0] for r in self.store.query("SELECT DISTINCT registry FROM firm_registry ORDER BY 1"))

    def _known_series(self) -> tuple[Any, ...]:
        from aieco.measure.aggregates import series

        return tuple(series(self.store))

    def close(self) -> None:
        self.store.close()


@cache
def _countries() -> tuple[str, ...]:
    import pycountry

    from aieco.measure.groups import patent_offices

    return tuple(sorted({c.alpha_2 for c in pycountry.countries} | set(patent_offices())))


def check_country(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if code not in _countries():
        raise ParameterError("country", f"unknown country {value!r}", list(_countries()))
    return code


def check_group(value: str | None) -> str | None:
    if value is None:
        return None
    from aieco.measure.groups import builtin_groups

    names = {n.upper(): n for n in builtin_groups()}
    if value.strip().upper() not in names:
        raise ParameterError("group", f"unknown group {value!r}", sorted(names.values()))
    return names[value.strip().upper()]


def check_years(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", value.strip())
    if not m or int(m.group(1)) > int(m.group(2) or m.group(1)):
        raise ParameterError("years", f"{value!r} is not a period YYYY or YYYY-YYYY (first <= last)")
    return int(m.group(1)), int(m.group(2) or m.group(1))


def check_choice(parameter: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if value not in allowed:
        raise ParameterError(parameter, f"unknown {parameter} {value!r}", list(allowed))
    return value


def check_countries(value: str, *, most: int) -> tuple[str, ...]:
    """A comma-separated list of country codes, each checked, at most ``most`` of them."""
    codes = []
    for v in value.split(","):
        if v.strip():
            try:
                codes.append(check_country(v) or "")
            except ParameterError as err:
                raise ParameterError("countries", str(err).partition(": ")[2], err.allowed) from None
    if not codes:
        raise ParameterError("countries", "name at least one country code", list(_countries()))
    if len(codes) > most:
        raise ParameterError("countries", f"{len(codes)} countries; up to {most} at a time")
    return tuple(codes)


@contextlib.contextmanager
def as_parameter(parameter: str, allowed: list[str] | None = None) -> Any:
    """A name the library does not know (UnknownName), reported as the API parameter that carried it."""
    from aieco.errors import UnknownName

    try:
        yield
    except UnknownName as err:
        raise ParameterError(parameter, str(err), allowed) from err


def _too_large(limit: int) -> Exception:
    """The 413 of a body that grew past ``limit`` while it was read (an HTTPException, which FastAPI's body
    parsing lets through instead of turning it into a 400)."""
    from starlette.exceptions import HTTPException

    return HTTPException(413, f"request body over {limit:,} bytes")


class _BodyLimit:
    """The one bound on a request body: a Content-Length over ``limit`` (or not a number) is refused with a 413
    before anything is read, and a body sent in chunks (no Content-Length) is counted as it arrives and stopped
    at ``limit`` without reading the rest."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        size = dict(scope.get("headers") or ()).get(b"content-length")
        if size is not None and (not size.isdigit() or int(size) > self.limit):
            from starlette.responses import JSONResponse

            body = {"error": f"request body over {self.limit:,} bytes", "kind": "TooLarge"}
            await JSONResponse(body, 413)(scope, receive, send)
            return
        received = 0

        async def counted() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _too_large(self.limit)
            return message

        await self.app(scope, counted, send)


def _error_body(err: AiecoError) -> dict[str, Any]:
    body: dict[str, Any] = {"error": str(err), "kind": type(err).__name__}
    if isinstance(err, ParameterError):
        body["parameter"], body["allowed"] = err.parameter, err.allowed
    return body


def create_app(db: Path) -> Any:
    """The FastAPI application over the store at ``db`` (opened read-only)."""
    fastapi, fastapi_offline = _fastapi()
    from fastapi import Body, Query, Request
    from fastapi.responses import HTMLResponse, JSONResponse, Response

    backend = Backend(db)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Any) -> Any:
        yield
        backend.close()

    app = fastapi_offline.FastAPIOffline(
        title="aieco",
        version=_version(),
        description=__doc__,
        lifespan=lifespan,
        openapi_url=f"{API}/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.backend = backend
    app.add_middleware(_BodyLimit, limit=MAX_BODY)

    @app.middleware("http")
    async def bounds(request: Request, call_next: Any) -> Any:
        if len(request.url.query) > MAX_QUERY:
            return JSONResponse({"error": f"query string over {MAX_QUERY} characters", "kind": "TooLong"}, 414)
        return await call_next(request)

    @app.exception_handler(413)
    async def too_large(_request: Request, err: Any) -> Any:
        return JSONResponse({"error": str(err.detail), "kind": "TooLarge"}, status_code=413)

    @app.exception_handler(AiecoError)
    async def aieco_error(_request: Request, err: AiecoError) -> Any:
        if isinstance(err, QueryTimeout):
            return JSONResponse(_error_body(err), status_code=503, headers={"Retry-After": "60"})
        return JSONResponse(_error_body(err), status_code=422)

    @app.exception_handler(fastapi.exceptions.RequestValidationError)
    async def validation_error(_request: Request, err: Any) -> Any:
        errors = err.errors()
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "body"))
        return JSONResponse(
            {
                "error": f"{where or 'request'}: {first.get('msg', 'invalid')}",
                "kind": "Invalid",
                "parameter": where,
                "details": [{"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg")} for e in errors],
            },
            status_code=422,
        )

    country_q = Query(None, max_length=40, description="ISO 3166-1 alpha-2 code (or patent office), e.g. CN.")
    group_q = Query(None, max_length=40, description="Country group, e.g. SCO.")
    years_q = Query(None, max_length=20, description="Period YYYY or YYYY-YYYY.")
    definition_q = Query(None, max_length=80, description="Applied AI definition id, e.g. cset-1790.")
    source_q = Query(None, max_length=40, description="Loaded source, e.g. cset1790.")
    sector_q = Query(None, max_length=40, description="Sector, e.g. agriculture.")

    @app.get(f"{API}/sources", summary="Ingest runs: files, sha256, rows read / accepted / rejected")
    def sources() -> Any:
        from aieco.measure.overview import coverage_result

        cov = backend.cached(("coverage",), coverage_result)
        return [r.to_dict() for r in cov.runs]

    @app.get(f"{API}/coverage", summary="What the store holds, per source, with findings")
    def coverage() -> Any:
        from aieco.measure.overview import coverage_result

        return Response(backend.cached_json(("coverage",), coverage_result), media_type="application/json")

    @app.get(f"{API}/findings", summary="Data-quality findings of the loaded runs")
    def findings() -> Any:
        from aieco.measure.overview import coverage_result

        return [f.to_dict() for f in backend.cached(("coverage",), coverage_result).findings]

    @app.get(f"{API}/definitions", summary="Shipped AI definitions, and which are applied to the store")
    def definitions() -> Any:
        from aieco.classify.definitions import definition_infos

        return [d.to_dict() for d in definition_infos(applied=set(backend.definitions))]

    @app.get(f"{API}/stats", summary="Headline counts: documents, families, by source, office, year; findings")
    def stats() -> Any:
        from aieco.store.readback import stats_result

        return Response(backend.cached_json(("stats",), stats_result), media_type="application/json")

    @app.get(f"{API}/rejects", summary="The rejected rows of an ingest run: file, line, field, reason")
    def rejects(run: int = Query(..., ge=1, le=2**62), limit: int = Query(100, ge=1, le=10_000)) -> Any:
        from aieco.measure.overview import coverage_result
        from aieco.store.readback import reject_rows

        runs = [r.run_id for r in backend.cached(("coverage",), coverage_result).runs]
        if run not in runs:
            raise ParameterError("run", f"no run {run} in the store", [str(r) for r in runs])
        return [r.to_dict() for r in backend.cached(("rejects", run, limit), lambda st: reject_rows(st, run, limit))]

    @app.get(f"{API}/groups", summary="Country groups and their members in a year")
    def groups(year: int = Query(2019, ge=1900, le=2100)) -> Any:
        from aieco.measure.groups import builtin_groups
        from aieco.measure.overview import memberships

        return [m.to_dict() for g in builtin_groups() for m in memberships(g, [year])]

    @app.get(f"{API}/grid", summary="Every method the loaded data supports, with the spread and refused methods")
    def grid(
        country: str | None = country_q,
        group: str | None = group_q,
        years: str | None = years_q,
        definition: str | None = definition_q,
        source: str | None = source_q,
        sector: str | None = sector_q,
    ) -> Any:
        from aieco.measure.overview import grid_result
        from aieco.measure.sectors import SECTORS, flag_categories

        c, g = check_country(country), check_group(group)
        if not (c or g):
            raise ParameterError("country", "name a country or a group (parameter group)", list(_countries()))
        period = check_years(years)
        d = check_choice("definition", definition, backend.definitions)
        s = check_choice("source", source, backend.sources)
        sec = check_choice("sector", sector, tuple(SECTORS))
        flags = flag_categories(sec) if sec and not d else ()
        category = sec if sec and d else None
        key = ("grid", c, g, period, d, s, sec)
        return Response(
            backend.cached_json(
                key,
                lambda st: grid_result(
                    st,
                    country=c,
                    group=g,
                    years=period,
                    definition=d,
                    source=s,
                    category=category,
                    flag_categories=flags,
                ),
            ),
            media_type="application/json",
        )

    @app.get(f"{API}/agreement", summary="A definition's results against the CSET/1790 database")
    def agreement(definition: str = Query("cset-1790", max_length=80)) -> Any:
        from aieco.classify.agreement import agreement as run_agreement

        d = check_choice("definition", definition, backend.definitions)
        return Response(
            backend.cached_json(("agreement", d), lambda st: run_agreement(st, d or "cset-1790")),
            media_type="application/json",
        )

    @app.get(f"{API}/profile", summary="A country's published aggregates (ETO CAT, NCSES, World Bank), every row "
             "with its publisher, table, method, completeness and sha256; and every method the documents support")
    def profile(
        country: str = Query(..., max_length=40, description="ISO 3166-1 alpha-2 code, e.g. CN."),
        years: str | None = years_q,
    ) -> Any:
        from aieco.measure.profile import profile as run_profile

        c, period = check_country(country), check_years(years)
        assert c is not None
        with as_parameter("country", list(_countries())):
            return Response(
                backend.cached_json(("profile", c, period), lambda st: run_profile(st, c, years=period)),
                media_type="application/json",
            )

    @app.get(f"{API}/compare", summary="A group's members side by side on the published aggregates, per person and "
             "with internet use beside the AI figures, and the group's sum over its members of that year")
    def compare(
        group: str = Query(..., max_length=40, description="Country group, e.g. SCO."),
        year: int = Query(..., ge=1900, le=2100, description="Members on 31 December, the figures of that year."),
    ) -> Any:
        from aieco.measure.compare import compare as run_compare

        g = check_group(group)
        assert g is not None
        with as_parameter("year"):
            return Response(
                backend.cached_json(("compare", g, year), lambda st: run_compare(st, g, year)),
                media_type="application/json",
            )

    @app.get(f"{API}/indicators/aggregates", summary="An indicator over the published aggregates (aieco indicators "
             "with --pillar/--measure/--publisher/--table): share of which world, per capita, CAGR, RTA, ...")
    def aggregate_indicators(
        kind: str = Query("share", max_length=40, description="count, share, per-capita, per-million, ..."),
        pillar: str | None = Query(None, max_length=40, description="patents, research, investment or context."),
        measure: str | None = Query(None, max_length=80, description="Published measure, e.g. articles."),
        publisher: str | None = Query(None, max_length=40, description="eto, ncses, worldbank or owid."),
        table: str | None = Query(None, max_length=80, description="Publisher's table, e.g. patents_summary."),
        country: str | None = country_q,
        group: str | None = group_q,
        years: str | None = years_q,
        world: str = Query("auto", max_length=20, description="auto, row or countries."),
    ) -> Any:
        from aieco.measure import aggregates as agg

        k = check_choice("kind", kind, agg.KINDS)
        p = check_choice("pillar", pillar, agg.PILLARS)
        m = check_choice("measure", measure, tuple(sorted({x.measure for x in backend.series})))
        pub = check_choice("publisher", publisher, tuple(sorted({x.publisher for x in backend.series})))
        t = check_choice("table", table, tuple(sorted({x.table for x in backend.series})))
        w = check_choice("world", world, agg.WORLDS) or "auto"
        c, g, period = check_country(country), check_group(group), check_years(years)
        assert k is not None
        key = ("aggregate-indicators", k, p, m, pub, t, c, g, period, w)
        return Response(
            backend.cached_json(
                key,
                lambda st: agg.indicators(
                    st, k, pillar=p, measure=m, publisher=pub, table=t, country=c, group=g, years=period, world=w
                ),
            ),
            media_type="application/json",
        )

    @app.get(f"{API}/sources-agree", summary="Two sources on the same question per country and year, with their "
             "ratio and what explains the difference (CSET/1790 against ETO families; NCSES against ETO articles)")
    def sources_agree(
        countries: str = Query("CN,US", max_length=200, description="Comma-separated ISO codes."),
        years: str | None = Query(None, max_length=20, description="Period (default 2014-2019 for patent-families, "
                                  "2014-2022 for articles)."),
        question: str = Query("patent-families", max_length=40, description="patent-families or articles."),
    ) -> Any:
        from aieco.measure.sources_agree import QUESTIONS
        from aieco.measure.sources_agree import sources_agree as run_sources_agree

        q = check_choice("question", question, QUESTIONS)
        codes = check_countries(countries, most=MAX_COUNTRIES)
        period = check_years(years) or ((2014, 2019) if q == "patent-families" else (2014, 2022))
        with as_parameter("countries", list(_countries())):
            return Response(
                backend.cached_json(
                    ("sources-agree", codes, period, q),
                    lambda st: run_sources_agree(st, countries=codes, years=period, question=q or "patent-families"),
                ),
                media_type="application/json",
            )

    def rows_json(key: tuple[Any, ...], compute: Callable[[Store], Any]) -> Any:
        """A tuple of typed results as a JSON list of their ``to_dict()``, encoded once per key."""
        return Response(
            backend.cached(
                ("json-rows", *key),
                lambda st: json.dumps([r.to_dict() for r in compute(st)], ensure_ascii=False,
                                      allow_nan=False).encode("utf-8"),  # fmt: skip
            ),
            media_type="application/json",
        )

    registry_q = Query(None, max_length=80, description="A loaded firm registry, e.g. parat.")

    @app.get(f"{API}/firms", summary="The firms of the loaded registries, with their linked applicant names and "
             "documents (aieco firms list)")
    def firms(registry: str | None = registry_q) -> Any:
        from aieco.firms.query import list_firms

        r = check_choice("registry", registry, backend.registries)
        return rows_json(("firms", r), lambda st: list_firms(st, registry=r))

    @app.get(f"{API}/firms/agreement", summary="PARAT's published AI patent counts against aieco's AI documents "
             "for the matched firms (aieco firms agreement)")
    def firms_agreement(
        definition: str = Query("cset-1790", max_length=80, description="Applied AI definition id."),
        registry: str = Query("parat", max_length=80, description="The PARAT registry's name."),
        years: str | None = years_q,
    ) -> Any:
        from aieco.firms.indicators import parat_agreement

        d = check_choice("definition", definition, backend.definitions) or "cset-1790"
        r = check_choice("registry", registry, backend.registries) or "parat"
        period = check_years(years)
        return rows_json(("firms-agreement", d, r, period),
                         lambda st: parat_agreement(st, definition=d, registry=r, years=period))  # fmt: skip

    @app.get(f"{API}/firms/{{firm}}", summary="One firm: its names, the applicant names scored against it, its AI "
             "documents by year (aieco firms show); every registry entry the text names")
    def firm_detail(firm: str = fastapi.Path(..., max_length=200, description="A firm's name, alias, credit code "
                                             "or registry id, e.g. DJI.")) -> Any:  # fmt: skip
        from aieco.firms.query import show_firm

        text = firm.strip()
        with as_parameter("firm"):
            return rows_json(("firm", text), lambda st: show_firm(st, text))

    @app.get(f"{API}/convert", summary="Convert an amount with offline exchange rates")
    def convert(
        amount: float = Query(..., allow_inf_nan=False),
        from_: str = Query(..., alias="from", max_length=3),
        to: str = Query(..., max_length=3),
        on: date = Query(..., alias="date"),
        rate_source: str = Query("auto", pattern="^(auto|ecb|hmrc)$"),
        method: str = Query("day", pattern="^(day|month-mean|year-mean)$"),
        fallback: str = Query("refuse", pattern="^(refuse|previous)$"),
    ) -> Any:
        from aieco.money import convert as run_convert

        result = run_convert(amount, from_, to, on, source=rate_source, method=method, fallback=fallback)
        return result.to_dict()

    @app.post(f"{API}/check", summary="Check the quantitative claims of a text against the store")
    def check(text: str = Body(..., embed=True, max_length=MAX_BODY)) -> Any:
        from aieco.claims.check import check as run_check

        s = backend.cursor()
        try:
            return {
                "claims": run_check(
                    text, s, grid_fn=backend.grid_rows, refused_fn=backend.refused_rows, max_claims=MAX_API_CLAIMS
                )
            }
        finally:
            s.close()

    @app.get("/report", summary="The HTML report for a country (and group)", response_class=HTMLResponse)
    def report(
        country: str = Query("CN", max_length=40),
        group: str | None = group_q,
        years: str | None = Query("2000-2019", max_length=20),
    ) -> Any:
        from aieco.measure.overview import ecosystem
        from aieco.present.report import firms_overview, published_aggregates, render_report

        c, g, period = check_country(country) or "CN", check_group(group), check_years(years)
        eco = backend.cached(("ecosystem", c, g, period), lambda st: ecosystem(st, country=c, group=g, years=period))
        year = period[1] if period else 2019
        published = backend.cached(
            ("published", c, g, year), lambda st: published_aggregates(st, country=c, group=g, year=year)
        )
        firms = backend.cached(("firms-overview",), firms_overview)
        return HTMLResponse(
            render_report(eco, published=published, firms=firms),
            headers={"Content-Disposition": f'attachment; filename="aieco-report-{c}.html"'},
        )

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def dashboard() -> Any:
        return HTMLResponse(_asset("dashboard.html"))

    @app.get("/assets/{name}", include_in_schema=False)
    def asset(name: str) -> Any:
        if name == "vega.js":
            from aieco.present.report import vega_bundle

            return Response(vega_bundle(), media_type="text/javascript")
        if name not in ("dashboard.js", "dashboard.css"):
            return JSONResponse({"error": f"no asset {name!r}", "kind": "NotFound"}, 404)
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return Response(_asset(name), media_type=kind)

    return app


def _asset(name: str) -> str:
    return resources.files("aieco.present").joinpath("web", name).read_text("utf-8")


def _version() -> str:
    from aieco import __version__

    return __version__
