"""Chart tools: files exist, specs are valid Vega-Lite encoding the right fields and aggregation, the
drawn values equal pure-Python aggregates, and two runs give byte-identical files."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from altair.vegalite.v6.schema import core as vl_core

from sgr.autoviz.data import load_table
from sgr.autoviz.profile import profile_table
from sgr.autoviz.tools import ExecContext, ToolResult, run_tool

START = dt.date(2023, 1, 1)


def make_rows(n: int = 2400, seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        revenue = round(rng.uniform(10, 200), 2)
        rows.append({"date": START + dt.timedelta(days=i % 540), "region": rng.choice(["EU", "US", "APAC"]),
                     "product": f"product {rng.randint(0, 29):02d}", "revenue": revenue,
                     "units": rng.randint(1, 9), "discount": round(revenue * 0.1 + rng.uniform(0, 3), 2)})
    return rows


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return make_rows()


def _ctx(rows: list[dict[str, Any]], folder: Path, seed: int = 0) -> ExecContext:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sales.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()})
    table = load_table(path)
    return ExecContext(table=table, profile=profile_table(table), out_dir=folder / "run", seed=seed)


@pytest.fixture
def ctx(rows: list[dict[str, Any]], tmp_path: Path) -> ExecContext:
    return _ctx(rows, tmp_path)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(vl_core.load_schema())


def _files(ctx: ExecContext, res: ToolResult, validator: jsonschema.Draft7Validator) -> dict[str, Any]:
    """Check the files exist (SVG and spec; a PNG only when the context asks for one) and the spec is valid
    Vega-Lite; return the spec."""
    assert res.chart is not None
    image = ctx.out_dir / res.chart.file
    if ctx.png:
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        assert image.suffix == ".svg" and not image.with_suffix(".png").exists()
    assert (ctx.out_dir / res.chart.svg_file).read_text(encoding="utf-8").startswith("<svg")
    spec = json.loads((ctx.out_dir / res.chart.spec_file).read_text(encoding="utf-8"))
    validator.validate(spec)
    assert spec["width"] == 640 and spec["height"] == 360
    return spec


def test_bar_chart_top_k_with_other(ctx: ExecContext, rows: list[dict[str, Any]],
                                    validator: jsonschema.Draft7Validator) -> None:
    res = run_tool("bar_chart", {"x": "product", "y": "revenue", "agg": "sum", "top_k": 10}, ctx, step_id="b")
    spec = _files(ctx, res, validator)
    assert res.chart is not None and res.chart.file == "charts/01_bar_revenue_by_product.svg"
    assert spec["encoding"]["y"]["title"] == "Sum of revenue"
    assert spec["title"]["text"] == "Sum of revenue by product"
    sums: dict[str, float] = defaultdict(float)
    for r in rows:
        sums[r["product"]] += r["revenue"]
    top = sorted(sums, key=lambda k: (-sums[k], k))[:10]
    drawn = {r["x"]: r["value"] for r in spec["data"]["values"]}
    assert set(drawn) == {*top, "Other"}
    assert drawn["Other"] == pytest.approx(sum(v for k, v in sums.items() if k not in top))
    assert spec["encoding"]["x"]["sort"][:10] == top and spec["encoding"]["x"]["sort"][-1] == "Other"
    assert "top 10 of 30" in res.chart.caption
    assert res.facts["top_x"] == top[0]


def test_a_run_that_asks_for_png_gets_a_raster_of_the_same_svg(rows: list[dict[str, Any]], tmp_path: Path,
                                                                validator: jsonschema.Draft7Validator) -> None:
    plain, raster = _ctx(rows, tmp_path / "svg"), _ctx(rows, tmp_path / "png")
    raster.png = True
    params = {"x": "product", "y": "revenue", "agg": "sum", "top_k": 10}
    a, b = (run_tool("bar_chart", params, c, step_id="b") for c in (plain, raster))
    _files(raster, b, validator)
    assert a.chart is not None and b.chart is not None and b.chart.file.endswith(".png")
    assert (plain.out_dir / a.chart.svg_file).read_bytes() == (raster.out_dir / b.chart.svg_file).read_bytes()


def test_grouped_and_stacked_bars(ctx: ExecContext, rows: list[dict[str, Any]],
                                  validator: jsonschema.Draft7Validator) -> None:
    grouped = run_tool("bar_chart", {"x": "region", "y": "units", "agg": "mean", "group": "product",
                                     "mode": "grouped"}, ctx, step_id="g")
    spec = _files(ctx, grouped, validator)
    assert grouped.chart is not None and grouped.chart.kind == "grouped_bar"
    assert spec["encoding"]["xOffset"]["field"] == "grp"
    assert spec["encoding"]["y"]["title"] == "Mean of units"
    means = {k: sum(r["units"] for r in rows if r["region"] == k) / sum(1 for r in rows if r["region"] == k)
             for k in ("EU", "US", "APAC")}
    assert grouped.facts["top_x"] == max(means, key=lambda k: means[k])
    assert grouped.facts["top_value"] == pytest.approx(max(means.values()))
    stacked = run_tool("bar_chart", {"x": "region", "group": "product", "mode": "stacked"}, ctx, step_id="s")
    spec = _files(ctx, stacked, validator)
    assert stacked.chart is not None and stacked.chart.kind == "stacked_bar"
    assert sum(r["value"] for r in spec["data"]["values"]) == len(rows)
    assert len({r["grp"] for r in spec["data"]["values"]}) <= 9  # 8 series + Other


def test_line_chart_aggregates_by_grain(ctx: ExecContext, rows: list[dict[str, Any]],
                                        validator: jsonschema.Draft7Validator) -> None:
    res = run_tool("line_chart", {"x": "date", "y": "revenue", "agg": "sum", "grain": "month"}, ctx, step_id="l")
    spec = _files(ctx, res, validator)
    monthly: dict[str, float] = defaultdict(float)
    for r in rows:
        monthly[r["date"].replace(day=1).isoformat()] += r["revenue"]
    assert {r["x"]: r["value"] for r in spec["data"]["values"]} == pytest.approx(dict(monthly))
    assert spec["encoding"]["x"]["type"] == "temporal"
    assert spec["encoding"]["x"]["axis"]["format"] == "%b %Y"
    assert spec["encoding"]["y"]["title"] == "Sum of revenue"
    assert res.chart is not None and res.chart.aggregation == "sum" and res.chart.n_points == len(monthly)
    auto = run_tool("line_chart", {"x": "date", "y": "revenue", "group": "region"}, ctx, step_id="la")
    spec = _files(ctx, auto, validator)
    assert 12 <= auto.facts["points"] <= 120  # type: ignore[operator]
    assert spec["encoding"]["color"]["field"] == "grp"


def test_chart_from_an_earlier_step(ctx: ExecContext, rows: list[dict[str, Any]],
                                    validator: jsonschema.Draft7Validator) -> None:
    run_tool("filter_rows", {"column": "region", "value": "EU"}, ctx, step_id="eu")
    res = run_tool("bar_chart", {"source": "step_eu", "x": "region", "y": "revenue"}, ctx, step_id="b")
    spec = _files(ctx, res, validator)
    assert [r["x"] for r in spec["data"]["values"]] == ["EU"]
    assert spec["data"]["values"][0]["value"] == pytest.approx(sum(r["revenue"] for r in rows
                                                                   if r["region"] == "EU"))


def test_scatter_samples_deterministically(rows: list[dict[str, Any]], tmp_path: Path,
                                           validator: jsonschema.Draft7Validator) -> None:
    a = _ctx(rows, tmp_path / "a", seed=1)
    res = run_tool("scatter_chart", {"x": "revenue", "y": "discount", "color": "region", "max_points": 500}, a,
                   step_id="sc")
    spec = _files(a, res, validator)
    assert len(spec["data"]["values"]) == 500 and res.facts["points_total"] == len(rows)
    assert "sample of 500" in res.summary
    again = run_tool("scatter_chart", {"x": "revenue", "y": "discount", "color": "region", "max_points": 500}, a,
                     step_id="sc2")
    assert again.rows == res.rows
    b = _ctx(rows, tmp_path / "b", seed=2)
    other = run_tool("scatter_chart", {"x": "revenue", "y": "discount", "max_points": 500}, b, step_id="sc")
    assert [(r["x"], r["y"]) for r in other.rows] != [(r["x"], r["y"]) for r in res.rows]


def test_histogram_box_and_heatmaps(ctx: ExecContext, rows: list[dict[str, Any]],
                                    validator: jsonschema.Draft7Validator) -> None:
    hist = run_tool("histogram_chart", {"column": "units", "bins": 8}, ctx, step_id="h")
    spec = _files(ctx, hist, validator)
    assert sum(r["count"] for r in spec["data"]["values"]) == len(rows)
    box = run_tool("box_chart", {"metric": "revenue", "group": "region"}, ctx, step_id="bx")
    spec = _files(ctx, box, validator)
    for r in spec["data"]["values"]:
        assert r["median"] == pytest.approx(statistics.median(x["revenue"] for x in rows if x["region"] == r["grp"]))
    heat = run_tool("heatmap_chart", {"x": "region", "y": "product", "value": "revenue", "agg": "sum"}, ctx,
                    step_id="hm")
    spec = _files(ctx, heat, validator)
    assert "top 20 of 30" in heat.summary
    assert len({r["y"] for r in spec["data"]["values"]}) == 20
    corr = run_tool("heatmap_chart", {"x": "__columns__", "y": "__columns__"}, ctx, step_id="cm")
    spec = _files(ctx, corr, validator)
    measures = ctx.profile.measures()
    assert len(spec["data"]["values"]) == len(measures) ** 2
    cell = {(r["x"], r["y"]): r["value"] for r in spec["data"]["values"]}
    assert cell[("revenue", "revenue")] == pytest.approx(1.0)
    assert cell[("revenue", "discount")] == cell[("discount", "revenue")] == pytest.approx(
        statistics.correlation([r["revenue"] for r in rows], [r["discount"] for r in rows]), rel=1e-6)
    assert corr.chart is not None and corr.chart.file.endswith("_heatmap_correlation.svg")


def test_two_runs_give_identical_bytes(rows: list[dict[str, Any]], tmp_path: Path) -> None:
    plan = [("line_chart", {"x": "date", "y": "revenue", "group": "region"}),
            ("bar_chart", {"x": "product", "y": "revenue"}),
            ("scatter_chart", {"x": "revenue", "y": "discount"})]
    outputs = []
    for name in ("one", "two"):
        c = _ctx(rows, tmp_path / name)
        c.png = True  # the raster too: spec, SVG and PNG of each chart
        for i, (tool, params) in enumerate(plan):
            run_tool(tool, params, c, step_id=str(i))
        outputs.append({p.name: p.read_bytes() for p in sorted((c.out_dir / "charts").iterdir())})
    assert len(outputs[0]) == 9
    assert outputs[0] == outputs[1]
