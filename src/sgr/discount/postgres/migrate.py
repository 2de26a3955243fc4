"""Named migrations for the PostgreSQL stores: `sql/postgres/migrations/mNNN_*.sql`, each applied once.

Why named and recorded: replicas and `setup-data` all call `migrate()` when they open the database; the
`sgr_discount_migrations` table says what is done, so the call is idempotent, and a new release adds
`m003_*.sql` without touching the old files (append only: never rename or edit a released migration).
Everything runs in one transaction behind an advisory lock, so replicas starting together apply each
migration exactly once, and a failing migration leaves the database as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sgr.discount.errors import StoreCorrupt
from sgr.discount.postgres.pool import describe
from sgr.discount.sql import migrations, queries

if TYPE_CHECKING:
    import psycopg

Q = queries("postgres")


def migrate(conn: psycopg.Connection, *, upto: int | None = None) -> list[str]:
    """Apply the migrations this database lacks (the first `upto` only, for tests); return their names.

    `conn` is in autocommit mode (as the pools hand them out), so the block below is one real transaction.
    """
    import psycopg

    wanted = migrations("postgres")[:upto]
    applied: list[str] = []
    try:
        with conn.transaction():
            conn.execute(Q["migrations_lock"])
            conn.execute(Q["migrations_table"])
            done = {row[0] for row in conn.execute(Q["migrations_applied"])}
            for name, text in wanted:
                if name in done:
                    continue
                conn.execute(text)
                conn.execute(Q["migrations_record"], (name,))
                applied.append(name)
    except psycopg.Error as exc:
        raise StoreCorrupt(f"migrating {describe(conn.info.dsn)} failed: {exc}") from exc
    return applied


def applied_migrations(conn: psycopg.Connection) -> list[str]:
    """The names already applied, in order ([] for a database never migrated)."""
    import psycopg

    try:
        with conn.transaction():
            return sorted(row[0] for row in conn.execute(Q["migrations_applied"]))
    except psycopg.errors.UndefinedTable:
        return []
