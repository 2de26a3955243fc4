"""What the question needs in terms of the table's real columns: metrics, groups, time, filters, top-k.

Two paths give the same `Requirements`. The deterministic one (`extract_requirements`) reads the column
mapping and a few cue words. The model one (`RequirementsStep`) answers inside a contract whose every
column field is an enum of the dataset's real columns, may say "auto" where it has no opinion, and is then
resolved from the deterministic answer and checked for meaning (a metric must be numeric, a filter value
must exist). What the question asked for but the table lacks (`unmatched_terms`) is always recomputed
here and never taken from the model, so a substitute is never charted silently.

Deviation from the shared vocabulary: `Requirements.defaults` (added to models.py) lists the keys that
were *chosen*, not asked ("metric:revenue"), so reports can say "no metric named; showing revenue".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field, ValidationError

from sgr.autoviz.columns import ColumnMapping, Token, ValueIndex, stem
from sgr.autoviz.intent import profile_summary
from sgr.autoviz.models import (
    ANALYSIS_TYPES,
    CHART_AGGS,
    CHART_KINDS,
    FILTER_OPS,
    FLAT_BINS,
    FLAT_SORTS,
    MARKS,
    RELATIVE_OPS,
    Aggregation,
    AnalysisType,
    ChartKind,
    ChartRequest,
    ChartSort,
    Filter,
    Grain,
    Intent,
    Requirements,
)
from sgr.autoviz.question import QuestionAnalysis, analyze_question
from sgr.core.contracts import AUTO, bounded_str, enum_of, make_contract
from sgr.core.step import SGRStep

if TYPE_CHECKING:
    from sgr.autoviz.profile import ColumnProfile, DataProfile

GRAINS: tuple[str, ...] = Grain.__args__  # type: ignore[attr-defined]
AGGREGATIONS: tuple[str, ...] = Aggregation.__args__  # type: ignore[attr-defined]

_GRAIN_WORDS = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter",
                "yearly": "year", "annual": "year", "annually": "year", "yoy": "year", "mom": "month",
                "wow": "week"}
_GRAIN_UNITS = {"hour": "hour", "day": "day", "week": "week", "month": "month", "quarter": "quarter",
                "year": "year"}
_AGG_WORDS: dict[str, Aggregation] = {"average": "mean", "avg": "mean", "mean": "mean", "median": "median",
                                      "max": "max", "maximum": "max", "min": "min", "minimum": "min",
                                      "total": "sum", "sum": "sum", "count": "count", "unique": "count_distinct",
                                      "distinct": "count_distinct"}
_ANALYSIS_WORDS: dict[str, AnalysisType] = {
    "share": "share", "percentage": "share", "percent": "share", "proportion": "share", "fraction": "share",
    "mix": "share", "composition": "share", "pie": "share",
    "top": "rank", "best": "rank", "worst": "rank", "highest": "rank", "lowest": "rank", "rank": "rank",
    "ranking": "rank", "bottom": "rank", "leading": "rank", "largest": "rank", "biggest": "rank",
    "smallest": "rank",
    "distribution": "distribution", "spread": "distribution", "histogram": "distribution",
    "variance": "distribution", "range": "distribution", "skew": "distribution",
    "correlation": "correlation", "correlate": "correlation", "relationship": "correlation",
    "scatter": "correlation",
    "outlier": "anomaly", "anomaly": "anomaly", "spike": "anomaly", "unusual": "anomaly",
    "total": "total", "overall": "total", "sum": "total",
    "trend": "trend", "growth": "trend", "evolution": "trend", "seasonality": "trend",
    "compare": "compare", "comparison": "compare", "versus": "compare", "vs": "compare",
    "summary": "summary", "overview": "summary", "summarize": "summary", "describe": "summary",
}
_CHART_WORDS: dict[str, ChartKind] = {"pie": "bar", "donut": "bar", "doughnut": "bar", "bar": "bar",
                                      "column": "bar", "line": "line", "scatter": "scatter",
                                      "scatterplot": "scatter", "histogram": "histogram", "box": "box",
                                      "boxplot": "box", "whisker": "box", "heatmap": "heatmap",
                                      "stacked": "stacked_bar", "grouped": "grouped_bar"}
_ANALYSIS_STEMS: dict[str, AnalysisType] = {stem(w): a for w, a in _ANALYSIS_WORDS.items()}
_CHART_STEMS: dict[str, ChartKind] = {stem(w): c for w, c in _CHART_WORDS.items()}
_INTENT_ANALYSES: dict[str, list[AnalysisType]] = {
    "time_series_investigation": ["trend"],
    "anomaly_detection": ["anomaly"],
    "comparative_analysis": ["compare"],
    "segmentation_drivers": ["correlation"],
    "general_eda": ["summary", "distribution"],
}
_PREFERRED_METRIC = re.compile(r"revenue|sales|amount|total|value|price|profit|cost|spend|income|quantity")
_TIME_INTENTS = ("time_series_investigation", "anomaly_detection")
_DATE_LIKE = re.compile(r"^(19|20)\d\d(-\d\d(-\d\d([ T]\d\d:\d\d(:\d\d)?)?)?)?$")


def _usable(profile: DataProfile) -> list[ColumnProfile]:
    return [c for c in profile.columns if not c.all_null]


def metric_columns(profile: DataProfile) -> list[str]:
    """Columns a metric may name: numeric and not all-null (measures first, then other numeric ones)."""
    cols = _usable(profile)
    return ([c.name for c in cols if c.role == "measure"]
            + [c.name for c in cols if c.role != "measure" and c.numeric])


def group_columns(profile: DataProfile) -> list[str]:
    """Columns worth grouping by: categorical and boolean ones."""
    return [c.name for c in _usable(profile) if c.role in ("categorical", "boolean")]


def temporal_columns(profile: DataProfile) -> list[str]:
    """Date and timestamp columns."""
    return [c.name for c in _usable(profile) if c.role == "temporal"]


# -- deterministic path ------------------------------------------------------------------------------


def _grain(tokens: list[Token]) -> Grain:
    words = [t.lower for t in tokens]
    for i, w in enumerate(words):
        if w in _GRAIN_WORDS:
            return _GRAIN_WORDS[w]  # type: ignore[return-value]
        unit = _GRAIN_UNITS.get(stem(w)) or _GRAIN_UNITS.get(w)
        if unit and i > 0 and words[i - 1] in ("by", "per", "each", "every", "a", "over"):
            return unit  # type: ignore[return-value]
        if unit and i + 2 < len(words) and words[i + 1] == "over" and stem(words[i + 2]) == stem(w):
            return unit  # type: ignore[return-value]
    return "auto"


def _aggregation(tokens: list[Token], lowered: str) -> Aggregation | None:
    if re.search(r"\b(how many|number of|count of|count the)\b", lowered):
        return "count_distinct" if re.search(r"\b(unique|distinct)\b", lowered) else "count"
    for t in tokens:
        if t.lower in _AGG_WORDS and t.lower not in ("unique", "distinct", "count"):
            return _AGG_WORDS[t.lower]
    return None


def _after_by(tokens: list[Token], index: int) -> bool:
    """Whether the word at `index` follows a grouping cue ('by units', 'per rating')."""
    return index > 0 and tokens[index - 1].lower in ("by", "per", "across", "each", "every")


def _default_metrics(profile: DataProfile, intent: str) -> list[str]:
    measures = [c for c in _usable(profile) if c.role == "measure"]
    ranked = sorted(measures, key=lambda c: (not _PREFERRED_METRIC.search(c.name.lower()), c.missing_frac))
    wanted = 3 if intent in ("segmentation_drivers", "general_eda") else 1
    return [c.name for c in ranked[:wanted]]


def _default_group(profile: DataProfile) -> str | None:
    cands = [c for c in _usable(profile) if c.role in ("categorical", "boolean") and 2 <= c.distinct <= 30]
    cands.sort(key=lambda c: (c.missing_frac, c.distinct > 12))
    return cands[0].name if cands else None


def _value_groups(mapping: ColumnMapping) -> list[str]:
    """Columns two or more of whose values the question names ("EU vs US"): the question compares them.

    The values themselves become filters in the question analysis (`QuestionAnalysis.filters`).
    """
    by_col: dict[str, set[str]] = {}
    for v in mapping.values:
        by_col.setdefault(v.column, set()).add(v.value)
    return [col for col, vals in by_col.items() if len(vals) > 1]


def extract_requirements(question: str, profile: DataProfile, intent: Intent, *,
                         values: ValueIndex | None = None, analysis: QuestionAnalysis | None = None) -> Requirements:
    """The deterministic requirements: mapped columns plus cue words, with chosen defaults marked.

    Parameters
    ----------
    question:
        The person's question.
    profile:
        The data profile (real column names and roles).
    intent:
        The classified intent; it sets the base analysis types and which defaults make sense.
    values:
        Optional full value lists of categorical columns (`columns.categorical_values`), so values beyond
        the profile's top 5 become filters.
    analysis:
        The question analysis of this run (`question.analyze_question`); computed here when not given.

    Returns
    -------
    Requirements whose column fields name only real columns; `unmatched_terms` lists what the question
    named that the table lacks, and `defaults` lists what was chosen because nothing was named.
    """
    analysis = analysis or analyze_question(question, profile, values=values)
    tokens = analysis.tokens
    lowered = question.lower()
    mapping = analysis.mapping
    cols = {c.name: c for c in profile.columns}
    metric_ok = set(metric_columns(profile))
    defaults: list[str] = []

    metrics: list[str] = []
    group_by: list[str] = []
    time_column: str | None = None
    agg = _aggregation(tokens, lowered)
    for m in mapping.matches:
        c = cols[m.column]
        if c.role == "temporal":
            time_column = time_column or c.name
        elif c.role in ("categorical", "boolean") and not (c.numeric and not _after_by(tokens, m.start)):
            group_by.append(c.name)
        elif c.role == "identifier" and agg in ("count", "count_distinct"):
            metrics.append(c.name)
            agg = "count_distinct"
        elif c.name in metric_ok and c.role != "identifier":
            # a measure, or a small-integer "categorical" (units 1..9) named where a metric goes
            metrics.append(c.name)
    value_groups = _value_groups(mapping)
    filters = list(analysis.filters)
    thresholds = [f for f in filters if cols[f.column].numeric and f.op not in ("==", "!=", "in", "not_in")]
    # "revenue by region where units > 5": units only restricts the rows; it is not asked about
    metrics = [m for m in metrics if m not in {f.column for f in thresholds}] or metrics
    group_by += [g for g in value_groups if g not in group_by]
    chart = analysis.chart
    # "only for the Online channel": a column pinned to one value leaves one group; it filters, it does not group
    pinned = {f.column for f in filters if f.op == "=="}
    group_by = [g for g in group_by if g not in pinned or (chart is not None and g in (chart.x, chart.color))]
    if chart is not None:
        # the requested chart's columns are requirements too, so the context charts serve them
        if chart.y and chart.aggregation not in ("count", "count_distinct", "none") and chart.y not in metrics \
                and chart.y in metric_ok:
            metrics.insert(0, chart.y)
        named = {m.column for m in analysis.mentions}
        for col in (chart.x, chart.color):
            c = cols.get(col) if col else None
            if c is None or c.name not in named:
                continue  # a column the chart chose (not the question) stays a chosen default below
            if c.role == "temporal":
                time_column = time_column or c.name
            elif c.role in ("categorical", "boolean") and c.name not in group_by:
                group_by.append(c.name)

    temporal = temporal_columns(profile)
    grain = _grain(tokens)
    if time_column is None and temporal and (intent in _TIME_INTENTS or grain != "auto"):
        time_column = temporal[0]
        defaults.append(f"time:{time_column}")
    if not metrics and agg not in ("count", "count_distinct"):
        metrics = _default_metrics(profile, intent)
        defaults += [f"metric:{m}" for m in metrics]
    if agg is None or (agg != "count" and not metrics):
        agg = "sum" if metrics else "count"
    if intent == "comparative_analysis" and not group_by:
        g = _default_group(profile)
        if g:
            group_by.append(g)
            defaults.append(f"group_by:{g}")
    filters = filters[:4]

    top_k = analysis.top_k
    order = {"ascending": "asc", "descending": "desc"}.get(analysis.top_order or "")
    if not order:
        order = "asc" if any(t.lower in ("lowest", "worst", "least", "bottom", "smallest") for t in tokens) \
            else "desc"
    analyses = _analysis_types(tokens, intent, has_time=time_column is not None, ranked=top_k is not None,
                               grouped=bool(group_by))
    return Requirements(
        metrics=_dedupe(metrics)[:5], group_by=_dedupe(group_by)[:3], time_column=time_column,
        time_grain=grain, aggregation=agg, analysis_types=analyses, filters=filters, sort=order,
        top_k=top_k, chart_hints=_chart_hints(tokens, lowered), unmatched_terms=mapping.unmatched,
        unrecognized_terms=mapping.unrecognized,
        mapped_terms=mapping.mapped_terms(), defaults=defaults, chart=chart,
    )


def _analysis_types(tokens: list[Token], intent: str, *, has_time: bool, ranked: bool,
                    grouped: bool) -> list[AnalysisType]:
    """The intent's base analyses plus those the words ask for, in the vocabulary's fixed order."""
    wanted: set[str] = set(_INTENT_ANALYSES.get(intent, []))
    wanted.update(a for t in tokens if (a := _ANALYSIS_STEMS.get(t.stem)))
    if ranked:
        wanted.add("rank")
    if grouped and intent == "segmentation_drivers":
        wanted.add("compare")
    if not has_time:
        wanted.discard("trend")  # a trend without a time column cannot be drawn
    return [a for a in ANALYSIS_TYPES if a in wanted]  # type: ignore[misc]


def _chart_hints(tokens: list[Token], lowered: str) -> list[ChartKind]:
    """Chart kinds the person named; a pie becomes a bar (the closed set has no pie, on purpose)."""
    hints: list[ChartKind] = []
    for t in tokens:
        h = _CHART_STEMS.get(t.stem)
        if h and h not in hints and (t.lower != "column" or "chart" in lowered):
            hints.append(h)
    if re.search(r"\bheat\s+map", lowered) and "heatmap" not in hints:
        hints.append("heatmap")
    if "side by side" in lowered and "grouped_bar" not in hints:
        hints.append("grouped_bar")
    return hints[:3]


def _dedupe(items: Sequence[str]) -> list[str]:
    out: list[str] = []
    for i in items:
        if i not in out:
            out.append(i)
    return out


# -- the SGR step --------------------------------------------------------------------------------------


@dataclass
class RequirementsContext:
    """The question, the profile and the intent already decided."""

    question: str
    profile: DataProfile
    intent: Intent
    #: optional full value lists of categorical columns (`columns.categorical_values(table, profile)`)
    values: ValueIndex | None = None
    #: the run's one reading of the question; computed from the question when not given
    analysis: QuestionAnalysis | None = None


def requirements_contract(profile: DataProfile) -> type[BaseModel]:
    """The bounded contract for this table: column fields are enums of its real columns (or "auto").

    A field whose enum would be empty (no temporal or no numeric column) is left out, since an empty
    enum matches nothing; `resolve` fills it from the deterministic path.
    """
    fields: dict[str, tuple[Any, Any]] = {
        "reasoning": (str, bounded_str(200, description="what the question needs, briefly")),
    }
    metrics = metric_columns(profile)
    if metrics:
        fields["metrics"] = (list[enum_of(metrics, allow_auto=True)],  # type: ignore[misc]
                             Field(..., max_length=5, description='numeric columns to aggregate, or ["auto"]'))
    groups = group_columns(profile)
    if groups:
        fields["group_by"] = (list[enum_of(groups, allow_auto=True)],  # type: ignore[misc]
                              Field(..., max_length=3, description="columns to group by"))
    temporal = temporal_columns(profile)
    if temporal:
        fields["time_column"] = (enum_of(temporal, allow_auto=True) | None, Field(...))
        fields["time_grain"] = (enum_of(GRAINS), Field(...))
    fields["aggregation"] = (enum_of(AGGREGATIONS, allow_auto=True), Field(...))
    fields["analysis_types"] = (list[enum_of(ANALYSIS_TYPES)],  # type: ignore[misc]
                                Field(..., max_length=5))
    filter_model = make_contract("FilterContract", {
        "column": (enum_of(c.name for c in _usable(profile) or profile.columns), Field(...)),
        "op": (enum_of(FILTER_OPS), Field(...)),
        "value": (str, bounded_str(40, description="value; for 'in' separate values with |")),
    })
    fields["filters"] = (list[filter_model], Field(..., max_length=3))  # type: ignore[valid-type]
    fields["sort"] = (enum_of(("desc", "asc", "none"), allow_auto=True), Field(...))
    fields["top_k"] = (int | None, Field(..., ge=1, le=100))
    fields["chart_hints"] = (list[enum_of(CHART_KINDS)], Field(..., max_length=3))  # type: ignore[misc]
    fields["chart"] = (chart_contract(profile), Field(...))
    return make_contract("RequirementsContract", fields, doc="What the question needs from this table.")


def chart_contract(profile: DataProfile) -> type[BaseModel]:
    """The chart request as a model answers it: every column an enum of real columns, "auto" where the
    deterministic reading should decide, "none" for an absent y (count rows) or colour."""
    usable = [c.name for c in _usable(profile) if c.role != "text"] or [c.name for c in profile.columns]
    groups = group_columns(profile)
    return make_contract("ChartRequestContract", {
        "mark": (enum_of(MARKS, allow_auto=True), Field(...)),
        "x": (enum_of(usable, allow_auto=True), Field(...)),
        "y": (enum_of([*usable, "none"], allow_auto=True), Field(...)),
        "aggregation": (enum_of(CHART_AGGS, allow_auto=True), Field(...)),
        "color": (enum_of([*groups, "none"], allow_auto=True), Field(...)),
        "sort": (enum_of(FLAT_SORTS, allow_auto=True), Field(...)),
        "bin": (enum_of(FLAT_BINS, allow_auto=True), Field(...)),
        "top_k": (int | None, Field(..., ge=1, le=100)),
    }, doc="The one chart the question asks for (chart 1 of the report).")


def resolve_chart(answer: dict[str, Any] | None, det: ChartRequest | None, filters: list[Filter]
                  ) -> tuple[ChartRequest | None, list[str]]:
    """The model's chart request with "auto" filled from the deterministic one; (request, fields filled)."""
    if not answer:
        return det, ["chart"]
    filled: list[str] = []

    def pick(name: str, fallback: Any) -> Any:
        v = answer.get(name, AUTO)
        if v == AUTO:
            filled.append(f"chart.{name}")
            return fallback
        return None if v == "none" and name != "aggregation" else v  # aggregation "none" = raw values

    x = pick("x", det.x if det else None)
    if x is None:
        return det, ["chart"]
    y = pick("y", det.y if det else None)
    fields = {"mark": pick("mark", det.mark if det else "bar"), "x": x, "y": y,
              "aggregation": pick("aggregation", det.aggregation if det else ("count" if y is None else "sum")),
              "color": pick("color", det.color if det else None),
              "sort": ChartSort.from_flat(pick("sort", det.sort.flat() if det and det.sort else "none")),
              "bin": pick("bin", det.bin if det else None),
              "top_k": answer.get("top_k") if answer.get("top_k") is not None else (det.top_k if det else None)}
    model_said = sorted(k for k in ("mark", "x", "y", "aggregation", "color", "sort", "bin") if answer.get(k) != AUTO)
    try:
        return ChartRequest(**fields, explicit=bool(det and det.explicit), filters=filters, reasons=[
            f"model chose {', '.join(model_said)}" if model_said else "model left every field auto"]), filled
    except ValidationError:  # an answer the grammar allowed but a chart cannot be: the reading decides
        return det, ["chart"]


