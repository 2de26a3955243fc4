"""The run registry shared by several server processes: concurrent opening, and runs that belong to a
process failing only once that process is gone."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

from sgr.autoviz.pipeline import STAGES
from sgr.autoviz.web.registry import INTERRUPTED, REGISTRY_FILE, Registry

STAGE_LIST = [{"stage": s, "status": "pending", "summary": ""} for s in STAGES]
OPENERS = 6


def _open_after(runs_dir: str, barrier: multiprocessing.synchronize.Barrier, out: multiprocessing.Queue) -> None:
    registry = Registry(Path(runs_dir))
    barrier.wait()
    try:
        registry.open()
        out.put("ok")
    except Exception as exc:  # reported to the test, which names it
        out.put(f"{type(exc).__name__}: {exc}")


def test_processes_opening_a_new_registry_together_all_succeed(tmp_path: Path) -> None:
    """Replicas started together create the file at once; SQLite's WAL switch refused one of them in CI."""
    ctx = multiprocessing.get_context("spawn")
    for trial in range(8):
        runs = tmp_path / f"runs{trial}"
        barrier, out = ctx.Barrier(OPENERS), ctx.Queue()
        procs = [ctx.Process(target=_open_after, args=(str(runs), barrier, out)) for _ in range(OPENERS)]
        for proc in procs:
            proc.start()
        results = [out.get(timeout=120) for _ in procs]
        for proc in procs:
            proc.join(timeout=60)
        assert results == ["ok"] * OPENERS, f"trial {trial}: {results}"


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
