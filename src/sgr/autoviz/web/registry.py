"""The run registry: one SQLite file next to the run folders, so runs outlive the process that ran them.

A connection per operation (WAL, busy timeout) instead of one shared connection: worker threads report
progress while request handlers read, and a late progress report after shutdown must find nothing to
break. Opening is cheap next to a run that takes seconds.

Several server processes may share one runs folder (replicas behind a balancer). Each run records the
process that queued it, and each serving process holds a lease file (`owners/<id>.lease`) while it lives:
a run is failed as interrupted only when its owner's lease is free, so a replica that starts or sweeps
never fails the work another live replica is doing, and a dead replica's runs do not stay "running".
Opening and reaping are serialised by `registry.lock`: SQLite's switch to WAL needs the file to itself
and answers "database is locked" at once, without waiting, when two processes create it together.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sgr.core.locks import Lease, exclusive, held
from sgr.core.sqlite_wal import enable_wal

REGISTRY_FILE = "registry.sqlite3"
LOCK_FILE = "registry.lock"
OWNERS = "owners"
INTERRUPTED = "interrupted: the server process that queued it stopped"
ACTIVE = ("queued", "running")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    question TEXT NOT NULL,
    model TEXT,
    dataset_name TEXT NOT NULL,
    dataset_path TEXT NOT NULL,
    stage TEXT,
    stages TEXT NOT NULL,
    error_kind TEXT,
    error TEXT,
    result TEXT,
    owner TEXT
);
CREATE INDEX IF NOT EXISTS runs_created ON runs (created_at);
CREATE TABLE IF NOT EXISTS datasets (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL
);
"""


