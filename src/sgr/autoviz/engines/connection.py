"""An engine connection that answers the part of DuckDB's connection API AutoViz uses.

Why quack like DuckDB rather than give the tools an engine interface: every stage (profile, value lists,
each chart tool) already speaks `con.execute(sql, params).fetchall()` in DuckDB SQL, and that SQL is the one
definition of each chart. Putting the engine behind the connection keeps one implementation of the tools:
each statement is translated (`translate.Translator`), run where the data lives, and only its result rows
come back. The three kinds of statement DuckDB answers from its own catalog are answered here:

* `DESCRIBE rel` -> the engine's column types, named as DuckDB names them (the tools test `is_numeric`),
* `… duckdb_tables() …` -> the tables this connection knows (the loaded table and the step tables it made),
  queried in a private in-memory DuckDB so any filter the tools write keeps working,
* `CREATE OR REPLACE TABLE x AS SELECT …` -> an engine-side temporary table, dropped at `close()`.

Every fetched row is counted (`rows_fetched`, `log`), so a test can prove that aggregation ran on the engine.
"""

from __future__ import annotations

import contextlib
import decimal
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from sgr.autoviz.engines.translate import Dialect, Statement, Translator
from sgr.autoviz.errors import PlanError

#: the name the tools use for the loaded table (data.TABLE_NAME; repeated so this package imports no loader)
LOGICAL_TABLE = "data"


class EngineQueryError(PlanError):
    """The engine refused a translated statement; the message names the engine and its first error line."""


def normalise(value: Any) -> Any:
    """Engine values as DuckDB would return them: integral decimals as int, other decimals as float.

    PostgreSQL returns NUMERIC for avg(bigint), sum(bigint) and EXTRACT; DuckDB returns DOUBLE / HUGEINT /
    BIGINT there, and later code (`int(...)`, JSON) expects those.
    """
    if isinstance(value, decimal.Decimal):
        if value.is_finite() and value == value.to_integral_value() and value.as_tuple().exponent >= 0:
            return int(value)
        return float(value)
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


