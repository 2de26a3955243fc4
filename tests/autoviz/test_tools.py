"""Analysis tools against pure-Python computations on the same generated data, plus the run_tool gate."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from sgr.autoviz.data import load_table
from sgr.autoviz.errors import PlanError, UnknownToolError
from sgr.autoviz.profile import profile_table
from sgr.autoviz.tools import REGISTRY, ExecContext, run_tool
from sgr.autoviz.tools.common import grain_for_span

START = dt.date(2023, 1, 1)
SPIKE_DAY = START + dt.timedelta(days=200)
REGIONS = ["EU", "US", "APAC", "LATAM", "MEA"]


def make_rows(n: int = 3000, seed: int = 3) -> list[dict[str, Any]]:
    """Sales rows over two years; one day carries a large spike for the anomaly tests."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        day = START + dt.timedelta(days=i % 730)
        revenue = round(rng.uniform(10, 100), 2) + (5000.0 if day == SPIKE_DAY else 0.0)
        units = rng.randint(1, 20)
        rows.append({"date": day, "region": rng.choice(REGIONS), "product category": f"cat {rng.randint(0, 14)}",
                     "revenue": revenue, "units": units, "cost": round(revenue * 0.6 + rng.uniform(0, 5), 2)})
    return rows


def write_csv(rows: list[dict[str, Any]], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()})
    return path


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return make_rows()


@pytest.fixture
def ctx(rows: list[dict[str, Any]], tmp_path: Path) -> ExecContext:
    table = load_table(write_csv(rows, tmp_path / "sales.csv"))
    return ExecContext(table=table, profile=profile_table(table), out_dir=tmp_path / "run", seed=0)


def _sum_by(rows: list[dict[str, Any]], key: str, metric: str) -> dict[Any, float]:
    out: dict[Any, float] = defaultdict(float)
    for r in rows:
        out[r[key]] += r[metric]
    return dict(out)


# -- registry and gate -----------------------------------------------------------------------------


def test_registry_has_exactly_the_agreed_tools() -> None:
    assert set(REGISTRY.names()) == {
        "filter_rows", "derive_column", "aggregate", "summary_stats", "correlations", "distribution",
        "segment_compare", "resample_timeseries", "detect_anomalies", "top_k", "line_chart", "bar_chart",
        "scatter_chart", "histogram_chart", "box_chart", "heatmap_chart", "spec_chart", "pie_chart", "area_chart"}
    doc = REGISTRY.describe()
    for spec in REGISTRY.specs():
        assert spec.name in doc
        assert spec.params.model_config.get("extra") == "forbid"
        assert (spec.kind == "chart") == (spec.chart_kind is not None)
    with pytest.raises(UnknownToolError, match="known tools: filter_rows"):
        REGISTRY.get("sunburst_chart")


def test_unknown_tool_auto_params_and_bad_columns_are_plan_errors(ctx: ExecContext) -> None:
    with pytest.raises(UnknownToolError):
        run_tool("make_magic", {}, ctx, step_id="x")
    with pytest.raises(PlanError, match='"auto"'):
        run_tool("aggregate", {"group_by": ["auto"], "metrics": ["revenue"]}, ctx, step_id="a")
    with pytest.raises(PlanError, match='"auto"'):
        run_tool("top_k", {"group_by": "auto", "metric": "revenue"}, ctx, step_id="a")
    with pytest.raises(PlanError, match=r"'profit'.*columns: date, region"):
        run_tool("aggregate", {"group_by": ["region"], "metrics": ["profit"]}, ctx, step_id="a")
    with pytest.raises(PlanError, match="invalid aggregate parameter colour"):
        run_tool("aggregate", {"group_by": ["region"], "colour": "red"}, ctx, step_id="a")
    with pytest.raises(PlanError, match="unknown source 'step_nope'"):
        run_tool("aggregate", {"source": "step_nope", "group_by": ["region"]}, ctx, step_id="a")
    with pytest.raises(PlanError, match="numeric"):
        run_tool("aggregate", {"group_by": ["region"], "metrics": ["product category"]}, ctx, step_id="a")
    # a Grain may legitimately be "auto": the tool resolves it from the data
    res = run_tool("resample_timeseries", {"time_column": "date", "metrics": ["revenue"], "grain": "auto"},
                   ctx, step_id="r")
    assert res.params["grain"] == "auto" and res.facts["grain"] in ("week", "month")


