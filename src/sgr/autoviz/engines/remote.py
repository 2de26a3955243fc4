"""`load_remote(url) -> Table`: a PostgreSQL or Spark table as the dataset every AutoViz stage queries.

Why a `Table` whose `con` is an engine connection: the pipeline, the profile and the tools then run unchanged
(they already accept a `Table`), and the data never leaves the server except as aggregated rows.
"""

from __future__ import annotations

import weakref
from pathlib import Path

from sgr.autoviz.data import MAX_COLUMNS, Table
from sgr.autoviz.engines.connection import LOGICAL_TABLE, EngineConnection, EngineQueryError
from sgr.autoviz.engines.urls import RemoteSource, parse_remote
from sgr.autoviz.errors import DataError

#: above this many rows the profile should read a sample (see `EngineConnection.sample_rows`, the report)
PROFILE_SAMPLE_ABOVE = 1_000_000
PROFILE_SAMPLE_ROWS = 200_000


def connect(source: RemoteSource) -> EngineConnection:
    """The engine connection for a parsed URL."""
    if source.kind == "postgres":
        from sgr.autoviz.engines.postgres import PostgresConnection
        return PostgresConnection.connect(source.target, source.table)
    from sgr.autoviz.engines.spark import SparkConnection
    return SparkConnection.connect(source.target, source.table)


def load_remote(url: str, *, max_columns: int = MAX_COLUMNS) -> Table:
    """Open the table named by `url` (`postgresql://…/db?table=sales`, `spark://local?table=sales`,
    `sc://host:15002?table=sales`) as a `Table` named `data`.

    Raises
    ------
    DataError
        A malformed URL, an unreachable server, a table that does not exist, no rows, or a single column.
    """
    source = parse_remote(url)
    try:
        con = connect(source)
    except EngineQueryError as err:
        raise DataError(str(err)) from None
    try:
        table = _table(con, source, max_columns)
    except BaseException:
        con.close()
        raise
    weakref.finalize(table, con.close)
    return table


def _table(con: EngineConnection, source: RemoteSource, max_columns: int) -> Table:
    try:
        described = con.describe(LOGICAL_TABLE)
    except Exception as err:
        raise DataError(f"{source.kind} table {source.table!r} cannot be read: "
                        f"{str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__}") from None
    columns = [n for n, _ in described]
    notes = [f"read from {source.kind} table {source.table}; every query runs on {source.kind} and only "
             "aggregated rows come back"]
    left_out = max(0, len(columns) - max_columns)
    if left_out:
        raise DataError(f"{source.table} has {len(columns)} columns; AutoViz reads at most {max_columns} from a "
                        "server table (select the columns you need in a view)")
    row = con.execute(f'SELECT count(*) FROM "{LOGICAL_TABLE}"').fetchone()
    n_rows = int(row[0]) if row else 0
    if n_rows == 0:
        raise DataError(f"{source.kind} table {source.table} has no rows")
    if len(columns) < 2:
        raise DataError(f"{source.table} has a single column ({columns[0]!r}); AutoViz needs at least two columns")
    if n_rows > PROFILE_SAMPLE_ABOVE:
        con.sample_rows = PROFILE_SAMPLE_ROWS
        notes.append(f"{n_rows:,} rows: the profile (column roles, distinct counts, ranges) reads a sample of "
                     f"about {PROFILE_SAMPLE_ROWS:,} rows; every chart and figure is computed on all rows")
    return Table(con=con, name=LOGICAL_TABLE, path=Path(source.label), format=source.kind,  # type: ignore[arg-type]
                 n_rows=n_rows, columns=columns, load_notes=notes)
