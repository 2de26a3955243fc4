"""The audit log on PostgreSQL, shared by every replica of the service.

Why it stays correct with many writers, without SERIALIZABLE or row locks:
- **Ids.** `reserve()` is `nextval()` on the identity's sequence, which never returns a number twice, to
  any session, even if the transaction that asked rolls back. Offer codes are keyed by that id, so two
  replicas can never mint the same code; the `offer_codes` primary key and unique `audit_id` would refuse
  it anyway.
- **Writes.** A decision's row and its code's lookup entry go in one transaction, so a code never exists
  without its decision. Nothing is read and then written back (no read-modify-write), so READ COMMITTED
  loses nothing; the primary key is the only arbiter, and it is enforced by the server.
- **Retries.** A write whose connection drops may or may not have committed. The id is reserved before
  the first attempt, so the retry inserts `ON CONFLICT (id) DO NOTHING` and, finding its id taken, checks
  the row is this very decision: a decision is written once, never twice, never lost silently.
- **Policy.** A CHECK constraint refuses any row whose offer exceeds the cap it was priced under.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sgr.discount.audit import AuditRecord
from sgr.discount.errors import DiscountError, StoreCorrupt
from sgr.discount.postgres.migrate import applied_migrations, migrate
from sgr.discount.postgres.pool import describe, open_pool, retrying
from sgr.discount.sql import migrations, queries

Q = queries("postgres")
#: attempts for a write whose connection failed (server restart, failover, network blip)
WRITE_ATTEMPTS = 3
RETRY_PAUSE_S = 0.2


class PostgresAuditLog:
    """Append and list audit records in a PostgreSQL database (same interface as the SQLite `AuditLog`)."""

    def __init__(self, dsn: str, directory: str | Path, *, create: bool = True) -> None:
        self.dir = Path(directory).expanduser()
        self.location = describe(dsn)
        self._pool = open_pool(dsn, what="audit log")
        try:
            with self._pool.connection() as conn:
                if create:
                    migrate(conn)
                elif len(applied_migrations(conn)) < len(migrations("postgres")):
                    raise DiscountError(f"no audit log in {self.location} yet: no decisions have been made with "
                                        "this database")
        except BaseException:
            self.close()
            raise

    def _nextval(self) -> int:
        with self._pool.connection() as conn:
            row = conn.execute(Q["audit_reserve"]).fetchone()
        assert row is not None
        return int(row[0])

    def reserve(self) -> int:
        """A fresh audit id for a decision in progress; never handed out twice, by any replica."""
        import psycopg

        try:
            return retrying(self._pool, self._nextval)
        except psycopg.Error as exc:
            raise StoreCorrupt(f"audit log {self.location} cannot reserve an id: {exc}") from exc

    def _params(self, rec: AuditRecord, audit_id: int) -> dict[str, Any]:
        from psycopg.types.json import Jsonb

        return {"id": audit_id, "ts": rec.ts, "customer_id": rec.customer_id, "message": rec.message,
                "route": rec.route, "inputs": Jsonb(rec.inputs), "reasoning": Jsonb(rec.reasoning),
                "decision": Jsonb(rec.decision), "cap_percent": rec.cap_percent, "cap_rules": Jsonb(rec.cap_rules),
                "clamps": Jsonb(rec.clamps), "clamp_count": len(rec.clamps), "backend": rec.backend,
                "fallback_used": rec.fallback_used, "latency_s": rec.latency_s}

    def _write_once(self, params: dict[str, Any], code_lookup: str | None) -> None:
        with self._pool.connection() as conn, conn.transaction():
            if conn.execute(Q["audit_insert"], params).fetchone() is None:
                same = conn.execute(Q["audit_same"], params).fetchone()
                if not (same and same[0]):
                    raise StoreCorrupt(f"audit log {self.location}: id {params['id']} already belongs to another "
                                       "decision")
                return  # an earlier attempt committed before its connection dropped: already written
            if code_lookup:
                conn.execute(Q["audit_code_insert"], (code_lookup, params["id"]))

    def record(self, rec: AuditRecord, *, audit_id: int | None = None, code_lookup: str | None = None) -> int:
        """Write one record (with a reserved id, and its offer code's lookup key) and commit; returns its id."""
        import psycopg

        params = self._params(rec, audit_id if audit_id is not None else self.reserve())
        try:
            retrying(self._pool, lambda: self._write_once(params, code_lookup), attempts=WRITE_ATTEMPTS,
                     pause_s=RETRY_PAUSE_S)
        except psycopg.Error as exc:
            raise StoreCorrupt(f"audit log {self.location} rejected a write: {exc}") from exc
        return int(params["id"])

    def _rows(self, sql: str, params: Any) -> list[dict[str, Any]]:
        import psycopg
        from psycopg.rows import dict_row

        def read() -> list[dict[str, Any]]:
            with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
                return list(cur.execute(sql, params).fetchall())

        try:
            return retrying(self._pool, read, attempts=2)
        except psycopg.Error as exc:
            raise StoreCorrupt(f"audit log {self.location} cannot be read: {exc}") from exc

    def find_code(self, lookup: str) -> dict[str, Any] | None:
        """The decision that issued the code with this lookup key, or None."""
        rows = self._rows(Q["audit_by_code"], (lookup,))
        return rows[0] if rows else None

    def list(self, *, limit: int = 20, customer_id: str | None = None) -> list[dict[str, Any]]:
        """Newest first, optionally for one customer."""
        return self._rows(Q["audit_list"], {"customer_id": customer_id, "limit": limit})

    def close(self) -> None:
        """Close the pool."""
        self._pool.close()
