"""Profile a loaded table in DuckDB: per-column statistics, a role per column, and the table's shape.

Why roles: every later stage (intent, requirements, templates, tools) reasons about "the measures",
"the time column", "the categories", not about DuckDB types; a BIGINT may be a measure, a category
(star rating 1-5) or an identifier (order_id). Why one wide aggregate query: on 1M rows x 100 columns,
a query per column would rescan the data a hundred times; one SELECT with every aggregate scans it once.
Distinct counts are exact up to 20k rows; above, the wide scan uses HyperLogLog estimates (exact
COUNT(DISTINCT) on 100 columns costs ~10x more) and only near-unique columns, where the identifier rule
depends on exactness, are recounted exactly in a second, narrow query.
"""

from __future__ import annotations

import contextlib
import math
import re
from typing import Any, Literal

from pydantic import BaseModel, Field

from sgr.autoviz.data import Table, column_type, is_enum, qi

Role = Literal["temporal", "measure", "categorical", "identifier", "text", "boolean"]
Shape = Literal["wide", "long", "time_series", "tabular"]

_EXACT_DISTINCT_MAX_ROWS = 20_000
_RECOUNT_ABOVE = 0.9
_NUMERIC_CATEGORY_MAX = 12
_TEXT_MIN_AVG_LEN = 30.0
_TOP_VALUES = 5
#: keys and codes by name: `id`, `*_id`, `OrderID`, `ssn`, `*_code`, `*_no`, `account number`; never summed
_ID_NAME = re.compile(r"(^id$)|(^.*[_ ]id$)|(^.*[a-z]Id$)|(^.*ID$)|(^(uu)?id[_ ])|(^ssn$)|(^.*[_ ]?ssn$)|"
                      r"(^(.*[_ ])?code$)|(^.*[a-z]Code$)|(^.*[_ ]no$)|(^.*[_ ]number$)|(^.*[a-z]Number$)",
                      re.IGNORECASE)
_MEASURE_NAME = re.compile(
    r"(revenue|amount|price|cost|sales|total|sum|qty|quantity|value|income|spend|profit|units?|score|"
    r"weight|height|size|duration|salary|balance|volume|margin)", re.IGNORECASE)
_INT_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
              "UBIGINT", "UHUGEINT")
_FLOAT_TYPES = ("FLOAT", "DOUBLE", "REAL")


class ColumnProfile(BaseModel):
    """What later stages need to know about one column; JSON-safe for the run folder and prompts."""

    name: str
    dtype: str
    role: Role
    missing: int
    missing_frac: float
    distinct: int
    min: str | float | None = None
    max: str | float | None = None
    mean: float | None = None
    std: float | None = None
    top_values: list[tuple[str, int]] = Field(default_factory=list)
    all_null: bool = False

    @property
    def numeric(self) -> bool:
        """Whether the column holds numbers (integer, float or decimal), whatever its role."""
        return is_numeric_dtype(self.dtype)


class DataProfile(BaseModel):
    """The table at a glance: size, shape and one profile per column, in column order."""

    n_rows: int
    n_cols: int
    shape: Shape
    columns: list[ColumnProfile]
    #: True when distinct counts are HyperLogLog estimates (tables over 20,000 rows; near-unique columns are
    #: still counted exactly): the report labels them approximate
    distinct_approximate: bool = False

    def column(self, name: str) -> ColumnProfile:
        """The profile of `name`; KeyError names the known columns so the caller can say what is wrong."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"no column {name!r}; columns are {', '.join(self.names())}")

    def names(self, role: str | None = None) -> list[str]:
        """Column names, optionally only those with `role` (all-null columns never have a useful role)."""
        return [c.name for c in self.columns if role is None or (c.role == role and not c.all_null)]

    def temporal(self) -> list[str]:
        """Date/timestamp columns."""
        return self.names("temporal")

    def measures(self) -> list[str]:
        """Numeric columns worth aggregating."""
        return self.names("measure")

    def categoricals(self) -> list[str]:
        """Columns worth grouping by."""
        return self.names("categorical")


def is_numeric_dtype(dtype: str) -> bool:
    """True for DuckDB integer, float and decimal types: the one definition every stage and tool uses."""
    return dtype.upper().startswith(_INT_TYPES + _FLOAT_TYPES + ("DECIMAL",))


def _is_temporal(dtype: str) -> bool:
    return dtype.startswith(("DATE", "TIMESTAMP"))


def _aggregates(name: str, stored: str, exact: bool) -> list[str]:
    """The wide scan's aggregates for one column: count, distinct, min, max, mean (or string length), std."""
    c = qi(name)
    dtype = column_type(stored)
    distinct = f"count(DISTINCT {c})" if exact else f"approx_count_distinct({c})"
    aggs = [f"count({c})", distinct]
    if is_numeric_dtype(dtype):
        aggs += [f"min({c})::DOUBLE", f"max({c})::DOUBLE", f"avg({c})::DOUBLE", f"stddev_samp({c})::DOUBLE"]
    elif dtype == "VARCHAR":
        # min/max of text come later (`_text_bounds`): comparing strings row by row was 0.7 s of the 1.2 s
        # wide scan of 10M rows, and the value counts of a categorical column already hold both ends
        # the length only tells long text from identifiers; a coded column (`sgr.autoviz.text_codes`) has few
        # values, so it is categorical without it, and its length would turn each row's code into a string
        length = "NULL" if is_enum(stored) else f"avg(length({c}))::DOUBLE"
        aggs += ["NULL", "NULL", length, "NULL"]
    else:
        aggs += [f"min({c})::VARCHAR", f"max({c})::VARCHAR", "NULL", "NULL"]
    return aggs


