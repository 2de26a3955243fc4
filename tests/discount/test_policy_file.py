"""The pricing policy as a file: the default is safe over the whole domain, unsafe files are refused.

Three arguments that do not lean on each other: hypothesis (random inputs, and random *policies*), the
exhaustive grid, and the analytic breakpoint proof; plus proof that the check catches the old bug
(overstock x1.2 applied after the tier's "at most half the margin").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgr.core.config import parse_settings
from sgr.core.errors import ConfigError
from sgr.discount.errors import PolicyRejected
from sgr.discount.policy import Evaluation, compute_cap, evaluate
from sgr.discount.policy_check import (
    check_policy,
    default_policy,
    default_policy_text,
    load_policy,
    parse_policy,
)
from sgr.discount.policy_spec import PolicySpec

STATES = st.sampled_from(["low", "normal", "overstock", "discontinued", ""])


@dataclass
class In:
    profit_margin: float
    churn_probability: float
    inventory_status: str
    lifetime_value: float


def stated_ceiling(margin: float, churn: float) -> Fraction:
    """The default policy's ceilings as the README states them, computed here without the engine."""
    m = Fraction(repr(margin))
    if churn > 0.7:
        return m / 2
    if churn < 0.3:
        return min(Fraction(5), m)
    return m * Fraction(3, 10)


@settings(max_examples=1500, deadline=None)
@given(margin=st.floats(0, 100), churn=st.floats(0, 1), state=STATES, ltv=st.floats(0, 1e7))
def test_default_policy_never_exceeds_a_stated_ceiling(margin: float, churn: float, state: str, ltv: float) -> None:
    cap = compute_cap(In(margin, churn, state, ltv))
    exact = Fraction(repr(cap.max_percent))
    assert 0 <= exact <= stated_ceiling(margin, churn)
    assert exact <= Fraction(repr(margin)) and exact <= 50
    assert (exact * 2).denominator == 1  # a 0.5% step


@settings(max_examples=800, deadline=None)
@given(margin=st.floats(0, 100), churn=st.floats(0, 1), state=STATES)
def test_default_policy_gives_exactly_the_stated_offer(margin: float, churn: float, state: str) -> None:
    """Not only below the ceiling: the offer is the stated one (rounded down to 0.5%), computed exactly."""
    m = Fraction(repr(margin))
    offer = m / 2 if churn > 0.7 else min(Fraction(5), m) if churn < 0.3 else m / 4
    offer *= {"overstock": Fraction(6, 5), "low": Fraction(1, 2)}.get(state, Fraction(1))
    expected = math.floor(min(offer, stated_ceiling(margin, churn), m, Fraction(50)) * 2) / 2
    assert compute_cap(In(margin, churn, state, 0.0)).max_percent == expected


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_inputs_that_are_not_numbers_get_no_discount(bad: float) -> None:
    assert compute_cap(In(bad, 0.9, "overstock", 0.0)).max_percent == 0.0
    assert compute_cap(In(40.0, bad, "overstock", 0.0)).max_percent == 0.0


def test_out_of_range_inputs_stay_within_the_limits() -> None:
    assert compute_cap(In(-20.0, 0.9, "normal", 0.0)).max_percent == 0.0
    assert compute_cap(In(250.0, 0.9, "overstock", 0.0)).max_percent == 50.0  # margin read as at most 100
    assert compute_cap(In(40.0, 7.0, "normal", 0.0)).max_percent == 20.0  # churn read as at most 1
    assert compute_cap(In(40.0, -1.0, "overstock", 0.0)).max_percent == 5.0


def test_arithmetic_is_exact_at_the_boundaries() -> None:
    """0.3 x 25 is 7.5 exactly: a float engine could floor 7.4999... to 7.0, or lift a value over a ceiling."""
    assert compute_cap(In(25.0, 0.5, "overstock", 0.0)).max_percent == 7.5
    assert compute_cap(In(14.999999999999998, 0.9, "normal", 0.0)).max_percent == 7.0


