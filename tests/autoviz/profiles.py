"""Small hand-written table profiles for tests that read questions without loading data.

Why one builder: the question, requirement and intent tests each describe tables column by column, and every
one of them needs a ColumnProfile with no missing values and a few top values; the copies had drifted in which
optional fields they set.
"""

from __future__ import annotations

from typing import Any

from sgr.autoviz.profile import ColumnProfile, DataProfile


def column(name: str, dtype: str, role: str, distinct: int = 10, top: list[tuple[str, int]] | None = None,
           lo: Any = None, hi: Any = None) -> ColumnProfile:
    """A column with no missing values; `top` are its commonest values, `lo`/`hi` its range."""
    return ColumnProfile(name=name, dtype=dtype, role=role, missing=0, missing_frac=0.0, distinct=distinct,
                         top_values=top or [], min=lo, max=hi)


def table(*cols: ColumnProfile, n_rows: int = 1000, shape: str = "tabular") -> DataProfile:
    """A profile of these columns."""
    return DataProfile(n_rows=n_rows, n_cols=len(cols), shape=shape, columns=list(cols))