def check_chart(profile: DataProfile, chart: ChartRequest) -> list[str]:
    """Meaning checks on a chart request that the grammar cannot express, one sentence each."""
    cols = {c.name: c for c in profile.columns}
    problems: list[str] = []
    x, y = cols.get(chart.x), cols.get(chart.y) if chart.y else None
    if x is None:
        return [f"chart x {chart.x!r} is not a column"]
    if chart.bin is not None and x.role != "temporal":
        problems.append(f"chart bin {chart.bin!r} needs a date x, but {chart.x!r} is {x.role}; use bin none")
    if chart.aggregation == "none" and chart.mark != "scatter":
        problems.append("chart aggregation 'none' (raw values) is only for a scatter; pick sum, mean or count")
    if chart.mark == "scatter" and (y is None or not y.numeric or not x.numeric):
        problems.append("a scatter needs two numeric columns for x and y")
    if y is not None and chart.aggregation not in ("count", "count_distinct", "none") and not y.numeric:
        problems.append(f"chart y {chart.y!r} is {y.dtype}; {chart.aggregation} needs a numeric column")
    if chart.y is None and chart.aggregation not in ("count",):
        problems.append(f"chart aggregation {chart.aggregation!r} needs a y column; use count to count rows")
    if chart.color is not None and chart.color == chart.x:
        problems.append("chart colour repeats x; choose another column or none")
    if chart.mark in ("histogram",) and not x.numeric:
        problems.append(f"a histogram needs a numeric x; {chart.x!r} is {x.dtype}: use a bar of counts")
    return problems


