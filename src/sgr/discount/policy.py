"""The discount policy, as code: the cap is computed before any model call and bounds the grammar.

Rules, applied in order (each one that changes the number is recorded, so the audit says *why*):
1. churn tier: churn > 0.7 -> up to half the margin; churn < 0.3 -> at most 5%; otherwise a quarter
   of the margin (a retention offer scaled to the risk of losing the customer);
2. inventory: overstock allows 20% more (clearing stock is worth a little margin), low stock halves it
   (scarce goods sell without a discount);
3. hard ceilings: a low-churn customer never gets more than 5% whatever the inventory; never above the
   margin (no sale at a loss); never above 50% (brand floor); never negative;
4. rounded *down* to a 0.5% step, so rounding can never push the offer over a ceiling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol

HIGH_CHURN = 0.7
LOW_CHURN = 0.3
LOW_CHURN_MAX = 5.0
MID_SHARE = 0.25
HIGH_SHARE = 0.5
OVERSTOCK_FACTOR = 1.2
LOW_STOCK_FACTOR = 0.5
BRAND_MAX = 50.0
STEP = 0.5


class PolicyInput(Protocol):
    """What the policy looks at (a CustomerContext satisfies it)."""

    profit_margin: float
    churn_probability: float
    inventory_status: str


@dataclass(frozen=True)
class Cap:
    """The largest discount this customer may get, and the rules that produced it."""

    max_percent: float
    rules: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"max_percent": self.max_percent, "rules": list(self.rules)}


def round_down(value: float, step: float = STEP) -> float:
    """Largest multiple of `step` not above `value` (with a tolerance for float noise)."""
    return math.floor(value / step + 1e-9) * step


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def compute_cap(ctx: PolicyInput) -> Cap:
    """The customer's cap in percent, rounded down to 0.5%, with one line per rule that applied."""
    margin = max(0.0, float(ctx.profit_margin))
    churn = float(ctx.churn_probability)
    rules: list[str] = []
    if churn > HIGH_CHURN:
        value = margin * HIGH_SHARE
        rules.append(f"churn {churn:.3f} > {HIGH_CHURN}: up to half the {_fmt(margin)}% margin = {_fmt(value)}%")
    elif churn < LOW_CHURN:
        value = min(LOW_CHURN_MAX, margin)
        rules.append(f"churn {churn:.3f} < {LOW_CHURN}: at most {_fmt(LOW_CHURN_MAX)}% -> {_fmt(value)}%")
    else:
        value = margin * MID_SHARE
        rules.append(f"churn {churn:.3f} in [{LOW_CHURN}, {HIGH_CHURN}]: a quarter of the "
                     f"{_fmt(margin)}% margin = {_fmt(value)}%")
    if ctx.inventory_status == "overstock":
        value *= OVERSTOCK_FACTOR
        rules.append(f"overstock: x{OVERSTOCK_FACTOR} -> {_fmt(value)}%")
    elif ctx.inventory_status == "low":
        value *= LOW_STOCK_FACTOR
        rules.append(f"low stock: x{LOW_STOCK_FACTOR} -> {_fmt(value)}%")
    if churn < LOW_CHURN and value > LOW_CHURN_MAX:
        value = LOW_CHURN_MAX
        rules.append(f"low churn ceiling: {_fmt(LOW_CHURN_MAX)}%")
    if value > margin:
        value = margin
        rules.append(f"never above the margin: {_fmt(margin)}%")
    if value > BRAND_MAX:
        value = BRAND_MAX
        rules.append(f"brand ceiling: {_fmt(BRAND_MAX)}%")
    value = max(0.0, value)
    rounded = round_down(value)
    if rounded != value:
        rules.append(f"rounded down to a {_fmt(STEP)}% step: {_fmt(rounded)}%")
    return Cap(max_percent=rounded, rules=tuple(rules))
