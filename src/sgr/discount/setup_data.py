"""Build both stores from a seed, atomically: write temp files, then rename over the old ones.

Rows come from DuckDB's `hash()` over (row number, seed, column), so the same seed gives the same rows
whatever the thread count, and 1M users take seconds: DuckDB generates, SQLite receives batches through
`executemany` inside one transaction (no pandas). With a PostgreSQL hot store (`database`), DuckDB writes
the rows as CSV and PostgreSQL `COPY`s them in one transaction (`sgr.discount.postgres.hot.load_hot`);
the cold store is a DuckDB file in the directory either way.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sgr.discount.errors import DiscountError
from sgr.discount.sql import queries
from sgr.discount.stores import COLD_FILE, HOT_FILE, MANIFEST_FILE

BATCH = 50_000
#: bump when the store layout changes, so cached builds (the benchmark's) are rebuilt
STORE_FORMAT = 2
#: progress callback: (rows done, rows total)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SetupResult:
    """What was built where (`hot_path` is None when the hot store is a PostgreSQL database)."""

    dir: Path
    users: int
    seed: int
    hot_path: Path | None
    cold_path: Path
    #: where the hot rows went, for people: the file name, or the DSN without its password
    hot: str


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}.wal"), Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        p.unlink(missing_ok=True)


def _build_cold(path: Path, users: int, seed: int) -> None:
    import duckdb

    with duckdb.connect(str(path)) as db:
        db.execute("SET enable_progress_bar = false")
        db.execute(queries("duckdb")["cold_build"], [users, seed])
        db.execute(queries("duckdb")["cold_index"])
        db.execute("CHECKPOINT")


def _build_hot(path: Path, users: int, seed: int, progress: Progress | None) -> None:
    import duckdb

    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(queries("sqlite")["hot_schema"])
        insert = queries("sqlite")["hot_insert"]
        done = 0
        with duckdb.connect() as gen:
            gen.execute("SET enable_progress_bar = false")
            cur = gen.execute(queries("duckdb")["hot_generate"], [users, seed])
            conn.execute("BEGIN")
            while True:
                rows = cur.fetchmany(BATCH)
                if not rows:
                    break
                conn.executemany(insert, rows)
                done += len(rows)
                if progress:
                    progress(done, users)
            conn.execute("COMMIT")
        # WAL is a property of the file, so every later reader opens it in WAL mode.
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


def _build_hot_postgres(database: str, csv_path: Path, users: int, seed: int, progress: Progress | None) -> None:
    import duckdb

    from sgr.discount.postgres.hot import load_hot

    with duckdb.connect() as gen:
        gen.execute("SET enable_progress_bar = false")
        gen.sql(queries("duckdb")["hot_generate"], params=[users, seed]).write_csv(str(csv_path), header=True)
    load_hot(database, csv_path, users=users, progress=progress)


def setup_data(directory: str | Path, *, users: int = 10, seed: int = 0, progress: Progress | None = None,
               database: str | None = None) -> SetupResult:
    """Build hot and cold stores for `users` customers (ids C0000001...) from `seed`.

    Safe to re-run: both files are written under temporary names and renamed into place only when
    complete, and a PostgreSQL hot store is replaced in one transaction, so a crash leaves the previous
    stores intact. `database` (a DSN) puts the hot store in PostgreSQL instead of `hot.sqlite`.
    """
    if users < 1:
        raise DiscountError(f"--users must be at least 1 (got {users})")
    if users > 9_999_999:
        raise DiscountError(f"--users must be at most 9,999,999 (customer ids have 7 digits; got {users})")
    target = Path(directory).expanduser()
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DiscountError(f"cannot create store directory {target}: {exc}") from exc
    tag = f".tmp-{os.getpid()}"
    hot_tmp, cold_tmp = target / (HOT_FILE + tag), target / (COLD_FILE + tag)
    csv_tmp = target / f"hot.csv{tag}"
    _remove(hot_tmp)
    _remove(cold_tmp)
    if database is not None:
        from sgr.discount.postgres.pool import describe, require_driver

        require_driver()
        hot_where = describe(database)
    else:
        hot_where = HOT_FILE
    try:
        _build_cold(cold_tmp, users, seed)
        if database is None:
            _build_hot(hot_tmp, users, seed, progress)
        else:
            _build_hot_postgres(database, csv_tmp, users, seed, progress)
        moves = [(cold_tmp, target / COLD_FILE)] + ([(hot_tmp, target / HOT_FILE)] if database is None else [])
        for tmp, final in moves:
            # stale -wal/-shm of the old file must not be replayed onto the new one
            for side in (Path(f"{final}-wal"), Path(f"{final}-shm"), Path(f"{final}.wal")):
                side.unlink(missing_ok=True)
            os.replace(tmp, final)
        manifest = {"users": users, "seed": seed, "hot": hot_where, "cold": COLD_FILE, "format": STORE_FORMAT}
        (target / MANIFEST_FILE).write_text(json.dumps(manifest, sort_keys=True) + "\n", encoding="utf-8")
    except (OSError, sqlite3.Error) as exc:
        raise DiscountError(f"building stores in {target} failed: {exc}") from exc
    finally:
        _remove(hot_tmp)
        _remove(cold_tmp)
        csv_tmp.unlink(missing_ok=True)
    return SetupResult(target, users, seed, target / HOT_FILE if database is None else None, target / COLD_FILE,
                       hot_where)


def read_manifest(directory: str | Path) -> dict[str, int] | None:
    """The manifest of an existing build (users, seed), or None; the benchmark uses it to reuse caches."""
    path = Path(directory).expanduser() / MANIFEST_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