_PER_COL = 6
#: columns per aggregate query. One SELECT over thousands of columns crashed the process (DuckDB segfault at
#: 3,000 columns with exact distinct counts), and planning cost grows faster than the column count: exact
#: COUNT(DISTINCT) over 400 columns took 18 s in one query and 1.2 s in chunks of 100. Approximate distinct
#: counts scale better, so above the exact-row limit chunks are wider (a 100-column table stays one scan).
_CHUNK_EXACT = 50
_CHUNK_APPROX = 200


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _wide_stats(table: Table, stored: dict[str, str], exact: bool) -> dict[str, tuple[Any, ...]]:
    """Column name -> the `_PER_COL` values of `_aggregates`, from one scan per chunk of columns."""
    stats: dict[str, tuple[Any, ...]] = {}
    for chunk in _chunks(list(stored), _CHUNK_EXACT if exact else _CHUNK_APPROX):
        select = ", ".join(a for name in chunk for a in _aggregates(name, stored[name], exact))
        row = table.con.execute(f"SELECT {select} FROM {qi(table.name)}").fetchone() or ()
        stats.update({name: tuple(row[i * _PER_COL:(i + 1) * _PER_COL]) for i, name in enumerate(chunk)})
    return stats


def _finite(x: Any) -> float | None:
    if x is None:
        return None
    f = float(x)
    return f if math.isfinite(f) else None


def _dense(lo: Any, hi: Any, distinct: int) -> bool:
    """Whether distinct integers fill their range like keys do (1..n, 1001..1300), not like amounts."""
    try:
        span = float(hi) - float(lo) + 1
    except (TypeError, ValueError):
        return True
    return span <= 1.5 * max(distinct, 1)


def _role(name: str, dtype: str, n_rows: int, nonnull: int, distinct: int, integerish: bool,
          avg_len: float | None, lo: Any = None, hi: Any = None) -> Role:
    """The role rules of the AutoViz issue, in priority order."""
    if dtype == "BOOLEAN":
        return "boolean"
    if _is_temporal(dtype):
        return "temporal"
    unique = nonnull > 0 and distinct >= 0.98 * nonnull
    if is_numeric_dtype(dtype):
        if _ID_NAME.search(name) and integerish:
            return "identifier"
        if integerish and unique and nonnull > 20 and not _MEASURE_NAME.search(name) and _dense(lo, hi, distinct):
            # all-distinct integers that fill their range (1..n) are keys; sparse ones (votes, views) are amounts
            return "identifier"
        # few integer values that repeat (ratings, codes); on a tiny table "3, 4" is still a measure
        if integerish and distinct <= _NUMERIC_CATEGORY_MAX and distinct * 2 <= nonnull:
            return "categorical"
        return "measure"
    if dtype == "VARCHAR":
        if distinct <= max(50, 0.05 * n_rows):
            return "categorical"
        if avg_len is not None and avg_len >= _TEXT_MIN_AVG_LEN:
            return "text"
        return "identifier"
    return "text"


