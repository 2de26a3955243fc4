"""Route step: is this message about price (fetch the customer's features) or something to just answer?

The deterministic path is a keyword + phrase scorer over the *customer's message only* (the predecessor
matched keywords against the whole prompt and routed everything the same way). Words are matched by
stem prefix so "discounts", "discounted" and "cancelling" count; phrases catch idioms ("do better",
"too expensive"); scripts without spaces (Japanese, Chinese) are matched as substrings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from sgr.core.contracts import Contract, bounded_str
from sgr.core.step import SGRStep

Route = Literal["fetch_user_features", "respond"]
ROUTES: tuple[str, ...] = ("fetch_user_features", "respond")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: stems of words that make a message about price, in several languages (matched as token prefixes)
PRICE_STEMS: frozenset[str] = frozenset({
    # English
    "discount", "deal", "cheap", "expens", "pric", "cost", "coupon", "promo", "voucher", "rebate",
    "bargain", "markdown", "sale", "saving", "cancel", "unsubscrib", "leav", "quit", "switch",
    "competitor", "negotiat", "afford", "overpric", "percent", "refund", "offer", "budget", "lower",
    "reduc", "match",
    # Spanish / Portuguese / Italian
    "descuento", "desconto", "rebaja", "oferta", "promocion", "cupon", "cupom", "barat",
    "caro", "cara", "caros", "caras", "precio", "preco", "prezz", "sconto", "scont", "offert", "cancelar",
    "disdett", "baixar",
    # French
    "remise", "reduction", "rabais", "prix", "cher", "annuler", "resili", "solde",
    # German / Dutch / Scandinavian / Polish / Turkish
    "rabatt", "preis", "teuer", "gutschein", "kundig", "angebot", "billig", "korting", "goedkop",
    "duur", "opzegg", "aanbieding", "znizk", "rabat", "taniej", "drogo", "indirim", "pahal",
    # Russian / Ukrainian
    "скидк", "дорог", "цен", "промокод", "купон", "отмен", "дешев", "знижк",
})
#: stems so short or common that only an exact token counts (e.g. "cara" must not match "caramel")
EXACT_ONLY: frozenset[str] = frozenset({"caro", "cara", "caros", "caras", "cher", "sale", "duur", "deal",
                                        "cost", "quit", "match", "offer", "lower", "switch", "drogo", "rabat"})
#: idioms and multi-word signals, matched on the normalised message
PRICE_PHRASES: tuple[str, ...] = (
    "too much", "do better", "better price", "best price", "any deals", "money off", "% off", "percent off",
    "half off", "price match", "going to leave", "thinking of leaving", "cheaper elsewhere", "can't afford",
    "cannot afford", "close my account", "shut my account", "take my business", "a better rate",
    "knock off", "come down", "worth it", "out of my budget", "give me 100",
)
#: substrings for scripts written without spaces
CJK_TERMS: tuple[str, ...] = (
    "割引", "値引", "安く", "高い", "クーポン", "解約", "セール", "折扣", "优惠", "便宜", "太贵", "打折",
    "取消", "降价", "优惠券", "할인", "쿠폰", "비싸",
)


def normalise(text: str) -> str:
    """Lower-case, NFKC, accents stripped from Latin letters (so "réduction" == "reduction")."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    decomposed = unicodedata.normalize("NFD", folded)
    stripped = "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f")
    return unicodedata.normalize("NFC", stripped)


@dataclass(frozen=True)
class RouteScore:
    """How strongly a message is about price, and which signals said so."""

    score: int
    hits: tuple[str, ...]


def _by_first_letter(stems: frozenset[str]) -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for stem in sorted(stems):
        table.setdefault(stem[0], []).append(stem)
    return {k: tuple(v) for k, v in table.items()}


#: stems grouped by first letter, so a token is compared with a handful of stems, not all of them
_STEMS_BY_LETTER = _by_first_letter(PRICE_STEMS)


def score_message(message: str) -> RouteScore:
    """Count price signals: stems (1 each), phrases (2 each), CJK terms (2 each)."""
    text = normalise(message)
    hits: list[str] = []
    for token in _WORD.findall(text):
        for stem in _STEMS_BY_LETTER.get(token[0], ()):
            if token == stem or (stem not in EXACT_ONLY and len(stem) >= 3 and token.startswith(stem)):
                hits.append(stem)
                break
    score = len(hits)
    for phrase in PRICE_PHRASES:
        if phrase in text:
            hits.append(phrase)
            score += 2
    for term in CJK_TERMS:
        if term in text:
            hits.append(term)
            score += 2
    return RouteScore(score=score, hits=tuple(hits))


def route_message(message: str) -> Route:
    """The deterministic route: any price signal means we need the customer's features."""
    return "fetch_user_features" if score_message(message).score >= 1 else "respond"


GENERIC_REPLY = ("Thanks for your message! I handle pricing questions: ask me about a deal or a discount "
                 "on your cart and I will check what I can offer.")


class RouteAnswer(Contract):
    """Reason first, then the route, then a short reply used only when the route is `respond`."""

    reason: str = bounded_str(160, description="why this route, in one sentence")
    route: Route
    reply: str = bounded_str(240, description="short answer when route is respond; empty otherwise")


@dataclass(frozen=True)
class RouteContext:
    """The route step sees only the customer's message."""

    message: str


class RouteStep(SGRStep[RouteContext, RouteAnswer]):
    """Decide whether the message needs the customer's pricing features."""

    name = "discount.route"

    def prompt(self, ctx: RouteContext) -> list[dict[str, Any]]:
        return [
            {"role": "system", "content": (
                "You route customer messages for a shop's pricing assistant. Choose fetch_user_features when "
                "the message is about price, discounts, deals, cancelling, leaving or negotiating; otherwise "
                "choose respond and write a short, friendly reply without any numbers. Answer in JSON.")},
            {"role": "user", "content": ctx.message},
        ]

    def schema(self, ctx: RouteContext) -> type[RouteAnswer]:
        return RouteAnswer

    def fallback(self, ctx: RouteContext) -> RouteAnswer:
        scored = score_message(ctx.message)
        if scored.score >= 1:
            return RouteAnswer(reason=f"price signals: {', '.join(scored.hits[:6])}"[:160],
                               route="fetch_user_features", reply="")
        return RouteAnswer(reason="no price signal in the message", route="respond", reply=GENERIC_REPLY)
