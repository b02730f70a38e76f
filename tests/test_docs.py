"""Every CLI command and every setting is documented in the README."""

from __future__ import annotations

import typer

from aieco.cli import app
from aieco.settings import SETTINGS
from conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def _commands() -> list[str]:
    cmd = typer.main.get_command(app)
    names: list[str] = []
    for name, sub in cmd.commands.items():  # type: ignore[attr-defined]
        subs = getattr(sub, "commands", None)
        if subs:
            names += [f"{name} {s}" for s in subs]
        else:
            names.append(name)
    return sorted(names)


def test_every_command_is_in_the_readme():
    missing = [c for c in _commands() if f"`aieco {c}" not in README]
    assert not missing, f"commands missing from README: {missing}"


def test_every_setting_is_in_the_readme():
    for s in SETTINGS:
        assert f"`{s.env}`" in README and f"`{s.default}`" in README, s.env


def test_the_two_setup_commands():
    assert "make demo" in README and "make test" in README
