"""An independent reading of a customer message, for tests: which numbers does it state?

Written separately from `sgr.discount.message` on purpose, so tests do not just echo the code's checker.
"""

from __future__ import annotations

import re

AMOUNT_WORDS = ("half", "free", "100%", "double", "twice", "quarter")


def stated_numbers(text: str, offer_code: str | None) -> list[float]:
    """Every number in `text`, ignoring the offer code and thousands separators."""
    if offer_code:
        text = text.replace(offer_code, "")
    return [float(m.replace(",", "")) for m in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


def unbacked(text: str, *, percent: float, cart: float, offer_code: str | None) -> list[str]:
    """What the message states that the decision does not back: numbers and amount words."""
    saving = round(cart * percent / 100, 2)
    backed = {round(percent, 2), round(cart, 2), saving, round(cart - saving, 2)}
    out = [f"{n}" for n in stated_numbers(text, offer_code) if round(n, 2) not in backed]
    lowered = text.lower()
    out += [w for w in AMOUNT_WORDS if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", lowered)]
    return out