def _coerce_value(column: ColumnProfile | None, op: str, raw: str, known: Sequence[str] | None) -> Any:
    if op in RELATIVE_OPS:
        return None
    listed = op in ("in", "not_in", "between")
    parts = [p.strip() for p in raw.split("|")] if listed else [raw.strip()]
    out: list[Any] = []
    for p in parts:
        if column is not None and column.numeric:
            try:
                out.append(float(p) if "." in p else int(p))
                continue
            except ValueError:
                pass
        if column is not None and column.role in ("categorical", "boolean"):
            spellings = known if known is not None else [str(v) for v, _n in column.top_values]
            p = next((v for v in spellings if v.lower() == p.lower()), p)
        out.append(p)
    return out if listed else out[0]


def resolve_contract(ctx: RequirementsContext, value: Any) -> tuple[Requirements, list[str]]:
    """Turn a contract answer into Requirements: fill "auto" and missing fields from the deterministic path.

    Unmatched and mapped terms always come from the deterministic path; the model never sees those fields.
    """
    det = extract_requirements(ctx.question, ctx.profile, ctx.intent, values=ctx.values, analysis=ctx.analysis)
    data = value.model_dump()
    filled: list[str] = []
    cols = {c.name: c for c in ctx.profile.columns}

    def pick(name: str, fallback: Any) -> Any:
        v = data.get(name, AUTO)
        if name not in data or v == AUTO:
            filled.append(name)
            return fallback
        return v

    def pick_list(name: str, fallback: list[Any]) -> list[Any]:
        v = data.get(name)
        if name not in data or AUTO in (v or []):
            filled.append(name)
            return list(fallback)
        return list(v)

    metrics = pick_list("metrics", det.metrics)
    group_by = pick_list("group_by", det.group_by)
    time_column = pick("time_column", det.time_column) if temporal_columns(ctx.profile) else None
    grain = pick("time_grain", det.time_grain)
    if grain == "auto" and det.time_grain != "auto":
        grain = det.time_grain
    known = ctx.values or {}
    filters = [Filter(column=f["column"], op=f["op"],
                      value=_coerce_value(cols.get(f["column"]), f["op"], f["value"], known.get(f["column"])))
               for f in data.get("filters", [])]
    field_of = {"metric": "metrics", "group_by": "group_by", "time": "time_column"}
    defaults = [d for d in det.defaults if field_of[d.split(":", 1)[0]] in filled]
    req = Requirements(
        metrics=metrics, group_by=group_by, time_column=time_column, time_grain=grain,
        aggregation=pick("aggregation", det.aggregation),
        analysis_types=_dedupe(data.get("analysis_types") or det.analysis_types),  # type: ignore[arg-type]
        filters=filters, sort=pick("sort", det.sort), top_k=data.get("top_k", det.top_k),
        chart_hints=_dedupe(data.get("chart_hints") or []),  # type: ignore[arg-type]
        unmatched_terms=det.unmatched_terms, unrecognized_terms=det.unrecognized_terms,
        mapped_terms=det.mapped_terms, defaults=defaults,
    )
    chart, chart_filled = resolve_chart(data.get("chart"), det.chart, filters)
    req = req.model_copy(update={"chart": chart})
    return req, filled + chart_filled


