"""Resolve a plan: every placeholder and "auto" becomes a concrete, type-correct value before any tool runs.

Why a separate stage: the predecessor passed the literal "auto" to tools (which crashed) and treated an
Optional[List[str]] param as a string. Here the values come from the requirements first and the data
profile second, list params always get lists, and the resolution log says where each value came from.

Policy (decided here, documented in the report): a step whose placeholder cannot be bound because the
data lacks that kind of column (e.g. `$time` on a table without dates, `$metric2` with one measure) is
*dropped* with the reason recorded; a literal "auto" in a param the resolver has no rule for is a
`PlanError` naming the step and the param. If every step would be dropped, that is a `PlanError` too.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import typing
from dataclasses import dataclass, field
from typing import Any

from sgr.autoviz.errors import PlanError
from sgr.autoviz.models import Plan, PlanStep, Requirements

AUTO = "auto"
#: params that hold a column name (or names), by the requirement kind they serve
_METRIC_PARAMS = ("y", "metric", "metrics", "value", "column", "columns")
_GROUP_PARAMS = ("group", "group_by", "segment", "color", "x")
_TIME_PARAMS = ("time_column", "x")
#: for an "auto" column param, which placeholder stands for it
_AUTO_COLUMN = {"metric": "metric", "y": "metric", "column": "metric", "value": "metric",
                "x": "group", "group": "group", "segment": "group", "group_by": "group",
                "time_column": "time", "columns": "measures", "metrics": "measures"}
#: coarsest first; a bucket count of at least 12 keeps a line readable, at most 120 keeps it light
_GRAINS: tuple[tuple[str, float], ...] = (("year", 365.25), ("quarter", 91.3), ("month", 30.44),
                                          ("week", 7.0), ("day", 1.0))


@dataclass
class Bindings:
    """What each placeholder stands for in this run, and why a missing one is missing."""

    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    def set(self, name: str, value: Any, origin: str) -> None:
        """Bind a placeholder (ignoring empty values, which count as missing)."""
        if value is None or value == []:
            return
        self.values[name] = value
        self.origins[name] = origin

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for plans/resolution.json."""
        return {"values": self.values, "origins": self.origins, "missing": self.missing}


def choose_grain(start: Any, end: Any) -> str:
    """The coarsest grain giving >= 12 buckets over the span (day when the span is short)."""
    try:
        a = dt.datetime.fromisoformat(str(start)[:19])
        b = dt.datetime.fromisoformat(str(end)[:19])
    except ValueError:
        return "month"
    days = max((b - a).total_seconds() / 86400.0, 0.0)
    if days < 2:
        return "hour"
    for grain, size in _GRAINS:
        if days / size >= 12:
            return grain
    return "day"


def choose_detail_grain(start: Any, end: Any) -> str:
    """The finest grain giving <= 1000 buckets: anomaly scans need detail a chart would drown in."""
    try:
        days = (dt.datetime.fromisoformat(str(end)[:19]) - dt.datetime.fromisoformat(str(start)[:19])).days
    except ValueError:
        return "day"
    return "day" if days <= 1000 else "week" if days <= 7000 else "month"


def choose_bins(n_rows: int) -> int:
    """Sturges' rule clamped to 10..50: enough bars to show a shape, few enough to read."""
    return int(min(50, max(10, math.ceil(math.log2(max(n_rows, 1)) + 1))))


def _pick_group(profile: Any, exclude: list[str]) -> str | None:
    """A categorical a bar chart can show: 2..50 distinct values, fewest missing, in column order."""
    usable = [c for c in profile.columns if c.role in ("categorical", "boolean") and c.name not in exclude
              and not c.all_null and 2 <= c.distinct <= 50]
    usable.sort(key=lambda c: (c.missing_frac > 0.5, c.distinct > 20))
    return usable[0].name if usable else None


