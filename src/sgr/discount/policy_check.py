"""Load a pricing policy and prove it safe: no input gives an offer above its tier ceiling, the margin or the
brand max. A policy that fails is refused (`PolicyRejected`, exit code 15), never half-used.

Two independent arguments, so a mistake in one is caught by the other:
- **analytic** (every load): the domain splits into finitely many cells (tier x inventory state x
  lifetime-value region), inside which the active modifiers are fixed. In a cell, the offer before
  rounding is the minimum of linear functions of the margin (k x margin, or a constant), so it can cross a
  limit only at a breakpoint where two of them meet. Comparing exactly at 0, 100 and every breakpoint
  therefore proves the bound for every margin in 0-100; rounding *down* only lowers it.
- **grid** (`sgr discount policy check`): the engine itself on a dense lattice of churn, margin, inventory
  and lifetime value, plus every boundary and points just either side of it.
`evaluator` is a parameter so tests can show the check catching a broken engine (the old
"overstock after the ceiling" order).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sgr.core.errors import ConfigError
from sgr.discount.errors import PolicyRejected
from sgr.discount.policy import HUNDRED, Evaluation, evaluate, exact
from sgr.discount.policy_spec import INVENTORY_STATES, PolicySpec, Tier, digest_of

Evaluator = Callable[..., Evaluation]
OTHER_STATE = "(any other state)"
#: offsets tried on either side of every boundary (churn tiers, margin breakpoints, lifetime-value bounds)
NEAR = (Fraction(1, 10**9), Fraction(1, 10**6), Fraction(1, 1000))


@dataclass(frozen=True)
class Violation:
    """One input whose offer breaks a limit."""

    limit: str
    inputs: dict[str, Any]
    offer: float
    bound: float
    hint: str = ""

    def __str__(self) -> str:
        shown = ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in self.inputs.items())
        text = f"{shown}: offer {self.offer:g}% breaks the {self.limit} ({self.bound:g}%)"
        return f"{text}; {self.hint}" if self.hint else text


@dataclass
class CheckReport:
    """What was checked, how much of it, and what failed."""

    policy: str
    analytic_cells: int = 0
    analytic_points: int = 0
    grid_points: int = 0
    grid_axes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    violations: list[Violation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no input breaks a limit."""
        return not self.violations

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (`policy check --json`)."""
        out = asdict(self)
        out["ok"] = self.ok
        out["violations"] = [str(v) for v in self.violations]
        return out


def _problems(policy: PolicySpec, tier: Tier, margin: Fraction, ev: Evaluation,
              inputs: dict[str, Any]) -> Iterator[Violation]:
    """Every limit the evaluation breaks. `tier` and `margin` are the check's own reading of the input (the
    file's churn ranges, the margin as given), so an engine that picks the wrong tier or misreads the margin
    is caught too."""
    if ev.tier is not tier:
        yield Violation(f"tier choice (the engine chose '{ev.tier.name}', the file says '{tier.name}')", inputs,
                        float(ev.value), float(tier.ceiling.of(margin)))
    for value in {ev.unrounded, ev.value}:
        for name, bound in ((f"ceiling of tier '{tier.name}'", tier.ceiling.of(margin)), ("margin", margin),
                            ("brand max", policy.brand_max)):
            if value > bound:
                yield Violation(name, inputs, float(value), float(bound))
        if value < 0:
            yield Violation("floor (never negative)", inputs, float(value), 0.0)
    if ev.value > ev.unrounded or (ev.value / policy.step).denominator != 1:
        yield Violation(f"rule 'rounded down to a multiple of {policy.step_percent}%'", inputs, float(ev.value),
                        float(ev.unrounded))


def _state_points(policy: PolicySpec) -> list[str]:
    named = {s for m in policy.modifiers for s in (m.when.inventory or [])}
    return [*INVENTORY_STATES, *sorted(named - set(INVENTORY_STATES)), OTHER_STATE]


def _ltv_points(policy: PolicySpec, *, near: bool) -> list[Fraction]:
    """Lifetime values covering every region the modifiers' ranges make (bounds, between, beyond)."""
    bounds = sorted({b for m in policy.modifiers if m.when.lifetime_value
                     for b in m.when.lifetime_value.bounds() if b >= 0})
    points = {Fraction(0), *bounds, (bounds[-1] if bounds else 0) * 2 + 10**6}
    points |= {(a + b) / 2 for a, b in zip([Fraction(0), *bounds], bounds, strict=False)}
    if near:
        points |= {b + s * d for b in bounds for d in NEAR for s in (-1, 1) if b + s * d >= 0}
    return sorted(points)


