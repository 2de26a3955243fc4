"""Coverage: does the plan answer the question, and does every step earn its place?

Two directions, both deterministic: every requirement key (`Requirements.requirement_keys()`) must be
served by at least one step, and every step must serve a requirement or support a step that does
(marked `context:<step id>`, or feeding it: its output is that step's `source`). The adaptation step
feeds these violations back to the model; the deterministic rules in `sgr.autoviz.adapt` fix them when
no model is used. An open question (no requirement keys) makes the template itself the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sgr.autoviz.models import Plan, Requirements

MIN_CHARTS = 5
MAX_CHARTS = 10


def is_chart(tool: str) -> bool:
    """Chart tools are named `*_chart` in the registry's contract, so this needs no registry import."""
    return tool.endswith("_chart")


def chart_count(plan: Plan) -> int:
    """How many steps draw a chart."""
    return sum(1 for s in plan.steps if is_chart(s.tool))


@dataclass
class CoverageReport:
    """The outcome of one coverage check."""

    uncovered: list[str] = field(default_factory=list)
    idle_steps: list[str] = field(default_factory=list)
    served_by: dict[str, list[str]] = field(default_factory=dict)
    charts: int = 0

    @property
    def ok(self) -> bool:
        """True when both directions hold (the chart count is reported separately)."""
        return not self.uncovered and not self.idle_steps

    def problems(self) -> list[str]:
        """Violations as sentences a model (or a person) can act on."""
        out = [f"requirement {k!r} is served by no step" for k in self.uncovered]
        out += [f"step {s!r} serves no requirement and is not marked context:<step id>" for s in self.idle_steps]
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for plans/coverage.json."""
        return {"ok": self.ok, "uncovered": self.uncovered, "idle_steps": self.idle_steps,
                "served_by": self.served_by, "charts": self.charts}


def check(plan: Plan, requirements: Requirements) -> CoverageReport:
    """Check both directions of coverage for a (resolved) plan."""
    keys = requirements.requirement_keys()
    if not keys:  # an open question ("what is in this data?"): the template itself is the answer
        return CoverageReport(charts=chart_count(plan))
    served_by = {k: [s.id for s in plan.steps if k in s.serves] for k in keys}
    serving = {s.id for s in plan.steps if any(k in s.serves for k in keys)}
    useful = set(serving)
    changed = True
    while changed:  # support is transitive: a filter feeding a filter feeding a chart is useful
        changed = False
        for s in plan.steps:
            if s.id in useful:
                continue
            supports = [k.split(":", 1)[1] for k in s.serves if k.startswith("context:")]
            supports += [t.id for t in plan.steps if t.params.get("source") == f"step_{s.id}"]
            if any(t in useful for t in supports):
                useful.add(s.id)
                changed = True
    idle = [s.id for s in plan.steps if s.id not in useful]
    return CoverageReport(uncovered=[k for k, v in served_by.items() if not v], idle_steps=idle,
                          served_by=served_by, charts=chart_count(plan))
