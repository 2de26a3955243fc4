"""Chart tools: aggregate in DuckDB first, then draw the small result as a Vega-Lite chart.

Why aggregate first: the predecessor drew a million raw rows as one line (seconds to render, unreadable).
Every chart here is built from at most a few hundred aggregated points (scatter: a seeded sample of at
most `max_points`), and says in its title which aggregation it shows and in its caption what was cut
(top-k with an "Other" bucket, samples). Specs are plain Vega-Lite JSON (the format Altair emits),
validated against Altair's bundled schema in the tests.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from sgr.autoviz.data import qi, ql
from sgr.autoviz.errors import PlanError
from sgr.autoviz.models import Aggregation, Grain
from sgr.autoviz.tools.analysis import (
    OTHER,
    _require_numeric,
    _run,
    column_field,
    combined,
    folded_label,
    folds,
    group_ranking,
    grouped_label,
    hash_key,
    histogram_sql,
    is_coded,
    kept_values,
    pair_correlations,
    pre_aggregated,
    stored_type,
    text_key,
    values_sql,
)
from sgr.autoviz.tools.base import ExecContext, ToolOutput, ToolParams, relation_columns, source_relation
from sgr.autoviz.tools.common import (
    agg_expr,
    agg_title,
    auto_grain,
    bucket_expr,
    fact,
    fetch_dicts,
    is_numeric,
    is_temporal,
    num,
    partial_edges,
    partial_note,
)
from sgr.autoviz.tools.render import base_spec, chart_stem, render

MAX_SERIES = 8
MAX_LINE_POINTS = 500
_TIME_FORMAT = {"hour": "%b %d %H:%M", "day": "%b %d, %Y", "week": "%b %d, %Y", "month": "%b %Y",
                "quarter": "Q%q %Y", "year": "%Y"}


def _dtypes(ctx: ExecContext, p: ToolParams, step_id: str) -> dict[str, str]:
    return relation_columns(ctx, source_relation(ctx, p.source, step_id))


def _label_angle(labels: list[Any]) -> int:
    """Tilt category labels when they would collide at the fixed chart width."""
    longest = max((len(str(v)) for v in labels), default=0)
    return 0 if longest * len(labels) * 7 < 600 else -40


def _value_axis(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Short tick labels for big numbers ("14M" rather than "14,000,000")."""
    biggest = max((abs(r["value"]) for r in rows if isinstance(r.get("value"), (int, float))), default=0.0)
    return {"format": "~s"} if biggest >= 1e6 else {"format": ",.4~r"}


_TABLEAU10 = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6",
              "#9d755d", "#bab0ac"]
_OTHER_GREY = "#c7c7c7"


