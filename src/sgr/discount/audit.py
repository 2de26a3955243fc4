"""Audit log: every decision, with its inputs, reasoning, cap and clamps, in its own SQLite file (or, when
`discount.database` is a DSN, in PostgreSQL: `sgr.discount.postgres.audit`, shared by every replica).

Its own file (next to the stores) so `setup-data` can rebuild the stores without erasing history, and so
audit writes never contend with hot-store reads. One connection guarded by a lock: writes are serialised
by SQLite anyway, and WAL lets `sgr discount audit` read while the service writes.

Durable: `synchronous = FULL` syncs the WAL on every commit, and the agent returns a decision only after
its row is committed, so an offer a customer has seen is never lost to an OS crash or power cut. A priced
decision first `reserve`s its id (its offer code is keyed by it), then writes its row and its code's
lookup entry in one transaction.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sgr.core.sqlite_wal import enable_wal
from sgr.discount.errors import DiscountError, StoreCorrupt
from sgr.discount.sql import queries
from sgr.discount.stores import AUDIT_FILE

_JSON_COLUMNS = ("inputs", "reasoning", "decision", "cap_rules", "clamps")
QUERIES = queries("sqlite")


@dataclass(frozen=True)
class AuditRecord:
    """One row to write (JSON-able parts are plain Python values)."""

    ts: str
    customer_id: str
    message: str
    route: str
    inputs: dict[str, Any]
    reasoning: dict[str, Any]
    decision: dict[str, Any]
    cap_percent: float | None
    cap_rules: list[str]
    clamps: list[dict[str, Any]]
    backend: str
    fallback_used: bool
    latency_s: float


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _decode(item: dict[str, Any]) -> dict[str, Any]:
    """A row as stored -> JSON columns parsed, flags as booleans."""
    for col in _JSON_COLUMNS:
        item[col] = json.loads(item[col])
    item["fallback_used"] = bool(item["fallback_used"])
    return item


class Audit(Protocol):
    """What the agent, the CLI and the service need of an audit log, whichever database holds it."""

    #: the store directory (where the offer-code secret lives unless one is configured)
    dir: Path

    def reserve(self) -> int:
        """A fresh audit id for a decision in progress; never handed out twice."""

    def record(self, rec: AuditRecord, *, audit_id: int | None = None, code_lookup: str | None = None) -> int:
        """Write one record durably; returns its id."""

    def find_code(self, lookup: str) -> dict[str, Any] | None:
        """The decision that issued the code with this lookup key, or None."""

    def list(self, *, limit: int = 20, customer_id: str | None = None) -> list[dict[str, Any]]:
        """Newest first, optionally for one customer."""

    def close(self) -> None:
        """Release connections."""


def open_audit(directory: str | Path, *, database: str | None = None, create: bool = True) -> Audit:
    """The SQLite log in `directory`, or the PostgreSQL one when `database` is a DSN."""
    if database is None:
        return AuditLog(directory, create=create)
    from sgr.discount.postgres.audit import PostgresAuditLog

    return PostgresAuditLog(database, directory, create=create)


class AuditLog:
    """Append and list audit records in a SQLite file."""

    def __init__(self, directory: str | Path, *, create: bool = True) -> None:
        self.dir = Path(directory).expanduser()
        self.path = self.dir / AUDIT_FILE
        if not create and not self.path.is_file():
            raise DiscountError(f"no audit log at {self.path} yet: no decisions have been made with --dir "
                                f"{self.path.parent}")
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=10.0)
            enable_wal(self._conn)
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.executescript(QUERIES["audit_schema"])
        except (sqlite3.DatabaseError, OSError) as exc:
            raise StoreCorrupt(f"audit log {self.path} cannot be opened: {exc}") from exc

    def reserve(self) -> int:
        """A fresh audit id for a decision in progress; never handed out twice, even across processes."""
        with self._lock:
            # The reservation need not be durable on its own: in WAL mode the decision's FULL commit syncs
            # every earlier frame, this one included, and no answer is returned before that commit. So it
            # commits without an fsync, and a decision pays for one sync, not two.
            self._conn.execute("PRAGMA synchronous = NORMAL")
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                top = int(self._conn.execute(QUERIES["audit_reserve_read"]).fetchone()[0]) + 1
                if self._conn.execute(QUERIES["audit_reserve"], (top,)).rowcount == 0:
                    self._conn.execute(QUERIES["audit_reserve_first"], (top,))
                self._conn.commit()
            except sqlite3.DatabaseError as exc:
                self._conn.rollback()
                raise StoreCorrupt(f"audit log {self.path} cannot reserve an id: {exc}") from exc
            finally:
                self._conn.execute("PRAGMA synchronous = FULL")
            return top

    def record(self, rec: AuditRecord, *, audit_id: int | None = None, code_lookup: str | None = None) -> int:
        """Write one record (with a reserved id, and its offer code's lookup key) and commit; returns its id."""
        row = (audit_id, rec.ts, rec.customer_id, rec.message, rec.route, _dumps(rec.inputs), _dumps(rec.reasoning),
               _dumps(rec.decision), rec.cap_percent, _dumps(rec.cap_rules), _dumps(rec.clamps),
               len(rec.clamps), rec.backend, int(rec.fallback_used), rec.latency_s)
        with self._lock:
            try:
                cur = self._conn.execute(QUERIES["audit_insert"], row)
                written = int(cur.lastrowid or 0)
                if code_lookup:
                    self._conn.execute(QUERIES["audit_code_insert"], (code_lookup, written))
                self._conn.commit()
            except sqlite3.DatabaseError as exc:
                self._conn.rollback()
                raise StoreCorrupt(f"audit log {self.path} rejected a write: {exc}") from exc
            return written

    def find_code(self, lookup: str) -> dict[str, Any] | None:
        """The decision that issued the code with this lookup key, or None."""
        with self._lock:
            try:
                cur = self._conn.execute(QUERIES["audit_by_code"], (lookup,))
            except sqlite3.DatabaseError as exc:
                raise StoreCorrupt(f"audit log {self.path} cannot be read: {exc}") from exc
            names = [d[0] for d in cur.description]
            row = cur.fetchone()
        return None if row is None else _decode(dict(zip(names, row, strict=True)))

    def list(self, *, limit: int = 20, customer_id: str | None = None) -> list[dict[str, Any]]:
        """Newest first, optionally for one customer."""
        with self._lock:
            try:
                cur = self._conn.execute(QUERIES["audit_list"], (customer_id, limit))
            except sqlite3.DatabaseError as exc:
                raise StoreCorrupt(f"audit log {self.path} cannot be read: {exc}") from exc
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
        return [_decode(dict(zip(names, row, strict=True))) for row in rows]

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()