def test_default_policy_passes_the_full_check() -> None:
    report = check_policy(default_policy(), churn_step=0.05, margin_step=2.0)
    assert report.ok, report.violations[:3]
    assert report.analytic_cells == 3 * 4 * 2 and report.analytic_points > 3 * 4 * 2 * 2
    assert report.grid_points == math.prod(report.grid_axes.values()) > 20_000


def test_grid_hits_every_boundary_and_both_sides() -> None:
    seen: dict[str, set[Fraction]] = {"churn": set(), "margin": set()}

    def spy(policy: PolicySpec, **kw: Any) -> Evaluation:
        seen["churn"].add(kw["churn"])
        seen["margin"].add(kw["margin"])
        return evaluate(policy, **kw)

    check_policy(default_policy(), churn_step=0.1, margin_step=10.0, evaluator=spy)
    tiny = Fraction(1, 10**9)
    for b in (Fraction(3, 10), Fraction(7, 10)):
        assert {b - tiny, b, b + tiny} <= seen["churn"]
    assert {Fraction(0), Fraction(1)} <= seen["churn"]
    # margins where the low tier's 5% meets the margin, and where 50% of the margin meets the brand max
    assert {Fraction(0), Fraction(5), Fraction(5) - Fraction(1, 1000), Fraction(100)} <= seen["margin"]


def legacy_evaluate(policy: PolicySpec, **kw: Any) -> Evaluation:
    """The engine as it was before the policy file: modifiers after the tier, the tier ceiling not re-applied."""
    ev = evaluate(policy, **kw)
    value = ev.offer
    for mod, _ in ev.modifiers:
        value *= mod.ratio
    value = min(value, ev.margin, policy.brand_max)
    return Evaluation(ev.tier, ev.margin, ev.offer, ev.modifiers, ev.ceiling, (), value,
                      Fraction(math.floor(value * 2), 2))


@pytest.mark.parametrize("with_grid", [False, True])
def test_the_check_catches_the_old_overstock_bug(with_grid: bool) -> None:
    report = check_policy(default_policy(), with_grid=with_grid, churn_step=0.1, margin_step=5.0,
                          evaluator=legacy_evaluate)
    assert not report.ok
    worst = [v for v in report.violations if v.limit == "ceiling of tier 'high churn'"
             and v.inputs["inventory"] == "overstock"]
    assert worst, report.violations[:3]
    for v in worst:  # above half the margin, and at most the 60% the old order gave
        assert v.bound == pytest.approx(v.inputs["margin"] / 2)
        assert v.bound < v.offer <= v.inputs["margin"] * 0.6 + 1e-9
    if with_grid:  # the example: 30% margin, overstock -> 18% offered where the ceiling is 15%
        assert any(v.inputs["margin"] == 30 and v.offer == 18 and v.bound == 15 for v in worst)


def test_the_check_catches_a_tier_boundary_read_the_wrong_way() -> None:
    """An engine that treats churn 0.7 as high churn ("> 0.7" read as ">= 0.7") is caught exactly there."""
    def ge_for_gt(policy: PolicySpec, **kw: Any) -> Evaluation:
        if kw["churn"] == Fraction(7, 10):
            kw["churn"] += Fraction(1, 10**12)
        return evaluate(policy, **kw)

    report = check_policy(default_policy(), with_grid=False, evaluator=ge_for_gt)
    assert any(v.limit.startswith("tier choice") and v.inputs["churn"] == 0.7 for v in report.violations)


