"""AutoViz tools: typed, registered once, run through `run_tool` against DuckDB.

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
