"""What a model may propose for a tool's parameters: one bounded contract per registered tool, built from the
tool's own params model and the live table, and the rules that turn a proposal into concrete params.

Why per tool and typed: the adaptation step used to let a model choose only a metric and a group; `k`, `bins`,
`grain`, a filter's value or a bar chart's mode always came from fixed recipes, so a model that understood
"top 3" could not say so. Here every proposable field of every tool becomes a grammar field: columns are enums
of the table's real columns, closed vocabularies stay enums, numbers keep their bounds, and "auto" means "let
the recipe and the resolver decide". Meaning (a histogram needs a number, a grain finer than a day needs a
timestamp) is checked by `meaning_problems`, and the adaptation step feeds those back for repair; the
deterministic recipes remain the fallback.
"""

from __future__ import annotations

from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo

from sgr.core.contracts import AUTO, bounded_str, enum_of, make_contract

NONE = "none"
_VALUE_CHARS = 24
_LIST_ITEMS = 3
#: (tool, param) pairs that must name a numeric column, and those that must name a date (or number) column
NUMERIC_PARAMS = {("histogram_chart", "column"), ("box_chart", "metric"), ("scatter_chart", "x"),
                  ("scatter_chart", "y"), ("segment_compare", "metric"), ("detect_anomalies", "metric"),
                  ("top_k", "metric"), ("line_chart", "y"), ("bar_chart", "y")}
TEMPORAL_PARAMS = {("line_chart", "x"), ("resample_timeseries", "time_column"), ("detect_anomalies", "time_column")}
_COUNTING = ("count", "count_distinct")


def _columns(profile: Any) -> list[str]:
    return [c.name for c in profile.columns if not c.all_null and c.role != "text"] or [
        c.name for c in profile.columns]


def _bounds(info: FieldInfo) -> dict[str, float]:
    out: dict[str, float] = {}
    for m in info.metadata:
        for attr, key in (("ge", "ge"), ("gt", "gt"), ("le", "le"), ("lt", "lt")):
            if isinstance(m, getattr(annotated_types, attr.capitalize())):
                out[key] = getattr(m, attr)
    return out


def _field(name: str, info: FieldInfo, columns: list[str]) -> tuple[Any, Any] | None:
    """The grammar type of one proposable field, or None when a model cannot propose it (nested objects)."""
    ann = info.annotation
    args = [a for a in get_args(ann) if a is not type(None)] if get_origin(ann) in (Union, UnionType) else [ann]
    optional = info.default is None or len(args) < len(get_args(ann) or [ann])
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    if extra.get("column"):
        if get_origin(args[0]) is list:
            return list[enum_of(columns, allow_auto=True)], Field(..., max_length=_LIST_ITEMS)  # type: ignore[misc]
        return enum_of([*columns, *([NONE] if optional else [])], allow_auto=True), Field(...)
    if len(args) == 1 and get_origin(args[0]) is Literal:
        values = [str(v) for v in get_args(args[0])]
        return enum_of([*values, *([NONE] if optional else [])], allow_auto=True), Field(...)
    if len(args) == 1 and args[0] in (int, float):
        bounds = _bounds(info)
        if not (({"ge", "gt"} & bounds.keys()) and ({"le", "lt"} & bounds.keys())):
            return None
        number = Annotated[args[0], Field(**bounds)]  # type: ignore[valid-type]
        return number | Literal["auto"], Field(...)  # type: ignore[return-value]
    if len(args) == 1 and args[0] is bool:
        return bool | Literal["auto"], Field(...)  # type: ignore[return-value]
    if name == "value" or (len(args) == 1 and args[0] is str):
        return str, bounded_str(_VALUE_CHARS, description='a value; "auto" to leave it to the recipe; '
                                                          'for in/not_in/between separate values with |')
    return None


def proposal_contract(spec: Any, profile: Any) -> type[BaseModel]:
    """The params a model may propose for one tool, as a closed contract ("auto" everywhere allowed)."""
    columns = _columns(profile)
    fields: dict[str, tuple[Any, Any]] = {}
    for name, info in spec.params.model_fields.items():
        if name == "source":
            continue  # where a step reads from is the plan's business (filters first), never a model's
        built = _field(name, info, columns)
        if built is not None:
            fields[name] = built
    title = "".join(p.capitalize() for p in spec.name.split("_")) + "Proposal"
    return make_contract(title, fields, doc=f"Proposed params for {spec.name}; \"auto\" keeps the default.")


def auto_proposal(spec: Any, profile: Any) -> dict[str, Any]:
    """A proposal that leaves every field to the recipe (what a model says when it has no opinion)."""
    contract = proposal_contract(spec, profile)
    out: dict[str, Any] = {}
    for name, info in contract.model_fields.items():
        out[name] = [AUTO] if get_origin(info.annotation) is list else AUTO
    return out


def _value(raw: str, op: Any) -> Any:
    """A proposed filter value: numbers as numbers, `a|b` as a list for in/not_in/between."""
    def one(text: str) -> Any:
        t = text.strip()
        try:
            return int(t)
        except ValueError:
            pass
        try:
            return float(t)
        except ValueError:
            return t

    if op in ("in", "not_in", "between"):
        return [one(p) for p in raw.split("|")]
    return one(raw)


def merge(base: dict[str, Any], proposal: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Params = the recipe's, overridden by every field the model did not leave "auto"; and which it set."""
    params = dict(base)
    said: list[str] = []
    for key, value in proposal.items():
        if value == AUTO or (isinstance(value, list) and (not value or AUTO in value)):
            continue
        if key == "value" and isinstance(value, str):
            value = _value(value, proposal.get("op", params.get("op")))
        params[key] = None if value == NONE else value
        said.append(key)
    return params, said


def meaning_problems(step_id: str, tool: str, params: dict[str, Any], profile: Any) -> list[str]:
    """What a resolved step asks that the data cannot give, as sentences a model can act on."""
    cols = {c.name: c for c in profile.columns}
    problems: list[str] = []
    counting = params.get("agg") in _COUNTING
    for (t, key) in NUMERIC_PARAMS:
        col = cols.get(params.get(key) or "") if t == tool else None
        if col is None or (counting and key in ("y", "metric")):
            continue
        if not col.numeric:
            problems.append(f"step {step_id!r}: {tool}.{key} is {col.name!r} ({col.dtype}), which is not numeric; "
                            "name a numeric column or use 'auto'")
    for (t, key) in TEMPORAL_PARAMS:
        col = cols.get(params.get(key) or "") if t == tool else None
        if col is not None and col.role != "temporal" and not (
                tool == "line_chart" and col.numeric):
            problems.append(f"step {step_id!r}: {tool}.{key} is {col.name!r}, which is not a date column")
    time_col = cols.get(params.get("time_column") or params.get("x") or "")
    if params.get("grain") == "hour" and time_col is not None and time_col.dtype.upper() == "DATE":
        problems.append(f"step {step_id!r}: grain 'hour' on {time_col.name!r}, which holds dates without times; "
                        "use day or coarser")
    if tool == "top_k" and params.get("group_by") in cols and isinstance(params.get("k"), int):
        distinct = cols[params["group_by"]].distinct
        if distinct and params["k"] > distinct:
            problems.append(f"step {step_id!r}: top_k.k is {params['k']} but {params['group_by']!r} has only "
                            f"{distinct} values; use at most {distinct}")
    return problems
