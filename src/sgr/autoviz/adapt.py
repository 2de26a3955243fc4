"""Adapt a template plan to this question: add, remove or modify steps, each with a rationale.

The model sees a bounded contract: at most 6 changes; `op` and `tool` are enums (tools from the live
registry), `metric`/`group` are enums of the dataset's real columns (plus "auto"), and step ids are
short snake_case strings. It never writes raw params: each change is expanded from a per-tool recipe
whose placeholders the resolver fills, so a model cannot spell an invalid call.

`validate` applies the changes, resolves the plan and runs the coverage check; a violation the
deterministic rules could fix is fed back to the model. `fallback` is those rules: drop steps the data
cannot feed, add a filter step for requested filters, add a step for every requirement not yet served,
drop or mark steps that serve nothing, and keep the chart count within 5-10.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from sgr.autoviz import coverage
from sgr.autoviz.models import Plan, PlanChange, PlanStep, Requirements
from sgr.autoviz.resolve import Bindings, compute_bindings, placeholders_of, resolve_plan
from sgr.autoviz.tool_params import meaning_problems, merge, proposal_contract
from sgr.core.contracts import bounded_str, enum_of, make_contract
from sgr.core.step import SGRStep

MAX_CHANGES = 6
_ID = re.compile(r"[^a-z0-9_]+")

#: default params for a step the adaptation adds; placeholders are bound by the resolver
RECIPES: dict[str, dict[str, Any]] = {
    # a filter has no default: the model (or the question's requirements) must say column, op and value
    "filter_rows": {"source": "$source"},
    "aggregate": {"source": "$source", "group_by": ["$group"], "metrics": ["$metric"], "agg": "$agg",
                  "sort": "$sort"},
    "summary_stats": {"source": "$source", "columns": "$measures"},
    "correlations": {"source": "$source", "columns": "$measures"},
    "distribution": {"source": "$source", "column": "$metric", "bins": "$bins"},
    "segment_compare": {"source": "$source", "metric": "$metric", "segment": "$group", "agg": "$agg"},
    "resample_timeseries": {"source": "$source", "time_column": "$time", "metrics": ["$metric"],
                            "grain": "$grain", "agg": "$agg"},
    "detect_anomalies": {"source": "$source", "metric": "$metric", "time_column": "$time?",
                         "grain": "$detail_grain?", "agg": "$agg", "method": "robust_z", "threshold": 3.5},
    "top_k": {"source": "$source", "group_by": "$group", "metric": "$metric", "k": "$k", "agg": "$agg"},
    "line_chart": {"source": "$source", "x": "$time", "y": "$metric", "agg": "$agg", "grain": "$grain"},
    "bar_chart": {"source": "$source", "x": "$group", "y": "$metric", "agg": "$agg", "mode": "simple"},
    "scatter_chart": {"source": "$source", "x": "$metric2", "y": "$metric", "max_points": 2000},
    "histogram_chart": {"source": "$source", "column": "$metric", "bins": "$bins"},
    "box_chart": {"source": "$source", "metric": "$metric", "group": "$group"},
    "heatmap_chart": {"source": "$source", "x": "__columns__", "y": "__columns__", "value": None,
                      "agg": "mean"},
}
_METRIC_KEYS = ("y", "metric", "column")
_GROUP_KEYS = ("group", "segment")


class Adaptation(BaseModel):
    """The adaptation in internal form: the reasoning and the concrete changes."""

    model_config = ConfigDict(extra="forbid")
    reasoning: str = ""
    changes: list[PlanChange] = Field(default_factory=list)
    source: Literal["model", "rules"] = "rules"


@dataclass
class AdaptContext:
    """What the adaptation needs: the template plan, the requirements, the profile, and the question."""

    question: str
    plan: Plan
    requirements: Requirements
    profile: Any
    tools: list[str]
    bindings: Bindings = field(init=False)
    _rules: Adaptation | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.bindings = compute_bindings(self.requirements, self.profile)


# -- applying changes -------------------------------------------------------------------------------


def new_step_id(base: str, taken: Sequence[str]) -> str:
    """A snake_case id not in `taken` (suffixing _2, _3...)."""
    stem = _ID.sub("_", base.lower()).strip("_")[:28] or "step"
    out, n = stem, 2
    while out in taken:
        out, n = f"{stem}_{n}", n + 1
    return out


def apply_changes(plan: Plan, changes: Sequence[PlanChange]) -> Plan:
    """The plan after the changes, in order; filter steps are put first so every later step reads them."""
    steps = [s.model_copy(deep=True) for s in plan.steps]
    for ch in changes:
        idx = next((i for i, s in enumerate(steps) if s.id == ch.step_id), None)
        if ch.op == "remove" and idx is not None:
            steps.pop(idx)
        elif ch.op == "modify" and idx is not None:
            s = steps[idx]
            update: dict[str, Any] = {"rationale": ch.rationale}
            if ch.tool:
                update["tool"] = ch.tool
            if ch.params is not None:
                update["params"] = {**s.params, **ch.params}
            if ch.serves is not None:
                update["serves"] = list(dict.fromkeys([*s.serves, *ch.serves]))
            steps[idx] = s.model_copy(update=update)
        elif ch.op == "add" and idx is None and ch.tool:
            step = PlanStep(id=ch.step_id, tool=ch.tool, params=dict(ch.params or {}),
                            serves=list(ch.serves or []), rationale=ch.rationale)
            if ch.tool == "filter_rows":
                steps.insert(sum(1 for s in steps if s.tool == "filter_rows"), step)
            else:
                steps.append(step)
    return plan.model_copy(update={"steps": steps})


def _recipe(tool: str, **overrides: Any) -> dict[str, Any]:
    params = json.loads(json.dumps(RECIPES.get(tool, {"source": "$source"})))
    for k, v in overrides.items():
        if k in params or v is not None:
            params[k] = v
    return params


# -- deterministic rules ----------------------------------------------------------------------------


def _add(changes: list[PlanChange], plan: Plan, tool: str, base_id: str, serves: list[str], why: str,
         **params: Any) -> Plan:
    sid = new_step_id(base_id, [s.id for s in plan.steps])
    ch = PlanChange(op="add", step_id=sid, tool=tool, params=_recipe(tool, **params), serves=serves, rationale=why)
    changes.append(ch)
    return apply_changes(plan, [ch])


def _step_for_key(key: str, b: Bindings) -> tuple[str, dict[str, Any], str] | None:
    """A (tool, param overrides, reason) that serves one requirement key, or None if the data cannot."""
    kind, _, val = key.partition(":")
    has = b.values
    if kind == "metric":
        if "group" in has:
            return "bar_chart", {"y": val}, f"the question asks about {val}; show it per {has['group']}"
        if "time" in has:
            return "line_chart", {"y": val}, f"the question asks about {val}; show it over time"
        return "histogram_chart", {"column": val}, f"the question asks about {val}; show its distribution"
    if kind == "group_by" and "metric" in has:
        return "bar_chart", {"x": val}, f"the question groups by {val}"
    if kind == "time" and "metric" in has:
        return "line_chart", {"x": val}, f"the question is about {val}"
    # no numeric measure at all: rows can still be counted (y=None is a row count)
    if kind == "group_by":
        return "bar_chart", {"x": val, "y": None}, f"the question groups by {val}; no numeric measure: rows counted"
    if kind == "time":
        return "line_chart", {"x": val, "y": None}, f"the question is about {val}; no numeric measure: rows counted"
    if kind == "analysis" and "metric" not in has and val in ("compare", "total", "share", "rank") and "group" in has:
        return ("bar_chart", {"x": has["group"], "y": None, "top_k": has.get("k") if val == "rank" else None},
                "with no numeric measure, rows are counted per group")
    if kind == "analysis" and "metric" not in has and val == "trend" and "time" in has:
        return "line_chart", {"x": has["time"], "y": None}, "with no numeric measure, rows are counted over time"
    need = {"trend": ("time", "metric"), "compare": ("group", "metric"), "total": ("group", "metric"),
            "share": ("group", "metric"), "rank": ("group", "metric"), "distribution": ("metric",),
            "anomaly": ("metric",), "correlation": ("measures",), "summary": ("measures",)}.get(val, ("?",))
    if kind != "analysis" or any(n not in has for n in need):
        return None
    return {"trend": ("line_chart", {}, "the question asks for a trend"),
            "compare": ("bar_chart", {}, "the question asks for a comparison"),
            "total": ("bar_chart", {}, "the question asks for totals"),
            "share": ("bar_chart", {}, "the question asks for shares"),
            "rank": ("bar_chart", {"top_k": has.get("k")}, "the question asks for a ranking"),
            "distribution": ("histogram_chart", {}, "the question asks for a distribution"),
            "anomaly": ("detect_anomalies", {}, "the question asks for anomalies"),
            "correlation": ("correlations", {}, "the question asks for relations between measures"),
            "summary": ("summary_stats", {}, "the question asks for a summary")}[val]


def adapt_by_rules(plan: Plan, requirements: Requirements, profile: Any, bindings: Bindings | None = None,
                   *, reasoning: str = "") -> Adaptation:
    """The deterministic adaptation (the fallback): every change carries its rationale."""
    b = bindings or compute_bindings(requirements, profile)
    changes: list[PlanChange] = []
    current = plan
    # 1. steps whose hard inputs the data does not have
    for s in plan.steps:
        missing = [p for p in placeholders_of(s) if p not in b.values]
        if missing:
            ch = PlanChange(op="remove", step_id=s.id, rationale="; ".join(
                f"needs ${p}: {b.missing.get(p, 'unbound')}" for p in dict.fromkeys(missing)))
            changes.append(ch)
            current = apply_changes(current, [ch])
    # 2. filters the question asked for
    if not any(s.tool == "filter_rows" for s in current.steps):
        for f in requirements.filters:
            current = _add(changes, current, "filter_rows", f"filter_{f.column}", [],
                           f"the question restricts the rows to {f.column} {f.op} {f.value}",
                           column=f.column, op=f.op, value=f.value)
    # 3. a step for every requirement not yet served
    resolved, _ = resolve_plan(current, requirements, profile, bindings=b, allow_empty=True)
    for key in coverage.check(resolved, requirements).uncovered:
        made = _step_for_key(key, b)
        if made is None:
            continue
        tool, overrides, why = made
        twin = next((s for s in current.steps if s.tool == tool and s.params == _recipe(tool, **overrides)), None)
        if twin is not None:  # one step can serve several keys ("by country" and "compare")
            ch = PlanChange(op="modify", step_id=twin.id, serves=[key], rationale=f"{why} (same chart)")
            changes.append(ch)
            current = apply_changes(current, [ch])
            continue
        current = _add(changes, current, tool, f"{key.split(':')[1]}_{tool}", [key], why, **overrides)
    if any(s.tool == "correlations" for s in current.steps) and not any(
            s.tool in ("heatmap_chart", "scatter_chart") for s in current.steps) and "measures" in b.values:
        current = _add(changes, current, "heatmap_chart", "correlation_chart", ["analysis:correlation"],
                       "show the correlations as a matrix")
    # 4. steps that serve nothing: drop while at least 5 charts remain, else keep them as context
    resolved, _ = resolve_plan(current, requirements, profile, bindings=b, allow_empty=True)
    report = coverage.check(resolved, requirements)
    anchor = next((s.id for s in resolved.steps if s.id not in report.idle_steps), None)
    charts = coverage.chart_count(resolved)
    for sid in reversed(report.idle_steps):
        tool = next(s.tool for s in resolved.steps if s.id == sid)
        if coverage.is_chart(tool) and charts <= coverage.MIN_CHARTS and anchor:
            ch = PlanChange(op="modify", step_id=sid, serves=[f"context:{anchor}"],
                            rationale=f"kept as context for {anchor!r} so the report has at least "
                                      f"{coverage.MIN_CHARTS} charts")
        else:
            ch = PlanChange(op="remove", step_id=sid, rationale="serves no requirement of the question")
            charts -= coverage.is_chart(tool)
        changes.append(ch)
        current = apply_changes(current, [ch])
    # 5. too many charts: drop the last ones that are not the only step serving a key
    resolved, _ = resolve_plan(current, requirements, profile, bindings=b, allow_empty=True)
    while coverage.chart_count(resolved) > coverage.MAX_CHARTS:
        served = coverage.check(resolved, requirements).served_by
        drop = next((s for s in reversed(resolved.steps) if coverage.is_chart(s.tool)
                     and all(len(served.get(k, [])) > 1 for k in s.serves if k in served)), None)
        if drop is None:
            break
        ch = PlanChange(op="remove", step_id=drop.id, rationale=f"keeps the report at {coverage.MAX_CHARTS} charts")
        changes.append(ch)
        current = apply_changes(current, [ch])
        resolved, _ = resolve_plan(current, requirements, profile, bindings=b, allow_empty=True)
    # 6. too few charts: add a general view of what exists, marked as context
    if anchor:
        for tool, overrides, base in _general_view(b, profile):
            if coverage.chart_count(resolved) >= coverage.MIN_CHARTS:
                break
            if any(s.tool == tool and all(s.params.get(k, v) == v for k, v in overrides.items())
                   for s in resolved.steps):
                continue
            current = _add(changes, current, tool, base, [f"context:{anchor}"],
                           "general view of the data, added so the report has at least "
                           f"{coverage.MIN_CHARTS} charts", **overrides)
            resolved, _ = resolve_plan(current, requirements, profile, bindings=b, allow_empty=True)
    return Adaptation(reasoning=reasoning or "deterministic rules", changes=changes, source="rules")


def _general_view(b: Bindings, profile: Any) -> list[tuple[str, dict[str, Any], str]]:
    out: list[tuple[str, dict[str, Any], str]] = []
    measures = [c.name for c in profile.columns if c.role == "measure" and not c.all_null]
    groups = [c.name for c in profile.columns if c.role in ("categorical", "boolean") and 2 <= c.distinct <= 50]
    if "time" in b.values:
        for m in measures[:2]:
            out.append(("line_chart", {"y": m}, f"{m}_over_time"))
    if "time" in b.values and not measures:
        out.append(("line_chart", {"x": b.values["time"], "y": None}, "rows_over_time"))
    for g in groups[:3]:
        if measures:
            out.append(("bar_chart", {"x": g}, f"metric_by_{g}"))
        else:
            out.append(("bar_chart", {"x": g, "y": None}, f"rows_by_{g}"))
    for m in measures[:3]:
        out.append(("histogram_chart", {"column": m}, f"{m}_distribution"))
    for g in groups[:2]:
        for m in measures[:2]:
            out.append(("box_chart", {"metric": m, "group": g}, f"{m}_spread_by_{g}"))
    if len(measures) >= 2:
        out.append(("heatmap_chart", {}, "correlation_matrix"))
    return out


# -- the SGR step -----------------------------------------------------------------------------------


def adaptation_contract(ctx: AdaptContext) -> type[BaseModel]:
    """The bounded schema the model fills: reasoning first, then at most 6 typed changes.

    Each change is one variant per tool: `tool` is that tool's name and `params` that tool's own proposal
    contract (`tool_params.proposal_contract`), so a model can say "k=3" for top_k or "bins=12" for a
    histogram, with real columns as enums and "auto" wherever the recipe should decide.
    """
    from sgr.autoviz.tools import REGISTRY

    variants = []
    for tool in proposable_tools(ctx):
        variants.append(make_contract(f"Change{''.join(p.capitalize() for p in tool.split('_'))}", {
            "rationale": (str, bounded_str(80)),
            "op": (enum_of(["add", "remove", "modify"]), ...),
            # the pattern bounds the length itself: vLLM rejects a pattern together with min/maxLength
            "step_id": (str, Field(..., pattern=r"^[a-z][a-z0-9_]{0,23}$")),
            "tool": (Literal[tool], ...),
            "params": (proposal_contract(REGISTRY.get(tool), ctx.profile), ...),
        }))
    # tagged by `tool`: a wrong answer is reported against the variant it names, not against all of them
    change: Any = (Annotated[Union[tuple(variants)], Field(discriminator="tool")]  # noqa: UP007 - built at run time
                   if len(variants) > 1 else variants[0])
    return make_contract("PlanAdaptation", {
        "reasoning": (str, bounded_str(240)),
        "changes": (list[change], Field(..., max_length=MAX_CHANGES)),
    }, doc="Changes to the template plan, each with a rationale.")


def proposable_tools(ctx: AdaptContext) -> list[str]:
    """Tools a change may name: the live registry's tools that have an adaptation recipe."""
    return [t for t in ctx.tools if t in RECIPES]


