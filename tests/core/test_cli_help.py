"""Every verb's --help renders: the help text is the first documentation a person reads."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from sgr.cli import app


def _paths(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [prefix]
    if hasattr(group, "commands"):  # a group (typer vendors its own click, so no isinstance)
        for name, cmd in group.commands.items():
            out += _paths(cmd, (*prefix, name))
    return out


COMMANDS = _paths(typer.main.get_command(app))


def test_the_verbs_are_all_there() -> None:
    assert {("doctor",), ("autoviz", "run"), ("discount", "ask"), ("discount", "setup-data"),
            ("discount", "audit"), ("serve",)} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "sgr")
def test_help_renders(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
