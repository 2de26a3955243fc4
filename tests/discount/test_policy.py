"""Policy table (the packaged default policy): the cap for every churn tier x inventory status, and the
stated ceilings over many inputs. The stated rules are written out here, independently of the YAML."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from sgr.discount.policy import compute_cap


@dataclass
class In:
    profit_margin: float
    churn_probability: float
    inventory_status: str
    lifetime_value: float = 1000.0


@pytest.mark.parametrize(
    ("margin", "churn", "inventory", "cap"),
    [
        (30.0, 0.9, "normal", 15.0),  # high churn: half the margin
        (30.0, 0.71, "normal", 15.0),
        (30.0, 0.7, "normal", 7.5),  # 0.7 is not "> 0.7": a quarter
        (30.0, 0.5, "normal", 7.5),  # medium: a quarter of the margin
        (30.0, 0.3, "normal", 7.5),  # 0.3 is not "< 0.3"
        (30.0, 0.29, "normal", 5.0),  # low churn: at most 5%
        (3.0, 0.1, "normal", 3.0),  # low churn but margin below 5%: never above the margin
        (30.0, 0.9, "overstock", 15.0),  # overstock asks for x1.2 = 18%, the tier ceiling (half) holds
        (30.0, 0.5, "overstock", 9.0),  # medium: a quarter x1.2 = 9%, within its 30%-of-margin ceiling
        (30.0, 0.9, "low", 7.5),  # low stock: x0.5
        (30.0, 0.1, "overstock", 5.0),  # low churn ceiling holds even with overstock
        (30.0, 0.1, "low", 2.5),
        (7.4, 0.848, "normal", 3.5),  # 3.7 rounded down to the 0.5% step
        (60.0, 0.95, "overstock", 30.0),  # was 36% before the policy file: above "at most half the margin"
        (30.0, 0.7 + 1e-9, "normal", 15.0),  # just above 0.7 is high churn
        (30.0, 0.3 - 1e-9, "normal", 5.0),  # just below 0.3 is low churn
        (0.0, 0.95, "overstock", 0.0),  # no margin, no discount
        (9.9, 0.5, "overstock", 2.5),  # 2.97 -> 2.5
    ],
)
def test_cap_table(margin: float, churn: float, inventory: str, cap: float) -> None:
    assert compute_cap(In(margin, churn, inventory)).max_percent == cap


def test_rules_explain_the_cap() -> None:
    cap = compute_cap(In(7.4, 0.848, "low"))
    text = " | ".join(cap.rules)
    assert "50% of the 7.4% margin" in text and "low stock" in text and "rounded down" in text
    assert cap.rules[0].startswith("policy default@") and cap.tier == "high churn"


def test_rules_name_the_ceiling_that_held() -> None:
    cap = compute_cap(In(30.0, 0.9, "overstock"))
    assert cap.max_percent == 15.0
    assert any(r.startswith("overstock: x1.2 -> 18%") for r in cap.rules)
    assert any(r.startswith("tier ceiling (50% of the 30% margin): 15%") for r in cap.rules)


GRID = [(m / 4, c / 100, inv) for m in range(0, 401, 7) for c in range(0, 101, 3)
        for inv in ("low", "normal", "overstock")]


@pytest.mark.parametrize("chunk", range(4))
def test_cap_invariants(chunk: int) -> None:
    """Over a grid of margins (0-100%), churn (0-1) and inventory: the policy's promises hold."""
    for margin, churn, inventory in GRID[chunk::4]:
        cap = compute_cap(In(margin, churn, inventory)).max_percent
        assert 0 <= cap <= margin
        assert cap <= 50
        assert cap * 2 == int(cap * 2)  # a 0.5% step
        if churn < 0.3:
            assert cap <= 5
        elif churn <= 0.7:
            assert cap <= margin * 0.3
        else:
            assert cap <= margin * 0.5