def now() -> str:
    """UTC timestamp with milliseconds; sorts as text."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


class Registry:
    """Runs and uploaded datasets, by id."""

    def __init__(self, runs_dir: Path) -> None:
        self.path = runs_dir / REGISTRY_FILE
        self.owners_dir = runs_dir / OWNERS
        self.owner = secrets.token_hex(8)
        self._lease: Lease | None = None

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.row_factory = sqlite3.Row
        try:
            con.execute("PRAGMA busy_timeout = 30000")
            yield con
        finally:
            con.close()

    def open(self) -> int:
        """Create or migrate the tables, take this process's lease, and fail runs whose owner is gone.

        Returns how many runs were failed as interrupted.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with exclusive(self.path.parent / LOCK_FILE), self._db() as con:
            enable_wal(con)  # the lock serialises our openers; an older version's process may not take it
            con.executescript(_SCHEMA)
            if "owner" not in {row[1] for row in con.execute("PRAGMA table_info(runs)")}:
                con.execute("ALTER TABLE runs ADD COLUMN owner TEXT")  # a registry from before replicas
            if self._lease is None:
                self._lease = Lease(self.owners_dir / f"{self.owner}.lease")
            return self._reap(con)

    def close(self) -> None:
        """Give up this process's lease: its unfinished runs become another process's to fail."""
        if self._lease is not None:
            self._lease.release()
            self._lease = None

    def reap(self) -> int:
        """Fail the queued and running runs of processes that died; returns how many."""
        with exclusive(self.path.parent / LOCK_FILE), self._db() as con:
            return self._reap(con)

    def _reap(self, con: sqlite3.Connection) -> int:
        """Under `registry.lock`: fail dead owners' runs, then remove their lease files (names are never
        reused and leases are only taken under the same lock, so a free lease file is garbage)."""
        marks = ", ".join("?" for _ in ACTIVE)
        owners = {row[0] for row in con.execute(f"SELECT DISTINCT owner FROM runs WHERE status IN ({marks})",
                                                ACTIVE)}
        # our own lease is live by definition (and asking flock about it is only meaningful on a local disk)
        dead = [o for o in owners if o is None or (o != self.owner and not held(self.owners_dir / f"{o}.lease"))]
        stale = [f for f in self.owners_dir.glob("*.lease") if f.stem != self.owner and not held(f)]
        for lease_file in stale:
            lease_file.unlink(missing_ok=True)
        if not dead:
            return 0
        stamp = now()
        known = [o for o in dead if o is not None]
        where = " OR ".join((["owner IS NULL"] if None in dead else [])
                            + ([f"owner IN ({', '.join('?' for _ in known)})"] if known else []))
        cur = con.execute(
            "UPDATE runs SET status = 'failed', error_kind = 'Interrupted', error = ?, updated_at = ?, "
            f"finished_at = ? WHERE status IN ({marks}) AND ({where})", (INTERRUPTED, stamp, stamp, *ACTIVE, *known))
        return cur.rowcount

    # -- runs ----------------------------------------------------------------------------------------

    def add_run(self, run_id: str, *, question: str, model: str | None, dataset_name: str, dataset_path: str,
                stages: list[dict[str, str]]) -> None:
        """Record a queued run."""
        stamp = now()
        with self._db() as con:
            con.execute(
                "INSERT INTO runs (id, created_at, updated_at, status, question, model, dataset_name, "
                "dataset_path, stages, owner) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)",
                (run_id, stamp, stamp, question, model, dataset_name, dataset_path, json.dumps(stages), self.owner))

    def update_run(self, run_id: str, **fields: Any) -> None:
        """Set columns of one run still queued or running; dicts and lists are stored as JSON.

        A finished run is never changed again: a worker orphaned by a killed server must not overwrite the
        "interrupted" another replica recorded for its run."""
        allowed = {"status", "stage", "stages", "error_kind", "error", "result", "finished_at"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown run fields: {sorted(unknown)}")
        values = {k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in fields.items()}
        values["updated_at"] = now()
        assignments = ", ".join(f"{k} = ?" for k in values)
        with self._db() as con:
            con.execute(f"UPDATE runs SET {assignments} WHERE id = ? AND status IN ({', '.join('?' for _ in ACTIVE)})",
                        (*values.values(), run_id, *ACTIVE))

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        """One run as a dict (JSON columns decoded), or None; a run whose owner died reads as failed now."""
        with self._db() as con:
            row = con.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row and self._orphaned([row]):
            self.reap()
            with self._db() as con:
                row = con.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        return _decode(row) if row else None

    def list_runs(self, limit: int = 50) -> list[dict[str, Any]]:
        """Newest first; runs whose owner died read as failed now."""
        query = "SELECT * FROM runs ORDER BY created_at DESC, id LIMIT ?"
        with self._db() as con:
            rows = con.execute(query, (limit,)).fetchall()
        if self._orphaned(rows):
            self.reap()
            with self._db() as con:
                rows = con.execute(query, (limit,)).fetchall()
        return [_decode(r) for r in rows]

    def _orphaned(self, rows: list[sqlite3.Row]) -> bool:
        """Whether a serving process (one that opened the registry) sees an unfinished run of a dead owner: a
        person polling a run another replica queued learns of its death at once, not at the next sweep."""
        if self._lease is None:
            return False
        owners = {r["owner"] for r in rows if r["status"] in ACTIVE and r["owner"] != self.owner}
        return any(o is None or not held(self.owners_dir / f"{o}.lease") for o in owners)

    def count(self, *statuses: str) -> int:
        """How many runs are in any of these states."""
        marks = ", ".join("?" for _ in statuses)
        with self._db() as con:
            row = con.execute(f"SELECT count(*) FROM runs WHERE status IN ({marks})", statuses).fetchone()
        return int(row[0])

    def delete_run(self, run_id: str) -> bool:
        """Forget a finished run (its folder is the caller's); False when it is unknown or still active."""
        with self._db() as con:
            cur = con.execute(f"DELETE FROM runs WHERE id = ? AND status NOT IN ({', '.join('?' for _ in ACTIVE)})",
                              (run_id, *ACTIVE))
            return cur.rowcount > 0

    def removable(self) -> list[tuple[str, str, float]]:
        """Finished runs and uploads no queued or running run reads, oldest first: (kind, id, created epoch)."""
        marks = ", ".join("?" for _ in ACTIVE)
        with self._db() as con:
            rows = con.execute(
                f"SELECT 'run', id, created_at FROM runs WHERE status NOT IN ({marks}) "
                f"UNION ALL SELECT 'dataset', id, created_at FROM datasets WHERE path NOT IN "
                f"(SELECT dataset_path FROM runs WHERE status IN ({marks})) ORDER BY 3, 2",
                (*ACTIVE, *ACTIVE)).fetchall()
        return [(r[0], r[1], dt.datetime.fromisoformat(r[2]).timestamp()) for r in rows]

    # -- datasets ------------------------------------------------------------------------------------

    def delete_dataset(self, dataset_id: str) -> None:
        """Forget an upload (its file is the caller's)."""
        with self._db() as con:
            con.execute("DELETE FROM datasets WHERE id = ?", (dataset_id,))

    def add_dataset(self, dataset_id: str, *, name: str, path: str, size: int) -> None:
        """Record an uploaded dataset."""
        with self._db() as con:
            con.execute("INSERT INTO datasets (id, created_at, name, path, size) VALUES (?, ?, ?, ?, ?)",
                        (dataset_id, now(), name, path, size))

    def get_dataset(self, dataset_id: str) -> dict[str, Any] | None:
        """One uploaded dataset, or None."""
        with self._db() as con:
            row = con.execute("SELECT * FROM datasets WHERE id = ?", (dataset_id,)).fetchone()
        return dict(row) if row else None


def _decode(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    for key in ("stages", "result"):
        if out.get(key):
            out[key] = json.loads(out[key])
    return out