def check_requirements(profile: DataProfile, req: Requirements, *, question: str | None = None,
                       values: ValueIndex | None = None, analysis: QuestionAnalysis | None = None) -> list[str]:
    """Meaning checks the grammar cannot express; each problem is one sentence the model can act on."""
    problems: list[str] = []
    cols = {c.name: c for c in profile.columns}
    for m in req.metrics:
        c = cols.get(m)
        if c is None:
            problems.append(f"metric {m!r} is not a column")
        elif not c.numeric and req.aggregation not in ("count", "count_distinct"):
            problems.append(f"metric {m!r} is {c.dtype}, not numeric; pick a numeric column or aggregation count")
    for g in req.group_by:
        c = cols.get(g)
        if c is None:
            problems.append(f"group_by {g!r} is not a column")
        elif c.role == "measure":
            problems.append(f"group_by {g!r} is a continuous measure; group by a categorical column instead")
    if req.time_column is not None:
        c = cols.get(req.time_column)
        if c is None or c.role != "temporal":
            problems.append(f"time_column {req.time_column!r} is not a date/time column")
    for f in req.filters:
        c = cols.get(f.column)
        if c is None:
            problems.append(f"filter column {f.column!r} is not a column")
            continue
        if f.op in RELATIVE_OPS:
            if not c.numeric:
                problems.append(f"filter '{f.text()}' needs a numeric column; {f.column!r} is {c.dtype}")
            continue
        given = f.value if isinstance(f.value, list) else [f.value]
        if c.role in ("categorical", "boolean") and not c.numeric:
            full = (values or {}).get(f.column)
            if full is None and c.top_values and len(c.top_values) >= c.distinct:
                full = [str(v) for v, _n in c.top_values]
            missing = [str(v) for v in given if full is not None and str(v) not in full]
            if missing:
                shown = ", ".join(sorted(full or [])[:20])
                problems.append(f"filter value(s) {missing} do not occur in {f.column!r}; values are: {shown}")
        elif c.role == "temporal" and not all(_DATE_LIKE.match(str(v)) for v in given):
            problems.append(f"filter on {f.column!r} needs dates like 2024-01-31, got {given}")
        elif c.numeric and not all(isinstance(v, (int, float)) for v in given):
            problems.append(f"filter on numeric {f.column!r} needs numbers, got {given}")
    if req.chart is not None:
        problems += check_chart(profile, req.chart)
    if not req.metrics and req.aggregation not in ("count",):
        problems.append(f"aggregation {req.aggregation!r} needs a metric column; name one or use count")
    if question is not None:
        analysis = analysis or analyze_question(question, profile, values=values)
        top_k = analysis.top_k
        if top_k is not None and req.top_k != top_k:
            problems.append(f"the question asks for the top {top_k}, so top_k must be {top_k}")
        det_cols = analysis.mapping.matches
        used = {*req.metrics, *req.group_by, req.time_column, *(f.column for f in req.filters)}
        expressible = ("measure", "categorical", "boolean", "temporal")
        for m in det_cols:
            if m.kind != "fuzzy" and m.column not in used and cols[m.column].role in expressible:
                problems.append(f"the question names column {m.column!r} ({m.term!r}) but no field uses it")
    return problems


