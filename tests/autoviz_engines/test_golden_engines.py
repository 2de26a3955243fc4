"""Golden test across engines: the same questions over the same data on DuckDB, PostgreSQL and Spark must
draw the same charts with the same numbers (1e-9 relative), in the same order wherever the chart is sorted.
Spark runs twice: in local mode (every question) and through a real Spark Connect server (a few questions).

Why: the tools' SQL is written once in DuckDB's dialect and translated per engine; a translation that is
subtly different (integer division, a week that starts on Sunday, a median that interpolates differently,
NULLs sorted first) would draw a plausible but wrong chart. Comparing every chart's data catches that.

Why Spark Connect runs fewer questions: it sends the very SQL local mode sends (one `SparkConnection`), so
what it can get wrong is the client's part (a server session per run, the session settings, values that
come back as Arrow batches: dates, doubles, counts, strings, NULLs), which a few questions cover; every
Spark statement costs a job, and the whole list again would add minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sgr.autoviz.data import Table
from sgr.autoviz.engines import load_remote
from sgr.autoviz.pipeline import run_autoviz
from sgr.core.config import parse_settings
from sgr.testing.postgres_server import create_database
from tests.autoviz_engines.conftest import (
    assert_same_charts,
    chart_rows,
    copy_to_postgres,
    copy_to_spark,
    copy_to_spark_connect,
    duckdb_tables,
)

pytestmark = [pytest.mark.spark, pytest.mark.slow]
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
#: through Spark Connect, 15 charts: sums, means and quantiles of doubles and integers, month and week bins of
#: dates, counts, a histogram, grouped bars, a seeded scatter sample and a heatmap, on both tables (and
#: tests/autoviz_engines/test_cli_remote.py runs `sgr autoviz run sc://…` once more)
CONNECT_QUESTIONS: list[tuple[str, str]] = [
    ("sales", "revenue vs cost scatter"),
    ("orders", "weekly order count"),
]


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


@pytest.fixture(scope="module")
def connect_loaders(spark_connect_url: str) -> dict[str, Callable[[str], Table]]:
    """DuckDB and the Spark Connect server, each opening the named golden table (a fresh session per run)."""
    copy_to_spark_connect(spark_connect_url, dict(duckdb_tables()))
    return {
        "duckdb": lambda name: duckdb_tables()[name],
        "spark_connect": lambda name: load_remote(f"{spark_connect_url}?table={name}"),
    }


def _same_charts_as_duckdb(loaders: dict[str, Callable[[str], Table]], tmp_path: Path, table: str,
                           question: str) -> None:
    """Run `question` on every engine of `loaders`; each must draw DuckDB's charts with DuckDB's numbers."""
    results = {}
    reference = loaders["duckdb"](table)
    for engine, load in loaders.items():
        res = run_autoviz(load(table), question, settings=SETTINGS, out_dir=tmp_path / engine, draw=False)
        assert not res.failures, f"{engine}: {res.failures}"
        results[engine] = chart_rows(res.run_dir, res.charts)
    want = results.pop("duckdb")
    assert want, "DuckDB drew no chart"
    for engine, got in results.items():
        assert_same_charts(engine, got, want, reference)


@pytest.mark.postgres
@pytest.mark.parametrize(("table", "question"), QUESTIONS, ids=[q for _, q in QUESTIONS])
def test_every_chart_has_the_same_numbers_on_every_engine(
    loaders: dict[str, Callable[[str], Table]], tmp_path: Path, table: str, question: str,
) -> None:
    _same_charts_as_duckdb(loaders, tmp_path, table, question)


@pytest.mark.parametrize(("table", "question"), CONNECT_QUESTIONS, ids=[q for _, q in CONNECT_QUESTIONS])
def test_spark_connect_draws_the_same_numbers_as_duckdb(
    connect_loaders: dict[str, Callable[[str], Table]], tmp_path: Path, table: str, question: str,
) -> None:
    _same_charts_as_duckdb(connect_loaders, tmp_path, table, question)
