"""The tool contract: specs, the registry, the execution context, results, and `run_tool`.

Why one `run_tool` gate: the predecessor passed a literal "auto" into tools, treated list params as
strings and lost step outputs. Here every call is validated against the tool's closed pydantic model,
"auto" is refused wherever the parameter's own type does not allow it (a grain may be "auto"; a column
may not), every column is checked against the source before any SQL runs, and every result table is
registered in DuckDB as ``step_<id>`` so a later step can read it with ``source="step_<id>"``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Protocol, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sgr.autoviz.data import Table, column_type, described_types, qi
from sgr.autoviz.errors import PlanError, UnknownToolError
from sgr.autoviz.profile import DataProfile

MAX_RESULT_ROWS = 500


class ToolParams(BaseModel):
    """Base of every tool's params: closed, so an LLM (or a plan file) cannot invent a parameter."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field("data", max_length=128, description='"data" (the loaded table) or "step_<id>"')


class ChartArtifact(BaseModel):
    """Files of one rendered chart (paths relative to the run folder) and what it encodes."""

    file: str
    svg_file: str
    spec_file: str
    kind: str
    x: str | None
    y: str | None
    aggregation: str | None
    group: str | None = None
    title: str
    caption: str
    n_points: int
    #: how the marks are ordered ("y descending"), the time bin, the row filters as readable predicates and
    #: the row limit: with kind/x/y/aggregation/group, everything needed to recompute the chart from the file
    sort: str | None = None
    bin: str | None = None
    filters: list[str] = Field(default_factory=list)
    limit: int | None = None


class ToolResult(BaseModel):
    """What one tool call produced: aggregated rows (<= 500), key facts, one sentence, maybe a chart."""

    step_id: str
    tool: str
    kind: Literal["analysis", "chart"]
    params: dict[str, Any]
    rows: list[dict[str, Any]]
    row_count: int
    facts: dict[str, float | int | str]
    summary: str
    chart: ChartArtifact | None = None
    duration_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (dates as ISO strings) for logs and reports."""
        return self.model_dump(mode="json")


@dataclass
class ToolOutput:
    """What a tool function returns; `run_tool` adds identity, params and timing."""

    rows: list[dict[str, Any]]
    row_count: int
    facts: dict[str, float | int | str]
    summary: str
    chart: ChartArtifact | None = None


class Renderer(Protocol):
    """Draws a chart's SVG (and PNG) from its spec text somewhere else; the Future says when the files exist."""

    def submit(self, spec_text: str, out: Path, stem: str, *, png: bool = False) -> Future[None]:
        """Queue one chart for drawing."""
        ...


@dataclass
class ExecContext:
    """Everything a tool may touch: the data, its profile, the run folder, the seed, earlier results."""

    table: Table
    profile: DataProfile
    out_dir: Path
    seed: int = 0
    results: dict[str, ToolResult] = field(default_factory=dict)
    #: when set, chart tools hand Vega rendering to it and keep going (rendering is most of a chart's cost,
    #: and vl-convert holds the GIL, so it runs in a worker process); `execute_plan` joins `pending_renders`
    renderer: Renderer | None = None
    pending_renders: dict[str, Future[None]] = field(default_factory=dict)
    #: False writes each chart's Vega-Lite spec only (no SVG/PNG): for benchmarks and spec-only callers
    draw: bool = True
    #: also write each chart as a PNG (the SVG is always written when drawing): for rasters-only consumers
    png: bool = False
    #: small query results several steps need (e.g. the ranking of a column's groups), keyed by their SQL, so
    #: a plan of many charts over one big table scans it once per distinct question, not once per chart
    memo: dict[str, Any] = field(default_factory=dict)
    #: relation -> column -> the type DuckDB stores (a coded text column is an ENUM there), read once per relation
    stored_types: dict[str, dict[str, str]] = field(default_factory=dict)


ToolFn = Callable[[Any, ExecContext, str], ToolOutput]


@dataclass
class ToolSpec:
    """A registered tool: its name, typed params model (the schema an LLM sees), and function."""

    name: str
    kind: Literal["analysis", "chart"]
    description: str
    params: type[ToolParams]
    fn: ToolFn
    chart_kind: str | None = None
    serves: list[str] = field(default_factory=list)

    def column_params(self) -> list[str]:
        """Names of params that hold column names (declared with json_schema_extra={"column": True})."""
        out = []
        for name, f in self.params.model_fields.items():
            extra = f.json_schema_extra if isinstance(f.json_schema_extra, dict) else {}
            if extra.get("column"):
                out.append(name)
        return out