def compute_bindings(requirements: Requirements, profile: Any) -> Bindings:
    """Bind every placeholder from the requirements first and the profile second."""
    b = Bindings()
    measures = [c.name for c in profile.columns if c.role == "measure" and not c.all_null]
    temporal = [c.name for c in profile.columns if c.role == "temporal" and not c.all_null]
    metrics = list(requirements.metrics)
    b.set("metric", metrics[0] if metrics else (measures[0] if measures else None),
          "requirements" if metrics else "profile")
    second = metrics[1] if len(metrics) > 1 else next((m for m in measures if m not in metrics[:1]), None)
    b.set("metric2", second, "requirements" if len(metrics) > 1 else "profile")
    groups = list(requirements.group_by)
    # a column filtered to one value ("only the Online channel") has a single group left: never a grouping
    pinned = [f.column for f in requirements.filters if f.op == "=="]
    b.set("group", groups[0] if groups else _pick_group(profile, pinned), "requirements" if groups else "profile")
    g2 = groups[1] if len(groups) > 1 else _pick_group(profile, [*groups[:1], b.values.get("group", ""), *pinned])
    b.set("group2", g2, "requirements" if len(groups) > 1 else "profile")
    time = requirements.time_column or (temporal[0] if temporal else None)
    b.set("time", time, "requirements" if requirements.time_column else "profile")
    if time:
        col = profile.column(time)
        grain = requirements.time_grain if requirements.time_grain != AUTO else choose_grain(col.min, col.max)
        b.set("grain", grain, "requirements" if requirements.time_grain != AUTO else "profile span")
        detail = requirements.time_grain if requirements.time_grain != AUTO else choose_detail_grain(col.min, col.max)
        b.set("detail_grain", detail, "requirements" if requirements.time_grain != AUTO else "profile span")
    all_measures = [*metrics, *[m for m in measures if m not in metrics]][:8]
    b.set("measures", all_measures if len(all_measures) >= 2 else None, "requirements+profile")
    b.set("agg", requirements.aggregation, "requirements")
    b.set("sort", requirements.sort if requirements.sort != "none" else "desc", "requirements")
    b.set("bins", choose_bins(int(profile.n_rows)), "profile rows")
    b.set("k", requirements.top_k or 10, "requirements" if requirements.top_k else "default")
    b.set("source", "data", "default")
    reasons = {"metric": "the data has no numeric measure", "metric2": "the data has only one numeric measure",
               "group": "the data has no usable categorical column (2-50 distinct values)",
               "group2": "the data has no second usable categorical column",
               "time": "the data has no date/time column", "grain": "the data has no date/time column",
               "detail_grain": "the data has no date/time column",
               "measures": "the data has fewer than two numeric measures"}
    b.missing = {k: v for k, v in reasons.items() if k not in b.values}
    return b


class _Unbound(Exception):
    def __init__(self, param: str, placeholder: str, reason: str) -> None:
        super().__init__(f"{param}: {placeholder} unbound ({reason})")
        self.param, self.placeholder, self.reason = param, placeholder, reason


#: "$metric", "$time?": a name; a literal from the question such as "$$$" or "$5" is a value, not a placeholder
_PLACEHOLDER = re.compile(r"^\$[a-z][a-z0-9_]*\??$")


def is_placeholder(value: Any) -> bool:
    """True for a template placeholder ("$group", "$time?"); data values that start with "$" are not."""
    return isinstance(value, str) and _PLACEHOLDER.match(value) is not None


def placeholders_of(step: PlanStep) -> list[str]:
    """Required placeholders a step uses (without `?`), for rules that drop steps the data cannot feed.

    The heatmap's "__columns__" (correlation matrix) counts as `$measures`.
    """
    found: list[str] = []

    def walk(v: Any) -> None:
        if is_placeholder(v) and not v.endswith("?"):
            found.append(v[1:])
        elif v == "__columns__":  # a correlation matrix needs two measures, like $measures
            found.append("measures")
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for v in step.params.values():
        walk(v)
    return found


def _substitute(param: str, value: Any, b: Bindings, log: list[dict[str, Any]], step_id: str) -> Any:
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            got = _substitute(param, item, b, log, step_id)
            if isinstance(got, list):
                out.extend(got)
            elif got is not None:
                out.append(got)
        return out
    if value == AUTO:
        if param in ("mode",):
            return value  # decided after the other params are known
        name = _AUTO_COLUMN.get(param) or {"agg": "agg", "grain": "grain", "bins": "bins", "k": "k",
                                            "top_k": "k", "sort": "sort", "source": "source"}.get(param)
        if name is None:
            raise PlanError(f"step {step_id!r}: param {param!r} is 'auto' and no rule can resolve it")
        value = f"${name}"
    if is_placeholder(value):
        optional = value.endswith("?")
        name = value[1:].rstrip("?")
        if name in b.values:
            log.append({"step": step_id, "param": param, "placeholder": value, "value": b.values[name],
                        "from": b.origins.get(name, "")})
            return b.values[name]
        if optional:
            log.append({"step": step_id, "param": param, "placeholder": value, "value": None,
                        "from": f"optional: {b.missing.get(name, 'unbound')}"})
            return None
        if name not in b.missing:
            raise PlanError(f"step {step_id!r}: param {param!r} names unknown placeholder {value!r}")
        raise _Unbound(param, value, b.missing.get(name, "unbound"))
    return value


def _is_list_type(annotation: Any) -> bool:
    """True for list[...] and Optional[list[...]]; False for unions that also accept a scalar."""
    origin = typing.get_origin(annotation)
    if origin in (list, tuple):
        return True
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return bool(args) and origin is not None and all(_is_list_type(a) for a in args)