class Result:
    """What `execute` returns: rows already fetched, with DuckDB's cursor methods."""

    def __init__(self, names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        self.description = [(n, None, None, None, None, None, None) for n in names]
        self._rows = rows
        self._pos = 0

    def fetchall(self) -> list[tuple[Any, ...]]:
        """The remaining rows."""
        rows, self._pos = self._rows[self._pos:], len(self._rows)
        return rows

    def fetchone(self) -> tuple[Any, ...] | None:
        """The next row, or None."""
        if self._pos >= len(self._rows):
            return None
        self._pos += 1
        return self._rows[self._pos - 1]

    def fetchmany(self, size: int = 1) -> list[tuple[Any, ...]]:
        """The next `size` rows."""
        rows = self._rows[self._pos:self._pos + size]
        self._pos += len(rows)
        return rows


@dataclass
class QueryRecord:
    """One statement run on the engine: the SQL sent and how many rows came back."""

    sql: str
    rows: int
    seconds: float


@dataclass
class EngineConnection:
    """Base of the engine connections: translation, metadata answers, temp-table bookkeeping, row counting.

    Subclasses implement `_query(sql) -> (names, rows)`, `_columns(relation) -> [(name, duckdb_type)]`,
    `_create(name, select_sql)` and `_drop(name)`.
    """

    dialect: Dialect
    #: the engine relation behind the logical table `data` (e.g. "public.sales")
    relation: str
    #: prefix of the engine-side names of step tables (Spark's temp views are shared by a whole session)
    temp_prefix: str = ""
    translator: Translator = field(init=False)
    #: rows fetched from the engine over this connection's life, metadata included
    rows_fetched: int = 0
    log: list[QueryRecord] = field(default_factory=list)
    #: step tables made by CREATE OR REPLACE TABLE, in creation order (dropped at close)
    temp_tables: list[str] = field(default_factory=list)
    closed: bool = False
    #: set by `load_remote` for big tables: `sampling()` then reads about this many rows of `data`
    sample_rows: int | None = None
    _sampled: Translator | None = field(default=None, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def __post_init__(self) -> None:
        self.translator = Translator(self.dialect, tables={LOGICAL_TABLE: self.relation},
                                     temp_prefix=self.temp_prefix)

    # -- DuckDB's API -----------------------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Result:
        """Translate DuckDB `sql`, run it on the engine, and return its rows (all fetched)."""
        if self.closed:
            raise EngineQueryError(f"the {self.dialect} connection is closed")
        with self._lock:
            translator = self._sampled or self.translator
            stmt = translator.translate(sql)
            if stmt.kind == "describe":
                cols = self.describe(stmt.name or LOGICAL_TABLE)
                return Result(["column_name", "column_type", "null", "key", "default", "extra"],
                              [(n, t, "YES", None, None, None) for n, t in cols])
            if stmt.kind == "catalog":
                return self._catalog(sql, params)
            if stmt.kind == "create_table":
                return self._create_table(stmt, params)
            return self._run(translator.render(stmt, params))

    def close(self) -> None:
        """Drop the step tables this connection made and close it (idempotent)."""
        with self._lock:
            if self.closed:
                return
            for name in reversed(self.temp_tables):
                with contextlib.suppress(Exception):
                    self._drop(self.temp_prefix + name)
            self.temp_tables.clear()
            self.closed = True
            self._close()

    # -- metadata ---------------------------------------------------------------------------------------

    def describe(self, name: str) -> list[tuple[str, str]]:
        """(column, DuckDB type name) of the logical table or a step table."""
        return self._columns(self.relation if name == LOGICAL_TABLE else self.temp_prefix + name)

    def _catalog(self, sql: str, params: Sequence[Any] | None) -> Result:
        """Answer a duckdb_tables() query from this connection's own list, in a private DuckDB.

        The loaded table is reported as temporary: an engine table has no DuckDB `rowid`, so tools that
        sample stored tables by rowid take their exact path instead.
        """
        local = duckdb.connect()
        try:
            local.execute("CREATE TABLE sgr_tables (database_name VARCHAR, schema_name VARCHAR, "
                          "table_name VARCHAR, temporary BOOLEAN, estimated_size BIGINT, column_count BIGINT)")
            names = [LOGICAL_TABLE, *self.temp_tables]
            local.executemany("INSERT INTO sgr_tables VALUES ('engine', 'main', ?, true, NULL, NULL)",
                              [[n] for n in names])
            rewritten = sql.replace("duckdb_tables()", "sgr_tables")
            cur = local.execute(rewritten, list(params or []))
            return Result([d[0] for d in cur.description], cur.fetchall())
        finally:
            local.close()

    def _create_table(self, stmt: Statement, params: Sequence[Any] | None) -> Result:
        name = stmt.name or ""
        if name == LOGICAL_TABLE:
            raise EngineQueryError(f"refusing to replace the loaded table on {self.dialect}")
        select_sql = self.translator.render(stmt, params)
        started = _now()
        try:
            self._create(self.temp_prefix + name, select_sql)
        except Exception as err:
            raise EngineQueryError(f"{self.dialect} could not create {name}: {_first_line(err)}") from None
        self.log.append(QueryRecord(f"CREATE {name} AS {select_sql}", 0, _now() - started))
        if name not in self.temp_tables:
            self.temp_tables.append(name)
        return Result(["Count"], [])

    def _run(self, sql: str) -> Result:
        started = _now()
        try:
            names, rows = self._query(sql)
        except Exception as err:
            raise EngineQueryError(f"{self.dialect} refused a query: {_first_line(err)} -- SQL: {sql[:300]}") from None
        rows = [tuple(normalise(v) for v in r) for r in rows]
        self.rows_fetched += len(rows)
        self.log.append(QueryRecord(sql, len(rows), _now() - started))
        return Result(names, rows)

    @contextlib.contextmanager
    def sampling(self, n_rows: int) -> Iterator[bool]:
        """Inside the block, `data` reads a seeded sample of about `sample_rows` of its `n_rows` rows.

        For the profile of a big server table (roles, distinct counts and ranges from a sample, said in a
        load note); yields whether a sample is in effect (False when the table is small or no sample is set).
        """
        if not self.sample_rows or n_rows <= self.sample_rows:
            yield False
            return
        percent = max(0.01, min(100.0, 100.0 * self.sample_rows / n_rows))
        with self._lock:
            self._sampled = Translator(self.dialect, tables={LOGICAL_TABLE: self._sample_sql(percent)},
                                       temp_prefix=self.temp_prefix)
        try:
            yield True
        finally:
            with self._lock:
                self._sampled = None

    def _sample_sql(self, percent: float) -> str:
        """A subquery over `relation` returning about `percent` % of its rows, the same rows every time."""
        raise NotImplementedError

    @contextlib.contextmanager
    def counting(self) -> Iterator[list[QueryRecord]]:
        """The statements run inside the block (a fresh list; `rows_fetched` keeps counting too)."""
        start = len(self.log)
        got: list[QueryRecord] = []
        try:
            yield got
        finally:
            got.extend(self.log[start:])

    # -- per engine ---------------------------------------------------------------------------------------

    def _query(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        raise NotImplementedError

    def _columns(self, relation: str) -> list[tuple[str, str]]:
        raise NotImplementedError

    def _create(self, name: str, select_sql: str) -> None:
        raise NotImplementedError

    def _drop(self, name: str) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError


def _now() -> float:
    import time
    return time.perf_counter()


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__