def test_the_check_catches_rounding_up() -> None:
    def rounds_up(policy: PolicySpec, **kw: Any) -> Evaluation:
        ev = evaluate(policy, **kw)
        return Evaluation(ev.tier, ev.margin, ev.offer, ev.modifiers, ev.ceiling, ev.limits, ev.unrounded,
                          Fraction(math.ceil(ev.unrounded * 2), 2))

    report = check_policy(default_policy(), with_grid=False, evaluator=rounds_up)
    assert report.violations and all("rounded down" in v.limit or "ceiling" in v.limit or v.limit in
                                     ("margin", "brand max") for v in report.violations)


# --- policy files: valid ones load, unsafe or malformed ones are refused ----------------------------------

def policy_yaml(**changes: Any) -> str:
    data = yaml.safe_load(default_policy_text())
    data.update(changes)
    return yaml.safe_dump(data)


def tiers_with(high: dict[str, Any]) -> list[dict[str, Any]]:
    tiers = yaml.safe_load(default_policy_text())["tiers"]
    tiers[2].update(high)
    return tiers


OVER_CEILING = policy_yaml(tiers=tiers_with({"offer": {"share_of_margin": 0.6}}))


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (OVER_CEILING, "ceiling of tier 'high churn' by the tier's own offer"),
        (policy_yaml(tiers=tiers_with({"churn": {"gt": 0.71}})), "churn 0.7"),  # a gap: (0.7, 0.71]
        (policy_yaml(tiers=tiers_with({"churn": {"ge": 0.7}})), "churn 0.7 is in 2 tiers"),  # overlap
        (policy_yaml(brand_max_percent=150), "brand_max_percent"),
        (policy_yaml(step_percent=0.25), "multiple of 0.1"),
        (policy_yaml(modifiers=[{"name": "boost", "when": {"inventory": ["overstock"]}, "factor": -1}]), "factor"),
        (policy_yaml(tiers=tiers_with({"celing": {"share_of_margin": 0.5}})), "celing"),  # a typo is not ignored
        (policy_yaml(tiers=tiers_with({"ceiling": {"share_of_margin": 1.5}})), "share_of_margin"),
        ("tiers: [", "not valid YAML"),
        ("- just a list", "must be a mapping"),
    ],
)
def test_bad_policies_are_refused(text: str, needle: str) -> None:
    with pytest.raises(PolicyRejected, match=r"refus|invalid|YAML|mapping") as err:
        parse_policy(text, source="bad.yaml")
    assert needle in str(err.value) and err.value.exit_code == 15


def test_loader_refuses_a_bad_file_and_a_missing_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(OVER_CEILING)
    with pytest.raises(PolicyRejected, match="can exceed a ceiling"):
        load_policy(bad)
    with pytest.raises(ConfigError, match="policy file not found"):
        load_policy(tmp_path / "nope.yaml")


def test_service_refuses_to_start_with_a_bad_policy(tmp_path: Path) -> None:
    from sgr.discount.api import DiscountService

    bad = tmp_path / "bad.yaml"
    bad.write_text(OVER_CEILING)
    settings = parse_settings(f"discount:\n  dir: {tmp_path}\n  policy: {bad}\n")
    with pytest.raises(PolicyRejected):
        DiscountService(settings)


def test_a_custom_policy_with_lifetime_value_is_applied_and_audited() -> None:
    text = policy_yaml(name="ltv", modifiers=[
        {"name": "small spender", "when": {"lifetime_value": {"lt": 100}}, "factor": 0.5},
        {"name": "clearance", "when": {"inventory": ["overstock"], "lifetime_value": {"ge": 5000}}, "factor": 2},
    ])
    policy = parse_policy(text)
    report = check_policy(policy, churn_step=0.25, margin_step=10.0)
    assert report.ok and report.grid_axes["lifetime_value"] > 10  # bounds 100 and 5000, and either side
    small = compute_cap(In(40.0, 0.5, "normal", 99.99), policy)
    assert small.max_percent == 5.0 and any(r.startswith("small spender") for r in small.rules)
    big = compute_cap(In(40.0, 0.5, "overstock", 5000.0), policy)
    assert big.max_percent == 12.0  # a quarter x2 = 20%, cut to the 30%-of-margin ceiling
    assert big.rules[0].startswith("policy ltv@")


