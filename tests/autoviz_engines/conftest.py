"""The same tables on DuckDB, PostgreSQL and Spark, built once per module from deterministic data."""

from __future__ import annotations

import datetime as dt
import random
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from sgr.autoviz.data import Table, load_frame, load_table

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: DuckDB type -> PostgreSQL column type for the copies the tests make
_PG_TYPE = {"BIGINT": "bigint", "INTEGER": "integer", "DOUBLE": "double precision", "VARCHAR": "text",
            "DATE": "date", "TIMESTAMP": "timestamp", "BOOLEAN": "boolean"}


def orders_frame(n: int = 1500, seed: int = 7) -> pa.Table:
    """A second golden table: a date, three categories and two measures, the same for every seed."""
    rng = random.Random(seed)
    start = dt.date(2022, 1, 3)
    segments, ships, tiers = ["Consumer", "Corporate", "Home Office"], ["Air", "Ground", "Sea", "Rail"], ["A", "B", "C"]
    rows = [(start + dt.timedelta(days=rng.randrange(540)), rng.choice(segments), rng.choice(ships),
             rng.choice(tiers), rng.randint(1, 40), round(rng.lognormvariate(4, 0.8), 2)) for _ in range(n)]
    names = ["order_date", "segment", "ship_mode", "tier", "quantity", "amount"]
    return pa.table({name: [r[i] for r in rows] for i, name in enumerate(names)})


def big_frame(n: int = 100_000, seed: int = 3) -> pa.Table:
    """A 100k-row table for the pushdown test (row counts only, values do not matter)."""
    rng = random.Random(seed)
    regions = ["North", "South", "East", "West", "Central"]
    return pa.table({"region": [regions[rng.randrange(5)] for _ in range(n)],
                     "sales": [round(rng.random() * 1000, 2) for _ in range(n)],
                     "day": [dt.date(2024, 1, 1) + dt.timedelta(days=i % 365) for i in range(n)]})


def duckdb_tables() -> dict[str, Table]:
    """name -> the table loaded by the ordinary DuckDB loader (dates parsed as for any file)."""
    return {"sales": load_table(EXAMPLES / "sales.csv"), "orders": load_frame(orders_frame(), name="orders")}


def arrow_of(table: Table) -> pa.Table:
    """The loaded (typed) table as Arrow, to copy it to the other engines exactly as DuckDB sees it."""
    with warnings.catch_warnings():  # "extra copy of the rows": a few thousand rows, once per module
        warnings.simplefilter("ignore", UserWarning)
        return table.con.execute(f'SELECT * FROM "{table.name}"').to_arrow_table()


def copy_to_postgres(dsn: str, name: str, table: Table | pa.Table) -> None:
    """CREATE TABLE `name` with the DuckDB types mapped, and COPY the rows in."""
    import psycopg

    data = arrow_of(table) if isinstance(table, Table) else table
    con = duckdb.connect()
    con.register("t", data)
    types = {str(r[0]): str(r[1]) for r in con.execute("DESCRIBE t").fetchall()}
    cols = ", ".join(f'"{n}" {_PG_TYPE[t]}' for n, t in types.items())
    with psycopg.connect(dsn, autocommit=True) as pg, pg.cursor() as cur:
        cur.execute(f'DROP TABLE IF EXISTS "{name}"'.encode())
        cur.execute(f'CREATE TABLE "{name}" ({cols})'.encode())
        with cur.copy(f'COPY "{name}" FROM STDIN'.encode()) as copy:
            for row in data.to_pylist():
                copy.write_row(list(row.values()))
        cur.execute(f'ANALYZE "{name}"'.encode())
    con.close()


def copy_to_spark(spark: Any, name: str, table: Table | pa.Table) -> None:
    """The table as a cached temp view `name` in the test session (cached: a view over local rows would ship
    them from the driver again for every query)."""
    data = arrow_of(table) if isinstance(table, Table) else table
    spark.createDataFrame(data).createOrReplaceTempView(name)
    spark.catalog.cacheTable(name)
    spark.table(name).count()


Loader = Callable[[str], Table]
