"""Reference answers for corpus labels, computed with plain DuckDB SQL.

Why: a label says which chart a question asks for; scoring a system's chart needs the rows that chart
must draw. This module computes them independently of the system under test (nothing here imports
`sgr`), so a bug in the system cannot hide in a shared helper.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import duckdb

__all__ = ["canon_x", "compare", "expected_rows", "source_sql", "where_sql"]

_AGG_SQL = {
    "sum": "sum({y})",
    "mean": "avg({y})",
    "median": "median({y})",
    "min": "min({y})",
    "max": "max({y})",
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _q(name: str) -> str:
    """Quote an identifier; column names in the corpus have spaces and mixed case."""
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    """Quote a string literal (only used for file paths, never for filter values)."""
    return "'" + value.replace("'", "''") + "'"


def source_sql(table: str) -> str:
    """A FROM-able SQL source: a registered table/view name, or a CSV/Parquet file path."""
    low = table.lower()
    if low.endswith((".parquet", ".pq")):
        return f"read_parquet({_lit(table)})"
    if low.endswith((".csv", ".tsv", ".txt")) or "/" in table or "\\" in table:
        return f"read_csv_auto({_lit(table)})"
    return _q(table)


def _types(con: duckdb.DuckDBPyConnection, src: str) -> dict[str, str]:
    """Column name -> DuckDB type name, to cast date filter values to the column's type."""
    rows = con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()
    return {str(r[0]): str(r[1]).upper() for r in rows}


def _is_temporal(type_name: str) -> bool:
    return type_name.startswith(("DATE", "TIMESTAMP"))


def where_sql(filters: Sequence[dict[str, Any]], src: str, types: dict[str, str]) -> tuple[str, list[Any]]:
    """SQL conditions (joined by AND, '' when none) and their parameters for a label's filters.

    above_mean/below_mean compare with the column's mean over the whole source, before any other filter.
    """
    parts: list[str] = []
    params: list[Any] = []
    for f in filters:
        col, op, value = _q(f["column"]), f["op"], f.get("value")
        col_type = types.get(f["column"], "")
        temporal = _is_temporal(col_type)
        ph = "CAST(? AS DATE)" if col_type.startswith("DATE") else ("CAST(? AS TIMESTAMP)" if temporal else "?")
        if op in ("==", "!=", ">", ">=", "<", "<="):
            sql_op = {"==": "=", "!=": "<>"}.get(op, op)
            if op == "<=" and col_type.startswith("TIMESTAMP") and isinstance(value, str) and _DATE_ONLY.match(value):
                # "on or before 2021-12-31" on a timestamp column means the whole last day.
                parts.append(f"{col} < CAST(? AS DATE) + INTERVAL 1 DAY")
            else:
                parts.append(f"{col} {sql_op} {ph}")
            params.append(value)
        elif op in ("in", "not_in"):
            values = list(value or [])
            if not values:
                parts.append("FALSE" if op == "in" else "TRUE")
                continue
            marks = ", ".join([ph] * len(values))
            parts.append(f"{col} {'IN' if op == 'in' else 'NOT IN'} ({marks})")
            params.extend(values)
        elif op == "between":
            lo, hi = value
            if col_type.startswith("TIMESTAMP") and isinstance(hi, str) and _DATE_ONLY.match(hi):
                parts.append(f"{col} >= {ph} AND {col} < CAST(? AS DATE) + INTERVAL 1 DAY")
            else:
                parts.append(f"{col} BETWEEN {ph} AND {ph}")
            params.extend([lo, hi])
        elif op == "contains":
            parts.append(f"contains(lower(CAST({col} AS VARCHAR)), lower(?))")
            params.append(str(value))
        elif op in ("above_mean", "below_mean"):
            cmp = ">" if op == "above_mean" else "<"
            parts.append(f"{col} {cmp} (SELECT avg({col}) FROM {src})")
        else:
            raise ValueError(f"unknown filter op {op!r}")
    return " AND ".join(f"({p})" for p in parts), params


def _bin_sql(col: str, bin_: str | None) -> tuple[str, str]:
    """(label expression, sort-key expression) for x, binned as the corpus defines."""
    if bin_ is None:
        return col, col
    ts = f"CAST({col} AS TIMESTAMP)"
    exprs = {
        "year": f"CAST(year({ts}) AS INTEGER)",
        "quarter": f"strftime({ts}, '%Y') || '-Q' || CAST(quarter({ts}) AS VARCHAR)",
        "month": f"strftime({ts}, '%Y-%m')",
        "week": f"strftime(date_trunc('week', {ts}), '%Y-%m-%d')",
        "day": f"strftime({ts}, '%Y-%m-%d')",
        "hour": f"strftime({ts}, '%Y-%m-%d %H') || ':00'",
        "weekday": f"dayname({ts})",
    }
    if bin_ not in exprs:
        raise ValueError(f"unknown bin {bin_!r}")
    key = f"isodow({ts})" if bin_ == "weekday" else exprs[bin_]
    return exprs[bin_], key