# --- random policies: whatever loads is safe; what is not safe does not load ------------------------------

@st.composite
def random_policy(draw: st.DrawFn) -> dict[str, Any]:
    cuts = sorted(draw(st.sets(st.integers(1, 99), min_size=0, max_size=3)))
    edges = [0, *cuts, 100]
    tiers = []
    for i, (lo, hi) in enumerate(pairwise(edges)):
        churn: dict[str, float] = {}
        if i > 0:
            churn["ge"] = lo / 100
        if i < len(edges) - 2:
            churn["lt"] = hi / 100
        ceiling = draw(amounts())
        tier: dict[str, Any] = {"name": f"t{i}", "churn": churn, "ceiling": ceiling}
        if draw(st.booleans()):
            tier["offer"] = draw(amounts())
        tiers.append(tier)
    modifiers = []
    for j in range(draw(st.integers(0, 3))):
        when: dict[str, Any] = {}
        if draw(st.booleans()):
            when["inventory"] = draw(st.lists(st.sampled_from(["low", "normal", "overstock"]), min_size=1,
                                              max_size=2, unique=True))
        if draw(st.booleans()) or not when:
            when["lifetime_value"] = {draw(st.sampled_from(["lt", "ge"])): draw(st.integers(0, 20_000))}
        modifiers.append({"name": f"m{j}", "when": when, "factor": draw(st.integers(0, 30)) / 10})
    return {"version": 1, "name": "random", "step_percent": draw(st.sampled_from([0.5, 1, 0.1, 2.5])),
            "brand_max_percent": draw(st.integers(0, 100)), "tiers": tiers, "modifiers": modifiers}


def amounts() -> st.SearchStrategy[dict[str, float]]:
    share = st.integers(0, 100).map(lambda x: x / 100)
    most = st.integers(0, 1000).map(lambda x: x / 10)
    return st.one_of(st.fixed_dictionaries({"share_of_margin": share}), st.fixed_dictionaries({"max_percent": most}),
                     st.fixed_dictionaries({"share_of_margin": share, "max_percent": most}))


def amount_of(amount: dict[str, float], margin: Fraction) -> Fraction:
    terms = [Fraction(repr(amount["share_of_margin"])) * margin] if "share_of_margin" in amount else []
    terms += [Fraction(repr(amount["max_percent"]))] if "max_percent" in amount else []
    return min(terms)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=random_policy(), margin=st.floats(0, 100), churn=st.floats(0, 1), state=STATES,
       ltv=st.floats(0, 30_000))
def test_any_policy_that_loads_stays_within_its_own_ceilings(data: dict[str, Any], margin: float, churn: float,
                                                             state: str, ltv: float) -> None:
    m = Fraction(repr(margin))
    offer_above_ceiling = any(
        amount_of(t.get("offer", t["ceiling"]), x) > amount_of(t["ceiling"], x)
        for t in data["tiers"] for x in (Fraction(0), Fraction(1, 100), m, Fraction(50), Fraction(100)))
    try:
        policy = parse_policy(yaml.safe_dump(data))
    except PolicyRejected as exc:
        assert "by the tier's own offer" in str(exc)  # the only way a well-formed random policy fails
        return
    assert not offer_above_ceiling  # sampled points where the offer is above the ceiling: it must not load
    cap = Fraction(repr(compute_cap(In(margin, churn, state, ltv), policy).max_percent))
    tier = next(t for t in data["tiers"]
                if churn >= t["churn"].get("ge", 0) and churn < t["churn"].get("lt", 2))
    assert 0 <= cap <= amount_of(tier["ceiling"], m)
    assert cap <= m and cap <= data["brand_max_percent"]
    assert (cap / Fraction(repr(float(data["step_percent"])))).denominator == 1