def _color(field: str, title: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Nominal colour with a fixed order (Other last, in grey) so the fold-in bucket never looks like data."""
    values = sorted({str(r[field]) for r in rows if r.get(field) is not None}, key=lambda v: (v == OTHER, v))
    colours = [(_OTHER_GREY if v == OTHER else _TABLEAU10[i % len(_TABLEAU10)]) for i, v in enumerate(values)]
    return {"field": field, "type": "nominal", "title": title, "scale": {"domain": values, "range": colours}}


def _chart_rows(ctx: ExecContext, step_id: str, sql: str, params: list[Any] | None = None
                ) -> tuple[list[dict[str, Any]], int]:
    """The aggregated rows a chart draws; none at all (e.g. a filter kept nothing) is said plainly."""
    rows, n = _run(ctx, step_id, sql, params)
    if n == 0:
        raise PlanError(f"step {step_id}: nothing to draw: no rows are left here (a filter may have kept none)")
    return rows, n


# -- line_chart -----------------------------------------------------------------------------------


class LineChartParams(ToolParams):
    x: str = column_field("date/timestamp column (or numeric column) for the x axis")
    y: str | None = column_field("metric column (None: row counts)", None)
    agg: Aggregation = "sum"
    grain: Grain = "auto"
    group: str | None = column_field("optional series column (top 8, rest as Other)", None)


def line_chart(p: LineChartParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """Metric over time at an automatic grain; one line per group for the largest groups."""
    relation = source_relation(ctx, p.source, step_id)
    rel = qi(relation)
    types = _dtypes(ctx, p, step_id)
    agg = p.agg if p.y else "count"
    if p.y and agg not in ("count", "count_distinct"):
        _require_numeric(ctx, p, step_id, "line_chart", [p.y])
    temporal = is_temporal(types[p.x])
    if not temporal and not is_numeric(types[p.x]):
        raise PlanError(f"step {step_id}: line_chart needs a date or numeric x, but {p.x!r} is {types[p.x]}")
    grain = (auto_grain(ctx, relation, p.x) if p.grain == "auto" else p.grain) if temporal else None
    xkey = bucket_expr(p.x, grain) if grain else qi(p.x)
    keys = [f"{xkey} AS x"]
    metric = agg_expr(agg, p.y)
    src, value, where = rel, metric, f" WHERE {qi(p.x)} IS NOT NULL"
    if p.group:
        keys.append(f"{grouped_label(ctx, rel, p.group, metric, MAX_SERIES)} AS grp")
        if folds(ctx, rel, p.group, metric, MAX_SERIES) and (pre := pre_aggregated(rel, [p.x, p.group], agg, p.y,
                                                                                   where)):
            (src, value), where = pre, ""
    order = ", ".join(str(i + 1) for i in range(len(keys)))
    rows, n = _chart_rows(ctx, step_id, f"SELECT {', '.join(keys)}, {value} AS value FROM {src}{where} "
                   f"GROUP BY {order} ORDER BY {order} LIMIT {MAX_LINE_POINTS}")
    if not rows:
        raise PlanError(f"step {step_id}: line_chart found no rows with a value of {p.x}")
    ylabel = agg_title(agg, p.y)
    by = f"{grain}" if grain else p.x
    title = f"{ylabel} by {by}" + (f" and {p.group}" if p.group else "")
    x_enc: dict[str, Any] = {"field": "x", "type": "temporal" if temporal else "quantitative",
                             "title": f"{p.x} ({grain})" if grain else p.x}
    if grain:
        x_enc["axis"] = {"format": _TIME_FORMAT[grain], "labelAngle": 0 if grain in ("month", "quarter",
                                                                                      "year") else -30}
    enc: dict[str, Any] = {
        "x": x_enc,
        "y": {"field": "value", "type": "quantitative", "title": ylabel, "axis": _value_axis(rows)},
        "tooltip": [{"field": "x", "type": "temporal" if temporal else "quantitative", "title": p.x},
                    {"field": "value", "type": "quantitative", "title": ylabel, "format": ",.4~r"}],
    }
    if p.group:
        enc["color"] = _color("grp", p.group, rows)
    points = n if not p.group else len({r["x"] for r in rows})
    spec = base_spec(title, f"{points} {grain or 'x'} points", rows)
    spec["mark"] = {"type": "line", "point": points <= 60, "strokeWidth": 2}
    spec["encoding"] = enc
    totals = None
    if p.group:
        # every (x, series) row is in the step's table unless the point cap cut it: then combine those rows
        whole = combined(agg, "value") if n < MAX_LINE_POINTS else None
        totals = _x_totals(ctx, f"SELECT x, {whole} FROM {qi('step_' + step_id)} GROUP BY 1" if whole else
                           f"SELECT {xkey} AS x, {metric} FROM {rel} WHERE {qi(p.x)} IS NOT NULL GROUP BY 1")
    series = _series_totals(rows, totals)
    edges = partial_edges(ctx, relation, p.x, grain) if grain else []
    folded = any(r.get("grp") == OTHER for r in rows)
    caption = _line_caption(series, p, ylabel, grain, n, folded) + partial_note(edges, grain or "")
    art = render(spec, ctx, chart_stem(ctx, "line", p.y or "count", "by", p.x, p.group), kind="line", x=p.x,
                 y=p.y, aggregation=agg, group=p.group, caption=caption, n_points=min(n, MAX_LINE_POINTS))
    facts = _line_facts(series, grain)
    if edges:
        facts["partial_periods"] = ",".join(edges)
    return ToolOutput(rows=rows, row_count=n, facts=facts, summary=caption, chart=art)


def _x_totals(ctx: ExecContext, sql: str) -> dict[Any, float]:
    """The metric per x over all groups, recomputed in SQL: summing group means would be wrong."""
    return {r[0] if not isinstance(r[0], str) else str(r[0]): float(r[1] or 0)
            for r in ctx.table.con.execute(sql).fetchall()}


def _series_totals(rows: list[dict[str, Any]], totals: dict[Any, float] | None) -> list[tuple[Any, float]]:
    if totals is None:
        totals = {r["x"]: float(r["value"] or 0) for r in rows}
    return sorted(totals.items(), key=lambda kv: kv[0])


def _line_facts(series: list[tuple[Any, float]], grain: str | None) -> dict[str, float | int | str]:
    peak = max(series, key=lambda kv: kv[1])
    facts: dict[str, float | int | str] = {"points": len(series), "first_x": fact(series[0][0]),
                                           "first_value": fact(series[0][1]), "last_x": fact(series[-1][0]),
                                           "last_value": fact(series[-1][1]), "peak_x": fact(peak[0]),
                                           "peak_value": fact(peak[1])}
    if grain:
        facts["grain"] = grain
    if series[0][1]:
        facts["change_pct"] = fact((series[-1][1] - series[0][1]) / abs(series[0][1]) * 100)
    return facts


def _line_caption(series: list[tuple[Any, float]], p: LineChartParams, ylabel: str, grain: str | None,
                  n: int, folded: bool) -> str:
    peak = max(series, key=lambda kv: kv[1])
    text = (f"{ylabel} per {grain or p.x} from {fact(series[0][0])} to {fact(series[-1][0])}: "
            f"{num(series[0][1])} → {num(series[-1][1])}, peak {num(peak[1])} at {fact(peak[0])}.")
    if p.group:
        text += f" One line per {p.group}" + (f": the {MAX_SERIES} largest, the rest combined as {OTHER}."
                                               if folded else ".")
    if n > MAX_LINE_POINTS:
        text += f" Only the first {MAX_LINE_POINTS} of {n} points are drawn."
    return text


# -- bar_chart ------------------------------------------------------------------------------------


class BarChartParams(ToolParams):
    x: str = column_field("category column")
    y: str | None = column_field("metric column (None: row counts)", None)
    agg: Aggregation = "sum"
    group: str | None = column_field("optional second category (colour)", None)
    mode: Literal["simple", "grouped", "stacked"] = "simple"
    top_k: int = Field(20, ge=2, le=50, description="categories shown; the rest are combined as Other")


def bar_chart(p: BarChartParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """Metric per category, largest first; more than top_k categories fold into one "Other" bar."""
    rel = qi(source_relation(ctx, p.source, step_id))
    agg = p.agg if p.y else "count"
    if p.y and agg not in ("count", "count_distinct"):
        _require_numeric(ctx, p, step_id, "bar_chart", [p.y])
    metric = agg_expr(agg, p.y)
    n_cats = group_ranking(ctx, rel, p.x, metric, p.top_k).groups  # the ranking is shared with other steps
    xlabel = folded_label(ctx, rel, p.x, metric, p.top_k) if n_cats > p.top_k else text_key(ctx, rel, p.x)
    keys = [f"{xlabel} AS x"]
    group = p.group if p.mode != "simple" or p.group else None
    if group:
        keys.append(f"{grouped_label(ctx, rel, group, metric, MAX_SERIES)} AS grp")
    src, value = rel, metric
    if n_cats > p.top_k or (group and folds(ctx, rel, group, metric, MAX_SERIES)):
        src, value = pre_aggregated(rel, [p.x, *([group] if group else [])], agg, p.y) or (rel, metric)
    order = ", ".join(str(i + 1) for i in range(len(keys)))
    rows, n = _chart_rows(ctx, step_id, f"SELECT {', '.join(keys)}, {value} AS value FROM {src} GROUP BY {order} "
                   f"ORDER BY {order}")
    totals = _x_totals(ctx, f"SELECT {xlabel} AS x, {value} AS value FROM {src} GROUP BY 1") if group else {
        str(r["x"]): float(r["value"] or 0) for r in rows}
    order_x = sorted(totals, key=lambda k: (k == OTHER, -totals[k], k))
    ylabel = agg_title(agg, p.y)
    title = f"{ylabel} by {p.x}" + (f" and {group}" if group else "")
    enc: dict[str, Any] = {
        "x": {"field": "x", "type": "nominal", "title": p.x, "sort": order_x,
              "axis": {"labelAngle": _label_angle(order_x)}},
        "y": {"field": "value", "type": "quantitative", "title": ylabel, "axis": _value_axis(rows)},
        "tooltip": [{"field": "x", "type": "nominal", "title": p.x},
                    {"field": "value", "type": "quantitative", "title": ylabel, "format": ",.4~r"}],
    }
    kind = "bar"
    if group:
        enc["color"] = _color("grp", group, rows)
        if p.mode == "grouped":
            enc["xOffset"] = {"field": "grp", "type": "nominal"}
            kind = "grouped_bar"
        else:
            kind = "stacked_bar"
    spec = base_spec(title, None, rows)
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = enc
    top = order_x[0]
    caption = f"{ylabel} by {p.x}: {top} is highest ({num(totals[top])})."
    if n_cats > p.top_k:
        caption += f" The top {p.top_k} of {n_cats} values of {p.x} are shown; the rest are combined as {OTHER}."
    if group:
        caption += f" Colour: {group}" + (f" (the {MAX_SERIES} largest, the rest as {OTHER})."
                                          if any(r.get("grp") == OTHER for r in rows) else ".")
    art = render(spec, ctx, chart_stem(ctx, "bar", p.y or "count", "by", p.x, group), kind=kind, x=p.x, y=p.y,
                 aggregation=agg, group=group, caption=caption, n_points=n)
    total = sum(totals.values())
    facts: dict[str, float | int | str] = {"categories": n_cats, "top_x": top, "top_value": fact(totals[top])}
    if agg in ("sum", "count") and total > 0 and min(totals.values()) >= 0:
        facts["top_share"] = fact(totals[top] / total)
    return ToolOutput(rows=rows, row_count=n, facts=facts, summary=caption, chart=art)


# -- scatter_chart --------------------------------------------------------------------------------


class ScatterChartParams(ToolParams):
    x: str = column_field("numeric column for x")
    y: str = column_field("numeric column for y")
    color: str | None = column_field("optional category column for colour", None)
    max_points: int = Field(2000, ge=10, le=5000)


def scatter_chart(p: ScatterChartParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """x against y on a seeded, deterministic sample (hash of values and seed), with the correlation."""
    rel = qi(source_relation(ctx, p.source, step_id))
    _require_numeric(ctx, p, step_id, "scatter_chart", [p.x, p.y])
    x, y = qi(p.x), qi(p.y)
    color = f", {grouped_label(ctx, rel, p.color, 'count(*)', MAX_SERIES)} AS color" if p.color else ""
    hash_args = f"{x}, {y}" + (f", {hash_key(ctx, rel, p.color)}" if p.color else "")
    rows, n = _chart_rows(ctx, step_id, f"SELECT {x}::DOUBLE AS x, {y}::DOUBLE AS y{color} FROM {rel} "
                   f"WHERE {x} IS NOT NULL AND {y} IS NOT NULL ORDER BY hash({hash_args}, ?), x, y "
                   f"LIMIT {p.max_points}", [ctx.seed])
    stats = ctx.table.con.execute(f"SELECT count(*), corr({x}::DOUBLE, {y}::DOUBLE) FROM {rel} WHERE {x} IS NOT "
                                  f"NULL AND {y} IS NOT NULL").fetchone() or (0, None)
    total, r = int(stats[0]), stats[1]
    rows = fetch_dicts(ctx, f"SELECT * FROM {qi('step_' + step_id)}")  # all sampled points, beyond the 500 cap
    title = f"{p.y} vs {p.x}" + (f" by {p.color}" if p.color else "")
    enc: dict[str, Any] = {
        "x": {"field": "x", "type": "quantitative", "title": p.x, "scale": {"zero": False}},
        "y": {"field": "y", "type": "quantitative", "title": p.y, "scale": {"zero": False}},
    }
    if p.color:
        enc["color"] = _color("color", p.color, rows)
    sampled = total > n
    spec = base_spec(title, f"{n:,} of {total:,} points" + (" (seeded sample)" if sampled else ""), rows)
    spec["mark"] = {"type": "circle", "opacity": 0.5 if n > 500 else 0.8, "size": 18 if n > 500 else 40}
    spec["encoding"] = enc
    caption = f"{p.y} against {p.x} (Pearson r = {num(r)} over {total:,} rows)."
    if sampled:
        caption += f" A deterministic sample of {n:,} of {total:,} points is drawn (seed {ctx.seed})."
    art = render(spec, ctx, chart_stem(ctx, "scatter", p.y, "vs", p.x, p.color), kind="scatter", x=p.x, y=p.y,
                 aggregation=None, group=p.color, caption=caption, n_points=n)
    facts = {"points_drawn": n, "points_total": total, "pearson_r": fact(r)}
    return ToolOutput(rows=rows, row_count=n, facts=facts, summary=caption, chart=art)


# -- histogram_chart ------------------------------------------------------------------------------


class HistogramChartParams(ToolParams):
    column: str = column_field("numeric column")
    bins: int = Field(30, ge=2, le=100)


def histogram_chart(p: HistogramChartParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """Equal-width bins computed in SQL, drawn as adjacent bars."""
    rel = qi(source_relation(ctx, p.source, step_id))
    _require_numeric(ctx, p, step_id, "histogram_chart", [p.column])
    rows, n = _chart_rows(ctx, step_id, histogram_sql(rel, p.column, p.bins))
    if not rows:
        raise PlanError(f"step {step_id}: {p.column} has no values to bin")
    c = qi(p.column)
    med, mean, cnt = ctx.table.con.execute(f"SELECT median({c}), avg({c}), count({c}) FROM {rel}").fetchone() or (
        None, None, 0)
    spec = base_spec(f"Distribution of {p.column}", f"{cnt:,} values in {p.bins} equal-width bins", rows)
    spec["mark"] = {"type": "bar", "binSpacing": 1}
    spec["encoding"] = {
        "x": {"field": "bin_start", "type": "quantitative", "title": f"{p.column} (binned)",
              "bin": {"binned": True}, "axis": {"format": ",.4~r"}},
        "x2": {"field": "bin_end"},
        "y": {"field": "count", "type": "quantitative", "title": "Count of rows"},
    }
    peak = max(rows, key=lambda r: r["count"])
    caption = (f"{p.column}: median {num(med)}, mean {num(mean)}; the most common range is "
               f"{num(peak['bin_start'])}–{num(peak['bin_end'])} ({num(peak['count'])} rows).")
    art = render(spec, ctx, chart_stem(ctx, "histogram", p.column), kind="histogram", x=p.column, y=None,
                 aggregation="count", group=None, caption=caption, n_points=n)
    facts = {"bins": n, "count": int(cnt), "median": fact(med), "mean": fact(mean),
             "mode_bin_start": fact(peak["bin_start"]), "mode_bin_count": int(peak["count"])}
    return ToolOutput(rows=rows, row_count=n, facts=facts, summary=caption, chart=art)


# -- box_chart ------------------------------------------------------------------------------------


class BoxChartParams(ToolParams):
    metric: str = column_field("numeric column")
    group: str | None = column_field("category column (top 15 by rows); None: one box", None)


def box_chart(p: BoxChartParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """Quartiles and 1.5×IQR whiskers per group, computed in SQL (no raw points leave DuckDB)."""
    rel = qi(source_relation(ctx, p.source, step_id))
    _require_numeric(ctx, p, step_id, "box_chart", [p.metric])
    sample = _quartile_sample(ctx, source_relation(ctx, p.source, step_id))
    rows, n = _chart_rows(ctx, step_id, *_box_sql(ctx, rel, p.metric, p.group, sample))
    if not rows:
        raise PlanError(f"step {step_id}: {p.metric} has no values")
    order = [str(r["grp"]) for r in rows]
    xenc = {"field": "grp", "type": "nominal", "title": p.group or "", "sort": order,
            "axis": {"labelAngle": _label_angle(order)}}
    spec = base_spec(f"{p.metric} by {p.group}" if p.group else f"Spread of {p.metric}", "box: quartiles; "
                     "whiskers: 1.5 × IQR", rows)
    spec["layer"] = [
        {"mark": {"type": "rule"}, "encoding": {"x": xenc, "y": {"field": "lower", "type": "quantitative",
                                                                  "title": p.metric}, "y2": {"field": "upper"}}},
        {"mark": {"type": "bar", "size": 28, "color": "#4c78a8"},
         "encoding": {"x": xenc, "y": {"field": "q1", "type": "quantitative"}, "y2": {"field": "q3"}}},
        {"mark": {"type": "tick", "color": "white", "size": 28, "thickness": 2},
         "encoding": {"x": xenc, "y": {"field": "median", "type": "quantitative"}}},
    ]
    top, bottom = rows[0], rows[-1]
    caption = (f"Median {p.metric} is highest for {top['grp']} ({num(top['median'])})"
               + (f" and lowest for {bottom['grp']} ({num(bottom['median'])})." if n > 1 else ".")
               + f" {sum(int(r['outliers']) for r in rows):,} values lie beyond the whiskers.")
    if sample > 1:
        caption += (f" Quartiles are approximate: estimated from a fixed 1-in-{sample} sample of the "
                    f"{ctx.table.n_rows:,} rows (whiskers and outliers are counted on every row).")
    art = render(spec, ctx, chart_stem(ctx, "box", p.metric, "by", p.group), kind="box", x=p.group,
                 y=p.metric, aggregation="median", group=None, caption=caption, n_points=n)
    facts = {"groups": n, "top_group": str(top["grp"]), "top_median": fact(top["median"]),
             "bottom_group": str(bottom["grp"]), "bottom_median": fact(bottom["median"])}
    if sample > 1:
        facts["quartiles"] = f"approximate (1-in-{sample} row sample)"
    return ToolOutput(rows=rows, row_count=n, facts=facts, summary=caption, chart=art)


#: groups a box chart shows at most (the most frequent; ties by name)
MAX_BOXES = 15


#: above this many rows a box chart's quartiles come from a fixed sample of about `QUARTILE_SAMPLE_ROWS` rows:
#: exact quantiles sort every value (measured: 0.4-0.9 s on 10M rows, against 0.1 s on a 1-in-10 sample)
APPROX_QUARTILE_ROWS = 2_000_000
QUARTILE_SAMPLE_ROWS = 1_000_000
#: salted so the sample cannot line up with data that was itself made from hash(row number) (a generator's
#: "region = hash(i) % 5" put every sampled row in one region when the sample was hash(rowid) % 10)
_SAMPLE_SALT = "autoviz quartile sample"


def _quartile_sample(ctx: ExecContext, relation: str) -> int:
    """1 (exact) or k for a 1-in-k row sample: only on the loaded table when it is a stored table (a row's
    `rowid` is then fixed, so the same rows are picked on every run) and over `APPROX_QUARTILE_ROWS` rows."""
    n = ctx.table.n_rows
    if relation != ctx.table.name or n <= APPROX_QUARTILE_ROWS:
        return 1
    stored = ctx.table.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary",
                                   [relation]).fetchone()
    return -(-n // QUARTILE_SAMPLE_ROWS) if stored and stored[0] else 1


def _quartiles(con: Any, values: str, rel: str, g: str, m: str, keep: str, sample: int) -> list[tuple[Any, ...]]:
    """(group, q1, median, q3, n) per group; with `sample` > 1 the quartiles come from the rows whose row-id
    hash falls in a 1-in-`sample` slice (spread over the table, the same on every run), counts from all rows.
    A group the slice misses (a tiny one) gets exact quartiles."""
    quart = "quantile_cont(v, [0.25, 0.5, 0.75])"
    if sample <= 1:
        return list(con.execute(f"SELECT grp, qs[1], qs[2], qs[3], n FROM (SELECT grp, {quart} AS qs, count(*) AS n "
                                f"FROM ({values}) GROUP BY grp)").fetchall())
    picked = f"hash(rowid, {ql(_SAMPLE_SALT)}) % {sample} = 0"
    marked = f"SELECT {g} AS grp, {m} AS v, {picked} AS picked FROM {rel} WHERE {m} IS NOT NULL{keep}"
    rows = con.execute(f"SELECT grp, qs[1], qs[2], qs[3], n FROM (SELECT grp, {quart} FILTER (WHERE picked) AS qs, "
                       f"count(*) AS n FROM ({marked}) GROUP BY grp)").fetchall()
    missed = {r[0] for r in rows if r[1] is None}
    if missed:
        exact = {r[0]: r for r in con.execute(
            f"SELECT grp, qs[1], qs[2], qs[3], n FROM (SELECT grp, {quart} AS qs, count(*) AS n FROM ({values}) "
            f"WHERE grp IN (SELECT unnest(?)) GROUP BY grp)", [sorted(missed, key=str)]).fetchall()}
        rows = [exact.get(r[0], r) for r in rows]
    return list(rows)


def _box_sql(ctx: ExecContext, rel: str, metric: str, group: str | None, sample: int = 1
             ) -> tuple[str, list[Any]]:
    """The box chart's query: quartiles per group from one scan, then whiskers and outliers from a second.

    Why two statements: as one query the values were a CTE read twice, which DuckDB materialised (all rows
    of the two columns held in memory) and joined back; here the quartiles come back as a few numbers and
    the second scan compares each value with them. The values and the arithmetic are the same.
    """
    con = ctx.table.con
    m = f"{qi(metric)}::DOUBLE"
    g = text_key(ctx, rel, group) if group else "'all'"
    keep = ""
    if group:
        ranking = group_ranking(ctx, rel, group, "count(*)", MAX_BOXES)
        keep = (f" AND {qi(group)} IS NOT NULL" if ranking.groups + int(ranking.has_null) <= MAX_BOXES else
                f" AND {kept_values(ctx, rel, group, 'count(*)', MAX_BOXES)}")
    values = f"SELECT {g} AS grp, {m} AS v FROM {rel} WHERE {m} IS NOT NULL{keep}"
    quartiles = _quartiles(con, values, rel, g, m, keep, sample)
    if not quartiles:
        return "SELECT NULL::VARCHAR AS grp, NULL::DOUBLE AS q1, NULL::DOUBLE AS median, NULL::DOUBLE AS q3, " \
               "0::BIGINT AS n, NULL::DOUBLE AS lower, NULL::DOUBLE AS upper, 0::BIGINT AS outliers LIMIT 0", []
    q = f"SELECT * FROM ({values_sql(len(quartiles), 5)}) t(grp, q1, median, q3, n)"
    if group and is_coded(ctx, rel, group):  # join codes with codes: text against a coded column casts every row
        q = f"SELECT grp::{stored_type(ctx, rel, group)} AS grp, q1, median, q3, n FROM ({q})"
    sql = (f"SELECT q.grp, q.q1, q.median, q.q3, q.n, "
           f"min(v.v) FILTER (WHERE v.v >= q.q1 - 1.5 * (q.q3 - q.q1)) AS lower, "
           f"max(v.v) FILTER (WHERE v.v <= q.q3 + 1.5 * (q.q3 - q.q1)) AS upper, "
           f"count(*) FILTER (WHERE v.v < q.q1 - 1.5 * (q.q3 - q.q1) OR v.v > q.q3 + 1.5 * (q.q3 - q.q1)) "
           f"AS outliers FROM ({values}) v JOIN ({q}) q USING (grp) GROUP BY ALL ORDER BY q.median DESC, q.grp")
    return sql, [x for row in quartiles for x in row]


# -- heatmap_chart --------------------------------------------------------------------------------


class HeatmapChartParams(ToolParams):
    x: str = column_field('category column, or "__columns__" for a correlation matrix of numeric columns')
    y: str = column_field('category column, or "__columns__" (with x) for a correlation matrix')
    value: str | None = column_field("metric column (None: row counts)", None)
    agg: Aggregation = "sum"


MAX_HEAT = 20
MAX_CORR_COLUMNS = 12


def heatmap_chart(p: HeatmapChartParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """Metric over two categories (top 20 each, rest as Other), or the correlation matrix of the
    numeric columns when x and y are both "__columns__"."""
    relation = source_relation(ctx, p.source, step_id)
    rel = qi(relation)
    if (p.x == "__columns__") != (p.y == "__columns__"):
        raise PlanError(f"step {step_id}: heatmap_chart needs x and y both \"__columns__\" or both columns")
    if p.x == "__columns__":
        return _corr_heatmap(p, ctx, step_id, relation)
    agg = p.agg if p.value else "count"
    if p.value and agg not in ("count", "count_distinct"):
        _require_numeric(ctx, p, step_id, "heatmap_chart", [p.value])
    metric = agg_expr(agg, p.value)
    types = _dtypes(ctx, p, step_id)
    keys, where, notes = [], [], []
    for col in (p.x, p.y):
        if is_temporal(types[col]):
            keys.append(f"{bucket_expr(col, auto_grain(ctx, relation, col))}::VARCHAR")
            continue
        keys.append(text_key(ctx, rel, col))
        n_vals = group_ranking(ctx, rel, col, metric, MAX_HEAT).groups
        if n_vals > MAX_HEAT:
            # An "Other" cell would dwarf the rest of the colour scale, so the tail is left out and said so.
            where.append(kept_values(ctx, rel, col, metric, MAX_HEAT))
            notes.append(f"the top {MAX_HEAT} of {n_vals} values of {col}")
    cond = f" WHERE {' AND '.join(where)}" if where else ""
    rows, n = _chart_rows(ctx, step_id, f"SELECT {keys[0]} AS x, {keys[1]} AS y, {metric} AS value FROM {rel}{cond} "
                   "GROUP BY 1, 2 ORDER BY 1, 2")
    label = agg_title(agg, p.value)
    out = _draw_heatmap(p, ctx, rows, n, f"{label} by {p.x} and {p.y}", label, agg, step_id,
                        note=f" Shown: {' and '.join(notes)}." if notes else "")
    return out


def _corr_heatmap(p: HeatmapChartParams, ctx: ExecContext, step_id: str, relation: str) -> ToolOutput:
    rel = qi(relation)
    if relation == ctx.table.name:
        cols = ctx.profile.measures()[:MAX_CORR_COLUMNS]
    else:
        cols = [c for c, t in relation_columns(ctx, relation).items() if is_numeric(t)][:MAX_CORR_COLUMNS]
    if len(cols) < 2:
        raise PlanError(f"step {step_id}: a correlation heatmap needs at least two numeric columns")
    r = pair_correlations(ctx, rel, [(a, b) for i, a in enumerate(cols) for b in cols[i:]])
    values = [(a, b, r[(a, b)] if (a, b) in r else r[(b, a)]) for a in cols for b in cols]
    rows, n = _chart_rows(ctx, step_id, f"SELECT * FROM ({values_sql(len(values), 3)}) t(x, y, value) ORDER BY x, y",
                   [v for row in values for v in row])
    return _draw_heatmap(p, ctx, rows, n, "Correlation between numeric columns", "Pearson r", "corr", step_id,
                         order=cols)


def _draw_heatmap(p: HeatmapChartParams, ctx: ExecContext, rows: list[dict[str, Any]], n: int, title: str,
                  label: str, agg: str, step_id: str, order: list[str] | None = None, note: str = ""
                  ) -> ToolOutput:
    xs = order or sorted({str(r["x"]) for r in rows}, key=lambda k: (k == OTHER, k))
    ys = order or sorted({str(r["y"]) for r in rows}, key=lambda k: (k == OTHER, k))
    color: dict[str, Any] = {"field": "value", "type": "quantitative", "title": label}
    if agg == "corr":
        color["scale"] = {"scheme": "redblue", "domain": [-1, 1], "reverse": True}
    else:
        color["scale"] = {"scheme": "blues"}
    spec = base_spec(title, None, rows)
    spec["encoding"] = {
        "x": {"field": "x", "type": "nominal", "title": None if order else p.x, "sort": xs,
              "axis": {"labelAngle": _label_angle(xs), "grid": False}},
        "y": {"field": "y", "type": "nominal", "title": None if order else p.y, "sort": ys,
              "axis": {"grid": False}},
    }
    layers: list[dict[str, Any]] = [{"mark": {"type": "rect"}, "encoding": {"color": color}}]
    if n <= 150:
        # light text on dark cells: past 60% of the colour range the default black is unreadable
        numbers = [abs(r["value"]) for r in rows if isinstance(r["value"], (int, float))]
        dark = 0.6 if agg == "corr" else 0.6 * max(numbers, default=0.0)
        layers.append({"mark": {"type": "text", "fontSize": 10},
                       "encoding": {"text": {"field": "value", "type": "quantitative", "format": ".2~f"
                                             if agg == "corr" else ",.3~s"},
                                    "color": {"condition": {"test": f"abs(datum.value) > {dark}",
                                                            "value": "white"}, "value": "black"}}})
    spec["layer"] = layers
    valued = [r for r in rows if isinstance(r["value"], (int, float))]
    if agg == "corr":
        valued = [r for r in valued if r["x"] != r["y"]]
    best = max(valued, key=lambda r: abs(r["value"])) if valued else None
    caption = title + "." if best is None else (
        f"{title}: the largest {'|r|' if agg == 'corr' else 'cell'} is {best['x']} × {best['y']} "
        f"({num(best['value'])}).") + note
    x_name, y_name = (None, None) if order else (p.x, p.y)
    stem = chart_stem(ctx, "heatmap", "correlation") if order else chart_stem(
        ctx, "heatmap", p.value or "count", "by", p.x, p.y)
    art = render(spec, ctx, stem, kind="heatmap", x=x_name, y=y_name,
                 aggregation=agg, group=None, caption=caption, n_points=n)
    facts: dict[str, float | int | str] = {"cells": n}
    if best:
        facts.update({"max_x": str(best["x"]), "max_y": str(best["y"]), "max_value": fact(best["value"])})
    return ToolOutput(rows=rows, row_count=n, facts=facts, summary=caption, chart=art)
