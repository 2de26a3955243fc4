"""AutoViz tools: typed, registered once, run through `run_tool` against DuckDB.

Additions to the agreed interface (all backwards compatible): `run_tool` also stores its result in
`ctx.results[step_id]`; chart file index = position of the step in `ctx.results`; spec files end in
``.vl.json``; `line_chart`/`bar_chart` accept ``y=None`` (row counts); `top_k.metric` may be None;
`detect_anomalies` has `agg` and `threshold=None` (3.5 robust z / 1.5 IQR); `filter_rows(column, op,
value)`; `derive_column(name, op, left, right)` with a closed set of ops (no free SQL); `aggregate`
keeps metric names as output columns (count without metrics -> "count").

Public interface: `REGISTRY`, `ToolRegistry`, `ToolSpec`, `ExecContext`, `ToolResult`, `ChartArtifact`,
`run_tool`. A step's result table is registered as ``step_<id>`` so later steps can use
``source="step_<id>"``. `heatmap_chart` with x = y = "__columns__" draws the correlation matrix of the
numeric columns (the profile's measures for the loaded table).
"""

from sgr.autoviz.tools.base import (
    ChartArtifact,
    ExecContext,
    ToolParams,
    ToolRegistry,
    ToolResult,
    ToolSpec,
    run_tool,
)
from sgr.autoviz.tools.registry import REGISTRY

__all__ = [
    "REGISTRY",
    "ChartArtifact",
    "ExecContext",
    "ToolParams",
    "ToolRegistry",
    "ToolResult",
    "ToolSpec",
    "run_tool",
]
