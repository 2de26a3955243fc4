"""Route step: is this message about price (fetch the customer's features) or something to just answer?

The deterministic path is a cue classifier over the *customer's message only*, not a list of sentences:
a phrase list fitted to its own tests passed them and missed the next wording of the same request. Each cue is a kind
of evidence that generalises across wording and languages, with a weight; a message is about price when
its weights add up to `THRESHOLD`:

- lexicons (several languages, stems, typo-tolerant by edit distance for words of 6+ letters): price and
  cost words, discount/deal/coupon words, negotiating, competitors, cancelling a contract (2 each);
- structure: a request verb followed by an amount (give/make it/do it for + a number), an amount
  followed by "off", "how much is ...", an ultimatum ("... or I walk"), "take my business" (2 each);
- weak cues that count only together (1 each): a percent or money amount alone, leaving or switching,
  another shop, "less"/"lower", paying, "too much", a contract noun (account, plan...);
- vetoes: "cancel" next to an order, item or newsletter, and "leave" next to a review or a parcel, are
  customer service, not churn.

Scripts without spaces (Japanese, Chinese, Korean) are matched as substrings. Measured, with labelled
tune and held-out sets we wrote, by `python -m benchmarks.discount_routing`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from sgr.core.contracts import Contract, bounded_str
from sgr.core.step import SGRStep
from sgr.discount.text import fold, near, words

Route = Literal["fetch_user_features", "respond"]
ROUTES: tuple[str, ...] = ("fetch_user_features", "respond")
#: the evidence a message needs to be routed to pricing: one strong cue, or two weak ones
THRESHOLD = 2

#: English inflections allowed after a "stem+" entry: "cost+" reads costs/costly/costing, never "costume"
EN_SUFFIXES: tuple[str, ...] = ("", "s", "es", "ed", "d", "ing", "er", "ers", "est", "ly", "y", "ies", "ier",
                                "iest")

# Lexicon entries: "word" = exactly this word; "stem*" = any word starting with stem; "stem+" = stem plus an
# English inflection ("price+" also reads "pricing": a final "e" may drop before a vowel).
LEXICON: dict[str, tuple[int, tuple[str, ...]]] = {
    "price": (2, (
        "price+", "pricing", "pricey", "pricy", "overpric*", "cost+", "expensiv*", "inexpensive", "cheap+",
        "afford*", "budget*", "ripoff", "overcharg*",
        "precio*", "caro", "cara", "caros", "caras", "carisim*", "cariss*", "barat*", "costos*", "cuesta",
        "cuestan", "costar", "preco*", "custa", "custam", "custo", "prix", "cher", "chere", "chers",
        "cheres", "couteu*", "tarif*", "preis*", "teuer*", "billig*", "gunstig*", "kostet", "kosten",
        "prezz*", "costa", "costano", "costoso", "costosa", "prijs*", "duur", "duurder", "goedkop*", "cena",
        "ceny", "cenie", "drogo", "drogie", "drogi", "tani", "tanio", "taniej", "fiyat*", "pahal*", "ucuz*",
        "цен*", "дорог*", "дешев*", "стоит", "стоимост*", "стоят",
    )),
    "discount": (2, (
        "discount*", "coupon*", "promo*", "voucher*", "rebate*", "markdown*", "cashback", "deal", "deals",
        "sale", "sales", "bargain*", "clearance", "reduction*", "offer", "offers",
        "descuento*", "rebaj*", "oferta*", "promocion*", "cupon*", "desconto*", "cupom*", "cupons",
        "promocao*", "remise*", "rabais", "solde", "soldes", "rabatt*", "gutschein*", "angebot*",
        "nachlass*", "sonderangebot*", "skonto", "sconto", "sconti", "scontat*", "offert*", "promozion*",
        "saldi", "korting*", "aanbieding*", "rabat*", "znizk*", "promocj*", "kupon*", "obnizk*",
        "indirim*", "kampanya*", "скидк*", "промокод*", "купон*", "акци*", "распродаж*", "уценк*", "знижк*",
    )),
    "negotiate": (2, ("negotiat*", "haggl*", "negociar", "negocier", "verhandel*", "negoziar*", "negociar*")),
    "competitor": (2, ("competitor*", "competition", "rival*", "concurrent*", "concorren*", "competencia",
                       "konkurren*", "конкурент*")),
    "cancel": (2, ("cancel*", "unsubscrib*", "annul*", "resili*", "kundig*", "disdir*", "disdett*",
                   "opzeg*", "rezygnuj*", "iptal", "отмен*", "отпиш*", "отпис*")),
    "leave": (1, ("leave", "leaving", "switch+", "quit+", "quitting", "walk", "walking", "partir", "pars",
                  "wechsel*", "vado", "voy", "уйду", "ухожу", "уходим")),
    "elsewhere": (1, ("elsewhere", "woanders", "anderswo", "ailleurs", "altrove", "otra", "otro", "outra",
                      "outro", "autre", "другом", "другой")),
    "contract": (1, ("subscription*", "membership*", "plan", "contract*", "account", "suscripcion*",
                     "abonnement*", "abo", "abbonament*", "assinatura*", "mitgliedschaft", "vertrag*",
                     "contrat*", "contrato*", "подписк*", "baja")),
    "end": (1, ("close", "closing", "end", "terminate*", "stop")),
    "comparative": (1, ("less", "lower", "lowest", "reduce+", "menos", "moins", "weniger", "meno", "mniej")),
    "pay": (1, ("pay", "paying", "charge", "charging", "pagar", "payer", "zahlen", "pagare", "платить")),
    "money": (1, ("money", "bucks", "dollars", "euros", "quid", "dinero", "argent", "geld", "soldi", "dinheiro",
                  "деньги")),
    "compensation": (1, ("goodwill", "kulanz", "compensation", "compensate", "compensacion", "dedommagement",
                         "entschadigung", "risarcimento", "compensacao", "компенсац*")),
    "complaint": (1, ("fortune", "ridiculous", "outrageous", "insane", "absurd", "steep", "robbery", "scam",
                      "worth", "total", "bill")),
    "eligibility": (1, ("loyal", "loyalty", "student", "students", "military", "senior", "seniors", "referral",
                        "estudiante", "etudiant", "studenten", "studente", "estudante", "студент*")),
}

#: words people misspell when they ask about price, each with its cue; a word within `text.typo_limit` edits
#: of one counts ("dicsount", "expnsive", "coupn"). A curated list, not every lexicon entry: "billing" is one
#: edit from German "billig", "cancer" from "cancel".
TYPO_TARGETS: dict[str, str] = {
    **dict.fromkeys(("discount", "discounts", "discounted", "coupon", "coupons", "voucher", "vouchers",
                     "promotion", "promocode", "cashback", "clearance", "bargain", "markdown", "reduction",
                     "descuento", "desconto", "rabatt", "gutschein", "sconto", "korting", "скидка", "скидку"),
                    "discount"),
    **dict.fromkeys(("expensive", "overpriced", "cheaper", "cheapest", "affordable", "afford", "pricey",
                     "precio", "teuer", "costoso", "дорого", "дешевле"), "price"),
    **dict.fromkeys(("negotiate", "negotiation"), "negotiate"),
    **dict.fromkeys(("competitor", "competitors", "competition"), "competitor"),
    **dict.fromkeys(("unsubscribe", "cancellation", "cancelling", "canceling"), "cancel"),
    **dict.fromkeys(("subscription", "membership"), "contract"),
}

#: real words one edit from a typo target, with another meaning: never read as the misspelt target. Found by
#: checking Debian's word lists (en, es, fr, de, it, pt) against TYPO_TARGETS with `text.near`
#: (`python -m benchmarks.discount_routing --typo-collisions`), then keeping the ones that mean something else.
NOT_TYPOS: frozenset[str] = frozenset({
    "alford", "billing", "cackling", "candling", "cankering", "canoeing", "cantering", "catcalling", "changeling",
    "channeling", "channelling", "cheater", "clarence", "compon", "composition", "compositor", "compositors",
    "computation", "concealing", "conceding", "coudons", "coulons", "couplons", "courons", "cousons", "coutons",
    "couvons", "desalento", "desatento", "descendo", "descenso", "descent", "descente", "descents", "desmonto",
    "desponto", "despuesto", "discoures", "discours", "discoursed", "discourt", "disjointed", "disjoints",
    "dismount", "dismounted", "dismounts", "espansive", "estensive", "excessive", "expansiv", "expansiva",
    "expansive", "expansivel", "expansivem", "expansiven", "expansiver", "expansives", "expansivo", "explosive",
    "expressive", "extensiv", "extensiva", "extensive", "extensivel", "extensivem", "extensiven", "extensiver",
    "extensives", "extensivo", "exzessive", "karting", "percio", "precis", "preciso", "predio", "pregio",
    "premio", "previo", "probation", "pronation", "proportion", "protocole", "reaction", "rection", "redaction",
    "redactions", "redaktion", "reddition", "refection", "rejection", "resection", "reeducation", "scontro",
    "scorto", "scotto", "vouched", "vouches",
})

#: words near a "leave"/"cancel" cue that make it customer service, not churn
NOT_CHURN: frozenset[str] = frozenset({
    "order", "orders", "item", "items", "purchase", "delivery", "shipment", "parcel", "package", "duplicate",
    "mistake", "accident", "newsletter", "newsletters", "email", "emails", "review", "feedback", "comment",
    "note", "message", "compliment", "door", "neighbour", "neighbor", "vacation", "holiday", "friday",
    "monday", "tuesday", "wednesday", "thursday", "saturday", "sunday", "tomorrow", "colour", "color", "size",
    "pedido", "commande", "bestellung", "ordine", "encomenda", "заказ", "заказа", "отпуск",
})
#: nouns for a shop, so "another store" / "other shops" read as going elsewhere
SHOP_NOUNS: frozenset[str] = frozenset({
    "store", "stores", "shop", "shops", "site", "sites", "website", "websites", "provider", "providers",
    "company", "brand", "seller", "sellers", "retailer", "retailers", "tienda", "tiendas", "sitio", "magasin",
    "boutique", "laden", "geschaft", "anbieter", "negozio", "negozi", "loja", "lojas", "магазин", "магазине",
    "сайт", "сайте", "winkel", "sklep",
})
#: big marketplaces customers name when they compare prices (weak: naming one is not yet a price question)
MARKETPLACES: frozenset[str] = frozenset({"amazon", "ebay", "walmart", "aliexpress", "temu", "bestbuy", "etsy",
                                          "zalando", "otto", "ozon", "wildberries", "mercadolibre"})
#: words that ask for something; followed by an amount they make a price request
REQUEST_VERBS: frozenset[str] = frozenset({
    "give", "gimme", "make", "do", "offer", "sell", "pay", "accept", "about", "want", "need", "demand",
    "dame", "deme", "quiero", "donnez", "donne", "veux", "gib", "geben", "will", "dammi", "voglio", "da",
    "quero", "дайте", "дай", "хочу",
})
#: filler allowed between a request verb and its amount (pronouns, articles, "for")
FILLER: frozenset[str] = frozenset({"me", "it", "us", "that", "this", "for", "a", "an", "at", "just", "only",
                                    "mir", "mi", "moi", "un", "una", "um", "uma", "por", "pour", "fur",
                                    "per", "мне", "за", "s", "its", "you"})
NUMBER_WORDS: frozenset[str] = frozenset({
    "half", "quarter", "third", "ten", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
    "eighty", "ninety", "hundred", "diez", "veinte", "treinta", "cincuenta", "cien", "dix", "vingt", "trente",
    "cinquante", "zehn", "zwanzig", "dreissig", "funfzig", "hundert", "dieci", "venti", "trenta", "cinquanta",
    "cento", "dez", "vinte", "cinquenta", "десять", "двадцать", "тридцать", "пятьдесят", "сто",
})
#: small amount words that may stand before "off" ("something off", "a bit off")
OFF_AMOUNTS: frozenset[str] = frozenset({"something", "anything", "bit", "little", "few", "some", "money",
                                         "bucks", "dollars", "euros", "more", "much", "percent", "knock",
                                         "shave"}) | NUMBER_WORDS
#: substrings for scripts written without spaces
CJK_TERMS: tuple[str, ...] = (
    "割引", "値引", "安く", "安い", "高い", "高すぎ", "値段", "価格", "クーポン", "解約", "セール", "折扣", "优惠",
    "便宜", "太贵", "很贵", "好贵", "贵了", "打折", "取消", "降价", "价格", "优惠券", "할인", "쿠폰", "비싸", "가격",
    "저렴",
)
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|percent\b|per\s?cent\b|pct\b|por\s?ciento\b|pour\s?cent\b|"
                      r"prozent\b|per\s?cento\b|por\s?cento\b|процент)")
_MONEY = re.compile(r"[$€£¥₽]\s*\d|\d\s*(?:[$€£¥₽]|dollars?\b|bucks\b|euros?\b|usd\b|eur\b|quid\b|pounds?\b|"
                    r"dolares\b|reais\b|руб)")
_HOW_MUCH = re.compile(r"\bhow much (?:is|are|does|do|did|would|will|for|to|off|money|can)\b|"
                       r"\bcuanto (?:cuesta|vale|es|sale)\b|\bquanto (?:costa|custa|vale)\b|\bwie ?viel kostet\b|"
                       r"\bсколько (?:стоит|будет)\b")
_ULTIMATUM = re.compile(r"\bor (?:else )?i(?:'ll| will|'m| am|m| just)? (?:\w+ )?(?:go|gone|walk|leave|leaving|"
                        r"quit|cancel|out|done|switch|unsubscribe)\b|\bunless you\b|\bif you (?:don't|do not|can't|"
                        r"cannot|won't)\b|\bi'm done with\b|\bsinon\b|\bsonst\b|\bили я\b|\bo me voy\b")
_TAKE_BUSINESS = re.compile(r"\btake (?:my|our) (?:business|money|custom|order)s? (?:elsewhere|somewhere)|"
                            r"\btake (?:my|our) (?:business|money|custom)\b|\brip[ -]?off\b|\bnot worth\b")
#: a complaint about the amount: "too much", "that much"
_TOO_MUCH = re.compile(r"\b(?:too|that|so|way too) (?:much|high|steep)\b|\bdemasiado\b|\btrop\b|\bzu (?:viel|hoch)\b|"
                       r"\btroppo\b|\bdemais\b|\bслишком\b|\bочень дорог")
#: a verb that lowers something, aimed at the thing being priced: "lower it", "reduce that", "beat this"
_LOWER_IT = re.compile(r"\b(?:lower|reduce|beat|match|knock|bring down|come down on) (?:it|that|this|the total)\b|"
                       r"\bcome down\b|\bbajar?(?:me)? el\b|\bbaisser\b|\bsenken\b|\babbassare\b|\bbaixar\b|"
                       r"\bснизить\b|\bскинуть\b|\bуступит")


@dataclass(frozen=True)
class RouteScore:
    """How strongly a message is about price, and which cues said so (e.g. "discount:coupon")."""

    score: int
    hits: tuple[str, ...]


def _compile(lexicon: dict[str, tuple[int, tuple[str, ...]]]) -> tuple[dict[str, tuple[str, int]],
                                                                        dict[str, tuple[tuple[str, str, int], ...]]]:
    """Exact words (inflections expanded) and prefix stems grouped by first letter, from the entry syntax."""
    exact: dict[str, tuple[str, int]] = {}
    prefixes: dict[str, list[tuple[str, str, int]]] = {}
    for cue, (weight, entries) in lexicon.items():
        for entry in entries:
            stem = entry.rstrip("*+")
            if entry.endswith("*"):
                prefixes.setdefault(stem[0], []).append((stem, cue, weight))
            elif entry.endswith("+"):
                for suffix in EN_SUFFIXES:
                    exact.setdefault(stem + suffix, (cue, weight))
                    if stem.endswith("e") and suffix[:1] in ("e", "i", "y"):
                        exact.setdefault(stem[:-1] + suffix, (cue, weight))
            else:
                exact.setdefault(stem, (cue, weight))
    return exact, {k: tuple(v) for k, v in prefixes.items()}


_EXACT, _PREFIXES = _compile(LEXICON)
_TYPO_BY_LETTER: dict[str, tuple[str, ...]] = {}
for _word in TYPO_TARGETS:
    _TYPO_BY_LETTER[_word[0]] = (*_TYPO_BY_LETTER.get(_word[0], ()), _word)


@lru_cache(maxsize=16384)
def word_cue(token: str) -> tuple[str, int] | None:
    """The lexicon cue a single folded word carries: exact, by stem, or misspelt; None for no cue."""
    if token in _EXACT:
        return _EXACT[token]
    for stem, cue, weight in _PREFIXES.get(token[:1], ()):
        if token.startswith(stem):
            return cue, weight
    if token in NOT_TYPOS:
        return None
    for target in _TYPO_BY_LETTER.get(token[:1], ()):
        if near(token, target):
            cue = TYPO_TARGETS[target]
            return cue, LEXICON[cue][0]
    return None


def _amount_follows(tokens: list[str], i: int) -> bool:
    """A number (or number word) comes after position i, past at most three filler words."""
    for tok in tokens[i + 1:i + 5]:
        if tok.isdigit() or tok in NUMBER_WORDS:
            return True
        if tok not in FILLER:
            return False
    return False


def score_message(message: str) -> RouteScore:
    """Add up the price cues in the customer's message (see the module docstring for the weights)."""
    text = fold(message)
    tokens = words(text)
    found: dict[str, tuple[int, str]] = {}  # cue -> (weight, evidence); each cue counts once

    def add(cue: str, weight: int, evidence: str) -> None:
        if cue not in found or found[cue][0] < weight:
            found[cue] = (weight, evidence)

    for i, tok in enumerate(tokens):
        cue = word_cue(tok)
        if cue is not None:
            add(cue[0], cue[1], tok)
        if tok in MARKETPLACES:
            add("elsewhere", 1, tok)
        if tok in ("another", "other", "different") and SHOP_NOUNS & set(tokens[i + 1:i + 3]):
            add("elsewhere", 1, f"{tok} {tokens[i + 1]}")
        if tok in REQUEST_VERBS and _amount_follows(tokens, i):
            add("request_amount", 2, f"{tok} ...")
        if tok == "off" and i > 0 and (tokens[i - 1].isdigit() or tokens[i - 1] in OFF_AMOUNTS
                                        or (i > 1 and tokens[i - 2] in OFF_AMOUNTS)):
            add("amount_off", 2, f"{tokens[i - 1]} off")
    if _PERCENT.search(text):
        add("percent", 1, _PERCENT.search(text).group(0))  # type: ignore[union-attr]
    if _MONEY.search(text):
        add("money", 1, _MONEY.search(text).group(0))  # type: ignore[union-attr]
    for name, pattern, weight in (("how_much", _HOW_MUCH, 2), ("ultimatum", _ULTIMATUM, 2),
                                  ("churn_phrase", _TAKE_BUSINESS, 2), ("lower_it", _LOWER_IT, 2),
                                  ("too_much", _TOO_MUCH, 1)):
        m = pattern.search(text)
        if m:
            add(name, weight, m.group(0))
    for term in CJK_TERMS:
        if term in text:
            add("cjk", 2, term)
    service = NOT_CHURN.intersection(tokens)
    for cue in ("cancel", "leave"):
        if cue in found and service:
            found[cue] = (0, f"{found[cue][1]} (with {sorted(service)[0]})")
    if "contract" in found and "end" in found:  # ending a contract noun (account, plan...) is one churn cue
        found["contract"] = (2, f"{found['end'][1]} {found['contract'][1]}")
        del found["end"]
    hits = tuple(f"{cue}:{evidence}" for cue, (weight, evidence) in found.items() if weight > 0)
    return RouteScore(score=sum(w for w, _ in found.values()), hits=hits)


def route_message(message: str) -> Route:
    """The deterministic route: enough price evidence means we need the customer's features."""
    return "fetch_user_features" if score_message(message).score >= THRESHOLD else "respond"


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
        if scored.score >= THRESHOLD:
            return RouteAnswer(reason=f"price cues: {', '.join(scored.hits[:6])}"[:160],
                               route="fetch_user_features", reply="")
        return RouteAnswer(reason="no price cue in the message", route="respond", reply=GENERIC_REPLY)
