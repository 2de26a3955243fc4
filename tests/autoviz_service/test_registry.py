"""The run registry shared by several server processes: runs that belong to a process fail only once that
process is gone (opening together: tests/core/test_sqlite_wal.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sgr.autoviz.pipeline import STAGES
from sgr.autoviz.web.registry import INTERRUPTED, REGISTRY_FILE, Registry

STAGE_LIST = [{"stage": s, "status": "pending", "summary": ""} for s in STAGES]


def _add(registry: Registry, run_id: str, status: str = "queued") -> None:
    registry.add_run(run_id, question="q", model="offline", dataset_name="d.csv", dataset_path="/x",
                     stages=STAGE_LIST)
    if status != "queued":
        registry.update_run(run_id, status=status)


def test_a_live_replicas_runs_survive_another_opening(tmp_path: Path) -> None:
    first, second = Registry(tmp_path), Registry(tmp_path)
    assert first.open() == 0
    _add(first, "A" * 22)
    _add(first, "B" * 22, "running")
    assert second.open() == 0 and second.reap() == 0
    assert {second.get_run(r)["status"] for r in ("A" * 22, "B" * 22)} == {"queued", "running"}
    first.close()  # the first replica stops: the second's next sweep ends its runs
    assert second.reap() == 2
    for run_id in ("A" * 22, "B" * 22):
        run = second.get_run(run_id)
        assert run["status"] == "failed" and run["error"] == INTERRUPTED and run["finished_at"]
    _add(second, "C" * 22)
    assert second.reap() == 0 and second.get_run("C" * 22)["status"] == "queued"
    second.close()


def test_a_registry_from_before_owners_is_migrated(tmp_path: Path) -> None:
    """A runs table without the owner column (an older version's file): its unfinished runs have no owner."""
    with sqlite3.connect(tmp_path / REGISTRY_FILE) as con:
        con.execute("CREATE TABLE runs (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
                    "finished_at TEXT, status TEXT NOT NULL, question TEXT NOT NULL, model TEXT, "
                    "dataset_name TEXT NOT NULL, dataset_path TEXT NOT NULL, stage TEXT, stages TEXT NOT NULL, "
                    "error_kind TEXT, error TEXT, result TEXT)")
        con.execute("INSERT INTO runs VALUES ('OLD', 't', 't', NULL, 'running', 'q', NULL, 'd', '/x', NULL, '[]', "
                    "NULL, NULL, NULL)")
    registry = Registry(tmp_path)
    assert registry.open() == 1
    assert registry.get_run("OLD")["error"] == INTERRUPTED
    _add(registry, "N" * 22)
    assert registry.get_run("N" * 22)["owner"] == registry.owner
    registry.close()


def test_reaping_removes_the_lease_files_of_dead_processes_only(tmp_path: Path) -> None:
    live, other = Registry(tmp_path), Registry(tmp_path)
    live.open()
    other.open()
    left_behind = tmp_path / "owners" / "0123456789abcdef.lease"  # a process killed before it could remove it
    left_behind.write_text("")
    live.reap()
    assert not left_behind.exists()
    assert {f.stem for f in (tmp_path / "owners").glob("*.lease")} == {live.owner, other.owner}
    live.close()
    other.close()


def test_a_finished_run_is_never_changed_again(tmp_path: Path) -> None:
    """A worker orphaned by a killed server reports after another replica failed its run: the failure stays."""
    registry = Registry(tmp_path)
    registry.open()
    _add(registry, "F" * 22, "running")
    registry.update_run("F" * 22, status="failed", error_kind="Interrupted", error=INTERRUPTED)
    registry.update_run("F" * 22, status="answered", stage=None)
    run = registry.get_run("F" * 22)
    assert run["status"] == "failed" and run["error"] == INTERRUPTED
    registry.close()


def test_reading_a_dead_replicas_run_fails_it_at_once(tmp_path: Path) -> None:
    """Polling a run that another replica queued shows its death on the next read, not at the next sweep."""
    first, second = Registry(tmp_path), Registry(tmp_path)
    first.open()
    second.open()
    _add(first, "D" * 22, "running")
    _add(first, "E" * 22)
    assert second.get_run("D" * 22)["status"] == "running"
    first.close()
    assert second.get_run("D" * 22)["error"] == INTERRUPTED
    assert {r["id"]: r["status"] for r in second.list_runs()} == {"D" * 22: "failed", "E" * 22: "failed"}
    second.close()
