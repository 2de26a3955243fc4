"""`sgr autoviz run postgresql://…?table=sales "question"` (or `sc://host:port?table=sales`, Spark Connect): the
command line reads a database table directly."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sgr.autoviz.pipeline import run_autoviz
from sgr.core.config import parse_settings
from sgr.testing.net import free_port
from sgr.testing.postgres_server import create_database
from tests.autoviz_engines.conftest import (
    assert_same_charts,
    chart_rows,
    copy_to_postgres,
    copy_to_spark_connect,
    duckdb_tables,
)


@pytest.mark.postgres
def test_the_cli_runs_and_profiles_a_postgres_table(postgres_dsn: str, tmp_path: Path) -> None:
    dsn = create_database(postgres_dsn, "cli_remote")
    copy_to_postgres(dsn, "sales", duckdb_tables()["sales"])
    url = f"{dsn}?table=sales"
    run = subprocess.run([sys.executable, "-m", "sgr.cli", "autoviz", "run", url, "total revenue by region",
                          "--out", str(tmp_path / "run"), "--json", "--quiet"],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    body = json.loads(run.stdout)
    first = body["charts"][0]
    assert (first["kind"], first["x"], first["y"], first["aggregation"]) == ("bar", "region", "revenue", "sum")
    assert (tmp_path / "run" / "report.html").is_file()
    prof = subprocess.run([sys.executable, "-m", "sgr.cli", "autoviz", "profile", url, "--json"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert prof.returncode == 0, prof.stderr
    assert json.loads(prof.stdout)["n_rows"] == duckdb_tables()["sales"].n_rows
    # a table that is not there is bad data (exit 5) with a readable line, not a traceback
    missing = subprocess.run([sys.executable, "-m", "sgr.cli", "autoviz", "run", f"{dsn}?table=nope", "x"],
                             capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert missing.returncode == 5 and "Traceback" not in missing.stderr and "nope" in missing.stderr


OFFLINE = "default_model: offline\nmodels:\n  offline: {backend: offline}\n"


def _autoviz(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sgr.cli", "autoviz", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd)


@pytest.mark.spark
@pytest.mark.slow
def test_the_cli_runs_a_spark_connect_table_with_duckdbs_numbers(spark_connect_url: str, tmp_path: Path) -> None:
    copy_to_spark_connect(spark_connect_url, {"cli_sales": duckdb_tables()["sales"]})
    (tmp_path / "config.yaml").write_text(OFFLINE)
    run = _autoviz("run", f"{spark_connect_url}?table=cli_sales", "total revenue by region", "--out",
                   str(tmp_path / "connect"), "--config", str(tmp_path / "config.yaml"), "--json", "--quiet",
                   cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and "Warning" not in run.stderr, run.stderr
    body = json.loads(run.stdout)
    first = body["charts"][0]
    assert (first["kind"], first["x"], first["y"], first["aggregation"]) == ("bar", "region", "revenue", "sum")
    assert (tmp_path / "connect" / "report.html").is_file()
    # the same charts with the same numbers as DuckDB's run on the same rows, with the same settings
    sales = duckdb_tables()["sales"]
    want = run_autoviz(sales, "total revenue by region", settings=parse_settings(OFFLINE), out_dir=tmp_path / "duckdb",
                       draw=False)
    assert_same_charts("spark_connect", chart_rows(tmp_path / "connect", body["charts"]),
                       chart_rows(want.run_dir, want.charts), sales)


@pytest.mark.spark
def test_an_unreachable_spark_connect_server_is_a_data_error_within_seconds(tmp_path: Path) -> None:
    pytest.importorskip("grpc", reason="the Spark Connect client is not installed: pip install 'sgr-agents[spark]'")
    url = f"sc://127.0.0.1:{free_port()}?table=sales"  # nothing listens there
    started = time.monotonic()
    run = _autoviz("run", url, "total revenue by region", "--json", "--quiet", cwd=tmp_path, timeout=120)
    elapsed = time.monotonic() - started
    # exit 5 (data unreadable), one JSON error object and one stderr line naming the server; no ten-minute
    # retry loop (the Connect client's default) and no traceback
    assert run.returncode == 5, (run.returncode, run.stderr)
    body = json.loads(run.stdout)
    assert body["status"] == "error" and body["exit_code"] == 5
    assert body["error"].startswith(f"cannot reach the Spark Connect server at {url[5:].split('?')[0]}: UNAVAILABLE")
    assert "Traceback" not in run.stderr and "Warning" not in run.stderr, run.stderr
    # seconds, not the client's ten minutes: the CLI's start and ~10 s of retries took 38 s under load here
    assert elapsed < 240, elapsed
