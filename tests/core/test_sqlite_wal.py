"""SQLite files that several processes create at the same moment: every opener gets a WAL-mode file.

Without the retry, about one trial in seven had a process refused with "database is locked" (measured
with six openers on 2 cores), which is how two replicas starting together failed CI once.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

OPENERS = 6
TRIALS = 6


def _open(kind: str, folder: str, barrier: Barrier, out: Queue) -> None:
    barrier.wait()
    try:
        if kind == "calllog":
            from sgr.core.calllog import connect

            connect(Path(folder) / "calls.sqlite3").close()
        elif kind == "audit":
            from sgr.discount.audit import AuditLog

            AuditLog(folder)
        else:
            from sgr.autoviz.web.registry import Registry

            Registry(Path(folder)).open()
        out.put("ok")
    except Exception as exc:  # reported to the test, which names it
        out.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.parametrize("kind", ["calllog", "audit", "registry"])
def test_processes_creating_one_file_together_all_succeed(tmp_path: Path, kind: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    for trial in range(TRIALS):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        barrier, out = ctx.Barrier(OPENERS), ctx.Queue()
        procs = [ctx.Process(target=_open, args=(kind, str(folder), barrier, out)) for _ in range(OPENERS)]
        for proc in procs:
            proc.start()
        results = [out.get(timeout=120) for _ in procs]
        for proc in procs:
            proc.join(timeout=60)
        assert results == ["ok"] * OPENERS, f"trial {trial}: {results}"
        files = [f for f in folder.iterdir() if f.suffix in {".sqlite", ".sqlite3"}]
        for file in files:
            with sqlite3.connect(file) as con:
                assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert files