def profile_table(table: Table) -> DataProfile:
    """Profile every column: wide aggregate scans (chunked by columns), a narrow follow-up, one top-k query
    per category."""
    stored = table.stored_types()
    dtypes = {name: column_type(dtype) for name, dtype in stored.items()}
    n = table.n_rows
    # a big table on a database server is profiled from a fixed sample (its connection says so in a load note);
    # a DuckDB table has no `sampling` and is always read whole
    sampling = getattr(table.con, "sampling", None)
    with sampling(n) if sampling is not None else contextlib.nullcontext(False) as sampled:
        scanned = (int(table.con.execute(f"SELECT count(*) FROM {qi(table.name)}").fetchone()[0])  # type: ignore[index]
                   if sampled else n)
        exact = scanned <= _EXACT_DISTINCT_MAX_ROWS and not sampled
        stats = _wide_stats(table, stored, exact)
        exact_distinct, integerish = _follow_up(table, dtypes, stats, exact)
    scale = n / scanned if sampled and scanned else 1.0
    cols: list[ColumnProfile] = []
    for name, dtype in dtypes.items():
        nonnull, distinct, mn, mx, mean_or_len, std = stats[name]
        nonnull = int(nonnull or 0)
        distinct = min(exact_distinct.get(name, int(distinct or 0)), nonnull)
        numeric = is_numeric_dtype(dtype)
        avg_len = _finite(mean_or_len) if dtype == "VARCHAR" else None
        # roles are judged on the rows read (the sample's own proportions); counts are scaled to the table
        role = _role(name, dtype, scanned, nonnull, distinct, integerish.get(name, False), avg_len, mn, mx)
        nonnull = min(n, round(nonnull * scale))
        cols.append(ColumnProfile(
            name=name,
            dtype=dtype,
            role=role,
            missing=n - nonnull,
            missing_frac=round((n - nonnull) / n, 6) if n else 0.0,
            distinct=distinct,
            min=_finite(mn) if numeric else (None if mn is None else str(mn)),
            max=_finite(mx) if numeric else (None if mx is None else str(mx)),
            mean=_finite(mean_or_len) if numeric else None,
            std=_finite(std) if numeric else None,
            all_null=nonnull == 0,
        ))
    grouped = [c.name for c in cols if c.role in ("categorical", "boolean") and not c.all_null]
    counts = _value_counts(table, [c.name for c in cols if c.name in grouped and c.distinct <= _COUNTED_MAX_DISTINCT])
    table.value_counts = counts
    for col in cols:
        if col.name in counts:
            col.top_values = _top_of(counts[col.name])
            if not sampled:
                # every value was counted: exact, where the wide scan estimated above the row limit (and, for a
                # coded column, estimated from its codes, which differs from the estimate over the same text)
                col.distinct = len(counts[col.name])
        elif col.name in grouped:
            col.top_values = _top_values(table, col.name)
    with sampling(n) if sampling is not None else contextlib.nullcontext(False):  # read like the wide scan
        _text_bounds(table, [c for c in cols if c.dtype == "VARCHAR" and not c.all_null], counts)
    return DataProfile(n_rows=n, n_cols=len(cols), shape=_shape(cols, n), columns=cols,
                       distinct_approximate=not exact or bool(sampled))


#: categorical columns with at most this many values are counted together in one GROUPING SETS scan
_COUNTED_MAX_DISTINCT = 5_000


def _value_counts(table: Table, names: list[str]) -> dict[str, list[tuple[str, int]]]:
    """Every non-null value of each column in `names` with its row count, from ONE scan of the table.

    Why: the top values of each category, and the full value lists the question reader needs, were a query
    per column each (four scans of 10M rows for two categories); grouping sets count them all at once.
    """
    if not names:
        return {}
    flags = ", ".join(f"GROUPING({qi(n)})" for n in names)
    values = ", ".join(f"{qi(n)}::VARCHAR" for n in names)
    sets = ", ".join(f"({qi(n)})" for n in names)
    rows = table.con.execute(f"SELECT {flags}, {values}, count(*) FROM {qi(table.name)} "
                             f"GROUP BY GROUPING SETS ({sets})").fetchall()
    out: dict[str, list[tuple[str, int]]] = {n: [] for n in names}
    k = len(names)
    for row in rows:
        i = next(j for j in range(k) if row[j] == 0)  # the one column this row groups by
        if row[k + i] is not None:
            out[names[i]].append((str(row[k + i]), int(row[-1])))
    for counted in out.values():
        counted.sort()
    return out


def _text_bounds(table: Table, cols: list[ColumnProfile], counts: dict[str, list[tuple[str, int]]]) -> None:
    """Set min and max of text columns: the ends of a counted column's sorted values (Python's order of str
    is the byte order of UTF-8, which is DuckDB's), the rest from one scan of just those columns."""
    scan = [c for c in cols if not counts.get(c.name)]
    for c in cols:
        if counts.get(c.name):
            c.min, c.max = counts[c.name][0][0], counts[c.name][-1][0]
    if not scan:
        return
    select = ", ".join(f"min({qi(c.name)}), max({qi(c.name)})" for c in scan)
    row = table.con.execute(f"SELECT {select} FROM {qi(table.name)}").fetchone() or ()
    for i, c in enumerate(scan):
        lo, hi = row[2 * i], row[2 * i + 1]
        c.min, c.max = (None if lo is None else str(lo)), (None if hi is None else str(hi))


