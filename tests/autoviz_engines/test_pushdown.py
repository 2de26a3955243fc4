"""Only aggregated rows travel: a grouped chart over a 100k-row server table fetches a few hundred rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sgr.autoviz.engines import EngineConnection, load_remote
from sgr.autoviz.pipeline import run_autoviz
from sgr.core.config import parse_settings
from sgr.testing.postgres_server import create_database
from tests.autoviz_engines.conftest import (
    big_frame,
    copy_to_postgres,
    copy_to_spark,
    copy_to_spark_connect,
    orders_frame,
)

SETTINGS = parse_settings("default_model: offline\nmodels:\n  offline: {backend: offline}\n")
N_ROWS = 100_000


@pytest.fixture(scope="module")
def pg_big(postgres_dsn: str) -> Iterator[str]:
    dsn = create_database(postgres_dsn, "pushdown")
    copy_to_postgres(dsn, "big", big_frame(N_ROWS))
    yield f"{dsn}?table=big"


def _fetched_by_run(url: str, tmp: Path) -> tuple[int, int, int]:
    """(rows the whole run fetched, the most any one statement fetched, rows in the table)."""
    table = load_remote(url)
    con: EngineConnection = table.con  # type: ignore[assignment]
    res = run_autoviz(table, "total sales by region", settings=SETTINGS, out_dir=tmp, draw=False)
    assert not res.failures and res.charts
    assert res.charts[0]["kind"] == "bar" and res.charts[0]["x"] == "region"
    biggest = max(r.rows for r in con.log)
    return con.rows_fetched, biggest, table.n_rows


@pytest.mark.postgres
def test_postgres_run_fetches_aggregates_only(pg_big: str, tmp_path: Path) -> None:
    fetched, biggest, n = _fetched_by_run(pg_big, tmp_path)
    assert n == N_ROWS
    # every chart of the run (bars, a monthly line, a histogram, a box plot) together: under 2% of the rows
    assert fetched < n // 50, fetched
    assert biggest <= 500, biggest


@pytest.mark.spark
@pytest.mark.slow
def test_spark_run_fetches_aggregates_only(spark_session: Any, tmp_path: Path) -> None:
    copy_to_spark(spark_session, "big", big_frame(N_ROWS))
    fetched, biggest, n = _fetched_by_run("spark://local?table=big", tmp_path)
    assert n == N_ROWS
    assert fetched < n // 50, fetched
    assert biggest <= 500, biggest


def _sample_counts(url: str, sample_rows: int) -> tuple[list[int], int]:
    """(rows of `data` inside two `sampling()` blocks, rows of `data` after them) for the table at `url`."""
    table = load_remote(url)
    con: EngineConnection = table.con  # type: ignore[assignment]
    con.sample_rows = sample_rows  # load_remote sets this above PROFILE_SAMPLE_ABOVE rows; forced here
    counts = []
    for _ in range(2):
        with con.sampling(table.n_rows) as sampled:
            assert sampled
            counts.append(con.execute('SELECT count(*) FROM "data"').fetchone()[0])  # type: ignore[index]
    return counts, con.execute('SELECT count(*) FROM "data"').fetchone()[0]  # type: ignore[index]


@pytest.mark.postgres
def test_big_tables_are_profiled_on_a_fixed_sample(pg_big: str) -> None:
    counts, after = _sample_counts(pg_big, 2_000)
    assert counts[0] == counts[1] and 1_000 < counts[0] < 3_000  # the same rows each time, about 2,000
    assert after == N_ROWS


@pytest.mark.spark
@pytest.mark.parametrize("where", ["local", "connect"])
def test_spark_samples_the_same_rows_each_time(where: str, request: pytest.FixtureRequest) -> None:
    # Spark's TABLESAMPLE (p PERCENT) REPEATABLE (seed), in local mode and through Spark Connect
    if where == "local":
        copy_to_spark(request.getfixturevalue("spark_session"), "sample_orders", orders_frame())
        url = "spark://local?table=sample_orders"
    else:
        url = request.getfixturevalue("spark_connect_url")
        copy_to_spark_connect(url, {"sample_orders": orders_frame()})
        url += "?table=sample_orders"
    counts, after = _sample_counts(url, 500)
    assert counts[0] == counts[1] and 300 < counts[0] < 700  # the same rows each time, about a third
    assert after == len(orders_frame())


@pytest.mark.postgres
def test_the_profile_of_a_big_table_reads_the_sample_and_says_so(pg_big: str) -> None:
    from sgr.autoviz.profile import profile_table

    whole = profile_table(load_remote(pg_big))
    table = load_remote(pg_big)
    con: EngineConnection = table.con  # type: ignore[assignment]
    con.sample_rows = 5_000
    with con.counting() as statements:
        sampled = profile_table(table)
    assert sampled.n_rows == whole.n_rows == N_ROWS and sampled.distinct_approximate
    # the wide scans read the sample: no statement of the profile but the value counts returns per-row data,
    # and the roles read from 5% of the rows are the roles read from all of them
    assert [c.role for c in sampled.columns] == [c.role for c in whole.columns]
    assert {c.name: c.missing for c in sampled.columns} == {c.name: c.missing for c in whole.columns}  # no nulls
    assert statements and all(r.rows <= 1_000 for r in statements)
    sampled_scans = [r for r in statements if "TABLESAMPLE" in r.sql]
    assert sampled_scans and "GROUPING SETS" not in " ".join(r.sql for r in sampled_scans)  # value lists: whole


@pytest.mark.postgres
def test_a_missing_table_is_a_data_error(postgres_dsn: str) -> None:
    from sgr.autoviz.errors import DataError

    with pytest.raises(DataError, match="'nope' cannot be read"):
        load_remote(f"{postgres_dsn}?table=nope")
