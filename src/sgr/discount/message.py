"""Customer-message safety: the text a customer reads may state only the decided numbers.

A model can write "50% off!" while the decision says 10%. We never try to fix such text; we check every
number and percent-like word in it, and if anything is not the decided percent or an amount we derive
ourselves (cart value, saving, new total), the message is replaced by a template built from the decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
#: words that state an amount without digits (several languages); any of them forces the template
AMOUNT_WORDS: frozenset[str] = frozenset({
    "half", "halves", "quarter", "third", "double", "twice", "triple", "free", "bogo", "zero", "one", "two",
    "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen", "twenty",
    "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "dozen", "mitad", "medio",
    "gratis", "moitie", "gratuit", "halb", "halfte", "kostenlos", "meta", "gratuito", "metade", "половин",
    "бесплатно", "полцены",
})
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CJK_AMOUNT = ("半額", "半价", "免费", "無料", "一半", "折")


def fmt_percent(percent: float) -> str:
    """12.0 -> "12", 7.5 -> "7.5": how the percent appears in every message."""
    return f"{percent:.1f}".removesuffix(".0")


def fmt_money(amount: float) -> str:
    """Money with two decimals, as our templates write it."""
    return f"{amount:,.2f}"


def _canonical(token: str) -> str | None:
    """Read a numeric token as a number string with at most two decimals, or None if unreadable."""
    cleaned = token.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return f"{value:.2f}"


def allowed_numbers(percent: float, cart_value: float) -> set[str]:
    """The numbers a model-written message may contain, canonicalised: the percent and what it implies.

    The cart value itself is *not* allowed in model text: "you save $460.70" on a $460.70 cart would state
    a 100% discount with a number that looks legitimate. Our own template states it safely.
    """
    if percent <= 0:
        return set()
    saving = round(cart_value * percent / 100.0, 2)
    total = round(cart_value - saving, 2)
    return {f"{v:.2f}" for v in (percent, saving, total)}


def message_problems(text: str, *, percent: float, cart_value: float, offer_code: str | None,
                     extra_allowed: Iterable[str] = ()) -> list[str]:
    """Every number or amount word in `text` that the decision does not back (empty list = safe)."""
    body = text.replace(offer_code, " ") if offer_code else text
    allowed = allowed_numbers(percent, cart_value) | set(extra_allowed)
    problems: list[str] = []
    for token in _NUMBER.findall(body):
        canon = _canonical(token)
        if canon is None or canon not in allowed:
            problems.append(f"number {token!r}")
    lowered = body.casefold()
    for word in _WORD.findall(lowered):
        folded = word.replace("é", "e").replace("à", "a").replace("ä", "a")
        if folded in AMOUNT_WORDS:
            problems.append(f"amount word {word!r}")
    problems.extend(f"amount word {w!r}" for w in _CJK_AMOUNT if w in body)
    if percent <= 0 and "%" in body:
        problems.append("a percent sign although no discount was decided")
    return problems


def template_message(*, percent: float, cart_value: float, offer_code: str | None) -> str:
    """The message we write ourselves from the decision (used offline and whenever model text is unsafe)."""
    if percent <= 0 or not offer_code:
        return (f"Thanks for asking. We cannot add a discount to your cart of ${fmt_money(cart_value)} "
                "right now, but we appreciate you shopping with us.")
    saving = round(cart_value * percent / 100.0, 2)
    total = round(cart_value - saving, 2)
    return (f"Good news: we can offer you {fmt_percent(percent)}% off your cart of ${fmt_money(cart_value)}. "
            f"You save ${fmt_money(saving)}, so your new total is ${fmt_money(total)}. "
            f"Use code {offer_code} at checkout.")