def _top_of(counted: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The most frequent values, ties broken by value: the order `_top_values` asks DuckDB for."""
    return sorted(counted, key=lambda vc: (-vc[1], vc[0]))[:_TOP_VALUES]


def category_values(table: Table, profile: DataProfile, *, max_distinct: int = 500) -> dict[str, list[str]]:
    """`columns.categorical_values`, from the counts the profile already took when it has them (no scan)."""
    from sgr.autoviz.columns import categorical_values

    wanted = [c for c in profile.columns if c.role in ("categorical", "boolean") and not c.all_null
              and c.distinct <= max_distinct and not c.numeric]
    if not all(c.name in table.value_counts for c in wanted):
        return categorical_values(table, profile, max_distinct=max_distinct)
    out: dict[str, list[str]] = {}
    for c in wanted:
        values = [v for v, _ in table.value_counts[c.name]]
        if len(values) <= max_distinct:
            out[c.name] = values
    return out


def _follow_up(table: Table, dtypes: dict[str, str], stats: dict[str, tuple[Any, ...]], exact: bool
               ) -> tuple[dict[str, int], dict[str, bool]]:
    """Exact distinct counts for near-unique columns, and integer-ness of the float columns whose role
    depends on it (few distinct values, near-unique or id-named, with integral min and max)."""
    exprs: list[tuple[str, str, str]] = []
    integerish: dict[str, bool] = {}
    for name, dtype in dtypes.items():
        nonnull, distinct, mn, mx = (stats[name][0] or 0), (stats[name][1] or 0), stats[name][2], stats[name][3]
        near_unique = nonnull > 0 and distinct >= _RECOUNT_ABOVE * nonnull
        if not exact and near_unique:
            exprs.append(("distinct", name, f"count(DISTINCT {qi(name)})"))
        if dtype.startswith(_INT_TYPES) or (dtype.startswith("DECIMAL") and dtype.endswith(",0)")):
            integerish[name] = True
        elif dtype.startswith((*_FLOAT_TYPES, "DECIMAL")):
            matters = distinct <= 2 * _NUMERIC_CATEGORY_MAX or near_unique or bool(_ID_NAME.search(name))
            integral_ends = all(v is not None and math.isfinite(v) and float(v).is_integer() for v in (mn, mx))
            if matters and integral_ends:
                exprs.append(("integerish", name, f"bool_and({qi(name)} = floor({qi(name)}))"))
    got: list[Any] = []
    for chunk in _chunks(exprs, _CHUNK_EXACT):  # exact distinct counts: the same limit as the wide scan
        got += table.con.execute(f"SELECT {', '.join(e for _, _, e in chunk)} FROM {qi(table.name)}").fetchone() or ()
    exact_distinct: dict[str, int] = {}
    for (kind, name, _), value in zip(exprs, got, strict=True):
        if kind == "distinct":
            exact_distinct[name] = int(value or 0)
        else:
            integerish[name] = bool(value)
    return exact_distinct, integerish


def _top_values(table: Table, column: str) -> list[tuple[str, int]]:
    """Most frequent values, ties broken by value so the profile is deterministic."""
    c = qi(column)
    rows = table.con.execute(
        f"SELECT {c}::VARCHAR AS v, count(*) AS n FROM {qi(table.name)} WHERE {c} IS NOT NULL "
        f"GROUP BY 1 ORDER BY n DESC, v LIMIT {_TOP_VALUES}"
    ).fetchall()
    return [(str(v), int(k)) for v, k in rows]


def _shape(cols: list[ColumnProfile], n_rows: int) -> Shape:
    """wide: > 20 numeric columns; time_series: a date and <= 3 measures; long: few measures keyed by
    repeated categories; otherwise tabular."""
    live = [c for c in cols if not c.all_null]
    numeric = [c for c in live if is_numeric_dtype(c.dtype)]
    measures = [c for c in live if c.role == "measure"]
    if len(numeric) > 20:
        return "wide"
    if any(c.role == "temporal" for c in live) and 1 <= len(measures) <= 3:
        return "time_series"
    repeated = [c for c in live if c.role == "categorical" and c.distinct < n_rows]
    if 1 <= len(measures) <= 3 and repeated:
        return "long"
    return "tabular"
