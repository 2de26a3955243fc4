"""Analysis tools: each runs aggregate SQL in DuckDB against `source` and returns small result tables.

Why SQL only: a source can hold millions of rows; results are grouped, binned or ranked before they
reach Python, and stored as ``step_<id>`` for later steps. User values go in as bound parameters and
identifiers are quoted; the only SQL fragments built from params are closed-set choices (ops, aggregations).
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import duckdb
from pydantic import Field

from sgr.autoviz.data import described_types, is_enum, qi, ql
from sgr.autoviz.errors import PlanError
from sgr.autoviz.models import Aggregation, Filter, FilterOp, Grain
from sgr.autoviz.tools.base import ExecContext, ToolOutput, ToolParams, relation_columns, source_relation
from sgr.autoviz.tools.common import (
    agg_expr,
    auto_grain,
    bucket_expr,
    clean,
    fact,
    fetch_dicts,
    is_numeric,
    is_temporal,
    materialize,
    num,
    partial_edges,
    partial_note,
)
from sgr.autoviz.tools.predicates import where_sql

MAX_SERIES_GROUPS = 10
OTHER = "Other"


def column_field(description: str, default: Any = ...) -> Any:
    """A param holding one column name (checked against the source before the tool runs)."""
    return Field(default, max_length=128, description=description, json_schema_extra={"column": True})


def columns_field(description: str, max_items: int = 20) -> Any:
    """A param holding a list of column names (always a list, never a comma string)."""
    return Field(default_factory=list, max_length=max_items, description=description,
                 json_schema_extra={"column": True})


def _rel(ctx: ExecContext, p: ToolParams, step_id: str) -> str:
    return qi(source_relation(ctx, p.source, step_id))


def _numeric_columns(ctx: ExecContext, p: ToolParams, step_id: str, limit: int) -> list[str]:
    """Numeric columns of the source; on the loaded table, the profile's measures (ids excluded)."""
    if p.source == "data":
        return ctx.profile.measures()[:limit]
    cols = relation_columns(ctx, source_relation(ctx, p.source, step_id))
    return [c for c, t in cols.items() if is_numeric(t)][:limit]


def _require_numeric(ctx: ExecContext, p: ToolParams, step_id: str, tool: str, names: list[str]) -> None:
    cols = relation_columns(ctx, source_relation(ctx, p.source, step_id))
    for n in names:
        if not is_numeric(cols[n]):
            raise PlanError(f"step {step_id}: {tool} needs a numeric column, but {n!r} is {cols[n]}")


def _run(ctx: ExecContext, step_id: str, sql: str, params: list[Any] | None = None
         ) -> tuple[list[dict[str, Any]], int]:
    try:
        return materialize(ctx, step_id, sql, params)
    except duckdb.Error as err:
        raise PlanError(f"step {step_id}: query failed: {str(err).splitlines()[0]}") from None


# -- filter_rows ----------------------------------------------------------------------------------


class FilterRowsParams(ToolParams):
    column: str = column_field("column to filter on")
    op: FilterOp = "=="
    value: str | float | int | list[str | float | int] | None = Field(
        None, description="compared value(s): a list for in/not_in, [low, high] for between, none for "
                          "above_mean/below_mean")


