"""The one place tools are registered: name, kind, params model, function and what each serves.

Why one module: the registry is the contract between planner and executor. Templates, the adapt step's
tool enum and the docs an LLM reads all come from here, so a tool exists everywhere or nowhere.
"""

from __future__ import annotations

from sgr.autoviz.tools import analysis as a
from sgr.autoviz.tools import charts as c
from sgr.autoviz.tools import spec_chart as q
from sgr.autoviz.tools.base import ToolRegistry, ToolSpec

REGISTRY = ToolRegistry()

_ANALYSIS: list[tuple[str, str, type, object, list[str]]] = [
    ("filter_rows", "keep rows matching one condition (==, !=, <, >, in, contains)", a.FilterRowsParams,
     a.filter_rows, []),
    ("derive_column", "add a column computed by a fixed operation (ratio, difference, year, month, ...)",
     a.DeriveColumnParams, a.derive_column, []),
    ("aggregate", "group by columns and aggregate metrics; facts give the top group and its share",
     a.AggregateParams, a.aggregate, ["total", "compare", "share", "rank"]),
    ("summary_stats", "count, missing, mean, std and quartiles of numeric columns", a.SummaryStatsParams,
     a.summary_stats, ["summary", "distribution"]),
    ("correlations", "pairwise Pearson correlations of numeric columns", a.CorrelationsParams, a.correlations,
     ["correlation"]),
    ("distribution", "histogram of a numeric column or value counts of a category", a.DistributionParams,
     a.distribution, ["distribution"]),
    ("segment_compare", "a metric per segment with counts and shares; top vs bottom",
     a.SegmentCompareParams, a.segment_compare, ["compare", "share"]),
    ("resample_timeseries", "aggregate metrics per period (grain auto: 12-120 buckets)", a.ResampleParams,
     a.resample_timeseries, ["trend"]),
    ("detect_anomalies", "robust z (median/MAD) or IQR outliers, per period or on raw values",
     a.DetectAnomaliesParams, a.detect_anomalies, ["anomaly"]),
    ("top_k", "the k largest groups by a metric with their share of the total", a.TopKParams, a.top_k,
     ["rank", "share"]),
]
_CHARTS: list[tuple[str, str, type, object, str, list[str]]] = [
    ("line_chart", "metric over time at an automatic grain, optionally one line per group",
     c.LineChartParams, c.line_chart, "line", ["trend", "anomaly"]),
    ("bar_chart", "metric per category (simple, grouped or stacked), top-k with an Other bar",
     c.BarChartParams, c.bar_chart, "bar", ["compare", "total", "share", "rank"]),
    ("scatter_chart", "two numeric columns on a seeded sample, with the correlation", c.ScatterChartParams,
     c.scatter_chart, "scatter", ["correlation"]),
    ("histogram_chart", "distribution of a numeric column in equal-width bins", c.HistogramChartParams,
     c.histogram_chart, "histogram", ["distribution"]),
    ("box_chart", "quartiles and whiskers of a metric per group", c.BoxChartParams, c.box_chart, "box",
     ["distribution", "compare"]),
    ("heatmap_chart", 'metric over two categories, or x=y="__columns__" for a correlation matrix',
     c.HeatmapChartParams, c.heatmap_chart, "heatmap", ["correlation", "compare"]),
    ("spec_chart", "exactly the chart a question asks for: any mark, x, y + aggregation, colour, sort, time bin, "
     "filters, top-k", q.ChartParams, q.chart, "bar", ["compare", "total", "share", "rank", "trend"]),
    ("pie_chart", "share of a category's values (or row counts) as pie slices, largest first",
     q.PieChartParams, q.chart, "pie", ["share", "total"]),
    ("area_chart", "metric over time as a filled area, optionally stacked by a series column",
     q.AreaChartParams, q.chart, "area", ["trend"]),
]

for _name, _desc, _params, _fn, _serves in _ANALYSIS:
    REGISTRY.register(ToolSpec(name=_name, kind="analysis", description=_desc, params=_params,  # type: ignore[arg-type]
                               fn=_fn, serves=_serves))  # type: ignore[arg-type]
for _name, _desc, _params, _fn, _kind, _serves in _CHARTS:
    REGISTRY.register(ToolSpec(name=_name, kind="chart", description=_desc, params=_params,  # type: ignore[arg-type]
                               fn=_fn, chart_kind=_kind, serves=_serves))  # type: ignore[arg-type]
