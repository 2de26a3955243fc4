"""The examples run as shipped: a reader who copies them gets what they promise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_python_api_example_runs_and_writes_what_it_says(tmp_path: Path) -> None:
    env = {**os.environ, "SGR_CONFIG": "", "SGR_DISCOUNT_SECRET": "example-secret-0123456789abcdef"}
    res = subprocess.run([sys.executable, str(EXAMPLES / "python_api.py"), str(tmp_path)], capture_output=True,
                         text=True, timeout=600, cwd=tmp_path, env=env)
    assert res.returncode == 0, res.stderr
    assert "answered:" in res.stdout and "chart 1 is a pie of sum(revenue) by region" in res.stdout
    assert "offer:" in res.stdout and "audit rows: 1" in res.stdout
    assert (tmp_path / "chart1.json").is_file() and (tmp_path / "report_copy" / "report.html").is_file()
    assert (tmp_path / "discount" / "audit.sqlite").is_file()
