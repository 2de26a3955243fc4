"""Golden tests on the CHARTS' DATA: what each chart draws equals numbers computed independently from the
CSV with the csv module (no DuckDB, no project code), so a chart that looks right but sums wrong fails."""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from sgr.autoviz.pipeline import RunResult, run_autoviz
from sgr.core.config import parse_settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SETTINGS = parse_settings("default_model: offline\nmodels:\n  offline: {backend: offline}\n")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with (EXAMPLES / "sales.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _run(tmp: Path, question: str) -> RunResult:
    return run_autoviz(EXAMPLES / "sales.csv", question, settings=SETTINGS, out_dir=tmp)


def _values(res: RunResult, chart: dict[str, Any]) -> list[dict[str, Any]]:
    spec = json.loads((res.run_dir / chart["spec_file"]).read_text())
    return spec["data"]["values"]


def _chart(res: RunResult, **want: Any) -> dict[str, Any]:
    found = [c for c in res.charts if all(c.get(k) == v for k, v in want.items())]
    assert found, f"no chart with {want}; charts: {[(c['kind'], c['x'], c['y'], c['group']) for c in res.charts]}"
    return found[0]


def _sums(rows: list[dict[str, str]], key: Any, metric: str) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for r in rows:
        out[key(r)] += float(r[metric])
    return dict(out)


def _close(drawn: dict[str, float], expected: dict[str, float]) -> None:
    assert set(drawn) == set(expected)
    for k, v in expected.items():
        assert math.isclose(drawn[k], v, rel_tol=1e-9, abs_tol=1e-6), (k, drawn[k], v)


def test_bar_of_revenue_by_region_equals_csv_sums(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    res = _run(tmp_path, "compare revenue across regions")
    chart = _chart(res, kind="bar", x="region", y="revenue", group=None)
    assert chart["aggregation"] == "sum"
    drawn = {v["x"]: v["value"] for v in _values(res, chart)}
    expected = _sums(rows, lambda r: r["region"], "revenue")
    _close(drawn, expected)
    calls = [json.loads(x) for x in (res.run_dir / "logs/tool_calls.jsonl").read_text().splitlines()]
    totals = next(c for c in calls if c["tool"] == "aggregate")
    assert str(max(expected, key=expected.__getitem__)) in totals["summary"]


def test_monthly_revenue_line_equals_csv_monthly_sums(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    res = _run(tmp_path, "how did revenue change over time")
    chart = _chart(res, kind="line", x="date", y="revenue", group=None)
    drawn = {str(v["x"])[:7]: v["value"] for v in _values(res, chart)}
    expected = _sums(rows, lambda r: r["date"][:7], "revenue")
    assert len(expected) == 24  # two years, by month: aggregated, never raw rows
    _close(drawn, expected)


def test_grouped_bars_equal_csv_sums_per_pair(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    res = _run(tmp_path, "compare units by region and channel")
    chart = _chart(res, x="region", y="units", group="channel")
    drawn = {(v["x"], v["grp"]): v["value"] for v in _values(res, chart)}
    expected = _sums(rows, lambda r: (r["region"], r["channel"]), "units")
    _close(drawn, expected)  # type: ignore[arg-type]


def test_filtered_question_draws_only_the_filtered_rows(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    res = _run(tmp_path, "compare units by region in 2024")
    chart = _chart(res, kind="bar", x="region", y="units", group=None)
    drawn = {v["x"]: v["value"] for v in _values(res, chart)}
    expected = _sums([r for r in rows if r["date"].startswith("2024")], lambda r: r["region"], "units")
    _close(drawn, expected)


def test_histogram_counts_every_row_once(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    res = _run(tmp_path, "what is the distribution of revenue")
    chart = _chart(res, kind="histogram")
    values = _values(res, chart)
    assert sum(v["count"] for v in values) == len(rows)
    lo = min(float(r[chart["x"]]) for r in rows)
    assert math.isclose(min(v["bin_start"] for v in values), lo, abs_tol=1e-9)