def _breakpoints(policy: PolicySpec, tier: Tier, factor: Fraction) -> list[Fraction]:
    """Margins in [0, 100] where two of the cell's linear pieces meet (plus the ends)."""
    slopes, consts = {Fraction(1)}, {policy.brand_max}
    for amount, k in ((tier.base, factor), (tier.ceiling, Fraction(1))):
        if amount.share is not None:
            slopes.add(amount.share * k)
        if amount.most is not None:
            consts.add(amount.most * k)
    points = {Fraction(0), HUNDRED}
    points |= {c / s for c in consts for s in slopes if s > 0 and 0 < c / s < HUNDRED}
    return sorted(points)


def _churn_probes(policy: PolicySpec) -> list[Fraction]:
    """0, 1, every tier bound in between, and the midpoint of each gap between those."""
    points = sorted({Fraction(0), Fraction(1), *(b for t in policy.tiers for b in t.churn.bounds() if 0 < b < 1)})
    return sorted({*points, *((a + b) / 2 for a, b in pairwise(points))})


def _tier_churn(policy: PolicySpec, tier: Tier) -> Fraction:
    """A churn inside the tier."""
    return next(c for c in _churn_probes(policy) if tier.churn.contains(c))


def prove(policy: PolicySpec, report: CheckReport, evaluator: Evaluator = evaluate) -> None:
    """The analytic argument (see the module docstring); violations and counts go into `report`."""
    # the engine's tier can only change where a churn bound is: check at every bound and between them
    for churn in _churn_probes(policy):
        tier = next(t for t in policy.tiers if t.churn.contains(churn))
        ev = evaluator(policy, margin=HUNDRED / 2, churn=churn, inventory=OTHER_STATE, lifetime_value=Fraction(0))
        report.analytic_points += 1
        report.violations.extend(_problems(policy, tier, HUNDRED / 2, ev, {"churn": float(churn), "margin": 50.0}))
    for tier in policy.tiers:
        for m in _breakpoints(policy, tier, Fraction(1)):
            offer, ceiling = tier.base.of(m), tier.ceiling.of(m)
            if offer > ceiling:
                report.violations.append(Violation(
                    f"ceiling of tier '{tier.name}' by the tier's own offer", {"margin": float(m)}, float(offer),
                    float(ceiling), "an offer must stay within its ceiling for every margin: lower it, or give it "
                                    "the ceiling's terms too (e.g. both share_of_margin and max_percent)"))
                break
        churn = _tier_churn(policy, tier)
        for state in _state_points(policy):
            for ltv in _ltv_points(policy, near=False):
                factor = policy.modifier_factor(state, ltv)
                report.analytic_cells += 1
                for m in _breakpoints(policy, tier, factor):
                    ev = evaluator(policy, margin=m, churn=churn, inventory=state, lifetime_value=ltv)
                    report.analytic_points += 1
                    inputs = {"churn": float(churn), "margin": float(m), "inventory": state,
                              "lifetime_value": float(ltv)}
                    report.violations.extend(_problems(policy, tier, m, ev, inputs))
                    if factor > 1 and tier.base.of(m) * factor > tier.ceiling.of(m):
                        note = (f"tier '{tier.name}', inventory {state}: the modifiers ask for more than the "
                                "ceiling; the ceiling holds")
                        if note not in report.notes:
                            report.notes.append(note)


def _axis(step: Fraction, lo: Fraction, hi: Fraction, edges: set[Fraction]) -> list[Fraction]:
    n = int((hi - lo) / step)
    points = {lo + i * step for i in range(n + 1)} | {hi}
    points |= {e + s * d for e in edges for d in NEAR for s in (-1, 1)} | edges
    return sorted(p for p in points if lo <= p <= hi)


