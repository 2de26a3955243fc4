"""Plan templates: data files (templates/*.yaml) that say which analyses answer which kind of question.

Why data, not code: a template is a reviewed, readable recipe ("a comparison needs a measure and a
category; show totals, a split, the spread"), and adding one must not need a programmer. Selection is
deterministic and scores every candidate, so `plans/template.json` can say why this template won and
why the others lost (hard-requirement failures are listed, not hidden).

Template step params may hold placeholders, bound later by `sgr.autoviz.resolve`:
`$source $metric $metric2 $group $group2 $time $grain $detail_grain $agg $sort $bins $k $measures`; a trailing `?`
(`$time?`) means "None when the data has no such column" instead of "drop this step".
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import Field, ValidationError

from sgr.autoviz.errors import PlanError
from sgr.autoviz.models import Intent, Plan, PlanStep, Requirements, _Closed

#: weight of "this template was written for the classified intent"; larger than any soft score
INTENT_WEIGHT = 10.0


class HardRequirements(_Closed):
    """Minimum counts of column roles without which the template cannot produce its charts."""

    temporal: int = 0
    measures: int = 0
    categoricals: int = 0
    rows: int = 1


class SoftPreference(_Closed):
    """A scored preference: `analysis:<type>`, `chart:<kind>`, or `has:time|group_by|metrics|filters`."""

    key: str
    weight: float = 1.0


class Template(_Closed):
    """A named recipe for one intent."""

    id: str
    intent: Intent
    title: str
    hard: HardRequirements = Field(default_factory=HardRequirements)
    soft: list[SoftPreference] = Field(default_factory=list)
    steps: list[PlanStep]  # a template step is a plan step whose params may still hold placeholders

    def to_plan(self) -> Plan:
        """The template as an (unresolved) plan."""
        return Plan(template_id=self.id, intent=self.intent, steps=[s.model_copy(deep=True) for s in self.steps])


class TemplateScore(_Closed):
    """How one candidate fared in selection (written to plans/template.json)."""

    template_id: str
    intent: Intent
    eligible: bool
    score: float
    hard_failures: list[str] = Field(default_factory=list)
    matched_preferences: list[str] = Field(default_factory=list)


#: libyaml's safe loader where PyYAML was built with it: the same safe subset, parsed in C. The pure-Python
#: loader took 0.22 s of a 2.4 s run on 1M rows to read the five packaged templates (measured with cProfile)
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=1)
def load_templates() -> tuple[Template, ...]:
    """Every packaged template, sorted by id; a malformed file is a PlanError naming it."""
    found: list[Template] = []
    folder = resources.files("sgr.autoviz").joinpath("templates")
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml"):
            continue
        try:
            found.append(Template.model_validate(yaml.load(entry.read_text(encoding="utf-8"), Loader=_LOADER)))
        except (yaml.YAMLError, ValidationError) as exc:
            raise PlanError(f"template {entry.name} is invalid: {exc}") from exc
    return tuple(sorted(found, key=lambda t: t.id))


def get_template(template_id: str) -> Template:
    """The template with this id, or a PlanError listing the known ones."""
    for t in load_templates():
        if t.id == template_id:
            return t
    raise PlanError(f"unknown template {template_id!r}; known: {[t.id for t in load_templates()]}")


def _role_counts(profile: Any) -> dict[str, int]:
    return {"temporal": len(profile.names("temporal")), "measures": len(profile.names("measure")),
            "categoricals": len(profile.names("categorical")), "rows": int(profile.n_rows)}


def _preference_met(key: str, requirements: Requirements) -> bool:
    kind, _, value = key.partition(":")
    if kind == "analysis":
        return value in requirements.analysis_types
    if kind == "chart":
        return any(h == value or h.endswith("_" + value) for h in requirements.chart_hints)
    if kind == "has":
        return bool({"time": requirements.time_column, "group_by": requirements.group_by,
                     "metrics": requirements.metrics, "filters": requirements.filters}.get(value))
    return False


def score_template(template: Template, intent: Intent, requirements: Requirements, profile: Any) -> TemplateScore:
    """Score one template: hard requirements gate it, the intent match and soft preferences rank it."""
    counts = _role_counts(profile)
    failures = [f"needs {need} {role} column(s), the data has {counts[role]}" if role != "rows"
                else f"needs {need} row(s), the data has {counts[role]}"
                for role, need in template.hard.model_dump().items() if counts[role] < need]
    matched = [p.key for p in template.soft if _preference_met(p.key, requirements)]
    score = (INTENT_WEIGHT if template.intent == intent else 0.0) + sum(
        p.weight for p in template.soft if p.key in matched)
    return TemplateScore(template_id=template.id, intent=template.intent, eligible=not failures,
                         score=score if not failures else 0.0, hard_failures=failures,
                         matched_preferences=matched)


def select_template(intent: Intent, requirements: Requirements, profile: Any) -> tuple[Template, list[TemplateScore]]:
    """The best eligible template and the score of every candidate (ties broken by id, so stable)."""
    templates = load_templates()
    scores = [score_template(t, intent, requirements, profile) for t in templates]
    eligible = [(s, t) for s, t in zip(scores, templates, strict=True) if s.eligible]
    if not eligible:
        raise PlanError("no template fits this data: " + "; ".join(
            f"{s.template_id}: {', '.join(s.hard_failures)}" for s in scores))
    best = max(eligible, key=lambda st: (st[0].score, -templates.index(st[1])))
    return best[1], scores
