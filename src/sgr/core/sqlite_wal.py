"""Put a SQLite file in WAL mode safely when several processes may create it at the same moment.

Why not just `PRAGMA journal_mode = WAL`: switching needs the file to itself, and SQLite answers
"database is locked" at once, without calling the busy handler, when another connection is creating or
switching the same file. Seen in CI when two server replicas started together. Once the file is in WAL
mode (the mode is stored in the file) the pragma is a cheap no-op, so only a file's first moments race.
"""

from __future__ import annotations

import sqlite3
import time

_FIRST_WAIT_S = 0.01
_LONGEST_WAIT_S = 0.2


def enable_wal(con: sqlite3.Connection, *, timeout: float = 30.0) -> None:
    """Switch `con`'s file to WAL, retrying while another process holds it; re-raises after `timeout`."""
    deadline = time.monotonic() + timeout
    wait = _FIRST_WAIT_S
    while True:
        try:
            con.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + wait > deadline:
                raise
        time.sleep(wait)
        wait = min(wait * 2, _LONGEST_WAIT_S)
