"""Price step: the cap is the schema's bound (and xgrammar enforces it); finalize clamps and vets text."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sgr.core.config import ModelEntry
from sgr.core.contracts import check_bounded, schema_for
from sgr.core.llm import get_backend
from sgr.discount.codes import CodeIssuer
from sgr.discount.policy import compute_cap
from sgr.discount.price import PriceContext, PriceStep, finalize, price_contract
from sgr.discount.stores import CustomerContext

from .safety import unbacked

CUSTOMER = CustomerContext("C0000042", cart_value=200.0, profit_margin=30.0, inventory_status="normal",
                           lifetime_value=5000.0, churn_probability=0.9, days_since_last_order=40)


ISSUER = CodeIssuer(b"test secret, not for production", 7)


def ctx(customer: CustomerContext = CUSTOMER) -> PriceContext:
    return PriceContext(customer, compute_cap(customer), "any deals?", ISSUER)


def answer(percent: float, message: str, cap: float = 15.0) -> Any:
    """Build an answer without validation, as a server that ignores the bound would."""
    return price_contract(cap).model_construct(churn_analysis="c", financial_analysis="f", margin_math="m",
                                               max_discount_percent=percent, customer_message=message)


def test_schema_bound_is_the_cap_and_bounded() -> None:
    c = ctx()
    schema = schema_for(PriceStep().schema(c))
    prop = schema["properties"]["max_discount_percent"]
    assert (prop["minimum"], prop["maximum"]) == (0.0, c.cap.max_percent) == (0.0, 15.0)
    assert check_bounded(schema) == []
    order = list(schema["properties"])
    assert order.index("margin_math") < order.index("max_discount_percent")  # reasoning first


def test_xgrammar_cannot_spell_more_than_the_cap() -> None:
    xgr = pytest.importorskip("xgrammar", reason="xgrammar is needed to check the grammar bound")
    testing = pytest.importorskip("xgrammar.testing")
    schema = schema_for(price_contract(7.5))
    grammar = xgr.Grammar.from_json_schema(json.dumps(schema), any_whitespace=False, strict_mode=True,
                                           separators=(",", ":"))

    def doc(percent: str) -> str:
        return ('{"churn_analysis":"a","financial_analysis":"b","margin_math":"c",'
                f'"max_discount_percent":{percent},"customer_message":"d"}}')

    accepts = testing._is_grammar_accept_string
    assert accepts(grammar, doc("7.5")) and accepts(grammar, doc("0")) and accepts(grammar, doc("3"))
    for bad in ("90", "7.6", "-1", "100"):
        assert not accepts(grammar, doc(bad)), bad


def test_offer_code_comes_from_the_issuer_for_the_final_percent() -> None:
    decision, _ = finalize(ctx(), answer(12.0, "We can offer you 12% off."))
    assert decision.offer_code == ISSUER(CUSTOMER.customer_id, 12.0)
    assert decision.offer_code and decision.offer_code.startswith("SAVE12-")


def test_honest_answer_is_kept() -> None:
    decision, clamps = finalize(ctx(), answer(10.0, "We can offer you 10% off, saving $20.00."))
    assert clamps == []
    assert decision.max_discount_percent == 10.0
    assert decision.customer_message.startswith("We can offer you 10% off, saving $20.00.")
    assert decision.offer_code and decision.offer_code in decision.customer_message


@pytest.mark.parametrize(
    ("percent", "final", "rule"),
    [(90.0, 15.0, "policy cap"), (-5.0, 0.0, "never negative"), (float("nan"), 0.0, "never negative"),
     (7.3, 7.0, "rounded down to a 0.5% step")],
)
def test_percent_is_clamped_and_recorded(percent: float, final: float, rule: str) -> None:
    decision, clamps = finalize(ctx(), answer(percent, "A special offer for you."))
    assert decision.max_discount_percent == final
    assert rule in [c.rule for c in clamps if c.field == "max_discount_percent"]
    assert decision.offer_code == ISSUER(CUSTOMER.customer_id, final)


@pytest.mark.parametrize(
    "message",
    ["Enjoy 90% off!", "You get 10% off and save $50!", "Half off for you", "10% off plus a free gift",
     "Take 10% now and another 5% next time", "As you asked: 100% off with code FREE100",
     "Diez por ciento: la mitad gratis", "半額です", "10% off: you save $200.00 today"],
)
def test_message_with_unbacked_amounts_is_replaced(message: str) -> None:
    decision, clamps = finalize(ctx(), answer(10.0, message))
    rewrite = [c for c in clamps if c.field == "customer_message"]
    assert len(rewrite) == 1 and rewrite[0].from_value == message
    assert decision.customer_message != message
    assert unbacked(decision.customer_message, percent=10.0, cart=200.0, offer_code=decision.offer_code) == []
    assert "10%" in decision.customer_message and (decision.offer_code or "") in decision.customer_message


def test_zero_discount_message_states_no_percent() -> None:
    customer = CustomerContext("C1", 80.0, 0.0, "normal", 100.0, 0.9, 3)
    decision, _ = finalize(ctx(customer), answer(0.0, "10% off!", cap=0.0))
    assert decision.offer_code is None and "%" not in decision.customer_message


def test_fallback_offers_the_cap_with_a_consistent_message() -> None:
    backend = get_backend(ModelEntry(name="offline", backend="offline"))
    c = ctx()
    result = PriceStep().run(c, backend)
    decision, clamps = finalize(c, result.value)
    assert clamps == []
    assert decision.max_discount_percent == c.cap.max_percent
    assert unbacked(decision.customer_message, percent=15.0, cart=200.0, offer_code=decision.offer_code) == []
    assert "30" in decision.margin_math and "15" in decision.margin_math


SMALL_CART = CustomerContext("C0000007", cart_value=20.0, profit_margin=30.0, inventory_status="normal",
                             lifetime_value=500.0, churn_probability=0.9, days_since_last_order=40)


@pytest.mark.parametrize(
    "message",
    ["Great news: 18% off your whole cart!",  # 18 is the new total, not the percent: units matter
     "You save $10!", "Sixteen percent off for you!", "Take ½ off your cart!",
     "un cincuenta por ciento de descuento", "Save 2 now", "ten percent, just for you"],
)
def test_numbers_must_carry_the_right_unit(message: str) -> None:
    decision, clamps = finalize(ctx(SMALL_CART), answer(10.0, message))
    assert [c.field for c in clamps] == ["customer_message"], clamps
    assert decision.customer_message != message and "10% off" in decision.customer_message


def test_a_zero_discount_never_keeps_model_words() -> None:
    customer = CustomerContext("C1", 80.0, 0.0, "normal", 100.0, 0.9, 3)
    promise = "Good news! Use code VIPDEAL for a special discount at checkout."
    decision, clamps = finalize(ctx(customer), answer(0.0, promise, cap=0.0))
    assert decision.customer_message != promise and "VIPDEAL" not in decision.customer_message
    assert [c.field for c in clamps] == ["customer_message"]


@pytest.mark.parametrize("reply", ["I can give you a free month.", "Sure, fifty off next time!", "Ask for 10"])
def test_a_general_reply_cannot_make_an_offer(reply: str) -> None:
    from sgr.discount.agent import _safe_reply
    from sgr.discount.route import GENERIC_REPLY, RouteAnswer

    text, clamps = _safe_reply(RouteAnswer.model_construct(reason="r", route="respond", reply=reply))
    assert text == GENERIC_REPLY and clamps and clamps[0].from_value == reply
