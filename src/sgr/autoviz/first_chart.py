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
#: context chart tools and the chart-request marks they can repeat
_FAMILY = {"bar_chart": ("bar", "stacked_bar", "grouped_bar"), "line_chart": ("line", "area"),
           "scatter_chart": ("scatter",), "histogram_chart": ("histogram",), "box_chart": ("box",),
           "pie_chart": ("pie",), "area_chart": ("area",)}


def asked_step(chart: ChartRequest, req: Requirements) -> PlanStep:
    """The requested chart as one concrete plan step, serving the requirement keys it draws."""
    cols = {chart.x, chart.y, chart.color}
    serves = [k for k in req.requirement_keys() if k.split(":", 1)[1] in cols or k.startswith("analysis:")]
    what = "the chart the question names" if chart.explicit else "the chart that answers the question"
    return PlanStep(id=ASKED_STEP_ID, tool="spec_chart", params=params_from_request(chart), serves=serves,
                    rationale=f"{what[0].upper()}{what[1:]}: {'; '.join(chart.reasons) or chart.mark}.")


def _repeats(step: PlanStep, chart: ChartRequest) -> bool:
    """A context chart that draws the same marks over the same columns as the asked one."""
    marks = _FAMILY.get(step.tool)
    if not marks or chart.mark not in marks:
        return False
    p = step.params
    x = p.get("x", p.get("column", p.get("group")))
    y = p.get("y", p.get("metric"))
    if step.tool == "histogram_chart":
        return p.get("column") == chart.x
    if step.tool == "box_chart":
        return p.get("metric") == chart.y and p.get("group") == chart.x
    if chart.aggregation == "count" and chart.y is None and p.get("agg") == "count":
        y = None  # a count of any column's values is the row count the asked chart already shows
    return x == chart.x and y == chart.y and p.get("group") == chart.color


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