# -- analysis tools against Python -------------------------------------------------------------------


def test_aggregate_sum_and_mean(ctx: ExecContext, rows: list[dict[str, Any]]) -> None:
    res = run_tool("aggregate", {"group_by": ["region"], "metrics": ["revenue", "units"]}, ctx, step_id="s1")
    expected = _sum_by(rows, "region", "revenue")
    assert {r["region"]: r["revenue"] for r in res.rows} == pytest.approx(expected)
    assert [r["region"] for r in res.rows] == sorted(expected, key=lambda k: -expected[k])
    top = max(expected, key=lambda k: expected[k])
    assert res.facts["top_region"] == top
    assert res.facts["top_share"] == pytest.approx(expected[top] / sum(expected.values()), rel=1e-5)
    assert res.facts["total_revenue"] == pytest.approx(sum(expected.values()))
    mean = run_tool("aggregate", {"group_by": ["region"], "metrics": ["units"], "agg": "mean", "sort": "asc",
                                  "limit": 2}, ctx, step_id="s2")
    units: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        units[r["region"]].append(r["units"])
    means = sorted((statistics.fmean(v), k) for k, v in units.items())[:2]
    assert [r["region"] for r in mean.rows] == [k for _, k in means]
    assert [r["units"] for r in mean.rows] == pytest.approx([m for m, _ in means])
    counts = run_tool("aggregate", {"group_by": ["region"], "agg": "count"}, ctx, step_id="s3")
    assert sum(r["count"] for r in counts.rows) == len(rows)


def test_filter_then_aggregate_flows_through_step_source(ctx: ExecContext, rows: list[dict[str, Any]]) -> None:
    f = run_tool("filter_rows", {"column": "region", "op": "in", "value": ["EU", "US"]}, ctx, step_id="f")
    kept = [r for r in rows if r["region"] in ("EU", "US")]
    assert f.row_count == len(kept) and f.facts["rows_before"] == len(rows)
    agg = run_tool("aggregate", {"source": "step_f", "group_by": ["product category"], "metrics": ["revenue"]},
                   ctx, step_id="g")
    assert {r["product category"]: r["revenue"] for r in agg.rows} == pytest.approx(
        _sum_by(kept, "product category", "revenue"))
    later = run_tool("filter_rows", {"column": "date", "op": ">=", "value": "2024-06-01"}, ctx, step_id="h")
    assert later.row_count == sum(1 for r in rows if r["date"] >= dt.date(2024, 6, 1))
    # a hostile value is a bound parameter, never SQL
    evil = run_tool("filter_rows", {"column": "region", "value": "EU' OR '1'='1"}, ctx, step_id="i")
    assert evil.row_count == 0


def test_derive_column_ratio(ctx: ExecContext, rows: list[dict[str, Any]]) -> None:
    run_tool("derive_column", {"name": "margin share", "op": "ratio", "left": "cost", "right": "revenue"}, ctx,
             step_id="d")
    res = run_tool("summary_stats", {"source": "step_d", "columns": ["margin share"]}, ctx, step_id="e")
    assert res.facts["margin share_mean"] == pytest.approx(statistics.fmean(r["cost"] / r["revenue"] for r in rows))


