"""The two customer stores, opened once per process and reused by every request.

Hot store (live sessions: cart, margin, inventory): SQLite in WAL mode by default, or a table in
PostgreSQL when `database` is a DSN (`sgr.discount.postgres.hot`), so replicas on several machines share
it. SQLite gets one connection per thread, because sqlite3 connections must not be shared across threads
without a lock and a lock would serialise the service.
Cold store: DuckDB opened read-only (history: LTV, churn, recency); one cursor per thread from a single
read-only connection, which is DuckDB's documented way to read concurrently.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from sgr.discount.errors import CustomerIncomplete, CustomerNotFound, StoreCorrupt, StoreMissing
from sgr.discount.sql import queries

HOT_FILE = "hot.sqlite"
COLD_FILE = "cold.duckdb"
AUDIT_FILE = "audit.sqlite"
MANIFEST_FILE = "stores.json"
_SETUP_HINT = "run `sgr discount setup-data --dir {dir}` first"


@dataclass(frozen=True)
class HotRow:
    """A live session."""

    cart_value: float
    profit_margin: float
    inventory_status: str


@dataclass(frozen=True)
class ColdRow:
    """A customer's history."""

    lifetime_value: float
    churn_probability: float
    days_since_last_order: int


@dataclass(frozen=True)
class CustomerContext:
    """Hot and cold values merged: everything policy and pricing may look at."""

    customer_id: str
    cart_value: float
    profit_margin: float
    inventory_status: str
    lifetime_value: float
    churn_probability: float
    days_since_last_order: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for CLI/HTTP output and the audit record."""
        return asdict(self)


class HotLookup(Protocol):
    """What the agent needs of a hot store, whichever database holds it."""

    def get(self, customer_id: str) -> HotRow | None:
        """The live session, or None when the customer has none."""

    def sample(self, limit: int) -> list[tuple[str, HotRow]]:
        """Up to `limit` sessions in customer_id order (the web page's picker; the caller bounds `limit`)."""

    def close(self) -> None:
        """Release connections."""


def _require_file(path: Path, kind: str) -> None:
    if not path.is_file():
        raise StoreMissing(f"{kind} store not found at {path}; " + _SETUP_HINT.format(dir=path.parent))


class HotStore:
    """Read access to the SQLite sessions table, one connection per thread."""

    def __init__(self, path: Path) -> None:
        _require_file(path, "hot")
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._sql = queries("sqlite")["hot_lookup"]
        self._sample_sql = queries("sqlite")["hot_sample"]
        try:
            self._conn().execute("SELECT count(*) FROM sessions WHERE customer_id = ?", ("",)).fetchone()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreCorrupt(f"hot store {path} is not a readable sessions database ({exc}); "
                               + _SETUP_HINT.format(dir=path.parent)) from exc

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=5.0)
            conn.execute("PRAGMA query_only = ON")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def get(self, customer_id: str) -> HotRow | None:
        """The live session, or None when the customer has none."""
        try:
            row = self._conn().execute(self._sql, (customer_id,)).fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreCorrupt(f"hot store {self.path} failed a lookup: {exc}") from exc
        return None if row is None else HotRow(float(row[1]), float(row[2]), str(row[3]))

    def sample(self, limit: int) -> list[tuple[str, HotRow]]:
        """Up to `limit` sessions in customer_id order (a primary-key walk, so cheap at any store size)."""
        try:
            rows = self._conn().execute(self._sample_sql, (limit,)).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreCorrupt(f"hot store {self.path} failed to list sessions: {exc}") from exc
        return [(str(r[0]), HotRow(float(r[1]), float(r[2]), str(r[3]))) for r in rows]

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


class ColdStore:
    """Read-only access to the DuckDB history table, one cursor per thread."""

    def __init__(self, path: Path) -> None:
        import duckdb

        _require_file(path, "cold")
        self.path = path
        self._sql = queries("duckdb")["cold_lookup"]
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cursors: list[Any] = []
        try:
            self._db = duckdb.connect(str(path), read_only=True)
            # Point lookups gain nothing from parallel scans, and handing them to worker threads cost
            # ~0.7 ms at p50 under load (measured: 1.2 ms -> 0.45 ms at 1M rows with threads=1).
            self._db.execute("SET threads = 1")
            self._db.execute("SELECT count(*) FROM history WHERE customer_id = ?", [""]).fetchone()
        except duckdb.Error as exc:
            raise StoreCorrupt(f"cold store {path} is not a readable history database ({exc}); "
                               + _SETUP_HINT.format(dir=path.parent)) from exc

    def _cursor(self) -> Any:
        cur = getattr(self._local, "cur", None)
        if cur is None:
            cur = self._db.cursor()
            self._local.cur = cur
            with self._lock:
                self._cursors.append(cur)
        return cur

    def get(self, customer_id: str) -> ColdRow | None:
        """The history row, or None when the customer has none."""
        import duckdb

        try:
            row = self._cursor().execute(self._sql, [customer_id]).fetchone()
        except duckdb.Error as exc:
            raise StoreCorrupt(f"cold store {self.path} failed a lookup: {exc}") from exc
        return None if row is None else ColdRow(float(row[1]), float(row[2]), int(row[3]))

    def close(self) -> None:
        """Close the cursors and the shared connection."""
        with self._lock:
            for cur in self._cursors:
                cur.close()
            self._cursors.clear()
        self._local = threading.local()
        self._db.close()


def open_hot(directory: Path, database: str | None) -> HotLookup:
    """The SQLite file in `directory`, or the PostgreSQL database when `database` is a DSN."""
    if database is None:
        return HotStore(directory / HOT_FILE)
    from sgr.discount.postgres.hot import PostgresHotStore

    return PostgresHotStore(database)


class Stores:
    """Both stores together; `context(id)` is the merge the agent uses.

    The cold store is always the DuckDB file in `directory`; the hot store is the SQLite file there, or
    the PostgreSQL database `database` (a DSN) when one is configured.
    """

    def __init__(self, directory: str | Path, *, database: str | None = None) -> None:
        self.dir = Path(directory).expanduser()
        self.hot: HotLookup = open_hot(self.dir, database)
        try:
            self.cold = ColdStore(self.dir / COLD_FILE)
        except Exception:
            self.hot.close()
            raise

    def context(self, customer_id: str) -> CustomerContext:
        """Hot + cold for one customer, or a specific error when either side is missing."""
        hot = self.hot.get(customer_id)
        cold = self.cold.get(customer_id)
        if hot is None and cold is None:
            raise CustomerNotFound(f"customer {customer_id!r} is not in the stores at {self.dir}")
        if hot is None or cold is None:
            have, lack = ("cold (history)", "hot (live session)") if hot is None else (
                "hot (live session)", "cold (history)")
            raise CustomerIncomplete(
                f"customer {customer_id!r} is in the {have} store but not the {lack} store at {self.dir}; "
                "refusing to guess the missing values (rebuild with `sgr discount setup-data`)"
            )
        return CustomerContext(customer_id=customer_id, **asdict(hot), **asdict(cold))

    def close(self) -> None:
        """Release both stores."""
        self.hot.close()
        self.cold.close()

    def __enter__(self) -> Stores:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
