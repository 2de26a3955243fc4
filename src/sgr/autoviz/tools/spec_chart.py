"""The requested chart: one `ChartRequest` (mark, x, y + aggregation, colour, sort, time bin, filters, top-k)
compiled to one SQL query and one Vega-Lite spec.

Why one tool for every mark: chart 1 of a run must be *exactly* what the question asked for, and a person
(or the benchmark) must be able to recompute it from the file. Keeping the whole request in one typed
params object means the plan file, `--json` and the SQL all say the same thing. Box plots, histograms and
heatmaps reuse the dedicated tools' drawing on the filtered rows; everything else is drawn here.

Row shape of the drawn data, the same as every other chart tool's: `x`, `value` and `grp` (colour/series)
for aggregated marks; `x`, `y` and `color` for raw points (a scatter).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from sgr.autoviz.data import qi
from sgr.autoviz.errors import PlanError
from sgr.autoviz.models import CHART_AGGS, ChartAgg, ChartSort, Filter, FlatBin, FlatSort, Mark, TimeBin
from sgr.autoviz.tools.analysis import (
    OTHER,
    _require_numeric,
    column_field,
    folds,
    grouped_label,
    hash_key,
    pre_aggregated,
)
from sgr.autoviz.tools.base import ExecContext, ToolOutput, ToolParams, relation_columns, source_relation
from sgr.autoviz.tools.charts import (
    MAX_SERIES,
    BoxChartParams,
    HeatmapChartParams,
    HistogramChartParams,
    _chart_rows,
    _color,
    _label_angle,
    _value_axis,
    box_chart,
    heatmap_chart,
    histogram_chart,
)
from sgr.autoviz.tools.common import agg_expr, agg_title, fact, fetch_dicts, is_numeric, is_temporal, num
from sgr.autoviz.tools.predicates import where_sql
from sgr.autoviz.tools.render import base_spec, chart_stem, render

#: categories a bar or pie draws before the tail folds into "Other" (a person who asked for all gets 50)
MAX_CATEGORIES = 50
MAX_SCATTER_POINTS = 2000
_TEMPORAL_MARKS = ("line", "area")
_BIN_LABEL = {"year": "year({c})", "quarter": "strftime({c}, '%Y') || '-Q' || quarter({c})",
              "month": "strftime({c}, '%Y-%m')", "week": "strftime(date_trunc('week', {c}), '%Y-%m-%d')",
              "day": "strftime({c}, '%Y-%m-%d')", "hour": "strftime({c}, '%Y-%m-%d %H:00')",
              "weekday": "dayname({c})"}


class ChartParams(ToolParams):
    """A chart request as tool params (flat, so a model answers it field by field)."""

    mark: Mark = "bar"
    x: str = column_field("category, date or numeric column on the x axis (the slices of a pie)")
    y: str | None = column_field("measured column; None with agg=count counts rows", None)
    agg: ChartAgg = "count"
    color: str | None = column_field("optional colour / series / stack column", None)
    sort: FlatSort = "none"
    bin: FlatBin = "none"
    filters: list[Filter] = Field(default_factory=list, max_length=4)
    top_k: int | None = Field(None, ge=1, le=100, description="keep only the first k marks after sorting")


class PieChartParams(ChartParams):
    mark: Literal["pie"] = "pie"


class AreaChartParams(ChartParams):
    mark: Literal["area"] = "area"


def params_from_request(req: Any) -> dict[str, Any]:
    """The tool params for a `ChartRequest` (sort and bin flattened to the tool's closed vocabularies)."""
    sort = req.sort.flat() if req.sort else "none"
    return {"source": "data", "mark": req.mark, "x": req.x, "y": req.y, "agg": req.aggregation,
            "color": req.color, "sort": sort, "bin": req.bin or "none",
            "filters": [f.model_dump() for f in req.filters], "top_k": req.top_k}


def _x_expr(p: ChartParams, dtype: str, step_id: str) -> tuple[str, str | None]:
    """(SQL for the x key, the bin applied): binned dates keep a date type on line/area charts."""
    x = qi(p.x)
    if p.bin == "none":
        if is_temporal(dtype) and p.mark not in _TEMPORAL_MARKS and p.mark not in ("scatter",):
            return f"strftime({x}, '%Y-%m-%d')", None
        return x, None
    if not is_temporal(dtype):
        raise PlanError(f"step {step_id}: binning by {p.bin} needs a date column, but {p.x!r} is {dtype}")
    if p.mark in _TEMPORAL_MARKS and p.bin != "weekday":
        expr = f"date_trunc('{p.bin}', {x})"
        return (expr if p.bin == "hour" else f"CAST({expr} AS DATE)"), p.bin
    return _BIN_LABEL[p.bin].format(c=x), p.bin


def _order(p: ChartParams, x_is_time: bool) -> tuple[str, str | None]:
    """ORDER BY for the rows and the sort said in the artifact; unsorted bars and pies go largest first."""
    sort = ChartSort.from_flat(p.sort)
    if sort is not None:
        key = "x_order" if sort.channel == "x" else "value"
        sql_dir = "DESC" if sort.order == "descending" else "ASC"
        return f"{key} {sql_dir} NULLS LAST, x_order", f"{sort.channel} {sort.order}"
    if p.top_k or (p.mark in ("bar", "pie") and not x_is_time):
        return "value DESC NULLS LAST, x_order", ("y descending" if p.top_k else None)
    return "x_order", None


def _x_order_expr(p: ChartParams, dtype: str, x_sql: str) -> str:
    """What sorting "by x" means: chronological for dates and weekdays, numeric for numbers, else A-Z."""
    if p.bin == "weekday":
        return f"min(isodow({qi(p.x)}))"
    if p.bin != "none" or is_temporal(dtype) or is_numeric(dtype):
        return x_sql
    return f"({x_sql})::VARCHAR"


def chart(p: ChartParams, ctx: ExecContext, step_id: str) -> ToolOutput:
    """Draw the requested chart exactly: filters, then bin, group and aggregate, then sort and cut."""
    relation = source_relation(ctx, p.source, step_id)
    dtypes = relation_columns(ctx, relation)
    where, args = where_sql(p.filters, relation, dtypes, step_id=step_id)
    filters = [f.text() for f in p.filters]
    if p.mark in ("box", "histogram", "heatmap"):
        return _delegate(p, ctx, step_id, relation, where, args, filters)
    if p.agg == "none" or p.mark == "scatter":
        return _points(p, ctx, step_id, relation, dtypes, where, args, filters)
    agg = p.agg
    if p.y is None and agg != "count":
        raise PlanError(f"step {step_id}: aggregation {agg!r} needs a y column; use count to count rows")
    if p.y is not None and agg not in ("count", "count_distinct"):
        _require_numeric(ctx, p, step_id, "chart", [p.y])
    x_sql, applied_bin = _x_expr(p, dtypes[p.x], step_id)
    x_is_time = p.bin != "none" or is_temporal(dtypes[p.x])
    metric = agg_expr(agg, p.y)
    keys = [f"{x_sql} AS x"]
    if p.color:
        keys.append(f"{_color_key(p, ctx, relation, metric)} AS grp")
    group = ", ".join(str(i + 1) for i in range(len(keys)))
    order_sql, sort_said = _order(p, x_is_time)
    rel = qi(relation)
    null_x = f"{qi(p.x)} IS NOT NULL"
    where_x = f"{where} AND {null_x}" if where else f" WHERE {null_x}"
    x_order = _x_order_expr(p, dtypes[p.x], x_sql)
    if p.color and folds(ctx, rel, p.color, metric, MAX_SERIES * 2) and (
            pre := pre_aggregated(rel, [p.x, p.color], agg, p.y, where_x)):
        # the filters apply inside the pre-aggregation; the folded colour is labelled on its few rows
        (rel, metric), where_x = pre, ""
    inner = f"SELECT {', '.join(keys)}, {metric} AS value, {x_order} AS x_order FROM {rel}{where_x} GROUP BY {group}"
    limit = p.top_k
    if p.color is None and limit is None and p.mark in ("bar", "pie"):
        n_x = int(ctx.table.con.execute(f"SELECT count(*) FROM ({inner})", args).fetchone()[0])  # type: ignore[index]
        limit = MAX_CATEGORIES if n_x > MAX_CATEGORIES else None
    if limit is not None and p.color:
        # top-k with a colour keeps the k largest x values (by their total), every colour within them
        totals = (f"SELECT {x_sql} AS x, {metric} AS t FROM {rel}{where_x} GROUP BY 1 "
                  f"ORDER BY t {'ASC' if p.sort == 'y_ascending' else 'DESC'} NULLS LAST, x LIMIT {limit}")
        sql = (f"SELECT x, grp, value FROM ({inner}) WHERE x IN (SELECT x FROM ({totals})) "
               f"ORDER BY {order_sql}, grp")
        args = args + args
    else:
        cut = f" LIMIT {limit}" if limit is not None else ""
        cols = "x, grp, value" if p.color else "x, value"
        sql = f"SELECT {cols} FROM ({inner}) ORDER BY {order_sql}{', grp' if p.color else ''}{cut}"
    rows, n = _chart_rows(ctx, step_id, sql, args)
    rows = fetch_dicts(ctx, f"SELECT * FROM {qi('step_' + step_id)}")  # all drawn rows, not the 500 log cap
    ylabel = agg_title(agg, p.y)
    title = _title(p, ylabel, applied_bin)
    spec = base_spec(title, "; ".join(filters) or None, rows)
    _encode(spec, p, rows, ylabel, x_is_time, applied_bin, sorted_rows=sort_said is not None or not x_is_time)
    caption = _caption(p, rows, ylabel, applied_bin, filters, limit)
    kind = p.mark
    art = render(spec, ctx, chart_stem(ctx, p.mark, p.y or "count", "by", p.x, p.color), kind=kind, x=p.x, y=p.y,
                 aggregation=agg, group=p.color, caption=caption, n_points=n, sort=sort_said, bin=applied_bin,
                 filters=filters, limit=limit)
    facts: dict[str, float | int | str] = {"marks": n}
    if rows:
        best = max(rows, key=lambda r: r["value"] if isinstance(r["value"], (int, float)) else float("-inf"))
        facts.update({"max_x": fact(best["x"]), "max_value": fact(best["value"])})
    return ToolOutput(rows=rows, row_count=n, facts=facts, summary=caption, chart=art)


def _color_key(p: ChartParams, ctx: ExecContext, relation: str, metric: str) -> str:
    """Colour values as text; a colour column with many values keeps the largest and folds the rest."""
    return grouped_label(ctx, qi(relation), p.color or "", metric, MAX_SERIES * 2)


def _title(p: ChartParams, ylabel: str, applied_bin: str | None) -> str:
    by = f"{p.x} ({applied_bin})" if applied_bin else p.x
    text = f"{ylabel} by {by}" + (f" and {p.color}" if p.color else "")
    if p.top_k:
        text = f"Top {p.top_k}: " + text if p.sort != "y_ascending" else f"Bottom {p.top_k}: " + text
    return text


def _encode(spec: dict[str, Any], p: ChartParams, rows: list[dict[str, Any]], ylabel: str, x_is_time: bool,
            applied_bin: str | None, *, sorted_rows: bool) -> None:
    """Vega-Lite marks and encodings; x order is the row order the SQL produced (sorted, chronological)."""
    x_order = list(dict.fromkeys(str(r["x"]) for r in rows))
    xtitle = f"{p.x} ({applied_bin})" if applied_bin else p.x
    y_enc = {"field": "value", "type": "quantitative", "title": ylabel, "axis": _value_axis(rows)}
    tooltip = [{"field": "x", "title": p.x}, {"field": "value", "title": ylabel, "format": ",.4~r"}]
    if p.mark == "pie":
        spec["mark"] = {"type": "arc", "innerRadius": 0, "tooltip": True}
        spec["encoding"] = {"theta": {"field": "value", "type": "quantitative", "title": ylabel, "stack": True},
                            "color": {"field": "x", "type": "nominal", "title": xtitle, "sort": x_order},
                            "order": {"field": "value", "type": "quantitative", "sort": "descending"},
                            "tooltip": tooltip}
        return
    temporal_axis = p.mark in _TEMPORAL_MARKS and x_is_time and p.bin != "weekday"
    if temporal_axis:
        x_enc: dict[str, Any] = {"field": "x", "type": "temporal", "title": xtitle}
    elif p.mark in _TEMPORAL_MARKS:
        x_enc = {"field": "x", "type": "ordinal", "title": xtitle, "sort": x_order}
    else:
        x_enc = {"field": "x", "type": "ordinal" if x_is_time else "nominal", "title": xtitle,
                 "sort": x_order if sorted_rows or x_is_time else "ascending",
                 "axis": {"labelAngle": _label_angle(x_order)}}
    enc: dict[str, Any] = {"x": x_enc, "y": y_enc, "tooltip": tooltip}
    if p.color:
        enc["color"] = _color("grp", p.color, rows)
        tooltip.insert(1, {"field": "grp", "title": p.color})
    if p.mark == "grouped_bar" and p.color:
        enc["xOffset"] = {"field": "grp", "type": "nominal"}
    mark_type = {"line": "line", "area": "area"}.get(p.mark, "bar")
    spec["mark"] = {"type": mark_type, "tooltip": True, **({"point": len(rows) <= 60} if mark_type == "line" else {})}
    spec["encoding"] = enc


def _caption(p: ChartParams, rows: list[dict[str, Any]], ylabel: str, applied_bin: str | None,
             filters: list[str], limit: int | None) -> str:
    valued = [r for r in rows if isinstance(r.get("value"), (int, float))]
    text = f"{ylabel} by {p.x}" + (f" per {applied_bin}" if applied_bin else "")
    if valued:
        best = max(valued, key=lambda r: r["value"])
        label = f"{best['x']}" + (f" / {best['grp']}" if p.color else "")
        text += f": {label} is highest ({num(best['value'])})."
    else:
        text += "."
    if filters:
        text += f" Rows where {' and '.join(filters)}."
    if limit and not p.top_k:
        text += f" The {limit} largest values of {p.x} are shown."
    if p.color and any(r.get("grp") == OTHER for r in rows):
        text += f" Colour: the largest values of {p.color}, the rest as {OTHER}."
    return text


def _points(p: ChartParams, ctx: ExecContext, step_id: str, relation: str, dtypes: dict[str, str], where: str,
            args: list[Any], filters: list[str]) -> ToolOutput:
    """Raw (x, y) pairs, e.g. a scatter of two measures; a seeded sample past MAX_SCATTER_POINTS."""
    if p.y is None:
        raise PlanError(f"step {step_id}: a {p.mark} of raw values needs a y column")
    x, y = qi(p.x), qi(p.y)
    color = f", {qi(p.color)}::VARCHAR AS color" if p.color else ""
    cond = f"{x} IS NOT NULL AND {y} IS NOT NULL"
    where_all = f"{where} AND {cond}" if where else f" WHERE {cond}"
    rel = qi(relation)
    total = int(ctx.table.con.execute(f"SELECT count(*) FROM {rel}{where_all}", args).fetchone()[0])  # type: ignore[index]
    hashed = f"hash({hash_key(ctx, rel, p.x)}, {hash_key(ctx, rel, p.y)}, ?)"
    rows, n = _chart_rows(ctx, step_id, f"SELECT {x} AS x, {y} AS y{color} FROM {rel}{where_all} "
                          f"ORDER BY {hashed}, x, y LIMIT {MAX_SCATTER_POINTS}", [*args, ctx.seed])
    rows = fetch_dicts(ctx, f"SELECT * FROM {qi('step_' + step_id)} ORDER BY x, y")
    xt = "quantitative" if is_numeric(dtypes[p.x]) else "temporal" if is_temporal(dtypes[p.x]) else "nominal"
    yt = "quantitative" if is_numeric(dtypes[p.y]) else "nominal"
    title = f"{p.y} vs {p.x}" + (f" by {p.color}" if p.color else "")
    spec = base_spec(title, "; ".join(filters) or None, rows)
    spec["mark"] = {"type": "circle", "opacity": 0.7, "size": 30}
    spec["encoding"] = {"x": {"field": "x", "type": xt, "title": p.x, "scale": {"zero": False}},
                        "y": {"field": "y", "type": yt, "title": p.y, "scale": {"zero": False}}}
    if p.color:
        spec["encoding"]["color"] = _color("color", p.color, rows)
    r = None
    if xt == yt == "quantitative":
        r = ctx.table.con.execute(f"SELECT corr({x}::DOUBLE, {y}::DOUBLE) FROM {rel}{where_all}", args).fetchone()
    caption = f"{p.y} against {p.x} over {total:,} rows" + (f" (Pearson r = {num(r[0])})." if r else ".")
    if total > n:
        caption += f" A deterministic sample of {n:,} points is drawn (seed {ctx.seed})."
    if filters:
        caption += f" Rows where {' and '.join(filters)}."
    art = render(spec, ctx, chart_stem(ctx, "scatter", p.y, "vs", p.x, p.color), kind="scatter", x=p.x, y=p.y,
                 aggregation="none", group=p.color, caption=caption, n_points=n, filters=filters,
                 limit=MAX_SCATTER_POINTS if total > n else None)
    return ToolOutput(rows=rows, row_count=n, facts={"points": n, "rows": total}, summary=caption, chart=art)


def _delegate(p: ChartParams, ctx: ExecContext, step_id: str, relation: str, where: str, args: list[Any],
              filters: list[str]) -> ToolOutput:
    """Box, histogram and heatmap: the dedicated tools draw them, on the filtered rows when filters apply."""
    source = p.source
    if where:
        name = f"step_{step_id}__rows"
        ctx.table.con.execute(f"CREATE OR REPLACE TABLE {qi(name)} AS SELECT * FROM {qi(relation)}{where}", args)
        source = name
    if p.mark == "box":
        if p.y is None:
            raise PlanError(f"step {step_id}: a box plot needs a numeric y column")
        out = box_chart(BoxChartParams(source=source, metric=p.y, group=p.x), ctx, step_id)
    elif p.mark == "histogram":
        out = histogram_chart(HistogramChartParams(source=source, column=p.x, bins=20), ctx, step_id)
    else:
        agg = p.agg if p.agg in CHART_AGGS and p.agg != "none" else "count"
        out = heatmap_chart(HeatmapChartParams(source=source, x=p.x, y=p.color or p.y or p.x, value=None if
                                               agg == "count" else p.y, agg=agg), ctx, step_id)  # type: ignore[arg-type]
    if out.chart is not None and filters:
        out.chart = out.chart.model_copy(update={"filters": filters})
    return out


__all__ = ["AreaChartParams", "ChartParams", "PieChartParams", "TimeBin", "chart", "params_from_request"]