def test_summary_stats_and_distribution(ctx: ExecContext, rows: list[dict[str, Any]]) -> None:
    res = run_tool("summary_stats", {"columns": ["units", "revenue"]}, ctx, step_id="st")
    units = [r["units"] for r in rows]
    assert res.facts["units_mean"] == pytest.approx(statistics.fmean(units))
    assert res.facts["units_median"] == pytest.approx(statistics.median(units))
    assert res.facts["units_std"] == pytest.approx(statistics.stdev(units))
    dist = run_tool("distribution", {"column": "units", "bins": 19}, ctx, step_id="di")
    assert sum(r["count"] for r in dist.rows) == len(rows)
    width = (max(units) - min(units)) / 19
    expected: dict[int, int] = defaultdict(int)
    for u in units:
        expected[min(int((u - min(units)) // width), 18)] += 1
    assert {r["bin"]: r["count"] for r in dist.rows} == dict(expected)
    cat = run_tool("distribution", {"column": "region"}, ctx, step_id="dc")
    counts = {k: sum(1 for r in rows if r["region"] == k) for k in REGIONS}
    assert {r["value"]: r["count"] for r in cat.rows} == counts


def test_correlations(ctx: ExecContext, rows: list[dict[str, Any]]) -> None:
    res = run_tool("correlations", {"columns": ["revenue", "cost", "units"]}, ctx, step_id="c")
    assert res.row_count == 3
    assert res.facts["strongest_pair"] == "revenue ~ cost"
    expected = statistics.correlation([r["revenue"] for r in rows], [r["cost"] for r in rows])
    assert res.facts["strongest_corr"] == pytest.approx(expected, rel=1e-5)


def test_segment_compare_and_top_k(ctx: ExecContext, rows: list[dict[str, Any]]) -> None:
    seg = run_tool("segment_compare", {"metric": "units", "segment": "region", "agg": "mean"}, ctx, step_id="sc")
    means = {k: statistics.fmean(r["units"] for r in rows if r["region"] == k) for k in REGIONS}
    assert {r["segment"]: r["value"] for r in seg.rows} == pytest.approx(means)
    assert seg.facts["top_segment"] == max(means, key=lambda k: means[k])
    assert seg.facts["bottom_segment"] == min(means, key=lambda k: means[k])
    top = run_tool("top_k", {"group_by": "product category", "metric": "revenue", "k": 3}, ctx, step_id="tk")
    sums = _sum_by(rows, "product category", "revenue")
    best = sorted(sums, key=lambda k: -sums[k])[:3]
    assert [r["product category"] for r in top.rows] == best
    assert top.facts["top_k_share"] == pytest.approx(sum(sums[k] for k in best) / sum(sums.values()), rel=1e-5)
    assert top.facts["n_groups"] == len(sums)


def test_resample_month_sums(ctx: ExecContext, rows: list[dict[str, Any]]) -> None:
    res = run_tool("resample_timeseries", {"time_column": "date", "metrics": ["revenue"], "grain": "month"}, ctx,
                   step_id="m")
    expected: dict[dt.date, float] = defaultdict(float)
    for r in rows:
        expected[r["date"].replace(day=1)] += r["revenue"]
    assert res.row_count == 24
    assert {r["period"]: r["revenue"] for r in res.rows} == pytest.approx(dict(expected))
    assert res.facts["peak_period"] == SPIKE_DAY.replace(day=1).isoformat()
    grouped = run_tool("resample_timeseries", {"time_column": "date", "metrics": ["revenue"], "grain": "quarter",
                                               "group_by": "region"}, ctx, step_id="q")
    assert {r["region"] for r in grouped.rows} == set(REGIONS)
    assert sum(r["revenue"] for r in grouped.rows) == pytest.approx(sum(r["revenue"] for r in rows))


@pytest.mark.parametrize(("days", "grain"), [(3, "hour"), (30, "day"), (365, "week"), (730, "week"),
                                             (3000, "month"), (10_000, "quarter"), (40_000, "year")])
def test_auto_grain_gives_at_most_120_buckets(days: int, grain: str) -> None:
    lo = dt.datetime(2020, 1, 1)
    assert grain_for_span(lo, lo + dt.timedelta(days=days)) == grain


def _robust_z(values: list[float]) -> list[float]:
    med = statistics.median(values)
    mad = statistics.median(abs(v - med) for v in values)
    return [0.6745 * (v - med) / mad for v in values]


def test_detect_anomalies_on_daily_series(ctx: ExecContext, rows: list[dict[str, Any]]) -> None:
    res = run_tool("detect_anomalies", {"metric": "revenue", "time_column": "date", "grain": "day"}, ctx,
                   step_id="an")
    daily = _sum_by(rows, "date", "revenue")
    days = sorted(daily)
    scores = dict(zip(days, _robust_z([daily[d] for d in days]), strict=True))
    flagged = {d for d, z in scores.items() if abs(z) > 3.5}
    assert res.facts["anomaly_count"] == len(flagged)
    assert res.facts["anomaly_1_period"] == SPIKE_DAY.isoformat()
    assert res.facts["anomaly_1_score"] == pytest.approx(scores[SPIKE_DAY], rel=1e-6)
    assert {r["period"] for r in res.rows if r["is_anomaly"]} == flagged


def test_detect_anomalies_iqr_on_raw_values(ctx: ExecContext, rows: list[dict[str, Any]]) -> None:
    res = run_tool("detect_anomalies", {"metric": "revenue", "method": "iqr"}, ctx, step_id="ai")
    values = [r["revenue"] for r in rows]
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    out = [v for v in values if v < q1 - 1.5 * (q3 - q1) or v > q3 + 1.5 * (q3 - q1)]
    assert res.facts["anomaly_count"] == len(out) > 0
    assert res.facts["points"] == len(rows)
    assert res.facts["anomaly_1_value"] == pytest.approx(max(out))
    assert res.row_count == len(out)  # only anomalies come back, never every raw row


def test_results_are_json_serialisable_and_rows_capped(ctx: ExecContext) -> None:
    res = run_tool("filter_rows", {"column": "units", "op": ">", "value": 0}, ctx, step_id="all")
    assert res.row_count == 3000 and len(res.rows) <= 500
    text = json.dumps(res.to_dict())
    assert '"tool": "filter_rows"' in text
    assert all(isinstance(v, (int, float, str)) for v in res.facts.values())
    assert all(not (isinstance(v, float) and math.isnan(v)) for v in res.facts.values())
    assert ctx.results["all"] is res


def test_partial_edge_periods_are_named(ctx: ExecContext) -> None:
    # data runs 2023-01-01 (a Sunday) .. 2024-12-30: the first ISO week and the last month are partial
    week = run_tool("resample_timeseries", {"time_column": "date", "metrics": ["revenue"], "grain": "week"}, ctx,
                    step_id="w")
    assert week.facts["partial_periods"] == "first,last"
    assert "only partly covered" in week.summary
    month = run_tool("resample_timeseries", {"time_column": "date", "metrics": ["revenue"], "grain": "month"}, ctx,
                     step_id="mo")
    assert month.facts["partial_periods"] == "last"
    year = run_tool("resample_timeseries", {"time_column": "date", "metrics": ["revenue"], "grain": "year"}, ctx,
                    step_id="y")
    assert year.facts["partial_periods"] == "last"


def test_a_chart_with_nothing_left_to_draw_says_so(ctx: ExecContext) -> None:
    run_tool("filter_rows", {"column": "region", "value": "Atlantis"}, ctx, step_id="none")
    with pytest.raises(PlanError, match="nothing to draw"):
        run_tool("bar_chart", {"source": "step_none", "x": "region", "y": "revenue"}, ctx, step_id="empty")


def test_float_results_are_stable_across_summation_orders() -> None:
    """DuckDB's parallel sums differ in the last bits between runs; results are rounded past that noise."""
    from sgr.autoviz.tools.common import clean

    assert clean(107356179.43320292) == clean(107356179.43320295) == 107356179.433
    assert clean(0.1 + 0.2) == 0.3