def _to_changes(ctx: AdaptContext, value: Any) -> list[PlanChange]:
    """Expand the model's changes into concrete ones: the recipe (or the step's own params), overridden by
    every param the model proposed; its "auto" fields stay placeholders for the resolver."""
    from sgr.autoviz.tools import REGISTRY

    out: list[PlanChange] = []
    for c in value.changes:
        params: dict[str, Any] | None = None
        proposal = c.params.model_dump() if c.params is not None else {}
        if c.op == "add":
            params, _said = merge(_recipe(c.tool), proposal)
        elif c.op == "modify":
            current = next((s.tool for s in ctx.plan.steps if s.id == c.step_id), c.tool)
            # the same tool keeps its params and takes what the model changed; a new tool gets its recipe
            params, _said = merge({} if current == c.tool else _recipe(c.tool), proposal)
        # an added step serves what its tool is for (top_k: rank, share); the resolver adds the columns it touches
        serves = [f"analysis:{a}" for a in REGISTRY.get(c.tool).serves] if c.op == "add" else None
        out.append(PlanChange(op=c.op, step_id=c.step_id, tool=c.tool if c.op != "remove" else None,
                              params=params, serves=serves, rationale=c.rationale))
    return out


def _param_problems(plan: Plan) -> list[str]:
    """Params that the tool's own model rejects (e.g. after a tool swap), as feedback for the model."""
    from pydantic import ValidationError

    from sgr.autoviz.tools import REGISTRY

    out: list[str] = []
    for s in plan.steps:
        if s.tool not in REGISTRY.names():
            out.append(f"step {s.id!r}: unknown tool {s.tool!r}")
            continue
        try:
            REGISTRY.get(s.tool).params.model_validate(s.params)
        except ValidationError as exc:
            err = exc.errors()[0]
            out.append(f"step {s.id!r}: {s.tool}.{'.'.join(map(str, err['loc']))}: {err['msg']}")
    return out


