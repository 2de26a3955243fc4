"""`sgr autoviz run postgresql://…?table=sales "question"`: the command line reads a database table directly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sgr.testing.postgres_server import create_database
from tests.autoviz_engines.conftest import copy_to_postgres, duckdb_tables


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
