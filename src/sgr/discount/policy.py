"""The pricing policy engine: the cap is computed before any model call and bounds the grammar.

The rules live in a YAML policy (`default_policy.yaml`, or `discount.policy` / `--policy`), read by
`policy_check.load_policy`, which refuses a file that could exceed a ceiling. Applied in order, each
step that changes the number is one line of `Cap.rules`, so the audit says *why*:
1. the churn tier's offer (an amount: a share of the margin and/or an absolute percent);
2. modifiers (inventory state, lifetime value) multiply it, in file order;
3. hard limits, always and last: the tier's ceiling, the margin (no sale at a loss), the brand max; so a
   modifier can lower an offer or raise it up to the ceiling, never past it;
4. rounded *down* to the policy's step, so rounding can never push the offer over a limit.
Arithmetic is exact (fractions of the decimal inputs), so "0.3 x 25 = 7.5" is 7.5 and not 7.4999...,
and a cap can never sit a float's breadth above its ceiling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sgr.discount.policy_spec import Amount, Modifier, PolicySpec, Tier

STEP = 0.5
ZERO, ONE, HUNDRED = Fraction(0), Fraction(1), Fraction(100)


class PolicyInput(Protocol):
    """What the policy looks at (a CustomerContext satisfies it)."""

    profit_margin: float
    churn_probability: float
    inventory_status: str
    lifetime_value: float


@dataclass(frozen=True)
class Cap:
    """The largest discount this customer may get, and the rules that produced it."""

    max_percent: float
    rules: tuple[str, ...] = field(default_factory=tuple)
    tier: str = ""
    step: float = STEP

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"max_percent": self.max_percent, "tier": self.tier, "rules": list(self.rules)}


@dataclass(frozen=True)
class Evaluation:
    """One input's cap, exactly, with the intermediate values the check compares with the limits."""

    tier: Tier
    margin: Fraction
    offer: Fraction
    modifiers: tuple[tuple[Modifier, Fraction], ...]
    ceiling: Fraction
    limits: tuple[tuple[str, Fraction], ...]
    unrounded: Fraction
    value: Fraction


def round_down(value: float, step: float = STEP) -> float:
    """Largest multiple of `step` not above `value` (with a tolerance for float noise).

    For numbers a model proposed; a value at or under a cap that is a multiple of `step` stays under it.
    """
    return math.floor(value / step + 1e-9) * step


def floor_step(value: Fraction, step: Fraction) -> Fraction:
    """Largest multiple of `step` not above `value`, exactly (integer arithmetic: this runs per grid point)."""
    n, d = value.numerator * step.denominator, value.denominator * step.numerator
    return Fraction(n // d * step.numerator, step.denominator)


def exact(value: float) -> Fraction | None:
    """A float as the decimal it prints as (0.3 -> 3/10); None for NaN and infinities."""
    number = float(value)
    return Fraction(repr(number)) if math.isfinite(number) else None


def clamp(value: Fraction, lo: Fraction, hi: Fraction) -> Fraction:
    """`value` limited to [lo, hi]."""
    return max(lo, min(hi, value))


def evaluate(policy: PolicySpec, *, margin: Fraction, churn: Fraction, inventory: str,
             lifetime_value: Fraction) -> Evaluation:
    """The cap for exact inputs (margin and churn are first limited to 0-100 and 0-1)."""
    m = margin if ZERO <= margin <= HUNDRED else clamp(margin, ZERO, HUNDRED)
    tier = policy.tier_for(churn if ZERO <= churn <= ONE else clamp(churn, ZERO, ONE))
    offer = tier.base.of(m)
    value, applied = offer, []
    for mod in policy.modifiers:
        if mod.applies(inventory, lifetime_value):
            value *= mod.ratio
            applied.append((mod, value))
    ceiling = tier.ceiling.of(m)
    limits = []
    for name, limit in (("tier ceiling", ceiling), ("margin", m), ("brand max", policy.brand_max)):
        if value > limit:
            value = limit
            limits.append((name, limit))
    value = max(ZERO, value)
    return Evaluation(tier, m, offer, tuple(applied), ceiling, tuple(limits), value, floor_step(value, policy.step))


def compute_cap(ctx: PolicyInput, policy: PolicySpec | None = None) -> Cap:
    """The customer's cap in percent, with one line per rule that applied (default: the packaged policy)."""
    if policy is None:
        from sgr.discount.policy_check import default_policy

        policy = default_policy()
    step = float(policy.step_percent)
    margin, churn = exact(ctx.profit_margin), exact(ctx.churn_probability)
    head = f"policy {policy.label}"
    if margin is None or churn is None:
        return Cap(0.0, (head, "margin or churn is not a number: no discount"), "", step)
    ltv = exact(getattr(ctx, "lifetime_value", 0.0)) or Fraction(0)
    ev = evaluate(policy, margin=margin, churn=churn, inventory=ctx.inventory_status, lifetime_value=ltv)
    return Cap(float(ev.value), explain(policy, ev, churn), ev.tier.name, step)


def explain(policy: PolicySpec, ev: Evaluation, churn: Fraction) -> tuple[str, ...]:
    """The audit lines for one evaluation."""
    t = ev.tier
    rules = [f"policy {policy.label}",
             f"tier '{t.name}' ({t.churn.describe('churn')}; churn is {_fmt(churn, 3)}): "
             f"{_amount(t.base, ev.margin)} = {_fmt(ev.offer)}%"]
    rules += [f"{mod.name}: x{mod.factor} -> {_fmt(after)}%" for mod, after in ev.modifiers]
    words = {"tier ceiling": f"tier ceiling ({_amount(t.ceiling, ev.margin)})", "margin": "never above the margin",
             "brand max": "brand ceiling"}
    rules += [f"{words[name]}: {_fmt(limit)}%" for name, limit in ev.limits]
    if ev.value != ev.unrounded:
        rules.append(f"rounded down to a {_fmt(Fraction(policy.step_percent))}% step: {_fmt(ev.value)}%")
    return tuple(rules)


def _amount(amount: Amount, margin: Fraction) -> str:
    parts = []
    if amount.share_of_margin is not None:
        parts.append(f"{_fmt(Fraction(amount.share_of_margin) * 100)}% of the {_fmt(margin)}% margin")
    if amount.max_percent is not None:
        parts.append(f"at most {_fmt(Fraction(amount.max_percent))}%")
    return ", ".join(parts)


def _fmt(x: Fraction, places: int = 2) -> str:
    return f"{float(x):.{places}f}".rstrip("0").rstrip(".")
