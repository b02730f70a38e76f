"""Firm registries into the store: ``aieco ingest firms PATH --registry NAME`` and ``aieco ingest parat FILE``.

Both readers run inside :func:`aieco.store.ingest.ingest` like every other reader: one transaction, rows
read = accepted + rejected, every reject stored with file, line, field and reason, and a killed ingest
leaves the store as it was. They write to tables of their own (``firm_registry``, ``firm_names``, ``firm_counts``,
migration 0006) and count what they accept with ``ctx.accept_direct``.

Several registries coexist (each a name); a firm may be in several. A code already loaded in the same
registry under a different name is a reject, as is a repeat within the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from aieco.arrowsql import execute_over
from aieco.errors import InputError
from aieco.files import sha256_file
from aieco.firms.names import features
from aieco.firms.parat import ParatCompany, read_parat
from aieco.firms.registry import RegistryFirm, RowChecker, registry_rows
from aieco.model import Reject
from aieco.signals import hold_at

FIRM_COLUMNS: dict[str, pa.DataType] = {
    "run_id": pa.int32(), "registry": pa.string(), "firm_id": pa.string(), "credit_code": pa.string(),
    "name_zh": pa.string(), "name_en": pa.string(), "province": pa.string(), "city": pa.string(),
    "programme": pa.string(), "batch": pa.string(), "year": pa.int32(), "industry": pa.string(),
    "country": pa.string(), "stage": pa.string(), "line": pa.int64(), "file_sha256": pa.string(),
}  # fmt: skip
NAME_COLUMNS: dict[str, pa.DataType] = {
    "run_id": pa.int32(), "registry": pa.string(), "firm_id": pa.string(), "name": pa.string(),
    "origin": pa.string(), "script": pa.string(), "place": pa.string(), "name_key": pa.string(),
    "pinyin": pa.string(),
}  # fmt: skip
COUNT_COLUMNS: dict[str, pa.DataType] = {
    "run_id": pa.int32(), "registry": pa.string(), "firm_id": pa.string(), "measure": pa.string(),
    "year": pa.int32(), "value": pa.int64(),
}  # fmt: skip
REGISTRY_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.")


def _insert(con: Any, table: str, columns: dict[str, pa.DataType], rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    batch = pa.table({c: pa.array([r.get(c) for r in rows], type=t) for c, t in columns.items()})
    execute_over(con, f"INSERT INTO {table} BY NAME SELECT * FROM arrow_input", batch)


def _name_rows(run_id: int, registry: str, firm_id: str, names: list[tuple[str, str]]) -> list[dict[str, Any]]:
    out, seen = [], set()
    for origin, name in names:
        if name in seen:
            continue
        seen.add(name)
        f = features(name)
        if not f.key:
            continue  # a name that is only punctuation or a legal form gives nothing to compare
        out.append(
            {
                "run_id": run_id,
                "registry": registry,
                "firm_id": firm_id,
                "name": name,
                "origin": origin,
                "script": f.script,
                "place": f.place,
                "name_key": f.key,
                "pinyin": f.pinyin,
            }
        )
    return out


def check_registry_name(name: str) -> str:
    text = name.strip()
    if not text or set(text) - REGISTRY_NAME_CHARS:
        raise InputError(f"registry name {name!r}: use lower-case letters, digits and - _ . (e.g. little-giants)")
    return text


class _RegistryReader:
    def __init__(self) -> None:
        self.options: dict[str, Any] = {}

    def configure(self, options: dict[str, Any]) -> None:
        self.options = dict(options)

    def _reject(self, ctx: Any, r: Reject) -> None:
        ctx.reject(r.line, r.field, r.reason, r.raw)

    def check_already_loaded(self, loaded: Any, options: dict[str, Any], path: Path) -> None:
        """The file (the same sha256) is already loaded as run ``loaded``: asked for under another registry
        name, that is an error, not a silent skip (one file is one registry; two names for one list would
        put every firm twice). ``--replace`` loads it under the new name instead."""
        asked = options.get("registry")
        was = (loaded.options or {}).get("registry")
        if asked and was and check_registry_name(str(asked)) != was:
            raise InputError(
                f"already loaded as registry {was!r} (run {loaded.run_id}), not {asked!r}: one file is one "
                f"registry; --replace loads it as {asked!r} instead",
                path=str(path),
            )


class FirmsReader(_RegistryReader):
    """A programme list (CSV or XLSX): name_zh, name_en, credit_code, province, city, programme, batch, year,
    industry, aliases (separated by ``|``)."""

    kind = "firms"
    source = "firms"

    def read(self, path: Path, ctx: Any) -> None:
        registry = self.options.get("registry")
        if not registry:
            raise InputError("a registry needs a name: aieco ingest firms PATH --registry NAME", path=str(path))
        registry = check_registry_name(str(registry))
        ctx.options["registry"] = registry
        digest = sha256_file(path)
        known = {
            code: (zh, en)
            for code, zh, en in ctx.con.execute(
                "SELECT firm_id, any_value(name_zh), any_value(name_en) FROM firm_registry "
                "WHERE registry = ? AND run_id <> ? GROUP BY firm_id",
                [registry, ctx.run_id],
            ).fetchall()
        }
        checker = RowChecker(ctx.file, known)
        firms: list[dict[str, Any]] = []
        names: list[dict[str, Any]] = []
        for line, record in registry_rows(path):
            ctx.row_read()
            out = checker.check(line, record)
            if isinstance(out, Reject):
                self._reject(ctx, out)
                continue
            firms.append(self._firm_row(ctx.run_id, registry, out, digest))
            names.extend(_name_rows(ctx.run_id, registry, out.credit_code, [
                ("name_zh", out.name_zh or ""), ("name_en", out.name_en or ""),
                *(("alias", a) for a in out.aliases)]))  # fmt: skip
            ctx.accept_direct()
        hold_at("staging")
        _insert(ctx.con, "firm_registry", FIRM_COLUMNS, firms)
        # a firm listed again (another batch) keeps one copy of its names
        _insert(ctx.con, "firm_names", NAME_COLUMNS, list({(n["firm_id"], n["name"]): n for n in names}.values()))

    @staticmethod
    def _firm_row(run_id: int, registry: str, f: RegistryFirm, digest: str) -> dict[str, Any]:
        return {
            "run_id": run_id,
            "registry": registry,
            "firm_id": f.credit_code,
            "credit_code": f.credit_code,
            "name_zh": f.name_zh,
            "name_en": f.name_en,
            "province": f.province,
            "city": f.city,
            "programme": f.programme,
            "batch": f.batch,
            "year": f.year,
            "industry": f.industry,
            "country": "China",
            "stage": None,
            "line": f.line,
            "file_sha256": digest,
        }


class ParatReader(_RegistryReader):
    """CSET PARAT's ``data.js``: companies, aliases, country, stage, AI patents and publications per year."""

    kind = "parat"
    source = "parat"

    def read(self, path: Path, ctx: Any) -> None:
        registry = check_registry_name(str(self.options.get("registry") or "parat"))
        ctx.options["registry"] = registry
        parsed = read_parat(path)
        ctx.row_read(parsed.rows_read)
        for r in parsed.rejects:
            self._reject(ctx, r)
        firms, names, counts = [], [], []
        for c in parsed.companies:
            firms.append(
                {
                    "run_id": ctx.run_id,
                    "registry": registry,
                    "firm_id": c.cset_id,
                    "name_en": c.name,
                    "country": c.country,
                    "stage": c.stage,
                    "line": c.index + 1,
                    "file_sha256": parsed.sha256,
                }
            )
            names.extend(
                _name_rows(ctx.run_id, registry, c.cset_id, [("name", c.name), *(("alias", a) for a in c.aliases)])
            )
            counts.extend(self._counts(ctx.run_id, registry, c))
        hold_at("staging")
        _insert(ctx.con, "firm_registry", FIRM_COLUMNS, firms)
        _insert(ctx.con, "firm_names", NAME_COLUMNS, names)
        _insert(ctx.con, "firm_counts", COUNT_COLUMNS, counts)
        ctx.accept_direct(len(parsed.companies))

    @staticmethod
    def _counts(run_id: int, registry: str, c: ParatCompany) -> list[dict[str, Any]]:
        out = []
        for measure, total, by_year in (
            ("ai_patents", c.ai_patents, c.ai_patents_by_year),
            ("ai_pubs", c.ai_pubs, c.ai_pubs_by_year),
        ):
            base = {"run_id": run_id, "registry": registry, "firm_id": c.cset_id, "measure": measure}
            if total is not None:
                out.append({**base, "year": None, "value": total})
            out.extend({**base, "year": y, "value": v} for y, v in by_year)
        return out