def _tool_docs(tools: list[str]) -> str:
    """One short line per tool, "name(param, k 1..100)": the grammar carries types, enums and columns, and a
    small model's context (2,048 tokens on the test tier) has no room for descriptions."""
    from sgr.autoviz.tools import REGISTRY

    lines = []
    for name in tools:
        spec = REGISTRY.get(name)
        parts = []
        for pname, info in spec.params.model_fields.items():
            if pname == "source":
                continue
            bounds = {k: getattr(m, k) for m in info.metadata for k in ("ge", "le", "gt") if hasattr(m, k)}
            if "le" in bounds:
                parts.append(f"{pname} {bounds.get('ge', bounds.get('gt', ''))}..{bounds['le']}")
            else:
                parts.append(pname)
        lines.append(f"- {name}({', '.join(parts)})")
    return "\n".join(lines)


def _brief(params: dict[str, Any]) -> str:
    """Params as `k=v` without the source, short enough for a small model's context."""
    return ", ".join(f"{k}={v}" for k, v in params.items() if k != "source")


class AdaptStep(SGRStep[AdaptContext, Adaptation]):
    """Template plan -> adapted plan; the model proposes, coverage decides, the rules fall back."""

    name = "adapt_plan"

    def prompt(self, ctx: AdaptContext) -> list[dict[str, Any]]:
        """Show the question, the requirements, the template steps and the tools."""
        try:  # show real columns where the data binds them; the template's placeholders otherwise
            shown = resolve_plan(ctx.plan, ctx.requirements, ctx.profile, bindings=ctx.bindings)[0]
        except Exception:  # the prompt must never fail; the unresolved template is still meaningful
            shown = ctx.plan
        steps = "\n".join(f"- {s.id}: {s.tool}({_brief(s.params)}) serves {', '.join(s.serves) or '-'}"
                          for s in shown.steps)
        keys = ", ".join(ctx.requirements.requirement_keys()) or "(none: an open question)"
        return [
            {"role": "system", "content": (
                "You adapt a chart plan to a data question. Return at most 6 changes (add/remove/modify) with "
                "a short rationale each. Every requirement key must be served by a step; every step must "
                "serve a requirement. Keep 5-10 charts. Use 'auto' when unsure.")},
            {"role": "user", "content": (
                f"Question: {ctx.question}\nRequirement keys: {keys}\nTemplate {ctx.plan.template_id} steps:\n"
                f"{steps}\nTools that can be added, with the params you may set (\"auto\" keeps the default):\n"
                f"{_tool_docs(proposable_tools(ctx))}")},
        ]

    def schema(self, ctx: AdaptContext) -> type[Adaptation]:
        """The bounded contract (its instances are converted to `Adaptation` by `resolve`)."""
        return adaptation_contract(ctx)  # type: ignore[return-value]

    def resolve(self, ctx: AdaptContext, value: Any) -> tuple[Adaptation, list[str]]:
        """Turn the model's compact choices into concrete changes (rules output passes through)."""
        if isinstance(value, Adaptation):
            return value, []
        return Adaptation(reasoning=value.reasoning, changes=_to_changes(ctx, value), source="model"), ["changes"]

    def rules(self, ctx: AdaptContext) -> Adaptation:
        """The deterministic adaptation, computed once per context."""
        if ctx._rules is None:
            ctx._rules = adapt_by_rules(ctx.plan, ctx.requirements, ctx.profile, ctx.bindings)
        return ctx._rules

    def validate(self, ctx: AdaptContext, value: Adaptation) -> list[str]:
        """Violations the model's plan has that the rules' plan does not (so each one is fixable)."""
        problems: list[str] = []
        ids = [s.id for s in ctx.plan.steps]
        for ch in value.changes:
            if ch.op in ("remove", "modify") and ch.step_id not in ids:
                problems.append(f"{ch.op} names unknown step {ch.step_id!r}; steps: {', '.join(ids)}")
            if ch.op == "add" and ch.step_id in ids:
                problems.append(f"add uses existing step id {ch.step_id!r}; pick a new id")
            if ch.op == "add" and ch.tool not in RECIPES:
                problems.append(f"tool {ch.tool!r} cannot be added by adaptation; use one of {sorted(RECIPES)}")
        if problems:
            return problems
        try:
            mine = self._evaluate(ctx, value)
            theirs = self._evaluate(ctx, self.rules(ctx))
        except Exception as exc:  # a PlanError from resolution is a problem to feed back, not a crash
            return [f"the adapted plan cannot be resolved: {exc}"]
        return [p for p in mine if p not in theirs]

    def _evaluate(self, ctx: AdaptContext, value: Adaptation) -> list[str]:
        plan, _ = resolve_plan(apply_changes(ctx.plan, value.changes), ctx.requirements, ctx.profile,
                               bindings=ctx.bindings)
        report = coverage.check(plan, ctx.requirements)
        problems = report.problems()
        problems += _param_problems(plan)
        for s in plan.steps:
            problems += meaning_problems(s.id, s.tool, s.params, ctx.profile)
        n = coverage.chart_count(plan)
        if n < coverage.MIN_CHARTS:
            problems.append(f"the plan has {n} charts; keep at least {coverage.MIN_CHARTS}")
        if n > coverage.MAX_CHARTS:
            problems.append(f"the plan has {n} charts; keep at most {coverage.MAX_CHARTS}")
        return problems

    def fallback(self, ctx: AdaptContext) -> Adaptation:
        """The deterministic rules."""
        return self.rules(ctx)
