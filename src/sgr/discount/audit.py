"""Audit log: every decision, with its inputs, reasoning, cap and clamps, in its own SQLite file.

Its own file (next to the stores) so `setup-data` can rebuild the stores without erasing history, and so
audit writes never contend with hot-store reads. One connection guarded by a lock: writes are serialised
by SQLite anyway, and WAL lets `sgr discount audit` read while the service writes.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sgr.discount.errors import DiscountError, StoreCorrupt
from sgr.discount.sql import QUERIES
from sgr.discount.stores import AUDIT_FILE

_JSON_COLUMNS = ("inputs", "reasoning", "decision", "cap_rules", "clamps")


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


class AuditLog:
    """Append and list audit records."""

    def __init__(self, directory: str | Path, *, create: bool = True) -> None:
        self.path = Path(directory).expanduser() / AUDIT_FILE
        if not create and not self.path.is_file():
            raise DiscountError(f"no audit log at {self.path} yet: no decisions have been made with --dir "
                                f"{self.path.parent}")
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=10.0)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.executescript(QUERIES["audit_schema"])
        except (sqlite3.DatabaseError, OSError) as exc:
            raise StoreCorrupt(f"audit log {self.path} cannot be opened: {exc}") from exc

    def record(self, rec: AuditRecord) -> int:
        """Write one record; returns its id."""
        row = (rec.ts, rec.customer_id, rec.message, rec.route, _dumps(rec.inputs), _dumps(rec.reasoning),
               _dumps(rec.decision), rec.cap_percent, _dumps(rec.cap_rules), _dumps(rec.clamps),
               len(rec.clamps), rec.backend, int(rec.fallback_used), rec.latency_s)
        with self._lock:
            try:
                cur = self._conn.execute(QUERIES["audit_insert"], row)
                self._conn.commit()
            except sqlite3.DatabaseError as exc:
                raise StoreCorrupt(f"audit log {self.path} rejected a write: {exc}") from exc
            return int(cur.lastrowid or 0)

    def list(self, *, limit: int = 20, customer_id: str | None = None) -> list[dict[str, Any]]:
        """Newest first, optionally for one customer."""
        with self._lock:
            try:
                cur = self._conn.execute(QUERIES["audit_list"], (customer_id, limit))
            except sqlite3.DatabaseError as exc:
                raise StoreCorrupt(f"audit log {self.path} cannot be read: {exc}") from exc
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
        out = []
        for row in rows:
            item = dict(zip(names, row, strict=True))
            for col in _JSON_COLUMNS:
                item[col] = json.loads(item[col])
            item["fallback_used"] = bool(item["fallback_used"])
            out.append(item)
        return out

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()
