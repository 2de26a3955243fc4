"""Chart 1 is the chart the question asked for; the template's charts follow as context.

Why a separate planning step after coverage: templates and their adaptation decide which *context* a
question deserves (a trend, a spread, a second grouping); the asked-for chart is not a matter of
templates at all, it is read from the question (`QuestionAnalysis.chart`). Putting it first here, as
one concrete `spec_chart` step, keeps it exact (no placeholder or recipe can change it), drops a context
chart that would only repeat it, and keeps the report within 5-10 charts.
"""

from __future__ import annotations

from sgr.autoviz.coverage import MAX_CHARTS, is_chart
from sgr.autoviz.models import ChartRequest, Plan, PlanStep, Requirements
from sgr.autoviz.tools.spec_chart import params_from_request

ASKED_STEP_ID = "asked_chart"
#: context chart tools that aggregate x (and a group) the way a chart request does: the same columns and
#: aggregation draw the same numbers whatever the mark, so a bar next to the asked pie only repeats it
_AGGREGATING = ("bar_chart", "line_chart", "pie_chart", "area_chart", "spec_chart")
_AGG_MARKS = ("bar", "stacked_bar", "grouped_bar", "line", "area", "pie")


def asked_step(chart: ChartRequest, req: Requirements) -> PlanStep:
    """The requested chart as one concrete plan step, serving the requirement keys it draws."""
    cols = {chart.x, chart.y, chart.color}
    serves = [k for k in req.requirement_keys() if k.split(":", 1)[1] in cols or k.startswith("analysis:")]
    return PlanStep(id=ASKED_STEP_ID, tool="spec_chart", params=params_from_request(chart), serves=serves,
                    rationale=describe(chart))


def describe(chart: ChartRequest) -> str:
    """The chart request in one sentence: "pie of sum of revenue by region; rows where channel == 'Online'"."""
    what = "count of rows" if chart.y is None else f"{chart.aggregation.replace('_', ' ')} of {chart.y}"
    if chart.aggregation == "none":
        what = f"{chart.y} against {chart.x}"
    text = f"{chart.mark.replace('_', ' ')} of {what}" + ("" if chart.aggregation == "none" else f" by {chart.x}")
    if chart.bin:
        text += f" per {chart.bin}"
    if chart.color:
        text += f", coloured by {chart.color}"
    if chart.filters:
        text += "; rows where " + " and ".join(f.text() for f in chart.filters)
    if chart.sort:
        text += f"; sorted by {chart.sort.channel} {chart.sort.order}"
    if chart.top_k:
        text += f"; first {chart.top_k}"
    source = "named in the question" if chart.explicit else "chosen for the question"
    return f"{text[0].upper()}{text[1:]} (chart type {source})."


def _repeats(step: PlanStep, chart: ChartRequest) -> bool:
    """A context chart that draws the same marks over the same columns as the asked one."""
    p = step.params
    x = p.get("x", p.get("column", p.get("group")))
    y = p.get("y", p.get("metric"))
    if step.tool == "histogram_chart":
        return chart.mark == "histogram" and p.get("column") == chart.x
    if step.tool == "box_chart":
        return chart.mark == "box" and p.get("metric") == chart.y and p.get("group") == chart.x
    if step.tool == "scatter_chart":
        return chart.mark == "scatter" and {p.get("x"), p.get("y")} == {chart.x, chart.y}
    if step.tool not in _AGGREGATING or chart.mark not in _AGG_MARKS:
        return False
    if chart.aggregation == "count" and chart.y is None and p.get("agg") == "count":
        y = None  # a count of any column's values is the row count the asked chart already shows
    same_agg = p.get("agg", "sum") == chart.aggregation or y is None
    return x == chart.x and y == chart.y and same_agg and p.get("group", p.get("color")) == chart.color


def put_asked_first(plan: Plan, req: Requirements) -> tuple[Plan, list[str]]:
    """The plan with the asked chart first, repeats dropped and at most MAX_CHARTS charts; and what changed."""
    chart = req.chart
    if chart is None:
        return plan, []
    notes: list[str] = []
    steps: list[PlanStep] = []
    for s in plan.steps:
        if _repeats(s, chart):
            notes.append(f"dropped {s.id}: it would repeat the asked chart")
            continue
        steps.append(s)
    charts = sum(1 for s in steps if is_chart(s.tool)) + 1
    while charts > MAX_CHARTS:
        last = max(i for i, s in enumerate(steps) if is_chart(s.tool))
        notes.append(f"dropped {steps[last].id}: the report keeps at most {MAX_CHARTS} charts")
        steps.pop(last)
        charts -= 1
    return plan.model_copy(update={"steps": [asked_step(chart, req), *steps]}), notes
