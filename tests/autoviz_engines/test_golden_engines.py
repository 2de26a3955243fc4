"""Golden test across engines: the same questions over the same data on DuckDB, PostgreSQL and Spark must
draw the same charts with the same numbers (1e-9 relative), in the same order wherever the chart is sorted.

Why: the tools' SQL is written once in DuckDB's dialect and translated per engine; a translation that is
subtly different (integer division, a week that starts on Sunday, a median that interpolates differently,
NULLs sorted first) would draw a plausible but wrong chart. Comparing every chart's data catches that.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sgr.autoviz.data import Table
from sgr.autoviz.engines import load_remote
from sgr.autoviz.pipeline import RunResult, run_autoviz
from sgr.core.config import parse_settings
from sgr.testing.postgres_server import create_database
from tests.autoviz_engines.conftest import copy_to_postgres, copy_to_spark, duckdb_tables

pytestmark = [pytest.mark.postgres, pytest.mark.spark, pytest.mark.slow]
SETTINGS = parse_settings("default_model: offline\nmodels:\n  offline: {backend: offline}\n")

#: (table, question): bar/sum, count, mean, a filter, top-k, a month bin, a histogram, a scatter, a box plot
QUESTIONS: list[tuple[str, str]] = [
    ("sales", "compare revenue across regions"),
    ("sales", "average units by product category"),
    ("sales", "revenue by region for the Online channel"),
    ("sales", "top 3 product categories by revenue"),
    ("sales", "how did revenue change over time by month"),
    ("sales", "distribution of revenue"),
    ("sales", "revenue vs cost scatter"),
    ("sales", "box plot of revenue by region"),
    ("orders", "total amount by segment per quarter"),
    ("orders", "weekly order count"),
]
#: chart kinds whose rows are a seeded sample ordered by the engine's own hash function: each engine draws as
#: many points, every one a real (x, y) pair of the table
_SAMPLED = {"scatter"}


@pytest.fixture(scope="module")
def loaders(postgres_dsn: str, spark_session: Any) -> Iterator[dict[str, Callable[[str], Table]]]:
    """engine -> a function opening the named golden table on that engine (a fresh connection per run)."""
    local = duckdb_tables()
    dsn = create_database(postgres_dsn, "golden_engines")
    for name, table in local.items():
        copy_to_postgres(dsn, name, table)
        copy_to_spark(spark_session, name, table)
    yield {
        "duckdb": lambda name: duckdb_tables()[name],
        "postgres": lambda name: load_remote(f"{dsn}?table={name}"),
        "spark": lambda name: load_remote(f"spark://local?table={name}"),
    }


def _charts(res: RunResult) -> list[tuple[tuple[Any, ...], list[dict[str, Any]]]]:
    """Each chart's identity (kind, x, y, aggregation, group, bin, sort, limit) and its drawn rows."""
    out = []
    for c in res.charts:
        spec = json.loads((res.run_dir / c["spec_file"]).read_text())
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


@pytest.mark.parametrize(("table", "question"), QUESTIONS, ids=[q for _, q in QUESTIONS])
def test_every_chart_has_the_same_numbers_on_every_engine(
    loaders: dict[str, Callable[[str], Table]], tmp_path: Path, table: str, question: str,
) -> None:
    results = {}
    reference = loaders["duckdb"](table)
    for engine, load in loaders.items():
        res = run_autoviz(load(table), question, settings=SETTINGS, out_dir=tmp_path / engine, draw=False)
        assert not res.failures, f"{engine}: {res.failures}"
        results[engine] = _charts(res)
    want = results["duckdb"]
    assert want, "DuckDB drew no chart"
    for engine in ("postgres", "spark"):
        got = results[engine]
        assert [k for k, _ in got] == [k for k, _ in want], f"{engine} drew different charts"
        for (key, rows), (_, ref) in zip(got, want, strict=True):
            _rows_equal(engine, key, rows, ref, reference)