def filter_rows(p: FilterRowsParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """Keep rows matching one condition; later steps read them with source="step_<id>"."""
    rel = _rel(ctx, p, step_id)
    relation = source_relation(ctx, p.source, step_id)
    cond = Filter(column=p.column, op=p.op, value=p.value)
    where, args = where_sql([cond], relation,
                            relation_columns(ctx, relation), step_id=step_id)
    before = int(ctx.table.con.execute(f"SELECT count(*) FROM {rel}").fetchone()[0])  # type: ignore[index]
    _, kept = _run(ctx, step_id, f"SELECT * FROM {rel}{where}", args)
    rows = fetch_dicts(ctx, f"SELECT * FROM {qi('step_' + step_id)} LIMIT 20")
    share = kept / before if before else 0.0
    facts = {"rows_before": before, "rows_after": kept, "kept_share": fact(share)}
    summary = f"Filter {cond.text()} kept {num(kept)} of {num(before)} rows ({share:.1%})."
    return ToolOutput(rows=rows, row_count=kept, facts=facts, summary=summary)


# -- derive_column --------------------------------------------------------------------------------


class DeriveColumnParams(ToolParams):
    name: str = Field(..., min_length=1, max_length=64, description="name of the new column")
    op: Literal["ratio", "difference", "sum", "product", "percent_change", "year", "month", "quarter",
                "day_of_week", "log"]
    left: str = column_field("first input column")
    right: str | None = column_field("second input column (binary ops only)", None)


_BINARY = {"ratio": "{a} / NULLIF({b}, 0)", "difference": "{a} - {b}", "sum": "{a} + {b}",
           "product": "{a} * {b}", "percent_change": "({a} - {b}) / NULLIF({b}, 0)"}
_UNARY = {"year": "year({a})", "month": "month({a})", "quarter": "quarter({a})",
          "day_of_week": "dayname({a})", "log": "ln(NULLIF(greatest({a}, 0), 0))"}


def derive_column(p: DeriveColumnParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """Add a computed column from a closed set of operations (no free-form SQL reaches DuckDB)."""
    rel = _rel(ctx, p, step_id)
    if p.op in _BINARY:
        if p.right is None:
            raise PlanError(f"step {step_id}: derive_column op {p.op!r} needs a 'right' column")
        expr = _BINARY[p.op].format(a=f"{qi(p.left)}::DOUBLE", b=f"{qi(p.right)}::DOUBLE")
    else:
        expr = _UNARY[p.op].format(a=qi(p.left))
    _, n = _run(ctx, step_id, f"SELECT *, {expr} AS {qi(p.name)} FROM {rel}")
    new = qi(p.name)
    stats = ctx.table.con.execute(
        f"SELECT count({new}), count(DISTINCT {new}) FROM {qi('step_' + step_id)}").fetchone() or (0, 0)
    rows = fetch_dicts(ctx, f"SELECT * FROM {qi('step_' + step_id)} LIMIT 20")
    facts = {"rows": n, "non_null": int(stats[0]), "distinct": int(stats[1])}
    return ToolOutput(rows=rows, row_count=n, facts=facts,
                      summary=f"Derived {p.name} = {p.op}({p.left}{', ' + p.right if p.right else ''}) "
                              f"for {num(n)} rows ({num(stats[0])} non-null).")


# -- aggregate ------------------------------------------------------------------------------------


class AggregateParams(ToolParams):
    group_by: list[str] = columns_field("columns to group by (empty: one total row)", 5)
    metrics: list[str] = columns_field("columns to aggregate (empty with agg=count: row counts)", 10)
    agg: Aggregation = "sum"
    sort: Literal["desc", "asc", "none"] = "desc"
    limit: int | None = Field(None, ge=1, le=1000)


def _metric_names(metrics: list[str]) -> list[tuple[str | None, str]]:
    """(input column, output name): outputs keep the metric's name so later steps can chart it."""
    return [(m, m) for m in metrics] if metrics else [(None, "count")]


def aggregate(p: AggregateParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """Group and aggregate; the share facts say how concentrated the first metric is."""
    rel = _rel(ctx, p, step_id)
    if p.metrics and p.agg not in ("count", "count_distinct"):
        _require_numeric(ctx, p, step_id, "aggregate", p.metrics)
    mets = _metric_names(p.metrics)
    groups = ", ".join(qi(g) for g in p.group_by)
    sel = ", ".join([*(qi(g) for g in p.group_by), *(f"{agg_expr(p.agg, m)} AS {qi(o)}" for m, o in mets)])
    keys = [qi(g) for g in p.group_by]  # ties (and sort="none") fall back to group order: deterministic
    if p.sort != "none":
        keys.insert(0, f"{qi(mets[0][1])} {'ASC' if p.sort == 'asc' else 'DESC'} NULLS LAST")
    order = f" ORDER BY {', '.join(keys)}" if keys else ""
    limit = f" LIMIT {p.limit}" if p.limit else ""
    group_sql = f" GROUP BY {groups}" if groups else ""
    rows, n = _run(ctx, step_id, f"SELECT {sel} FROM {rel}{group_sql}{order}{limit}")
    out = mets[0][1]
    facts: dict[str, float | int | str] = {"groups": n, "aggregation": p.agg}
    values = [r[out] for r in rows if isinstance(r.get(out), (int, float))]
    if values:
        total = sum(values)
        facts[f"total_{out}"] = fact(total)
        if p.group_by:
            top = max((r for r in rows if isinstance(r.get(out), (int, float))), key=lambda r: r[out])
            label = " / ".join(str(top[g]) for g in p.group_by)
            facts[f"top_{p.group_by[0]}"] = label
            facts[f"top_{out}"] = fact(top[out])
            if p.agg in ("sum", "count") and total > 0 and min(values) >= 0 and n <= len(rows):
                facts["top_share"] = fact(top[out] / total)
    summary = _aggregate_summary(p, out, rows, facts)
    return ToolOutput(rows=rows, row_count=n, facts=facts, summary=summary)


def _aggregate_summary(p: AggregateParams, out: str, rows: list[dict[str, Any]],
                       facts: dict[str, float | int | str]) -> str:
    what = f"{p.agg} of {out}" if p.metrics else "row count"
    if not p.group_by:
        return f"The {what} is {num(rows[0][out]) if rows else 'n/a'}."
    if not rows:
        return f"No groups of {', '.join(p.group_by)} were found."
    top = facts.get(f"top_{p.group_by[0]}")
    share = facts.get("top_share")
    tail = f" ({float(share):.1%} of the total)" if isinstance(share, float) else ""
    return (f"Across {facts['groups']} groups of {', '.join(p.group_by)}, {top} has the highest {what}: "
            f"{num(facts.get(f'top_{out}'))}{tail}.")


# -- summary_stats --------------------------------------------------------------------------------


class SummaryStatsParams(ToolParams):
    columns: list[str] = columns_field("numeric columns (empty: all measures, up to 20)")


def summary_stats(p: SummaryStatsParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """Count, missing, mean, std and quartiles per numeric column, one scan per column in one query."""
    rel = _rel(ctx, p, step_id)
    cols = p.columns or _numeric_columns(ctx, p, step_id, 20)
    if not cols:
        raise PlanError(f"step {step_id}: summary_stats found no numeric columns in {p.source}")
    _require_numeric(ctx, p, step_id, "summary_stats", cols)
    parts = []
    for c in cols:
        q = f"{qi(c)}::DOUBLE"
        parts.append(
            f"SELECT ? AS \"column\", count({q}) AS \"count\", count(*) - count({q}) AS missing, "
            f"avg({q}) AS mean, stddev_samp({q}) AS std, min({q}) AS min, quantile_cont({q}, 0.25) AS p25, "
            f"median({q}) AS median, quantile_cont({q}, 0.75) AS p75, max({q}) AS max FROM {rel}"
        )
    sql = " UNION ALL ".join(parts) + " ORDER BY 1"
    rows, n = _run(ctx, step_id, f"SELECT * FROM ({sql})", list(cols))
    facts: dict[str, float | int | str] = {}
    for r in rows:
        for k in ("mean", "median", "min", "max", "std"):
            facts[f"{r['column']}_{k}"] = fact(r[k])
    first = rows[0]
    summary = (f"{first['column']} has mean {num(first['mean'])}, median {num(first['median'])} and range "
               f"{num(first['min'])} to {num(first['max'])}" + (f"; {n - 1} more columns summarised." if n > 1
                                                                else "."))
    return ToolOutput(rows=rows, row_count=n, facts=facts, summary=summary)


# -- correlations ---------------------------------------------------------------------------------


class CorrelationsParams(ToolParams):
    columns: list[str] = columns_field("numeric columns (empty: measures, up to 12)", 12)


def correlations(p: CorrelationsParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """Pearson correlation of every pair, computed in one query; facts name the strongest pair."""
    rel = _rel(ctx, p, step_id)
    cols = p.columns or _numeric_columns(ctx, p, step_id, 12)
    if len(cols) < 2:
        raise PlanError(f"step {step_id}: correlations needs at least two numeric columns, got {cols}")
    _require_numeric(ctx, p, step_id, "correlations", cols)
    pairs = [(a, b) for i, a in enumerate(cols) for b in cols[i + 1:]]
    r = pair_correlations(ctx, rel, pairs)
    values = [(a, b, r[(a, b)]) for a, b in pairs]
    rows, n = _run(ctx, step_id, f"SELECT * FROM ({values_sql(len(values), 3)}) t(x, y, corr) "
                   "ORDER BY abs(corr) DESC NULLS LAST, x, y", [v for row in values for v in row])
    best = rows[0]
    facts = {"pairs": n, "strongest_pair": f"{best['x']} ~ {best['y']}", "strongest_corr": fact(best["corr"])}
    summary = (f"Of {n} column pairs, {best['x']} and {best['y']} are most correlated "
               f"(r = {num(best['corr'])}).")
    return ToolOutput(rows=rows, row_count=n, facts=facts, summary=summary)


def pair_correlations(ctx: ExecContext, rel: str, pairs: list[tuple[str, str]]
                      ) -> dict[tuple[str, str], float | None]:
    """Pearson r of every pair in ONE scan (a UNION of per-pair queries would rescan the table per pair)."""
    exprs = ", ".join(f"corr({qi(a)}::DOUBLE, {qi(b)}::DOUBLE)" for a, b in pairs)
    got = ctx.table.con.execute(f"SELECT {exprs} FROM {rel}").fetchone() or ()
    return {pair: clean(v) for pair, v in zip(pairs, got, strict=True)}


def values_sql(n_rows: int, n_cols: int) -> str:
    """A VALUES list of `n_rows` parameter tuples: small computed results become a queryable table."""
    row = "(" + ", ".join("?" for _ in range(n_cols)) + ")"
    return "VALUES " + ", ".join(row for _ in range(n_rows))


# -- distribution ---------------------------------------------------------------------------------


class DistributionParams(ToolParams):
    column: str = column_field("column whose distribution to describe")
    bins: int = Field(20, ge=2, le=100)


def histogram_sql(rel: str, column: str, bins: int) -> str:
    """Equal-width bins from min to max, computed in SQL (shared with histogram_chart)."""
    c = f"{qi(column)}::DOUBLE"
    return (
        f"WITH b AS (SELECT min({c}) AS lo, max({c}) AS hi FROM {rel}), "
        f"w AS (SELECT lo, CASE WHEN hi > lo THEN (hi - lo) / {bins} ELSE 1 END AS width FROM b), "
        f"k AS (SELECT least(floor(({c} - lo) / width), {bins - 1})::INTEGER AS bin FROM {rel}, w "
        f"WHERE {c} IS NOT NULL) "
        f"SELECT bin, lo + bin * width AS bin_start, lo + (bin + 1) * width AS bin_end, count(*) AS count "
        f"FROM k, w GROUP BY bin, lo, width ORDER BY bin"
    )


def distribution(p: DistributionParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """Histogram for numbers, value counts (top 20) for everything else, with shape facts."""
    rel = _rel(ctx, p, step_id)
    dtype = relation_columns(ctx, source_relation(ctx, p.source, step_id))[p.column]
    c = qi(p.column)
    if is_numeric(dtype):
        rows, n = _run(ctx, step_id, histogram_sql(rel, p.column, p.bins))
        s = ctx.table.con.execute(
            f"SELECT avg({c}), median({c}), stddev_samp({c}), min({c}), max({c}), skewness({c}), count({c}) "
            f"FROM {rel}").fetchone() or (None,) * 7
        facts = {k: fact(v) for k, v in zip(("mean", "median", "std", "min", "max", "skewness", "count"), s,
                                            strict=True)}
        summary = (f"{p.column} ranges from {num(s[3])} to {num(s[4])} with median {num(s[1])} and mean "
                   f"{num(s[0])} (skewness {num(s[5])}).")
        return ToolOutput(rows=rows, row_count=n, facts=facts, summary=summary)
    total = int(ctx.table.con.execute(f"SELECT count({c}) FROM {rel}").fetchone()[0])  # type: ignore[index]
    rows, n = _run(ctx, step_id, f"SELECT {text_key(ctx, rel, p.column)} AS value, count(*) AS count FROM {rel} "
                   f"WHERE {c} IS NOT NULL GROUP BY 1 ORDER BY count DESC, value")
    top = rows[0] if rows else {"value": "n/a", "count": 0}
    share = top["count"] / total if total else 0.0
    facts = {"distinct": n, "top_value": str(top["value"]), "top_count": top["count"], "top_share": fact(share)}
    return ToolOutput(rows=rows, row_count=n, facts=facts,
                      summary=f"{p.column} has {num(n)} distinct values; the most common is {top['value']} "
                              f"({share:.1%} of {num(total)} rows).")


# -- segment_compare ------------------------------------------------------------------------------


class SegmentCompareParams(ToolParams):
    metric: str = column_field("numeric column to compare")
    segment: str = column_field("column whose values define the segments")
    agg: Aggregation = "mean"


def segment_compare(p: SegmentCompareParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """Metric per segment with row counts and share of the metric's total; top vs bottom facts."""
    rel = _rel(ctx, p, step_id)
    _require_numeric(ctx, p, step_id, "segment_compare", [p.metric])
    m, s = qi(p.metric), qi(p.segment)
    rows, n = _run(ctx, step_id,
                   f"SELECT {s} AS segment, {agg_expr(p.agg, p.metric)} AS value, count(*) AS n, "
                   f"sum({m}) / NULLIF(sum(sum({m})) OVER (), 0) AS share FROM {rel} GROUP BY {s} "
                   f"ORDER BY value DESC NULLS LAST, segment LIMIT 50")
    if not rows:
        raise PlanError(f"step {step_id}: segment_compare found no segments of {p.segment}")
    top, bottom = rows[0], rows[-1]
    facts: dict[str, float | int | str] = {
        "segments": n, "top_segment": str(top["segment"]), "top_value": fact(top["value"]),
        "bottom_segment": str(bottom["segment"]), "bottom_value": fact(bottom["value"]),
    }
    if isinstance(bottom["value"], (int, float)) and bottom["value"] and top["value"] is not None:
        facts["top_to_bottom_ratio"] = fact(top["value"] / bottom["value"])
    summary = (f"By {p.segment}, {top['segment']} has the highest {p.agg} {p.metric} ({num(top['value'])}) "
               f"and {bottom['segment']} the lowest ({num(bottom['value'])}) across {n} segments.")
    return ToolOutput(rows=rows, row_count=n, facts=facts, summary=summary)


# -- resample_timeseries --------------------------------------------------------------------------


class ResampleParams(ToolParams):
    time_column: str = column_field("date/timestamp column")
    metrics: list[str] = columns_field("columns to aggregate per period (empty: row counts)", 10)
    grain: Grain = "auto"
    agg: Aggregation = "sum"
    group_by: str | None = column_field("optional series column (top 10 kept, the rest as Other)", None)


def _check_temporal(ctx: ExecContext, p: ToolParams, step_id: str, column: str) -> None:
    dtype = relation_columns(ctx, source_relation(ctx, p.source, step_id))[column]
    if not is_temporal(dtype):
        raise PlanError(f"step {step_id}: {column!r} is {dtype}, not a date or timestamp column")


_RANKED = 50


class GroupRanking(NamedTuple):
    """A column's groups ranked by |metric| (ties by value): the first `keep` keys, and what the rest hold."""

    keys: list[str | None]
    groups: int  # distinct non-null values
    has_null: bool


def text_key(ctx: ExecContext, rel: str, column: str) -> str:
    """`column` of the quoted relation `rel` as a text key: cast to VARCHAR, unless it is dictionary-coded.

    Why not always cast: a coded text column (`sgr.autoviz.text_codes`) would then become a new string on
    every row before grouping (measured on 10M rows: a group-by took 3x as long as on the codes); left as it
    is, it groups by its small codes and comes back as the same text, in the same order, because the loader
    declares the codes in text order. Any other ENUM (a pandas Categorical keeps its own category order) and
    everything else keep the cast (a no-op on DuckDB text; on a database server it trims a padded `char(n)`).
    """
    return qi(column) if is_coded(ctx, rel, column) else f"{qi(column)}::VARCHAR"


def hash_key(ctx: ExecContext, rel: str, column: str) -> str:
    """`column` as an argument of `hash()` for a seeded sample: an ENUM hashes its code, not its text, so it
    is hashed as text and a coded column picks the same rows as the same column stored as text."""
    return f"{qi(column)}::VARCHAR" if is_enum(stored_type(ctx, rel, column)) else qi(column)


def stored_type(ctx: ExecContext, rel: str, column: str) -> str:
    """The type DuckDB stores `column` of the quoted relation `rel` as (read once per relation)."""
    if rel not in ctx.stored_types:
        ctx.stored_types[rel] = described_types(ctx.table.con, rel)
    return ctx.stored_types[rel].get(column, "")


def is_coded(ctx: ExecContext, rel: str, column: str) -> bool:
    """Whether `column` is an ENUM whose codes are in text order, as the loader's coded columns are."""
    raw = stored_type(ctx, rel, column)
    if not is_enum(raw):
        return False
    key = f"enum order {raw}"
    if key not in ctx.memo:
        members = ctx.table.con.execute(f"SELECT enum_range(NULL::{raw})").fetchone()
        ctx.memo[key] = members is not None and members[0] == sorted(members[0])
    return bool(ctx.memo[key])


def group_ranking(ctx: ExecContext, rel: str, group: str, metric_sql: str, keep: int) -> GroupRanking:
    """Rank `group`'s values by |metric| in one aggregate scan, remembered for the run's later steps."""
    g = text_key(ctx, rel, group)
    # one query per (column, metric) serves every `keep` up to _RANKED (the tools ask for 8, 15, 16 or 20)
    sql = (f"SELECT k, count(k) OVER (), bool_or(k IS NULL) OVER () FROM (SELECT {g} AS k, {metric_sql} "
           f"AS v FROM {rel} GROUP BY 1) ORDER BY abs(v) DESC NULLS LAST, k LIMIT {max(int(keep), _RANKED)}")
    if sql not in ctx.memo:
        rows = ctx.table.con.execute(sql).fetchall()
        ctx.memo[sql] = GroupRanking([r[0] for r in rows], int(rows[0][1]) if rows else 0,
                                     bool(rows[0][2]) if rows else False)
    ranking: GroupRanking = ctx.memo[sql]
    return GroupRanking(ranking.keys[:keep], ranking.groups, ranking.has_null)


def grouped_label(ctx: ExecContext, rel: str, group: str, metric_sql: str, keep: int) -> str:
    """Label SQL for `group` keeping its `keep` largest values by |metric| and folding the rest (and a
    missing value) into "Other".

    Why not fold when nothing needs it: most group columns (region, segment) have fewer values than `keep`,
    and then the plain column is the same labels without a lookup per row.
    """
    if folds(ctx, rel, group, metric_sql, keep):
        return folded_label(ctx, rel, group, metric_sql, keep)
    g = text_key(ctx, rel, group)
    return f"coalesce({g}, '{OTHER}')" if group_ranking(ctx, rel, group, metric_sql, keep).has_null else g


def kept_values(ctx: ExecContext, rel: str, group: str, metric_sql: str, keep: int) -> str:
    """SQL condition: `group` is one of its `keep` largest values by |metric|.

    Why a literal list: the ranking is computed once per run (`group_ranking`), so naming its keys costs no
    scan, where the `IN (SELECT ... LIMIT keep)` it replaces re-ranked the whole table inside every chart's
    query (measured: about a third of a folded chart's time at 1M rows). The labels are the same: a NULL key
    never matches under IN, so it is left out of the list.
    """
    keys = [k for k in group_ranking(ctx, rel, group, metric_sql, keep).keys if k is not None]
    listed = ", ".join(ql(k) for k in keys) or "NULL"
    return f"{text_key(ctx, rel, group)} IN ({listed})"


def folded_label(ctx: ExecContext, rel: str, group: str, metric_sql: str, keep: int) -> str:
    """CASE expression keeping the `keep` largest groups by |metric| and folding the rest into "Other"."""
    return (f"CASE WHEN {kept_values(ctx, rel, group, metric_sql, keep)} THEN {text_key(ctx, rel, group)} "
            f"ELSE '{OTHER}' END")


def folds(ctx: ExecContext, rel: str, group: str, metric_sql: str, keep: int) -> bool:
    """Whether `grouped_label` folds `group` (more values, a missing one included, than `keep`)."""
    ranking = group_ranking(ctx, rel, group, metric_sql, keep)
    return ranking.groups + int(ranking.has_null) > keep


#: how partial results of an aggregation combine into the whole; the others (mean, median, count_distinct)
#: do not combine from per-group partials and are computed from the rows
_COMBINE = {"sum": "sum({})", "count": "sum({})::BIGINT", "min": "min({})", "max": "max({})"}


def combined(agg: str, partial_sql: str) -> str | None:
    """SQL combining per-group partial results of `agg` into the whole, or None when they do not combine."""
    combine = _COMBINE.get(agg)
    return None if combine is None else combine.format(partial_sql)


def pre_aggregated(rel: str, columns: list[str], agg: str, column: str | None, where: str = ""
                   ) -> tuple[str, str] | None:
    """(relation, metric SQL) that aggregate by the raw `columns` first, or None when `agg` does not combine.

    Why: folding small groups into "Other" labels every row with a CASE over the kept names, a string
    lookup per row (measured: 1.2-1.7 s of a 10M-row chart whose plain group-by takes 0.2 s). Grouped by
    the raw columns first, the table shrinks to one row per combination (hundreds), and the labels, the
    filters' effect and the final aggregation are computed on that. The relation keeps the columns' names,
    so label SQL written for the table works on it unchanged; `where` (with its parameters) goes inside.
    """
    metric = combined(agg, "__partial")
    if metric is None:
        return None
    cols = list(dict.fromkeys(columns))
    keys = ", ".join(qi(c) for c in cols)
    groups = ", ".join(str(i + 1) for i in range(len(cols)))
    return f"(SELECT {keys}, {agg_expr(agg, column)} AS __partial FROM {rel}{where} GROUP BY {groups})", metric


def resample_timeseries(p: ResampleParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """Aggregate metrics per period at a grain chosen from the span (auto) or given."""
    relation = source_relation(ctx, p.source, step_id)
    rel = qi(relation)
    _check_temporal(ctx, p, step_id, p.time_column)
    if p.metrics and p.agg not in ("count", "count_distinct"):
        _require_numeric(ctx, p, step_id, "resample_timeseries", p.metrics)
    grain = auto_grain(ctx, relation, p.time_column) if p.grain == "auto" else p.grain
    mets = _metric_names(p.metrics)
    keys = [f"{bucket_expr(p.time_column, grain)} AS period"]
    if p.group_by:
        keys.append(f"{grouped_label(ctx, rel, p.group_by, agg_expr(p.agg, mets[0][0]), MAX_SERIES_GROUPS)} "
                    f"AS {qi(p.group_by)}")
    sel = ", ".join(keys + [f"{agg_expr(p.agg, m)} AS {qi(o)}" for m, o in mets])
    nkeys = len(keys)
    order = ", ".join(str(i + 1) for i in range(nkeys))
    rows, n = _run(ctx, step_id, f"SELECT {sel} FROM {rel} WHERE {qi(p.time_column)} IS NOT NULL "
                   f"GROUP BY {order} ORDER BY {order}")
    out = mets[0][1]
    totals = fetch_dicts(ctx, f"SELECT period, sum({qi(out)}) AS v FROM {qi('step_' + step_id)} GROUP BY 1 "
                         "ORDER BY 1") if p.group_by else [{"period": r["period"], "v": r[out]} for r in rows]
    facts: dict[str, float | int | str] = {"grain": grain, "periods": len(totals)}
    if totals:
        first, last = totals[0], totals[-1]
        peak = max(totals, key=lambda r: (r["v"] is not None, r["v"] or 0))
        facts.update({"first_period": fact(first["period"]), "last_period": fact(last["period"]),
                      f"first_{out}": fact(first["v"]), f"last_{out}": fact(last["v"]),
                      "peak_period": fact(peak["period"]), f"peak_{out}": fact(peak["v"])})
        if first["v"]:
            facts["change_pct"] = fact((last["v"] - first["v"]) / abs(first["v"]) * 100)
    edges = partial_edges(ctx, relation, p.time_column, grain)
    if edges:
        facts["partial_periods"] = ",".join(edges)
    summary = (f"{p.agg.capitalize()} of {out} per {grain} over {facts['periods']} periods: "
               f"{num(facts.get(f'first_{out}'))} in {facts.get('first_period')} to "
               f"{num(facts.get(f'last_{out}'))} in {facts.get('last_period')}, peaking at "
               f"{num(facts.get(f'peak_{out}'))} in {facts.get('peak_period')}." + partial_note(edges, grain))
    return ToolOutput(rows=rows, row_count=n, facts=facts, summary=summary)


# -- detect_anomalies -----------------------------------------------------------------------------


class DetectAnomaliesParams(ToolParams):
    metric: str = column_field("numeric column to scan")
    time_column: str | None = column_field("if set, scan the resampled series instead of raw values", None)
    grain: Grain = "auto"
    agg: Aggregation = "sum"
    method: Literal["robust_z", "iqr"] = "robust_z"
    threshold: float | None = Field(None, gt=0, le=20, description="default 3.5 (robust_z) or 1.5 (iqr)")


def _score_sql(values_sql: str, method: str) -> str:
    """Wrap a (label, value) query with score and is_anomaly columns (robust z or IQR units)."""
    if method == "robust_z":
        return (
            f"WITH s AS ({values_sql}), st AS (SELECT median(value) AS med FROM s), "
            f"d AS (SELECT median(abs(value - med)) AS mad, avg(abs(value - med)) AS meanad FROM s, st) "
            f"SELECT s.*, CASE WHEN mad > 0 THEN 0.6745 * (value - med) / mad "
            f"WHEN meanad > 0 THEN (value - med) / (1.2533 * meanad) ELSE 0 END AS score FROM s, st, d"
        )
    return (
        f"WITH s AS ({values_sql}), q AS (SELECT quantile_cont(value, 0.25) AS q1, "
        f"quantile_cont(value, 0.75) AS q3 FROM s) "
        f"SELECT s.*, CASE WHEN q3 - q1 <= 0 THEN 0 WHEN value > q3 THEN (value - q3) / (q3 - q1) "
        f"WHEN value < q1 THEN (value - q1) / (q3 - q1) ELSE 0 END AS score FROM s, q"
    )


def detect_anomalies(p: DetectAnomaliesParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """Robust z (median/MAD) or IQR fences on the per-period series, or on raw values without a time."""
    relation = source_relation(ctx, p.source, step_id)
    rel = qi(relation)
    _require_numeric(ctx, p, step_id, "detect_anomalies", [p.metric])
    threshold = p.threshold or (3.5 if p.method == "robust_z" else 1.5)
    grain = None
    if p.time_column:
        _check_temporal(ctx, p, step_id, p.time_column)
        grain = auto_grain(ctx, relation, p.time_column) if p.grain == "auto" else p.grain
        values = (f"SELECT {bucket_expr(p.time_column, grain)} AS period, {agg_expr(p.agg, p.metric)}::DOUBLE "
                  f"AS value FROM {rel} WHERE {qi(p.time_column)} IS NOT NULL GROUP BY 1")
    else:
        values = f"SELECT {qi(p.metric)}::DOUBLE AS value FROM {rel} WHERE {qi(p.metric)} IS NOT NULL"
    scored = _score_sql(values, p.method)
    flagged = f"SELECT *, abs(score) > {float(threshold)} AS is_anomaly FROM ({scored})"
    if p.time_column:
        rows, n = _run(ctx, step_id, f"{flagged} ORDER BY period")
    else:  # raw values: keep only the anomalies (and the strongest first), never every row
        rows, n = _run(ctx, step_id, f"SELECT * FROM ({flagged}) WHERE is_anomaly ORDER BY abs(score) DESC, "
                       "value")
    con = ctx.table.con
    table = qi(f"step_{step_id}")
    count, points = con.execute(
        f"SELECT count(*) FILTER (WHERE is_anomaly), count(*) FROM {table}").fetchone() or (0, 0)
    if not p.time_column:
        points = int(con.execute(f"SELECT count({qi(p.metric)}) FROM {rel}").fetchone()[0])  # type: ignore[index]
    top = fetch_dicts(ctx, f"SELECT * FROM {table} WHERE is_anomaly ORDER BY abs(score) DESC"
                      + (", period" if p.time_column else ", value") + " LIMIT 3")
    facts: dict[str, float | int | str] = {"anomaly_count": int(count), "points": int(points),
                                           "method": p.method, "threshold": threshold}
    if grain:
        facts["grain"] = grain
    for i, r in enumerate(top, start=1):
        facts[f"anomaly_{i}_value"] = fact(r["value"])
        facts[f"anomaly_{i}_score"] = fact(r["score"])
        if p.time_column:
            facts[f"anomaly_{i}_period"] = fact(r["period"])
    where = f" per {grain} of {p.time_column}" if grain else ""
    if top:
        at = f" in {facts.get('anomaly_1_period')}" if p.time_column else ""
        summary = (f"{count} of {num(points)} points of {p.metric}{where} are anomalous ({p.method} > "
                   f"{num(threshold)}); the strongest is {num(top[0]['value'])}{at} (score {num(top[0]['score'])}).")
    else:
        summary = f"No anomalies in {num(points)} points of {p.metric}{where} ({p.method} > {num(threshold)})."
    return ToolOutput(rows=rows, row_count=n, facts=facts, summary=summary)


# -- top_k ----------------------------------------------------------------------------------------


class TopKParams(ToolParams):
    group_by: str = column_field("column to rank")
    metric: str | None = column_field("numeric column to rank by (None: row counts)", None)
    k: int = Field(10, ge=1, le=100)
    agg: Aggregation = "sum"


def top_k(p: TopKParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """The k largest groups with their share of the whole (so "top 5 = 80%" is a fact, not a guess)."""
    rel = _rel(ctx, p, step_id)
    agg = p.agg if p.metric else "count"
    if p.metric and agg not in ("count", "count_distinct"):
        _require_numeric(ctx, p, step_id, "top_k", [p.metric])
    g = qi(p.group_by)
    expr = agg_expr(agg, p.metric)
    rows, n = _run(ctx, step_id,
                   f"WITH a AS (SELECT {g} AS {g}, {expr} AS value FROM {rel} GROUP BY {g}) "
                   f"SELECT row_number() OVER (ORDER BY value DESC NULLS LAST, {g}) AS rank, {g}, value, "
                   f"value / NULLIF(sum(value) OVER (), 0) AS share, count(*) OVER () AS n_groups FROM a "
                   f"ORDER BY rank LIMIT {p.k}")
    if not rows:
        raise PlanError(f"step {step_id}: top_k found no values of {p.group_by}")
    topk_share = sum(r["share"] or 0 for r in rows) if agg in ("sum", "count") else None
    facts: dict[str, float | int | str] = {
        "n_groups": int(rows[0]["n_groups"]), f"top_{p.group_by}": str(rows[0][p.group_by]),
        "top_value": fact(rows[0]["value"]),
    }
    if topk_share is not None:
        facts["top_share"] = fact(rows[0]["share"])
        facts["top_k_share"] = fact(topk_share)
    what = f"{agg} of {p.metric}" if p.metric else "row count"
    tail = f"; the top {n} hold {topk_share:.1%} of the total" if topk_share is not None else ""
    summary = (f"{rows[0][p.group_by]} leads {facts['n_groups']} values of {p.group_by} by {what} "
               f"({num(rows[0]['value'])}){tail}.")
    return ToolOutput(rows=rows, row_count=n, facts=facts, summary=summary)