def expected_rows(con: duckdb.DuckDBPyConnection, table: str, label: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Rows the labelled chart must draw.

    `table` is a registered table/view name or a CSV/Parquet path. Aggregated marks give (x, y) or
    (x, color, y); aggregation "none" and box give raw (x, y) or (x, y, color); histogram gives (x,).
    Filters first, then bin, then group + aggregate, then sort (ties by x) and top_k (y descending
    when no sort is given). Rows with a NULL x (or NULL y for raw marks) are left out.
    """
    src = source_sql(table)
    types = _types(con, src)
    where, params = where_sql(label.get("filters") or [], src, types)
    x_name: str = label["x"]
    y_name: str | None = label.get("y")
    color: str | None = label.get("color")
    mark: str = label["mark"]
    agg: str = label.get("aggregation") or "none"
    sort: dict[str, str] | None = label.get("sort")
    top_k: int | None = label.get("top_k")
    x_expr, x_key = _bin_sql(_q(x_name), label.get("bin"))
    conds = [where] if where else []
    conds.append(f"{_q(x_name)} IS NOT NULL")

    if mark == "histogram":
        sql = f"SELECT {_q(x_name)} FROM {src} WHERE {' AND '.join(conds)}"
        return [tuple(r) for r in con.execute(sql, params).fetchall()]

    if agg == "none" or mark == "box":
        if y_name is None:
            raise ValueError("a raw (unaggregated) mark needs a y column")
        conds.append(f"{_q(y_name)} IS NOT NULL")
        cols = [f"{x_expr} AS x", f"{_q(y_name)} AS y"] + ([f"{_q(color)} AS c"] if color else [])
        order = ""
        if sort:
            direction = "DESC" if sort["order"] == "descending" else "ASC"
            first = x_key if sort["channel"] == "x" else _q(y_name)
            order = f" ORDER BY {first} {direction}, {x_key} ASC"
        sql = f"SELECT {', '.join(cols)} FROM {src} WHERE {' AND '.join(conds)}{order}"
        rows = [tuple(r) for r in con.execute(sql, params).fetchall()]
        return rows[:top_k] if top_k else rows

    if agg == "count":
        y_sql = "count(*)" if y_name is None else f"count({_q(y_name)})"
    elif agg == "count_distinct":
        if y_name is None:
            raise ValueError("count_distinct needs a y column")
        y_sql = f"count(DISTINCT {_q(y_name)})"
    elif agg in _AGG_SQL:
        if y_name is None:
            raise ValueError(f"{agg} needs a y column")
        y_sql = _AGG_SQL[agg].format(y=_q(y_name))
    else:
        raise ValueError(f"unknown aggregation {agg!r}")

    group_cols = [f"{x_expr} AS x", f"{x_key} AS xk"] + ([f"{_q(color)} AS c"] if color else [])
    group_by = "x, xk" + (", c" if color else "")
    inner = f"SELECT {', '.join(group_cols)}, {y_sql} AS y FROM {src} WHERE {' AND '.join(conds)} GROUP BY {group_by}"
    if sort is None and top_k:
        sort = {"channel": "y", "order": "descending"}
    order_parts: list[str] = []
    if sort:
        direction = "DESC" if sort["order"] == "descending" else "ASC"
        order_parts.append(f"{'xk' if sort['channel'] == 'x' else 'y'} {direction} NULLS LAST")
    order_parts.append("xk ASC")
    if color:
        order_parts.append("c ASC")
    out_cols = "x, c, y" if color else "x, y"
    sql = f"SELECT {out_cols} FROM ({inner}) ORDER BY {', '.join(order_parts)}"
    rows = [tuple(r) for r in con.execute(sql, params).fetchall()]
    if not top_k:
        return rows
    if not color:
        return rows[:top_k]
    # With a color channel, top_k keeps the k x values whose total y ranks first.
    totals: dict[Any, float] = {}
    for x, _c, y in rows:
        totals[x] = totals.get(x, 0.0) + (float(y) if y is not None else 0.0)
    descending = sort is None or sort["order"] == "descending"
    ranked = sorted(totals, key=lambda k: (-totals[k] if descending else totals[k], str(k)))
    keep = set(ranked[:top_k])
    return [r for r in rows if r[0] in keep]


def _parse_when(value: Any) -> datetime | None:
    """Any date-ish value (date, datetime, ISO/Vega string, epoch milliseconds) as a naive datetime."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value) / 1000.0, tz=timezone.utc).replace(tzinfo=None)
    if isinstance(value, str):
        text = value.strip()
        utc = text.endswith(("Z", "z"))
        if utc:
            text = text[:-1]
        text = re.sub(r"(\.\d+)(?=$|[+-]\d{2}:?\d{2}$)", "", text)  # drop fractional seconds
        if re.match(r"^\d{4}-\d{2}$", text):
            text += "-01"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
        return parsed
    return None


def _render(when: datetime, bin_: str) -> str:
    if bin_ == "year":
        return f"{when.year:04d}"
    if bin_ == "quarter":
        return f"{when.year:04d}-Q{(when.month - 1) // 3 + 1}"
    if bin_ == "month":
        return when.strftime("%Y-%m")
    if bin_ == "week":
        monday = when.date().toordinal() - when.weekday()
        return date.fromordinal(monday).isoformat()
    if bin_ == "day":
        return when.strftime("%Y-%m-%d")
    if bin_ == "hour":
        return when.strftime("%Y-%m-%d %H:00")
    if bin_ == "weekday":
        return _WEEKDAYS[when.weekday()]
    raise ValueError(f"unknown bin {bin_!r}")


def _plain(value: Any) -> str:
    """Canonical text of an unbinned x value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        if re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", value.strip()):
            parsed = _parse_when(value)
            if parsed is not None:
                return _plain(parsed)
        if value in ("True", "False"):
            return value.lower()
        return value
    return str(value)


def canon_x(value: Any, bin_: str | None = None) -> str:
    """Render an x value as the canonical label `expected_rows` uses, so chart x values can be compared.

    Accepts date, datetime, int (a year, or epoch milliseconds as Vega emits) and str: labels that are
    already canonical ('2021-Q3', '2021-03', 'Monday' or 'mon') or ISO/Vega date strings such as
    '2021-03-01T00:00:00.000Z'. Without a bin, booleans render as 'true'/'false' and midnight
    datetimes as plain dates.
    """
    if value is None:
        return "null"
    if bin_ is None:
        return _plain(value)
    if isinstance(value, str):
        text = value.strip()
        if bin_ == "year" and re.match(r"^\d{4}(\.0)?$", text):
            return text[:4]
        if bin_ == "quarter":
            m = re.match(r"^(\d{4})\s*-?\s*Q([1-4])$", text, re.IGNORECASE)
            if m:
                return f"{m.group(1)}-Q{m.group(2)}"
        if bin_ == "weekday":
            low = text.lower()
            for day in _WEEKDAYS:
                if low in (day.lower(), day[:3].lower()):
                    return day
        if bin_ == "hour":
            m = re.match(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2})(:00)?$", text)
            if m:
                return f"{m.group(1)} {m.group(2)}:00"
    if bin_ == "year" and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = float(value)
        if 1000 <= number <= 9999:
            return f"{int(number):04d}"
    when = _parse_when(value)
    if when is None:
        return str(value)
    return _render(when, bin_)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _as_number(value: Any) -> float | None:
    if _is_number(value):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _cell_eq(a: Any, b: Any, rel_tol: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if _is_number(a) or _is_number(b):
        fa, fb = _as_number(a), _as_number(b)
        if fa is not None and fb is not None:
            if math.isnan(fa) or math.isnan(fb):
                return math.isnan(fa) and math.isnan(fb)
            return math.isclose(fa, fb, rel_tol=rel_tol, abs_tol=1e-9)
    return _plain(a) == _plain(b)


def _row_eq(a: Sequence[Any], b: Sequence[Any], rel_tol: float) -> bool:
    return len(a) == len(b) and all(_cell_eq(x, y, rel_tol) for x, y in zip(a, b, strict=True))


def _sort_key(row: Sequence[Any]) -> tuple[tuple[int, Any], ...]:
    key: list[tuple[int, Any]] = []
    for cell in row:
        if _is_number(cell):
            key.append((0, float(f"{float(cell):.6g}")))
        elif cell is None:
            key.append((2, ""))
        else:
            key.append((1, _plain(cell)))
    return tuple(key)


def compare(
    expected: Sequence[Sequence[Any]], got: Sequence[Sequence[Any]], *, ordered: bool, rel_tol: float = 1e-6
) -> bool:
    """True when `got` draws the same rows as `expected`.

    Numbers match within rel_tol (a numeric string counts as its number); anything else matches by
    canonical text. Unordered comparison is multiset equality.
    """
    if len(expected) != len(got):
        return False
    if ordered:
        return all(_row_eq(e, g, rel_tol) for e, g in zip(expected, got, strict=True))
    exp_sorted = sorted(expected, key=_sort_key)
    got_sorted = sorted(got, key=_sort_key)
    if all(_row_eq(e, g, rel_tol) for e, g in zip(exp_sorted, got_sorted, strict=True)):
        return True
    # Rounding can put near-equal numbers on different sides of a sort boundary: match greedily.
    unused = list(got)
    for row in expected:
        for i, cand in enumerate(unused):
            if _row_eq(row, cand, rel_tol):
                del unused[i]
                break
        else:
            return False
    return not unused
