"""The requested-chart tool (`spec_chart`, `pie_chart`, `area_chart`): every mark draws valid Vega-Lite, and
the drawn values equal pure-Python recomputations with the filter, bin, sort and top-k applied."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sgr.autoviz.errors import PlanError
from sgr.autoviz.tools import ExecContext, run_tool
from tests.autoviz.test_charts import _ctx, _files, make_rows

pytest_plugins = ["tests.autoviz.test_charts"]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return make_rows(900, seed=5)


@pytest.fixture
def ctx(rows: list[dict[str, Any]], tmp_path: Path) -> ExecContext:
    return _ctx(rows, tmp_path)


def _drawn(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec["data"]["values"]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def test_pie_of_sums_equals_python(ctx: ExecContext, rows: list[dict[str, Any]],
                                   validator: jsonschema.Draft7Validator) -> None:
    res = run_tool("pie_chart", {"x": "region", "y": "revenue", "agg": "sum"}, ctx, step_id="p")
    spec = _files(ctx, res, validator)
    assert spec["mark"]["type"] == "arc" and res.chart is not None and res.chart.kind == "pie"
    expected: dict[str, float] = defaultdict(float)
    for r in rows:
        expected[r["region"]] += r["revenue"]
    drawn = {v["x"]: v["value"] for v in _drawn(spec)}
    assert drawn.keys() == expected.keys() and all(_close(drawn[k], expected[k]) for k in expected)
    values = [v["value"] for v in _drawn(spec)]
    assert values == sorted(values, reverse=True)  # slices largest first


def test_weekday_bin_counts_in_calendar_order(ctx: ExecContext, rows: list[dict[str, Any]],
                                              validator: jsonschema.Draft7Validator) -> None:
    res = run_tool("spec_chart", {"mark": "bar", "x": "date", "agg": "count", "bin": "weekday",
                                  "sort": "x_ascending"}, ctx, step_id="w")
    spec = _files(ctx, res, validator)
    expected = Counter(r["date"].strftime("%A") for r in rows)
    drawn = [(v["x"], v["value"]) for v in _drawn(spec)]
    order = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert drawn == [(d, expected[d]) for d in order if d in expected]
    assert res.chart is not None and (res.chart.bin, res.chart.sort) == ("weekday", "x ascending")


def test_filter_above_the_mean_then_bottom_k(ctx: ExecContext, rows: list[dict[str, Any]],
                                             validator: jsonschema.Draft7Validator) -> None:
    res = run_tool("spec_chart", {"mark": "bar", "x": "product", "y": "revenue", "agg": "mean", "top_k": 3,
                                  "sort": "y_ascending", "filters": [{"column": "units", "op": "above_mean"}]},
                   ctx, step_id="f")
    spec = _files(ctx, res, validator)
    mean_units = statistics.fmean(r["units"] for r in rows)
    groups: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if r["units"] > mean_units:
            groups[r["product"]].append(r["revenue"])
    expected = sorted(((k, statistics.fmean(v)) for k, v in groups.items()), key=lambda kv: (kv[1], kv[0]))[:3]
    drawn = [(v["x"], v["value"]) for v in _drawn(spec)]
    assert [k for k, _ in drawn] == [k for k, _ in expected]
    assert all(_close(a, b) for (_, a), (_, b) in zip(drawn, expected, strict=True))
    assert res.chart is not None and res.chart.filters == ["units > mean(units)"] and res.chart.limit == 3


def test_line_by_month_with_series_and_area(ctx: ExecContext, rows: list[dict[str, Any]],
                                            validator: jsonschema.Draft7Validator) -> None:
    res = run_tool("spec_chart", {"mark": "line", "x": "date", "y": "units", "agg": "sum", "bin": "month",
                                  "color": "region"}, ctx, step_id="l")
    spec = _files(ctx, res, validator)
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        expected[(r["date"].strftime("%Y-%m"), r["region"])] += r["units"]
    drawn = {(str(v["x"])[:7], v["grp"]): v["value"] for v in _drawn(spec)}
    assert drawn == expected
    area = run_tool("area_chart", {"x": "date", "y": "units", "agg": "sum", "bin": "quarter"}, ctx, step_id="a")
    assert _files(ctx, area, validator)["mark"]["type"] == "area"


def test_scatter_of_raw_points(ctx: ExecContext, rows: list[dict[str, Any]],
                               validator: jsonschema.Draft7Validator) -> None:
    res = run_tool("spec_chart", {"mark": "scatter", "x": "discount", "y": "revenue", "agg": "none",
                                  "filters": [{"column": "region", "op": "==", "value": "EU"}]}, ctx, step_id="s")
    spec = _files(ctx, res, validator)
    expected = sorted((r["discount"], r["revenue"]) for r in rows if r["region"] == "EU")
    assert sorted((v["x"], v["y"]) for v in _drawn(spec)) == expected


def test_box_and_histogram_respect_filters(ctx: ExecContext, rows: list[dict[str, Any]],
                                           validator: jsonschema.Draft7Validator) -> None:
    hist = run_tool("spec_chart", {"mark": "histogram", "x": "revenue", "filters": [
        {"column": "date", "op": ">=", "value": "2024-01-01"}]}, ctx, step_id="h")
    spec = _files(ctx, hist, validator)
    assert sum(v["count"] for v in _drawn(spec)) == sum(1 for r in rows if r["date"] >= dt.date(2024, 1, 1))
    box = run_tool("spec_chart", {"mark": "box", "x": "region", "y": "revenue", "agg": "median", "filters": [
        {"column": "region", "op": "not_in", "value": ["EU"]}]}, ctx, step_id="b")
    spec = _files(ctx, box, validator)
    assert {v["grp"] for v in _drawn(spec)} == {"US", "APAC"}


def test_impossible_requests_are_plan_errors(ctx: ExecContext) -> None:
    with pytest.raises(PlanError, match="needs a date column"):
        run_tool("spec_chart", {"mark": "bar", "x": "region", "bin": "month"}, ctx, step_id="e1")
    with pytest.raises(PlanError, match="needs a y column"):
        run_tool("spec_chart", {"mark": "bar", "x": "region", "agg": "sum"}, ctx, step_id="e2")
    with pytest.raises(PlanError, match="does not have"):
        run_tool("spec_chart", {"mark": "bar", "x": "region", "filters": [
            {"column": "ghost", "op": "==", "value": "x"}]}, ctx, step_id="e3")
