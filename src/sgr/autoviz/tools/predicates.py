"""Row filters as SQL: one compiler for `filter_rows` and the requested chart, so both read a filter alike.

Why one place: "salary above the average" must mean the same rows whether a context step filters the table
or the requested chart filters its own input. Values are always bound as parameters (never spliced into
SQL); relative ops compare with the column's mean over the relation being filtered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sgr.autoviz.data import qi
from sgr.autoviz.errors import PlanError
from sgr.autoviz.models import Filter
from sgr.autoviz.tools.common import is_numeric, is_temporal

_SIMPLE = {"==": "=", "!=": "<>", ">": ">", ">=": ">=", "<": "<", "<=": "<="}


def _typed(dtype: str) -> bool:
    return is_numeric(dtype) or is_temporal(dtype) or dtype == "BOOLEAN"


def _cast(dtype: str) -> str:
    """The SQL type a compared value is cast to: the column's own type for numbers, dates and booleans."""
    return dtype if _typed(dtype) else "VARCHAR"


def _column(name: str, dtype: str) -> str:
    return qi(name) if _typed(dtype) else f"{qi(name)}::VARCHAR"


def predicate_sql(f: Filter, relation: str, dtypes: dict[str, str], *, step_id: str) -> tuple[str, list[Any]]:
    """One filter as (SQL condition, parameters); raises PlanError for a filter that cannot apply."""
    if f.column not in dtypes:
        raise PlanError(f"step {step_id}: filter names column {f.column!r}, which the data does not have; "
                        f"columns: {', '.join(dtypes)}")
    dtype = dtypes[f.column]
    c = _column(f.column, dtype)
    if f.op in ("above_mean", "below_mean"):
        if not is_numeric(dtype):
            raise PlanError(f"step {step_id}: '{f.text()}' needs a numeric column, but {f.column!r} is {dtype}")
        sign = ">" if f.op == "above_mean" else "<"
        return f"{qi(f.column)} {sign} (SELECT avg({qi(f.column)}) FROM {qi(relation)})", []
    if f.op in ("in", "not_in"):
        values = f.value if isinstance(f.value, list) else [f.value]
        cond = f"list_contains(?::VARCHAR[], {qi(f.column)}::VARCHAR)"
        return (f"NOT {cond}" if f.op == "not_in" else cond), [[str(v) for v in values]]
    if f.op == "between":
        if not (isinstance(f.value, list) and len(f.value) == 2):
            raise PlanError(f"step {step_id}: filter {f.column} between needs [low, high], got {f.value!r}")
        t = _cast(dtype)
        return f"{c} BETWEEN CAST(? AS {t}) AND CAST(? AS {t})", [f.value[0], f.value[1]]
    if f.op == "contains":
        return f"contains(lower({qi(f.column)}::VARCHAR), lower(?))", [str(f.value)]
    if isinstance(f.value, list) or f.value is None:
        raise PlanError(f"step {step_id}: filter op {f.op!r} on {f.column!r} needs one value, got {f.value!r}")
    return f"{c} {_SIMPLE[f.op]} CAST(? AS {_cast(dtype)})", [f.value]


def where_sql(filters: Sequence[Filter], relation: str, dtypes: dict[str, str], *, step_id: str
              ) -> tuple[str, list[Any]]:
    """All filters joined with AND as a WHERE clause (empty when there are none), with parameters."""
    parts: list[str] = []
    args: list[Any] = []
    for f in filters:
        sql, a = predicate_sql(f, relation, dtypes, step_id=step_id)
        parts.append(f"({sql})")
        args += a
    return (f" WHERE {' AND '.join(parts)}" if parts else ""), args
