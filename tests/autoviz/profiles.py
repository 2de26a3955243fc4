"""Small hand-written table profiles for tests that read questions without loading data.

Why one builder: the question, requirement and intent tests each describe tables column by column, and every
one of them needs a ColumnProfile with no missing values and a few top values; the copies had drifted in which
optional fields they set.
"""

from __future__ import annotations

from typing import Any

from sgr.autoviz.profile import ColumnProfile, DataProfile
from sgr.autoviz.question import analyze_question, describe_chart


def column(name: str, dtype: str, role: str, distinct: int = 10, top: list[tuple[str, int]] | None = None,
           lo: Any = None, hi: Any = None) -> ColumnProfile:
    """A column with no missing values; `top` are its commonest values, `lo`/`hi` its range."""
    return ColumnProfile(name=name, dtype=dtype, role=role, missing=0, missing_frac=0.0, distinct=distinct,
                         top_values=top or [], min=lo, max=hi)


def table(*cols: ColumnProfile, n_rows: int = 1000, shape: str = "tabular") -> DataProfile:
    """A profile of these columns."""
    return DataProfile(n_rows=n_rows, n_cols=len(cols), shape=shape, columns=list(cols))


def drawn(question: str, profile: DataProfile, values: dict[str, list[str]] | None = None,
          table_name: str | None = None) -> dict[str, object]:
    """The chart request a question reads as, described the way the benchmark compares it (it must read as one)."""
    a = analyze_question(question, profile, values=values, table_name=table_name)
    assert a.chart is not None, question
    return describe_chart(a.chart)
