"""SQL helpers every tool shares: aggregation expressions, automatic time grain, result tables.

Why here: the rules "aggregate in SQL, never pull raw rows into Python" and "choose a grain that gives
12-120 buckets" must hold identically in analysis tools and chart tools, or a chart would disagree with
the numbers in the summary next to it.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sgr.autoviz.data import qi
from sgr.autoviz.errors import PlanError
from sgr.autoviz.profile import is_numeric_dtype
from sgr.autoviz.tools.base import MAX_RESULT_ROWS, ExecContext

# approximate bucket widths in days, finest first
_GRAIN_DAYS: dict[str, float] = {
    "hour": 1 / 24, "day": 1, "week": 7, "month": 30.44, "quarter": 91.31, "year": 365.25,
}
MAX_BUCKETS = 120
AGG_LABEL = {
    "sum": "Sum", "mean": "Mean", "median": "Median", "count": "Count", "min": "Min", "max": "Max",
    "count_distinct": "Distinct count",
}
def is_numeric(dtype: str) -> bool:
    """True for DuckDB integer, float and decimal types (the profile's definition, so tools and stages agree)."""
    return is_numeric_dtype(dtype)


def is_temporal(dtype: str) -> bool:
    """True for DATE and TIMESTAMP types."""
    return dtype.startswith(("DATE", "TIMESTAMP"))


def agg_expr(agg: str, column: str | None) -> str:
    """SQL for an aggregation of a column; a count with no column counts rows."""
    if column is None:
        if agg not in ("count",):
            raise PlanError(f"aggregation {agg!r} needs a metric column")
        return "count(*)"
    c = qi(column)
    return {
        "sum": f"sum({c})", "mean": f"avg({c})", "median": f"median({c})", "count": f"count({c})",
        "min": f"min({c})", "max": f"max({c})", "count_distinct": f"count(DISTINCT {c})",
    }[agg]


def agg_title(agg: str, column: str | None) -> str:
    """Human label such as "Sum of revenue" or "Count of rows"."""
    return f"{AGG_LABEL[agg]} of {column or 'rows'}"


def auto_grain(ctx: ExecContext, relation: str, time_column: str) -> str:
    """The finest of hour/day/week/month/quarter/year giving at most 120 buckets over the data's span."""
    lo, hi = ctx.table.con.execute(
        f"SELECT min({qi(time_column)})::TIMESTAMP, max({qi(time_column)})::TIMESTAMP FROM {qi(relation)}"
    ).fetchone() or (None, None)
    if lo is None or hi is None:
        return "day"
    return grain_for_span(lo, hi)


def grain_for_span(lo: dt.datetime, hi: dt.datetime) -> str:
    """Pure rule behind `auto_grain` (hour only when the span is under five days)."""
    span_days = max((hi - lo).total_seconds() / 86400.0, 0.0)
    for grain, width in _GRAIN_DAYS.items():
        if grain == "hour" and span_days >= 5:
            continue
        if span_days / width <= MAX_BUCKETS:
            return grain
    return "year"


def partial_edges(ctx: ExecContext, relation: str, time_column: str, grain: str) -> list[str]:
    """Which of the first/last buckets the data covers only in part ("first", "last").

    A sum over half a month looks like a collapse; captions name such periods so nobody reads the dip
    at the edge of a chart as a finding.
    """
    if grain not in ("week", "month", "quarter", "year"):
        return []
    t = qi(time_column)
    row = ctx.table.con.execute(
        f"SELECT date_trunc('{grain}', min({t})) < min({t})::TIMESTAMP, "
        f"date_trunc('{grain}', max({t})) + INTERVAL 1 {grain} - INTERVAL 1 day > max({t})::TIMESTAMP "
        f"FROM {qi(relation)}"
    ).fetchone() or (False, False)
    return [edge for edge, flag in zip(("first", "last"), row, strict=True) if flag]


def partial_note(edges: list[str], grain: str) -> str:
    """Caption sentence for `partial_edges`, empty when both edges are complete."""
    if not edges:
        return ""
    which = " and ".join(edges)
    return f" The {which} {grain}{'s are' if len(edges) == 2 else ' is'} only partly covered by the data."


def bucket_expr(time_column: str, grain: str) -> str:
    """date_trunc to the grain, as DATE for day and coarser so axes show dates, not midnights."""
    expr = f"date_trunc('{grain}', {qi(time_column)})"
    return expr if grain == "hour" else f"CAST({expr} AS DATE)"


def materialize(ctx: ExecContext, step_id: str, sql: str, params: list[Any] | None = None
                ) -> tuple[list[dict[str, Any]], int]:
    """Store `sql`'s result as table step_<id>; return its first 500 rows as dicts and its row count."""
    con = ctx.table.con
    name = qi(f"step_{step_id}")
    con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}", params or [])
    count = int(con.execute(f"SELECT count(*) FROM {name}").fetchone()[0])  # type: ignore[index]
    return fetch_dicts(ctx, f"SELECT * FROM {name} LIMIT {MAX_RESULT_ROWS}"), count


def fetch_dicts(ctx: ExecContext, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Run a query and return rows as dicts with JSON-friendly numbers (NaN/inf become None)."""
    cur = ctx.table.con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [{k: clean(v) for k, v in zip(names, row, strict=True)} for row in cur.fetchall()]


#: significant digits kept from DuckDB's floating results. Its parallel sum()/avg() add in a thread-dependent
#: order, so the last bits of a double differ between identical runs on large files; 12 digits are far more
#: than any chart or report shows and make the artifacts byte-identical.
SIGNIFICANT_DIGITS = 12


def clean(v: Any) -> Any:
    """Decimals to float (rounded to SIGNIFICANT_DIGITS), non-finite floats to None; dates stay dates."""
    if v is None or isinstance(v, (bool, int, str, dt.date)):
        return v
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return float(f"{f:.{SIGNIFICANT_DIGITS}g}") if math.isfinite(f) else None


def fact(v: Any) -> float | int | str:
    """A fact value: rounded number or string (facts are read by people and prompts)."""
    v = clean(v)
    if v is None:
        return "n/a"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return round(v, 6)
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def num(v: Any) -> str:
    """Readable number for summaries: thousands separators, at most 4 significant decimals."""
    v = clean(v)
    if v is None:
        return "n/a"
    if isinstance(v, (str, dt.date)):
        return str(v)
    if isinstance(v, int) or float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.1f}"
