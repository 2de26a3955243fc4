"""Customer-message safety: the text a customer reads may state only the decided numbers.

A model can write "50% off!" while the decision says 10%. We never try to fix such text; we check every
number and percent-like word in it, and if anything is not the decided percent or an amount we derive
ourselves (cart value, saving, new total), the message is replaced by a template built from the decision.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
#: words that state an amount without digits (several languages); any of them forces the template
AMOUNT_WORDS: frozenset[str] = frozenset({
    "half", "halves", "quarter", "third", "double", "twice", "triple", "free", "bogo", "zero", "one", "two",
    "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen", "twenty",
    "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "dozen", "mitad", "medio",
    "gratis", "moitie", "gratuit", "halb", "halfte", "kostenlos", "meta", "gratuito", "metade", "половин",
    "бесплатно", "полцены", "thirteen", "fourteen", "sixteen", "seventeen", "eighteen", "nineteen", "thousand",
    "cinco", "diez", "veinte", "treinta", "cuarenta", "cincuenta", "cien", "ciento", "cinq", "dix", "vingt",
    "trente", "quarante", "cinquante", "cent", "funf", "zehn", "zwanzig", "dreissig", "vierzig", "funfzig",
    "hundert", "cinque", "dieci", "venti", "trenta", "cinquanta", "cento", "dez", "vinte", "cinquenta",
    "пять", "десять", "двадцать", "пятьдесят", "сто",
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


_PERCENT_WORDS = r"(?:%|％|percent|per\s*cent|pct|por\s*ciento|pour\s*cent|prozent|per\s*cento|por\s*cento|процент\w*)"
#: a number with its unit: "$12.50", "12.5 %", "12 percent"; the unit decides what the number may be
_QUANTITY = re.compile(
    r"(?P<cur>[$€£¥])?\s*(?P<num>[0-9]+(?:[.,][0-9]+)*)\s*(?P<pct>" + _PERCENT_WORDS + r")?",
    re.IGNORECASE,
)
_PERCENT_ALONE = re.compile(_PERCENT_WORDS, re.IGNORECASE)


def message_problems(text: str, *, percent: float, cart_value: float, offer_code: str | None,
                     extra_allowed: Iterable[str] = ()) -> list[str]:
    """Every number or amount word in `text` that the decision does not back (empty list = safe).

    Units matter: a number marked as a percent must be the decided percent, a money amount must be the
    saving or the new total, and a bare number is never trusted ("18% off" on a $20 cart whose new total
    is 18 is caught). Percent words with no number before them, number words, and non-ASCII numerals
    ("½", "５") are problems too, so only what our own formatting can state gets through.
    """
    body = text.replace(offer_code, " ") if offer_code else text
    extra = set(extra_allowed)
    percent_ok = {f"{percent:.2f}"} | extra if percent > 0 else set()
    money_ok = (allowed_numbers(percent, cart_value) - {f"{percent:.2f}"}) | extra if percent > 0 else set()
    problems: list[str] = []
    consumed: list[tuple[int, int]] = []
    for m in _QUANTITY.finditer(body):
        canon = _canonical(m.group("num"))
        consumed.append(m.span())
        if m.group("pct"):
            if canon not in percent_ok:
                problems.append(f"percent {m.group(0).strip()!r}")
        elif m.group("cur"):
            if canon not in money_ok:
                problems.append(f"amount {m.group(0).strip()!r}")
        elif canon not in extra:
            problems.append(f"bare number {m.group('num')!r} (no unit: neither the percent nor an amount)")
    for m in _PERCENT_ALONE.finditer(body):
        if not any(a <= m.start() < b for a, b in consumed):
            problems.append(f"percent word {m.group(0)!r} without the decided number")
    for ch in set(body):
        if not ("0" <= ch <= "9") and unicodedata.numeric(ch, None) is not None:
            problems.append(f"numeral {ch!r}")
    lowered = body.casefold()
    for word in _WORD.findall(lowered):
        folded = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode() or word
        if folded in AMOUNT_WORDS or word in AMOUNT_WORDS:
            problems.append(f"amount word {word!r}")
    problems.extend(f"amount word {w!r}" for w in _CJK_AMOUNT if w in body)
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
