"""The pricing policy's schema: what a policy YAML file may say, validated before anything is priced.

A policy is data (tiers by churn, modifiers, hard limits), so an operator can change an offer without
touching code, and `sgr discount policy check` can prove the file stays within its own ceilings. Numbers
are read as exact decimals ("0.3" stays 0.3, not 0.29999...), so a boundary in the file is the boundary the
engine uses. This module only says what is well formed; `policy_check` says what is safe.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from itertools import pairwise
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: inventory states the stores can hold (hot_schema.sql's CHECK); the check also tries one unknown state
INVENTORY_STATES: tuple[str, ...] = ("low", "normal", "overstock")


class Range(BaseModel):
    """An interval given by at most one lower bound (`gt`/`ge`) and one upper bound (`lt`/`le`)."""

    model_config = ConfigDict(extra="forbid")
    gt: Decimal | None = None
    ge: Decimal | None = None
    lt: Decimal | None = None
    le: Decimal | None = None

    @model_validator(mode="after")
    def _one_bound_per_side(self) -> Range:
        if self.gt is not None and self.ge is not None:
            raise ValueError("give `gt` or `ge`, not both")
        if self.lt is not None and self.le is not None:
            raise ValueError("give `lt` or `le`, not both")
        lo, hi = self.lower, self.upper
        if lo is not None and hi is not None and (lo[0] > hi[0] or (lo[0] == hi[0] and not (lo[1] and hi[1]))):
            raise ValueError(f"empty range {self.describe('x')}")
        return self

    @cached_property
    def lower(self) -> tuple[Fraction, bool] | None:
        """(bound, inclusive) or None (cached: the engine asks on every request)."""
        if self.ge is not None:
            return Fraction(self.ge), True
        return (Fraction(self.gt), False) if self.gt is not None else None

    @cached_property
    def upper(self) -> tuple[Fraction, bool] | None:
        """(bound, inclusive) or None."""
        if self.le is not None:
            return Fraction(self.le), True
        return (Fraction(self.lt), False) if self.lt is not None else None

    def contains(self, x: Fraction) -> bool:
        """Whether `x` lies in the interval."""
        lo, hi = self.lower, self.upper
        if lo is not None and (x < lo[0] or (x == lo[0] and not lo[1])):
            return False
        return not (hi is not None and (x > hi[0] or (x == hi[0] and not hi[1])))

    def bounds(self) -> list[Fraction]:
        """The finite bounds (where membership can change)."""
        return [b[0] for b in (self.lower, self.upper) if b is not None]

    def describe(self, name: str) -> str:
        """"churn > 0.7", "0.3 <= churn <= 0.7" style text for the audit lines."""
        lo = f"{self.gt} <" if self.gt is not None else f"{self.ge} <=" if self.ge is not None else None
        hi = f"< {self.lt}" if self.lt is not None else f"<= {self.le}" if self.le is not None else None
        if lo and hi:
            return f"{lo} {name} {hi}"
        if lo:
            value, op = lo.split(" ")
            return f"{name} {'>' if op == '<' else '>='} {value}"
        return f"{name} {hi}" if hi else f"any {name}"


class Amount(BaseModel):
    """A percent that may depend on the margin: the smaller of `share_of_margin` x margin and `max_percent`."""

    model_config = ConfigDict(extra="forbid")
    share_of_margin: Decimal | None = Field(None, ge=0, le=1, description="0.5 = half the margin")
    max_percent: Decimal | None = Field(None, ge=0, le=100, description="an absolute percent")

    @model_validator(mode="after")
    def _something(self) -> Amount:
        if self.share_of_margin is None and self.max_percent is None:
            raise ValueError("give `share_of_margin`, `max_percent`, or both")
        return self

    @cached_property
    def share(self) -> Fraction | None:
        """`share_of_margin` as an exact fraction."""
        return None if self.share_of_margin is None else Fraction(self.share_of_margin)

    @cached_property
    def most(self) -> Fraction | None:
        """`max_percent` as an exact fraction."""
        return None if self.max_percent is None else Fraction(self.max_percent)

    def of(self, margin: Fraction) -> Fraction:
        """The amount for a margin (percent), exactly."""
        share, most = self.share, self.most
        if share is None:
            return most  # type: ignore[return-value]  # the validator guarantees one of the two
        value = share * margin
        return value if most is None or value < most else most

    def describe(self) -> str:
        """"50% of the margin, at most 5%" style text."""
        parts = []
        if self.share_of_margin is not None:
            parts.append(f"{_pct(Fraction(self.share_of_margin) * 100)}% of the margin")
        if self.max_percent is not None:
            parts.append(f"at most {_pct(Fraction(self.max_percent))}%")
        return ", ".join(parts)


class Tier(BaseModel):
    """A churn band: its offer before modifiers and its ceiling, which nothing may exceed."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., min_length=1, max_length=40)
    churn: Range
    ceiling: Amount
    offer: Amount | None = Field(None, description="the offer before modifiers (default: the ceiling)")

    @property
    def base(self) -> Amount:
        """The offer before modifiers."""
        return self.offer or self.ceiling


