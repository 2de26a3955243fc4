"""The hot store (live sessions) on PostgreSQL: pooled point lookups, and the COPY load behind setup-data.

A lookup is one autocommit round trip on a pooled connection; psycopg prepares the statement on a
connection after a few uses, so a replica's steady state is a prepared-statement execute. A lookup that
meets a dropped connection (server restart, failover) is retried once (`pool.retrying`): it only reads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sgr.discount.errors import StoreCorrupt, StoreMissing
from sgr.discount.postgres.migrate import migrate
from sgr.discount.postgres.pool import describe, open_pool, retrying
from sgr.discount.sql import queries
from sgr.discount.stores import HotRow

Q = queries("postgres")
#: bytes per COPY write while loading
COPY_CHUNK = 1 << 20


class PostgresHotStore:
    """Read access to the `sessions` table of a PostgreSQL database."""

    def __init__(self, dsn: str) -> None:
        import psycopg

        self.location = describe(dsn)
        self._pool = open_pool(dsn, what="hot store")
        try:
            with self._pool.connection() as conn:
                conn.execute("SELECT count(*) FROM sessions WHERE customer_id = %s", ("",)).fetchone()
        except psycopg.errors.UndefinedTable as exc:
            self.close()
            raise StoreMissing(f"hot store {self.location} has no sessions table; run `sgr discount setup-data` "
                               "with this database first") from exc
        except psycopg.Error as exc:
            self.close()
            raise StoreCorrupt(f"hot store {self.location} is not a readable sessions database ({exc})") from exc

    def _lookup(self, customer_id: str) -> tuple[Any, ...] | None:
        with self._pool.connection() as conn:
            return conn.execute(Q["hot_lookup"], (customer_id,)).fetchone()

    def get(self, customer_id: str) -> HotRow | None:
        """The live session, or None when the customer has none."""
        import psycopg

        try:
            row = retrying(self._pool, lambda: self._lookup(customer_id), attempts=2)
        except psycopg.Error as exc:
            raise StoreCorrupt(f"hot store {self.location} failed a lookup: {exc}") from exc
        return None if row is None else HotRow(float(row[1]), float(row[2]), str(row[3]))

    def _sample(self, limit: int) -> list[tuple[Any, ...]]:
        with self._pool.connection() as conn:
            return conn.execute(Q["hot_sample"], (limit,)).fetchall()

    def sample(self, limit: int) -> list[tuple[str, HotRow]]:
        """Up to `limit` sessions in customer_id order (an index walk on the primary key); retried like `get`."""
        import psycopg

        try:
            rows = retrying(self._pool, lambda: self._sample(limit), attempts=2)
        except psycopg.Error as exc:
            raise StoreCorrupt(f"hot store {self.location} failed to list sessions: {exc}") from exc
        return [(str(r[0]), HotRow(float(r[1]), float(r[2]), str(r[3]))) for r in rows]

    def close(self) -> None:
        """Close the pool and its connections."""
        self._pool.close()


def load_hot(dsn: str, csv_path: Path, *, users: int, progress: Callable[[int, int], None] | None = None) -> None:
    """Replace every session with the rows of `csv_path` (header + customer_id, cart_value, margin, status).

    One transaction: migrate, TRUNCATE, COPY, commit. Readers keep seeing the old rows until the commit
    (TRUNCATE's lock makes them wait rather than see an empty table), and a failed load changes nothing.
    COPY streams the CSV DuckDB wrote, so no row passes through Python.
    """
    import psycopg

    total = max(csv_path.stat().st_size, 1)
    pool = open_pool(dsn, what="hot store", max_size=1)
    try:
        with pool.connection() as conn:
            migrate(conn)
            with conn.transaction(), conn.cursor() as cur:
                cur.execute(Q["hot_replace"])
                sent = 0
                with cur.copy(Q["hot_copy"]) as copy, csv_path.open("rb") as fh:
                    while block := fh.read(COPY_CHUNK):
                        copy.write(block)
                        sent += len(block)
                        if progress:
                            progress(min(users, users * sent // total), users)
            conn.execute("ANALYZE sessions")
    except psycopg.Error as exc:
        raise StoreCorrupt(f"loading the hot store into {describe(dsn)} failed: {exc}") from exc
    finally:
        pool.close()
    if progress:
        progress(users, users)
