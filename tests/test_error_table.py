"""The one error table: exit codes unique across agents, the classes agree with it, surfaces use it."""

from __future__ import annotations

import importlib

from sgr import error_table
from sgr.core.errors import BackendUnavailable, SGRError
from sgr.core.step import StepDeadline
from sgr.discount.errors import CodeNotIssued, CustomerNotFound, StoreMissing


def test_each_error_class_carries_the_table_exit_code() -> None:
    for row in error_table.ROWS:
        module, _, name = row.path.rpartition(".")
        cls = getattr(importlib.import_module(module), name)
        assert issubclass(cls, SGRError), row.path
        assert cls.exit_code == row.exit_code, f"{row.path}: class says {cls.exit_code}, table {row.exit_code}"


def test_agent_specific_exit_codes_do_not_collide() -> None:
    shared = {1, 2, 3, 4}
    owner: dict[int, str] = {}
    for row in error_table.ROWS:
        if row.exit_code in shared:
            continue
        agent = row.path.split(".")[1]
        assert owner.setdefault(row.exit_code, agent) == agent, f"exit {row.exit_code} used by two agents"
        assert row.exit_code not in error_table.RESULT_CODES or agent == "autoviz"
    assert len({r.exit_code for r in error_table.ROWS if r.path.startswith("sgr.discount")}) == 6


def test_most_specific_row_wins() -> None:
    assert error_table.exit_code(StepDeadline("late")) == 3 and error_table.http_status(StepDeadline("x")) == 502
    assert error_table.exit_code(CustomerNotFound("C1")) == 11 and error_table.http_status(CustomerNotFound("C")) == 404
    assert error_table.http_status(StoreMissing("x")) == 503 and error_table.exit_code(CodeNotIssued("x")) == 16
    assert error_table.exit_code(SGRError("x")) == 1 and error_table.exit_code(ValueError("x")) == 1
    assert error_table.http_status(BackendUnavailable("x")) == 502


def test_the_table_is_in_the_cli_reference() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    assert error_table.markdown() in text
