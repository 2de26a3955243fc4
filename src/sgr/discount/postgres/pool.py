"""Connections to PostgreSQL: the driver check, a DSN as people may see it, and one pool per store.

Why a pool: a service answers many decisions at once from worker threads; opening a connection costs a
few milliseconds (a fork on the server), a pooled one costs nothing, and the pool caps how many connections
each replica holds (`max_size`), so N replicas stay within the server's `max_connections`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from sgr.discount.errors import DiscountError, StoreMissing

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

T = TypeVar("T")
SCHEMES = ("postgresql://", "postgres://")
#: connections one pool may hold; a replica has two pools (hot store, audit log)
POOL_MAX = 8
CONNECT_TIMEOUT_S = 5


def is_postgres(location: str | None) -> bool:
    """Whether a configured location is a PostgreSQL DSN (anything else is not ours to open here)."""
    return bool(location) and str(location).startswith(SCHEMES)


def require_driver() -> None:
    """psycopg and psycopg_pool, or a clear error naming the extra that installs them."""
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError as exc:
        raise DiscountError("a PostgreSQL DSN is configured for the discount stores, but psycopg is not "
                            f"installed ({exc.name}): pip install 'sgr-agents[postgres]'") from None


def describe(dsn: str) -> str:
    """The DSN without its password (for messages, logs and the manifest)."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts: dict[str, Any] = conninfo_to_dict(dsn)
    except Exception:  # a DSN libpq cannot parse: show only its scheme
        return dsn.split("://", 1)[0] + "://(unparseable)"
    user = f"{parts['user']}@" if parts.get("user") else ""
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{parts.get('host', 'localhost')}{port}/{parts.get('dbname', '')}"


def check_reachable(dsn: str, what: str) -> None:
    """One direct connection first: a pool only says it timed out, this says why (refused, auth, no db)."""
    import psycopg

    try:
        psycopg.connect(dsn, connect_timeout=CONNECT_TIMEOUT_S).close()
    except psycopg.Error as exc:
        detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise StoreMissing(f"{what} at {describe(dsn)} is unreachable: {detail}") from exc


def open_pool(dsn: str, *, what: str, max_size: int = POOL_MAX) -> ConnectionPool:
    """A pool of autocommit connections (a lookup is one round trip; writes open their own transaction)."""
    from psycopg_pool import ConnectionPool, PoolTimeout

    require_driver()
    check_reachable(dsn, what)
    pool = ConnectionPool(dsn, min_size=1, max_size=max_size, open=False, name=what,
                          kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S})
    pool.open()
    try:
        pool.wait(timeout=CONNECT_TIMEOUT_S * 2)
    except PoolTimeout as exc:
        pool.close()
        raise StoreMissing(f"{what} at {describe(dsn)}: no connection within {CONNECT_TIMEOUT_S * 2} s") from exc
    return pool


def retrying(pool: ConnectionPool, fn: Callable[[], T], *, attempts: int = 3, pause_s: float = 0.1) -> T:
    """`fn()`, again after a dropped connection (server restart, failover, network blip), up to `attempts`.

    Only for work that is safe to repeat: reads, `nextval()` (a retry leaves a gap, never a duplicate), and
    the audit insert (idempotent by its reserved id). Other errors propagate at once. Between attempts the
    pool discards every dead connection, since a restart kills all of them, not only the one that failed.
    """
    import psycopg

    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except psycopg.OperationalError:
            if attempt == attempts:
                raise
            time.sleep(pause_s * attempt)
            pool.check()
    raise AssertionError("unreachable")