def _allows_none(annotation: Any) -> bool:
    return annotation is type(None) or type(None) in typing.get_args(annotation)


def _coerce(params: dict[str, Any], spec: Any, step_id: str, log: list[dict[str, Any]]) -> dict[str, Any]:
    """Make params fit the tool's param model: lists where lists are expected, unknown keys dropped."""
    if spec is None:
        return params
    fields = spec.params.model_fields
    out: dict[str, Any] = {}
    for name, value in params.items():
        if name not in fields:
            log.append({"step": step_id, "param": name, "dropped": f"tool {spec.name} has no such param"})
            continue
        if value is None and not _allows_none(fields[name].annotation):
            log.append({"step": step_id, "param": name, "dropped": "no value on this data; the tool default applies"})
            continue
        is_list = _is_list_type(fields[name].annotation)
        if is_list and isinstance(value, str):
            value = [value]
        elif not is_list and isinstance(value, list) and len(value) == 1:
            value = value[0]
        out[name] = value
    return out


def _serves(step: PlanStep, params: dict[str, Any], b: Bindings, profile: Any,
            spec: Any = None) -> list[str]:
    """Declared serves with placeholders bound, plus what the step's column params actually touch."""
    out: list[str] = []
    for key in step.serves:
        kind, _, val = key.partition(":")
        if val.startswith("$"):
            bound = b.values.get(val[1:].rstrip("?"))
            if bound is None:
                continue
            key = f"{kind}:{bound}"
        out.append(key)
    temporal = set(profile.names("temporal"))
    known = {c.name for c in profile.columns}
    column_params = set(spec.column_params()) if spec is not None else None

    def cols(v: Any) -> list[str]:
        return [c for c in (v if isinstance(v, list) else [v]) if isinstance(c, str)]

    for name, value in params.items():
        if column_params is not None and name not in column_params:
            continue
        for col in cols(value):
            if col not in known:
                continue
            if name in _TIME_PARAMS and col in temporal:
                out.append(f"time:{col}")
            elif name in _GROUP_PARAMS:
                out.append(f"group_by:{col}")
            elif name in _METRIC_PARAMS:
                out.append(f"metric:{col}")
    return list(dict.fromkeys(out))


def _registry() -> Any:
    try:
        from sgr.autoviz.tools import REGISTRY
    except ImportError:  # the tools package is optional for planning-only callers
        return None
    return REGISTRY


def resolve_plan(plan: Plan, requirements: Requirements, profile: Any, *,
                 bindings: Bindings | None = None, registry: Any = None,
                 allow_empty: bool = False) -> tuple[Plan, list[dict[str, Any]]]:
    """A plan with no placeholder and no "auto" left, and the log of every value filled or step dropped.

    Steps after a `filter_rows` step read its output (`source = step_<id>`), so filters reach every chart.
    """
    b = bindings or compute_bindings(requirements, profile)
    reg = registry if registry is not None else _registry()
    log: list[dict[str, Any]] = []
    steps: list[PlanStep] = []
    source = "data"
    for step in plan.steps:
        local = Bindings(values={**b.values, "source": source}, origins=b.origins, missing=b.missing)
        if "__columns__" in step.params.values() and "measures" not in b.values:
            reason = f"a correlation matrix needs two measures: {b.missing['measures']}"
            log.append({"step": step.id, "dropped": reason})
            continue
        try:
            params = {k: _substitute(k, v, local, log, step.id) for k, v in step.params.items()}
        except _Unbound as exc:
            log.append({"step": step.id, "dropped": f"param {exc.param!r} needs {exc.placeholder}: {exc.reason}"})
            continue
        if params.get("mode") == AUTO:
            params["mode"] = "grouped" if params.get("group") else "simple"
            log.append({"step": step.id, "param": "mode", "placeholder": AUTO, "value": params["mode"],
                        "from": "rule: grouped when a group is set"})
        spec = None
        if reg is not None and step.tool in reg.names():
            spec = reg.get(step.tool)
        params = _coerce(params, spec, step.id, log)
        leftover = [k for k, v in params.items() if v == AUTO or (isinstance(v, list) and AUTO in v)]
        if leftover:
            raise PlanError(f"step {step.id!r}: param {leftover[0]!r} is still 'auto' after resolution")
        steps.append(step.model_copy(update={"params": params, "serves": _serves(step, params, b, profile, spec)}))
        if step.tool == "filter_rows":
            source = f"step_{step.id}"
    if not steps and not allow_empty:  # adaptation resolves half-built plans on its way to a full one
        reasons = "; ".join(e["dropped"] for e in log if "dropped" in e)
        raise PlanError("no step of the plan can run on this data: " + (reasons or "the plan has no steps left"))
    return plan.model_copy(update={"steps": steps}), log