def grid(policy: PolicySpec, report: CheckReport, *, churn_step: float = 0.01, margin_step: float = 0.5,
         evaluator: Evaluator = evaluate) -> None:
    """The engine on the lattice; the tier and its limits are looked up here, independently of the engine."""
    churn_edges = {b for t in policy.tiers for b in t.churn.bounds() if 0 <= b <= 1}
    churns = _axis(exact(churn_step) or Fraction(1, 100), Fraction(0), Fraction(1), churn_edges)
    margin_edges = {m for t in policy.tiers for f in _factors(policy) for m in _breakpoints(policy, t, f)}
    margins = _axis(exact(margin_step) or Fraction(1, 2), Fraction(0), HUNDRED, margin_edges)
    states, ltvs = _state_points(policy), _ltv_points(policy, near=True)
    report.grid_axes = {"churn": len(churns), "margin": len(margins), "inventory": len(states),
                        "lifetime_value": len(ltvs)}
    step, brand = policy.step, policy.brand_max
    for churn in churns:
        tier = next(t for t in policy.tiers if t.churn.contains(churn))
        for margin in margins:
            limit = min(tier.ceiling.of(margin), margin, brand)
            for state in states:
                for ltv in ltvs:
                    ev = evaluator(policy, margin=margin, churn=churn, inventory=state, lifetime_value=ltv)
                    report.grid_points += 1
                    v = ev.value
                    on_step = (v.numerator * step.denominator) % (v.denominator * step.numerator) == 0
                    if ev.tier is tier and on_step and 0 <= v <= ev.unrounded <= limit:
                        continue
                    inputs = {"churn": float(churn), "margin": float(margin), "inventory": state,
                              "lifetime_value": float(ltv)}
                    report.violations.extend(_problems(policy, tier, margin, ev, inputs))


def _factors(policy: PolicySpec) -> set[Fraction]:
    """Every product of modifier factors some input can get."""
    return {policy.modifier_factor(state, ltv)
            for state in _state_points(policy) for ltv in _ltv_points(policy, near=False)}


def check_policy(policy: PolicySpec, *, with_grid: bool = True, churn_step: float = 0.01,
                 margin_step: float = 0.5, evaluator: Evaluator = evaluate) -> CheckReport:
    """Run the analytic proof and (by default) the grid; the report lists every violation found."""
    started = time.perf_counter()
    report = CheckReport(policy=policy.label)
    prove(policy, report, evaluator)
    if with_grid:
        grid(policy, report, churn_step=churn_step, margin_step=margin_step, evaluator=evaluator)
    report.seconds = time.perf_counter() - started
    return report


def parse_policy(text: str, *, source: str = "<string>", prove_it: bool = True) -> PolicySpec:
    """Policy YAML -> a proven PolicySpec; PolicyRejected says what is wrong and where.

    `prove_it=False` only validates the schema (for `policy check`, which then reports every violation).
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PolicyRejected(f"policy {source} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise PolicyRejected(f"policy {source} must be a mapping with `tiers` (and `modifiers`)")
    data["digest"] = digest_of(text)
    try:
        spec = PolicySpec.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}"
                             for err in exc.errors())
        raise PolicyRejected(f"policy {source} is invalid: {problems}") from exc
    if not prove_it:
        return spec
    report = check_policy(spec, with_grid=False)
    if not report.ok:
        shown = "; ".join(str(v) for v in report.violations[:3])
        more = f" (and {len(report.violations) - 3} more)" if len(report.violations) > 3 else ""
        raise PolicyRejected(f"policy {source} can exceed a ceiling, refusing it: {shown}{more}")
    return spec


def read_policy_text(path: str | Path | None) -> tuple[str, str]:
    """(text, source) of the policy at `path`, or of the packaged default when None."""
    if path is None:
        return default_policy_text(), "<default policy>"
    file = Path(path).expanduser()
    try:
        return file.read_text(encoding="utf-8"), str(file)
    except FileNotFoundError:
        raise ConfigError(f"policy file not found: {file}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read policy file {file}: {exc}") from exc


def load_policy(path: str | Path | None = None) -> PolicySpec:
    """The policy at `path` (None: the packaged default), parsed and proven."""
    if path is None:
        return default_policy()
    text, source = read_policy_text(path)
    return parse_policy(text, source=source)


def default_policy_text() -> str:
    """The packaged default policy (`sgr/discount/default_policy.yaml`)."""
    return resources.files("sgr.discount").joinpath("default_policy.yaml").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def default_policy() -> PolicySpec:
    """The packaged default, parsed and proven once per process."""
    return parse_policy(default_policy_text(), source="<default policy>")
