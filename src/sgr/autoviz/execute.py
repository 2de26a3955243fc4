"""Execute a resolved plan step by step through `run_tool`, logging every call.

Why keep going after a failure: one chart that cannot be drawn (a column that is all null after a
filter, say) should not cost the person the other eight; the failed step is logged with its error and
the report lists it under "What could not be done". Unknown tools are rejected before they run.

Logs hold no wall-clock values (so two runs' folders compare byte for byte); per-step durations are
returned in `Execution.timings` and written by the pipeline into run.json. Each call is also published as a
`tool_call` event (its log record and duration) on the current bus.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sgr.autoviz.models import Plan, PlanStep
from sgr.core.errors import SGRError
from sgr.core.events import emit


@dataclass
class StepFailure:
    """A step that did not produce a result, and why (one line)."""

    step_id: str
    tool: str
    error: str
    kind: str  # "rejected" (unknown tool) | "failed" | "skipped" (its input step failed)

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"step_id": self.step_id, "tool": self.tool, "error": self.error, "kind": self.kind}


@dataclass
class Execution:
    """What running a plan produced."""

    results: list[Any] = field(default_factory=list)  # ToolResult, in plan order
    failures: list[StepFailure] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def charts(self) -> list[Any]:
        """Results that drew a chart, in plan order."""
        return [r for r in self.results if r.chart is not None]


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:500]


def execute_plan(plan: Plan, ctx: Any, *, log_dir: Path,
                 on_step: Callable[[PlanStep, str], None] | None = None) -> Execution:
    """Run every step in order; results land in `ctx.results` so later steps can read them."""
    from sgr.autoviz.tools import REGISTRY, run_tool

    log_dir.mkdir(parents=True, exist_ok=True)
    out = Execution()
    calls: list[str] = []
    lines: list[str] = [f"plan {plan.template_id} ({plan.intent}): {len(plan.steps)} steps"]
    for n, step in enumerate(plan.steps, 1):
        record: dict[str, Any] = {"n": n, "step_id": step.id, "tool": step.tool, "params": step.params,
                                  "serves": step.serves}
        upstream = str(step.params.get("source", "data"))
        failed_ids = {f"step_{f.step_id}" for f in out.failures}
        if upstream in failed_ids:
            fail = StepFailure(step.id, step.tool, f"skipped: its input {upstream} failed", "skipped")
        elif step.tool not in REGISTRY.names():
            fail = StepFailure(step.id, step.tool, f"unknown tool {step.tool!r}; known: {', '.join(REGISTRY.names())}",
                               "rejected")
        else:
            fail = None
            started = time.perf_counter()
            try:
                result = run_tool(step.tool, step.params, ctx, step_id=step.id)
            except SGRError as exc:
                fail = StepFailure(step.id, step.tool, _one_line(exc), "failed")
            except Exception as exc:  # a tool bug must not cost the other charts; it is logged in full
                fail = StepFailure(step.id, step.tool, f"{type(exc).__name__}: {_one_line(exc)}", "failed")
            out.timings[step.id] = round(time.perf_counter() - started, 6)
        if fail is None:
            ctx.results[step.id] = result
            out.results.append(result)
            chart = result.chart
            record.update({"status": "ok", "row_count": result.row_count, "facts": result.facts,
                           "summary": result.summary, "chart": chart.file if chart else None})
            lines.append(f"[{n:02d}] {step.id} ({step.tool}) ok: {result.summary}"
                         + (f" -> {chart.file}" if chart else ""))
        else:
            out.failures.append(fail)
            record.update({"status": fail.kind, "error": fail.error})
            lines.append(f"[{n:02d}] {step.id} ({step.tool}) {fail.kind.upper()}: {fail.error}")
        calls.append(json.dumps(record, sort_keys=True, default=str))
        emit("tool_call", step.tool, record=record, duration_s=out.timings.get(step.id))
        if on_step:
            on_step(step, record["status"])
    _join_renders(ctx, out, lines)
    lines.append(f"done: {len(out.results)} ok, {len(out.failures)} failed, {len(out.charts())} charts")
    (log_dir / "tool_calls.jsonl").write_text("\n".join(calls) + "\n", encoding="utf-8")
    (log_dir / "execution.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _join_renders(ctx: Any, out: Execution, lines: list[str]) -> None:
    """Wait for charts rendered in the background; a chart that failed to render becomes a failed step."""
    pending = getattr(ctx, "pending_renders", {})
    for result in list(out.results):
        future = pending.get(result.chart.file) if result.chart else None
        if future is None:
            continue
        try:
            future.result()
        except Exception as exc:  # a renderer bug must not cost the other charts
            out.results.remove(result)
            ctx.results.pop(result.step_id, None)
            fail = StepFailure(result.step_id, result.tool, f"render failed: {type(exc).__name__}: {_one_line(exc)}",
                               "failed")
            out.failures.append(fail)
            lines.append(f"[--] {result.step_id} ({result.tool}) FAILED: {fail.error}")
    pending.clear()
