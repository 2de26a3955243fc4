"""The same tables on DuckDB, PostgreSQL and Spark (local mode and Connect), built once per module from fixed data."""

from __future__ import annotations

import datetime as dt
import json
import math
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


def copy_to_spark_connect(url: str, tables: dict[str, Table | pa.Table]) -> None:
    """Each table as a cached managed table `name` on the Spark Connect server at `url`.

    A catalog table, not a temp view: every `sc://` connection opens a server session of its own, and a temp
    view lives in the session that made it. Cached: the server then reads memory, as the local copies do.
    """
    from sgr.autoviz.engines.spark import connect_session, quote_spark

    spark = connect_session(url)
    try:
        for name, table in tables.items():
            data = arrow_of(table) if isinstance(table, Table) else table
            spark.createDataFrame(data).write.mode("overwrite").saveAsTable(name)
            spark.sql(f"CACHE TABLE {quote_spark(name)}")
    finally:
        spark.stop()


#: chart kinds whose rows are a seeded sample ordered by the engine's own hash function: each engine draws as
#: many points, every one a real (x, y) pair of the table
_SAMPLED = {"scatter"}


def chart_rows(run_dir: Path, charts: list[dict[str, Any]]) -> list[tuple[tuple[Any, ...], list[dict[str, Any]]]]:
    """Each chart's identity (kind, x, y, aggregation, group, bin, sort, limit) and its drawn rows, for the
    `charts` of a run (`RunResult.charts`, or the `charts` of `sgr autoviz run --json`) in `run_dir`."""
    out = []
    for c in charts:
        spec = json.loads((Path(run_dir) / c["spec_file"]).read_text())
        key = (c["kind"], c["x"], c["y"], c["aggregation"], c["group"], c["bin"], c["sort"], c["limit"])
        out.append((key, spec["data"]["values"]))
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _pairs(table: Table, x: str, y: str) -> set[tuple[float, float]]:
    rows = table.con.execute(f'SELECT "{x}"::DOUBLE, "{y}"::DOUBLE FROM "{table.name}"').fetchall()
    return {(float(a), float(b)) for a, b in rows if a is not None and b is not None}


def _rows_equal(engine: str, key: tuple[Any, ...], got: list[dict[str, Any]], want: list[dict[str, Any]],
                table: Table) -> None:
    if key[0] in _SAMPLED:
        assert len(got) == len(want), f"{engine} {key}: {len(got)} points, DuckDB drew {len(want)}"
        real = _pairs(table, key[1], key[2])
        assert all((r["x"], r["y"]) in real for r in got), f"{engine} {key}: a point not in the table"
        return
    assert len(got) == len(want), f"{engine} {key}: {len(got)} rows, DuckDB drew {len(want)}"
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        assert g.keys() == w.keys(), f"{engine} {key} row {i}: fields {sorted(g)} != {sorted(w)}"
        bad = {k: (g[k], w[k]) for k in w if not _same(g[k], w[k])}
        assert not bad, f"{engine} {key} row {i}: {bad}"


def assert_same_charts(engine: str, got: list[tuple[tuple[Any, ...], list[dict[str, Any]]]],
                       want: list[tuple[tuple[Any, ...], list[dict[str, Any]]]], reference: Table) -> None:
    """`engine` drew DuckDB's charts (`chart_rows` of both runs), in order, with DuckDB's numbers (1e-9)."""
    assert [k for k, _ in got] == [k for k, _ in want], f"{engine} drew different charts"
    for (key, rows), (_, ref) in zip(got, want, strict=True):
        _rows_equal(engine, key, rows, ref, reference)


Loader = Callable[[str], Table]
