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

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    """The public names, imported on first use (PEP 562).

    Why lazy: `render_worker` lives in this package and is imported at the very start of a run to start the
    chart engine while everything else is still importing; an eager package import made that cost 0.25 s of
    DuckDB, pydantic and the tool modules first, which is the time the early start is meant to win back.
    """
    if name == "REGISTRY":
        return importlib.import_module(f"{__name__}.registry").REGISTRY
    if name in __all__:
        return getattr(importlib.import_module(f"{__name__}.base"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