class RequirementsStep(SGRStep[RequirementsContext, Requirements]):
    """The requirements decision as an SGR step; offline it is `extract_requirements`."""

    name = "extract_requirements"

    def prompt(self, ctx: RequirementsContext) -> list[dict[str, Any]]:
        return [
            {"role": "system", "content": (
                "You turn a data question into analysis requirements over the given table. Use only the "
                "listed columns. Answer \"auto\" where the question says nothing and the data should decide. "
                "Think briefly in `reasoning` first.")},
            {"role": "user", "content": (f"Table:\n{profile_summary(ctx.profile)}\n\nIntent: {ctx.intent}\n"
                                         f"Question: {ctx.question}")},
        ]

    def schema(self, ctx: RequirementsContext) -> type[Any]:
        return requirements_contract(ctx.profile)

    def resolve(self, ctx: RequirementsContext, value: Any) -> tuple[Requirements, list[str]]:
        if isinstance(value, Requirements):
            return value, []
        return resolve_contract(ctx, value)

    def validate(self, ctx: RequirementsContext, value: Requirements) -> list[str]:
        return check_requirements(ctx.profile, value, question=ctx.question, values=ctx.values, analysis=ctx.analysis)

    def fallback(self, ctx: RequirementsContext) -> Requirements:
        return extract_requirements(ctx.question, ctx.profile, ctx.intent, values=ctx.values, analysis=ctx.analysis)
