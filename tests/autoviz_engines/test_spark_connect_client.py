"""The Spark Connect client's edges: its session (settings, isolation, release), a bad URL, and closing and
exiting after the server went away."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from sgr.autoviz.engines.connection import EngineQueryError
from sgr.autoviz.engines.spark import SparkConnection, connect_session
from sgr.testing.net import free_port
from tests.autoviz_engines.conftest import copy_to_spark_connect, duckdb_tables

pytestmark = pytest.mark.spark


@pytest.fixture(autouse=True)
def _connect_client() -> None:
    pytest.importorskip("grpc", reason="the Spark Connect client is not installed: pip install 'sgr-agents[spark]'")


@pytest.fixture(scope="module")
def connect_sales(spark_connect_url: str) -> str:
    """The URL of the golden `sales` table (as `client_sales`) on the test server."""
    copy_to_spark_connect(spark_connect_url, {"client_sales": duckdb_tables()["sales"]})
    return f"{spark_connect_url}?table=client_sales"


@pytest.mark.slow
def test_each_connection_has_a_session_of_its_own_with_duckdbs_semantics(connect_sales: str) -> None:
    from sgr.autoviz.engines import load_remote

    a, b = load_remote(connect_sales), load_remote(connect_sales)
    # the server runs Spark 4's defaults (ANSI on: 1/0 is an error); the session is set as DuckDB behaves
    assert a.con.execute("SELECT 1 / 0").fetchone() == (None,)
    assert a.con.spark.conf.get("spark.sql.session.timeZone") == "UTC"
    # a step table of one run is invisible to another (separate server sessions), and goes with close
    a.con.execute('CREATE OR REPLACE TABLE "step_a" AS SELECT region FROM "data" GROUP BY region')
    assert a.con.execute('SELECT count(*) FROM "step_a"').fetchone() == (4,)
    with pytest.raises(EngineQueryError, match="step_a"):
        b.con.execute('SELECT count(*) FROM "step_a"')
    a.con.close()
    assert a.con.spark.is_stopped and not b.con.spark.is_stopped
    assert b.con.execute('SELECT count(*) FROM "data"').fetchone() == (a.n_rows,)
    b.con.close()


def test_a_table_the_server_lacks_is_a_data_error(connect_sales: str) -> None:
    from sgr.autoviz.engines import load_remote
    from sgr.autoviz.errors import DataError

    with pytest.raises(DataError, match=r"spark table 'nope' cannot be read: \[TABLE_OR_VIEW_NOT_FOUND\]"):
        load_remote(connect_sales.replace("client_sales", "nope"))


def test_a_malformed_url_is_refused_at_once() -> None:
    with pytest.raises(EngineQueryError, match=r"not a usable Spark Connect URL \(h:xx\)"):
        connect_session("sc://h:xx")


def test_closing_after_the_server_went_away_does_not_retry_for_minutes() -> None:
    # a connection whose server is gone (e.g. closed by `load_remote`'s finalizer as the process exits, after
    # the server stopped): each drop and the session release is tried once; the client's default is 10 min
    from pyspark.sql.connect.session import SparkSession as ConnectSession

    spark = ConnectSession(f"sc://127.0.0.1:{free_port()}")
    con = SparkConnection(dialect="spark", relation="sales", temp_prefix="sgr_t_", spark=spark, owns_session=True)
    con.temp_tables += ["step_a", "step_b"]
    started = time.monotonic()
    con.close()
    assert con.closed and spark.is_stopped
    assert time.monotonic() - started < 60  # the client's own default would be minutes



@pytest.mark.slow
def test_a_process_exits_at_once_after_its_server_went_away(connect_sales: str, tmp_path: Path) -> None:
    # pyspark's exit hook sends a cleanup call for each open Connect session, retried for ten minutes when the
    # server is gone; the hook connect_session registers makes it one try. The server "goes away" behind a
    # proxy, so the real one keeps serving the other tests.
    script = f"""
import time
import weakref
from sgr.autoviz.engines import load_remote
# a finalizer made before the session (as by a table loaded earlier): finalizers then run after pyspark's hook
weakref.finalize(load_remote, print, end="")
from sgr.testing.spark_connect import TcpProxy
proxy = TcpProxy("127.0.0.1", {connect_sales.split("?")[0].rsplit(":", 1)[1]})
table = load_remote(f"sc://127.0.0.1:{{proxy.port}}?table=client_sales")  # kept open, as a notebook would
assert table.con.execute('SELECT count(*) FROM "data"').fetchone()[0] == {duckdb_tables()["sales"].n_rows}
proxy.cut()
print(time.monotonic(), flush=True)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    exited = time.monotonic()
    assert done.returncode == 0, done.stderr
    # the bound tells a hung exit (the client's ten-minute default retry) from a slow one: pyspark joins its
    # release threads at exit, each retrying ~10 s, and on a loaded 2-core machine that measured up to 20 s
    assert exited - float(done.stdout.split()[-1]) < 120, "the process took more than 120 s to exit"
