"""Customer-facing text cannot promise more than the decision (issue 9, item 6).

Every hostile reply of the hand-written corpus (`hostile_replies.py`: other codes, later or extra
discounts, shipping, gifts, credits, refunds, numbers in words, look-alike letters, invisible characters,
in seven languages) is rejected by `message_problems`, and through `finalize` with a real `PriceContext`
the customer reads our template, which the independent reader (`safety.py`) finds nothing extra in. The
honest replies stay, so the check is not "always the template".
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from sgr.discount.agent import _safe_reply
from sgr.discount.message import fmt_money, fmt_percent, message_problems, promise_kind, template_message
from sgr.discount.policy import compute_cap
from sgr.discount.price import PriceContext, finalize, price_contract
from sgr.discount.route import GENERIC_REPLY, RouteAnswer
from sgr.discount.stores import CustomerContext

from .hostile_replies import BENIGN, HOSTILE, ROUTE_PROMISES, Reply, fill
from .safety import promises, unbacked

CUSTOMER = CustomerContext("C0000042", cart_value=200.0, profit_margin=30.0, inventory_status="normal",
                           lifetime_value=5000.0, churn_probability=0.9, days_since_last_order=40)
PERCENT = 10.0


def context() -> PriceContext:
    """A real price context (the packaged policy's cap, the default code issuer)."""
    ctx = PriceContext(CUSTOMER, compute_cap(CUSTOMER), "any deals?")
    assert ctx.cap.max_percent >= PERCENT
    return ctx


def answer(message: str, percent: float = PERCENT) -> Any:
    """A model answer built without validation, as a server that ignores the schema would send it."""
    return price_contract(context().cap.max_percent).model_construct(
        churn_analysis="c", financial_analysis="f", margin_math="m", max_discount_percent=percent,
        customer_message=message)


@pytest.fixture(scope="module")
def decided() -> dict[str, str]:
    """The decision's own numbers and code, as the placeholders of the corpus want them."""
    decision, _ = finalize(context(), answer("We can offer you 10% off."))
    assert decision.offer_code
    saving = round(CUSTOMER.cart_value * PERCENT / 100, 2)
    return {"percent": fmt_percent(PERCENT), "saving": fmt_money(saving),
            "total": fmt_money(CUSTOMER.cart_value - saving), "code": decision.offer_code}


def test_the_corpus_is_large_and_in_many_languages() -> None:
    assert len(HOSTILE) >= 60 and len(BENIGN) >= 20
    assert len({r.text for r in HOSTILE}) == len(HOSTILE)
    langs = Counter(r.lang for r in HOSTILE)
    assert {"en", "es", "fr", "de", "it", "pt", "ru"} <= set(langs), langs
    assert {"es", "fr", "de", "it", "pt", "ru"} <= {r.lang for r in BENIGN}


@pytest.mark.parametrize("reply", HOSTILE, ids=lambda r: f"{r.lang}:{r.tries}")
def test_every_hostile_reply_is_rejected(reply: Reply, decided: dict[str, str]) -> None:
    text = fill(reply.text, **decided)
    assert message_problems(text, percent=PERCENT, cart_value=CUSTOMER.cart_value,
                            offer_code=decided["code"]), text


@pytest.mark.parametrize("reply", HOSTILE, ids=lambda r: f"{r.lang}:{r.tries}")
def test_a_hostile_reply_never_reaches_the_customer(reply: Reply, decided: dict[str, str]) -> None:
    text = fill(reply.text, **decided)
    decision, clamps = finalize(context(), answer(text))
    assert decision.max_discount_percent == PERCENT and decision.offer_code == decided["code"]
    assert decision.customer_message == template_message(percent=PERCENT, cart_value=CUSTOMER.cart_value,
                                                         offer_code=decided["code"])
    assert [c.field for c in clamps] == ["customer_message"] and clamps[0].from_value == text
    assert unbacked(decision.customer_message, percent=PERCENT, cart=CUSTOMER.cart_value,
                    offer_code=decision.offer_code) == []


@pytest.mark.parametrize("reply", HOSTILE, ids=lambda r: f"{r.lang}:{r.tries}")
def test_the_independent_reader_agrees_each_hostile_reply_promises_too_much(reply: Reply,
                                                                           decided: dict[str, str]) -> None:
    """Guards the corpus itself: a reply only `message.py` objects to would prove nothing about promises."""
    text = fill(reply.text, **decided)
    assert unbacked(text, percent=PERCENT, cart=CUSTOMER.cart_value, offer_code=decided["code"]), text


@pytest.mark.parametrize("reply", BENIGN, ids=lambda r: f"{r.lang}:{r.text[:30]}")
def test_honest_replies_are_kept(reply: Reply, decided: dict[str, str]) -> None:
    text = fill(reply.text, **decided)
    assert message_problems(text, percent=PERCENT, cart_value=CUSTOMER.cart_value,
                            offer_code=decided["code"]) == []
    decision, clamps = finalize(context(), answer(text))
    assert clamps == [] and decision.customer_message.startswith(text)
    assert decided["code"] in decision.customer_message
    assert unbacked(decision.customer_message, percent=PERCENT, cart=CUSTOMER.cart_value,
                    offer_code=decision.offer_code) == []


@pytest.mark.parametrize("reply", ROUTE_PROMISES)
def test_a_general_reply_cannot_promise_either(reply: str) -> None:
    assert message_problems(reply, percent=0.0, cart_value=0.0, offer_code=None)
    assert promises(reply, None)
    text, clamps = _safe_reply(RouteAnswer.model_construct(reason="r", route="respond", reply=reply))
    assert text == GENERIC_REPLY and clamps and clamps[0].from_value == reply


@pytest.mark.parametrize(("word", "kind"), [
    ("shiping", "shipping or delivery"), ("vouchr", "code"), ("cashbak", "credit, refund or cashback"),
    ("shopping", None), ("regards", None), ("complementary", None), ("potage", None),
])
def test_misspelt_promises_count_and_real_words_near_them_do_not(word: str, kind: str | None) -> None:
    assert promise_kind(word) == kind


@pytest.mark.parametrize("text", [
    "Thanks for shopping with us: {percent}% off your cart. Best regards!",
    "Gracias: {percent}% de descuento para tu carrito.",
])
def test_look_alike_real_words_keep_honest_text(text: str, decided: dict[str, str]) -> None:
    filled = fill(text, **decided)
    assert message_problems(filled, percent=PERCENT, cart_value=200.0, offer_code=decided["code"]) == []


def test_the_code_must_be_written_exactly(decided: dict[str, str]) -> None:
    code = decided["code"]
    for variant in (code.lower(), code.replace("-", " "), code[:-1] + "Ο", code + "X"):
        text = f"{PERCENT:g}% off with code {variant}."
        assert message_problems(text, percent=PERCENT, cart_value=200.0, offer_code=code), variant
    assert message_problems(f"{PERCENT:g}% off with code {code}.", percent=PERCENT, cart_value=200.0,
                            offer_code=code) == []


def test_our_placeholder_word_cannot_be_smuggled_in(decided: dict[str, str]) -> None:
    text = f"{PERCENT:g}% off, use code decidedcode or {decided['code']}."
    assert message_problems(text, percent=PERCENT, cart_value=200.0, offer_code=decided["code"])


@pytest.mark.parametrize("text", ["10% off, you save $180.00.", "10% off, your new total is $20.00."])
def test_a_decided_amount_under_the_wrong_name_is_caught(text: str) -> None:
    problems = message_problems(text, percent=10.0, cart_value=200.0, offer_code=None)
    assert any("saving" in p or "total" in p for p in problems), problems


def test_no_discount_keeps_no_model_words() -> None:
    customer = CustomerContext("C1", 80.0, 0.0, "normal", 100.0, 0.9, 3)
    ctx = PriceContext(customer, compute_cap(customer), "any deals?")
    promise = "We'll waive shipping and add a gift card."
    decision, clamps = finalize(ctx, price_contract(ctx.cap.max_percent).model_construct(
        churn_analysis="c", financial_analysis="f", margin_math="m", max_discount_percent=0.0,
        customer_message=promise))
    assert decision.offer_code is None and decision.customer_message != promise
    assert [c.field for c in clamps] == ["customer_message"]
    assert promises(decision.customer_message, None) == []