class ToolRegistry:
    """Tools by name; registering twice is a bug, looking up an unknown name is a PlanError."""

    def __init__(self) -> None:
        self._specs: dict[str, ToolSpec] = {}

    def register(self, spec: ToolSpec) -> ToolSpec:
        """Add a tool; duplicate names raise ValueError (a programming error, not a user error)."""
        if spec.name in self._specs:
            raise ValueError(f"tool {spec.name!r} registered twice")
        self._specs[spec.name] = spec
        return spec

    def names(self) -> list[str]:
        """Tool names in registration order (analysis first, then charts)."""
        return list(self._specs)

    def get(self, name: str) -> ToolSpec:
        """The spec for `name`; raises UnknownToolError listing the known tools."""
        try:
            return self._specs[name]
        except KeyError:
            raise UnknownToolError(f"unknown tool {name!r}; known tools: {', '.join(self._specs)}") from None

    def specs(self) -> list[ToolSpec]:
        """All specs in registration order."""
        return list(self._specs.values())

    def describe(self) -> str:
        """One block per tool (name, kind, what it serves, params with types) for prompts and docs."""
        blocks = []
        for s in self._specs.values():
            lines = [f"{s.name} ({s.kind}; serves: {', '.join(s.serves) or '-'}): {s.description}"]
            for pname, f in s.params.model_fields.items():
                ann = _type_label(f.annotation)
                if f.is_required():
                    default = ""
                elif f.default_factory is not None:
                    default = f" = {f.default_factory()!r}"  # type: ignore[call-arg]
                else:
                    default = f" = {f.default!r}"
                desc = f" - {f.description}" if f.description else ""
                lines.append(f"  {pname}: {ann}{default}{desc}")
            blocks.append("\n".join(lines))
        return "\n".join(blocks)


def _type_label(annotation: Any) -> str:
    """Readable type for docs and prompts: Literal values spelled out, Optional as "| None"."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return " | ".join(repr(a) for a in args)
    if origin in (Union, UnionType):
        return " | ".join(_type_label(a) for a in args)
    if origin is list:
        return f"list[{', '.join(_type_label(a) for a in args)}]"
    if annotation is type(None):
        return "None"
    return getattr(annotation, "__name__", str(annotation))


# -- running --------------------------------------------------------------------------------------


def _allows_auto(model: type[BaseModel], name: str) -> bool:
    """True when the field's own schema accepts the literal "auto" (e.g. a Grain)."""
    schema = model.model_json_schema()
    prop = schema.get("properties", {}).get(name, {})
    stack = [prop]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "auto" in node.get("enum", []) or node.get("const") == "auto":
                return True
            stack.extend(node.get("anyOf", []))
    return False


def _reject_auto(spec: ToolSpec, params: dict[str, Any], step_id: str) -> None:
    for name, value in params.items():
        values = value if isinstance(value, list) else [value]
        if "auto" in values and not _allows_auto(spec.params, name):
            raise PlanError(
                f"step {step_id}: parameter {name!r} of {spec.name} is still \"auto\"; "
                "the resolver must fill it with a real value"
            )


def source_relation(ctx: ExecContext, source: str, step_id: str) -> str:
    """The DuckDB relation for a `source` param: the loaded table or an earlier step's result."""
    if source in ("data", ctx.table.name):
        return ctx.table.name
    if source.startswith("step_"):
        known = {r[0] for r in ctx.table.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if source in known:
            return source
    earlier = ", ".join(f"step_{k}" for k in ctx.results) or "none yet"
    raise PlanError(f"step {step_id}: unknown source {source!r}; use \"data\" or an earlier step ({earlier})")


def relation_columns(ctx: ExecContext, relation: str) -> dict[str, str]:
    """Column -> DuckDB type of a relation (a dictionary-coded text column is VARCHAR)."""
    return {name: column_type(dtype) for name, dtype in described_types(ctx.table.con, qi(relation)).items()}


def _check_columns(spec: ToolSpec, p: ToolParams, cols: dict[str, str], step_id: str, source: str) -> None:
    """Every column param must name a real column of the source: never chart a substitute silently."""
    for pname in spec.column_params():
        value = getattr(p, pname)
        names = value if isinstance(value, list) else [value]
        for n in names:
            if n is None or n == "__columns__":
                continue
            if n not in cols:
                raise PlanError(
                    f"step {step_id}: {spec.name}.{pname} names column {n!r}, which {source} does not have; "
                    f"columns: {', '.join(cols)}"
                )


def run_tool(spec_or_name: ToolSpec | str, params: dict[str, Any], ctx: ExecContext, *,
             step_id: str) -> ToolResult:
    """Validate `params`, run the tool, store and return its result.

    Raises
    ------
    UnknownToolError
        The tool name is not registered.
    PlanError
        A parameter is invalid, still "auto", names a missing column or an unknown source.
    """
    from sgr.autoviz.tools.registry import REGISTRY

    spec = REGISTRY.get(spec_or_name) if isinstance(spec_or_name, str) else spec_or_name
    _reject_auto(spec, params, step_id)
    try:
        p = spec.params.model_validate(params)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "params"
        raise PlanError(f"step {step_id}: invalid {spec.name} parameter {where}: {first['msg']}") from None
    relation = source_relation(ctx, p.source, step_id)
    _check_columns(spec, p, relation_columns(ctx, relation), step_id, p.source)
    started = time.perf_counter()
    out = spec.fn(p, ctx, step_id)
    result = ToolResult(
        step_id=step_id,
        tool=spec.name,
        kind=spec.kind,
        params=p.model_dump(mode="json"),
        rows=out.rows[:MAX_RESULT_ROWS],
        row_count=out.row_count,
        facts=out.facts,
        summary=out.summary,
        chart=out.chart,
        duration_s=round(time.perf_counter() - started, 6),
    )
    ctx.results[step_id] = result
    return result
