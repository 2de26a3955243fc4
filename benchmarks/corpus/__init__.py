"""A labelled phrasing corpus for AutoViz: tables, questions with chart labels, and reference answers.

Why: to measure whether the system's FIRST chart is exactly the chart a question asks for, across many
phrasings and tables, with tune/heldout/fresh/fresh2/fresh3/fresh4/fresh5/fresh6/fresh7/fresh8/fresh9/fresh10/
fresh11 splits so tuning on some phrasings can be checked on others (`questions` documents what each split is;
fresh11, written from scratch for round 12 by someone who had not read the parser nor run AutoViz, on six more
tables, is the one never inspected while changing it; fresh10 became a tuning split in round 12, as fresh9 did in
round 11).
Nothing here derives from nvBench or VisEval; everything is generated from fixed seeds.

Submodules are imported lazily, so `python -m benchmarks.corpus.questions` runs without a warning.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "CATEGORIES",
    "TABLES",
    "Case",
    "ColumnSpec",
    "TableSpec",
    "build_cases",
    "canon_x",
    "compare",
    "expected_rows",
    "validate_cases",
    "write_tables",
]

_WHERE = {
    "CATEGORIES": "questions",
    "Case": "questions",
    "build_cases": "questions",
    "validate_cases": "questions",
    "canon_x": "reference",
    "compare": "reference",
    "expected_rows": "reference",
    "TABLES": "tables",
    "ColumnSpec": "tables",
    "TableSpec": "tables",
    "write_tables": "tables",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