class When(BaseModel):
    """When a modifier applies: all given conditions must hold."""

    model_config = ConfigDict(extra="forbid")
    inventory: list[str] | None = Field(None, min_length=1, description="inventory states it applies to")
    lifetime_value: Range | None = None

    @model_validator(mode="after")
    def _something(self) -> When:
        if self.inventory is None and self.lifetime_value is None:
            raise ValueError("a modifier needs `inventory`, `lifetime_value`, or both under `when`")
        return self


class Modifier(BaseModel):
    """Multiplies the offer; the tier ceiling, the margin and the brand max still apply after it."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., min_length=1, max_length=40)
    when: When
    factor: Decimal = Field(..., ge=0, le=10)

    @cached_property
    def ratio(self) -> Fraction:
        """`factor` as an exact fraction."""
        return Fraction(self.factor)

    def applies(self, inventory: str, lifetime_value: Fraction) -> bool:
        """Whether this modifier changes the offer for these inputs."""
        if self.when.inventory is not None and inventory not in self.when.inventory:
            return False
        return self.when.lifetime_value is None or self.when.lifetime_value.contains(lifetime_value)


class PolicySpec(BaseModel):
    """A whole policy file."""

    model_config = ConfigDict(extra="forbid")
    version: Literal[1] = 1
    name: str = Field("custom", min_length=1, max_length=60)
    step_percent: Decimal = Field(Decimal("0.5"), gt=0, le=10, description="offers are rounded down to this step")
    brand_max_percent: Decimal = Field(Decimal(50), ge=0, le=100, description="no offer above this, ever")
    tiers: list[Tier] = Field(..., min_length=1, max_length=20)
    modifiers: list[Modifier] = Field(default_factory=list, max_length=20)
    #: set by the loader: sha256 of the file's bytes, so the audit names the exact policy that priced
    digest: str = ""

    @model_validator(mode="after")
    def _tiers_partition_churn(self) -> PolicySpec:
        if (self.step_percent * 10) % 1:
            raise ValueError("step_percent must be a multiple of 0.1 (offers are stated with one decimal)")
        names = [t.name for t in self.tiers] + [m.name for m in self.modifiers]
        if len(set(names)) != len(names):
            raise ValueError(f"tier and modifier names must be unique: {names}")
        problem = partition_problem([t.churn for t in self.tiers], Fraction(0), Fraction(1))
        if problem:
            raise ValueError(f"tiers must cover churn 0..1 exactly once: {problem}")
        return self

    @cached_property
    def step(self) -> Fraction:
        """`step_percent` as an exact fraction."""
        return Fraction(self.step_percent)

    @cached_property
    def brand_max(self) -> Fraction:
        """`brand_max_percent` as an exact fraction."""
        return Fraction(self.brand_max_percent)

    def modifier_factor(self, inventory: str, lifetime_value: Fraction) -> Fraction:
        """The product of the ratios of every modifier that applies to these inputs (1 when none does)."""
        factor = Fraction(1)
        for mod in self.modifiers:
            if mod.applies(inventory, lifetime_value):
                factor *= mod.ratio
        return factor

    @cached_property
    def _by_lower(self) -> list[tuple[Fraction, bool, Tier]]:
        """Tiers from the highest lower bound down: (bound, inclusive, tier); no bound sorts as -1."""
        keyed = [(lo if lo is not None else (Fraction(-1), True), t) for t in self.tiers for lo in [t.churn.lower]]
        return sorted(((b, inc, t) for (b, inc), t in keyed), key=lambda x: (x[0], not x[1]), reverse=True)

    def tier_for(self, churn: Fraction) -> Tier:
        """The one tier whose churn range holds `churn` (the validator proved there is exactly one).

        The tiers partition 0..1, so it is the tier with the highest lower bound that `churn` passes:
        two or three comparisons instead of checking every range (the policy check runs this a million times).
        """
        for bound, inclusive, tier in self._by_lower:
            if churn > bound or (inclusive and churn == bound):
                return tier
        return self._by_lower[-1][2]

    @property
    def label(self) -> str:
        """Name and short digest, as the audit shows it."""
        return f"{self.name}@{self.digest[:12]}" if self.digest else self.name


def partition_problem(ranges: list[Range], lo: Fraction, hi: Fraction) -> str | None:
    """None when the ranges cover [lo, hi] with no gap and no overlap, else where they fail.

    Exact: membership can only change at a bound, so it is enough to look at every bound, the ends, and
    one point strictly between each pair of neighbouring candidates.
    """
    points = sorted({lo, hi, *(b for r in ranges for b in r.bounds() if lo <= b <= hi)})
    probes = points + [(a + b) / 2 for a, b in pairwise(points)]
    for x in sorted(probes):
        n = sum(r.contains(x) for r in ranges)
        if n != 1:
            return f"churn {float(x):g} is in {n} tiers"
    return None


def digest_of(text: str) -> str:
    """sha256 of the policy text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _pct(x: Fraction) -> str:
    return f"{float(x):.4f}".rstrip("0").rstrip(".")
