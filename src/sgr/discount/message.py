"""Customer-message safety: the text a customer reads may state only the decision.

A model can write "50% off!" while the decision says 10%, or "10% off, free shipping and another 10% next
month": the numbers match and the promise does not. We never try to fix such text. The decision is one
percent off one cart with one code, so a safe message states at most that percent, the saving, the new
total and the code; anything else it could state is a promise the decision does not back, and the
message is replaced by a template built from the decision. When in doubt, the template.

What makes text unsafe (`message_problems` lists every reason):

- text we cannot read reliably: invisible or private-use characters (zero-width joiners, bidi controls),
  letters outside Latin and Cyrillic (we have no lexicon for them, and they carry look-alikes), Latin
  and Cyrillic/Greek letters in one message (homoglyphs: "frее" with Cyrillic е), symbols and emoji
  other than a few smileys (🎁 is a gift);
- numbers: a percent other than the decided one, a money amount other than the saving or new total (and
  the saving where the text says "save", the total where it says "total"), any bare number, number words
  in eight languages, numerals outside ASCII;
- codes: any other code-like token (letters mixed with digits, all-capital words), a code word ("code",
  "coupon", "promo", "voucher", "código", "Gutschein", "промокод"...) not followed by the decided code, and
  "enter/apply/use X" where X is not the decided code;
- promises, in en, es, fr, de, it, pt and ru: future or extra discounts (next, another, additional, more,
  loyalty, later, every order...), shipping or delivery, gifts, gift cards, store credit, cashback,
  refunds, price matching, upgrades, points and bonuses, free anything, referrals, durations and validity.

Every check runs on folded text (NFKC, casefold, no accents, no zero-width characters, see `text.fold`);
Cyrillic words are also read through their Latin look-alikes, words are also read with single letters
and split fragments joined ("f r e e", "fr-ee"), and long promise words are found inside runs of letters,
so look-alikes, spacing and invisible joiners do not slip by.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from sgr.discount.text import fold, invisible_chars, near, to_latin_lookalikes, words

#: words that state an amount without digits (several languages); any of them forces the template.
#: Numerals that double as articles or common words are left out ("un", "uno", "ein", "um", "dos" (pt),
#: "due" (en), "once" (en), "sei"), because a reply is full of them; the amount they could state still
#: needs a unit word, which is checked.
AMOUNT_WORDS: frozenset[str] = frozenset({
    # English
    "half", "halves", "quarter", "quarters", "third", "thirds", "double", "doubled", "twice", "triple", "free",
    "bogo", "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million",
    "dozen", "couple", "second", "fourth", "fifth", "tenth",
    # Spanish
    "cero", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "doce", "quince", "veinte",
    "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa", "cien", "ciento", "mil",
    "mitad", "medio", "gratis", "doble",
    # French
    "deux", "trois", "quatre", "cinq", "sept", "huit", "neuf", "dix", "onze", "douze", "quinze", "vingt",
    "trente", "quarante", "cinquante", "soixante", "cent", "mille", "moitie", "demi", "tiers", "quart",
    "gratuit", "gratuite", "gratuits", "gratuites", "deuxieme",
    # German
    "zwei", "drei", "vier", "funf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwolf", "funfzehn",
    "zwanzig", "dreissig", "vierzig", "funfzig", "sechzig", "siebzig", "achtzig", "neunzig", "hundert",
    "tausend", "halb", "halbe", "halben", "halfte", "doppelt", "viertel", "drittel", "kostenlos",
    # Italian
    "tre", "quattro", "cinque", "sette", "nove", "dieci", "undici", "dodici", "quindici", "venti", "trenta",
    "quaranta", "cinquanta", "sessanta", "settanta", "ottanta", "novanta", "cento", "meta", "mezzo", "doppio",
    "gratuito", "gratuita", "gratuiti",
    # Portuguese
    "dois", "duas", "quatro", "sete", "oito", "dez", "doze", "vinte", "trinta", "quarenta", "cinquenta",
    "sessenta", "oitenta", "cem", "metade", "meio", "dobro",
    # Russian
    "ноль", "один", "одна", "одну", "два", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять",
    "десять", "пятнадцать", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят",
    "восемьдесят", "девяносто", "сто", "двести", "тысяча", "тысячу", "половина", "половину", "полцены",
    "вдвое", "треть", "четверть", "бесплатно", "бесплатная", "бесплатный", "бесплатную", "даром",
})
_AMOUNT_STEMS: tuple[str, ...] = ("половин", "бесплатн", "тысяч", "двойн", "kostenlos", "gratuit")
_CJK_AMOUNT = ("半額", "半价", "免费", "無料", "一半", "折")

# Promise lexicon by kind. Entry syntax as in `route`: "word" exact, "stem*" any word starting with it.
PROMISES: dict[str, tuple[str, ...]] = {
    "future or extra discount": (
        "next", "another", "additional*", "extra", "extras", "further", "more", "later", "future*", "upcoming",
        "loyalty", "plus", "bonus*", "stack*", "combin*", "tomorrow", "guarantee*", "lowest",
        "proxim*", "siguiente*", "otro", "otra", "otros", "otras", "adicional*", "mas", "fidelidad", "lealtad",
        "prochain*", "suivant*", "autre", "autres", "supplementaire*", "encore", "fidelite", "avenir",
        "nachst*", "weitere*", "zusatzlich*", "mehr", "kunftig*", "treue*", "spater", "prossim*", "successiv*",
        "altro", "altra", "altri", "altre", "ulterior*", "aggiuntiv*", "piu", "ancora", "fedelta", "outro",
        "outra", "outros", "outras", "mais", "fidelidade", "следующ*", "еще", "дополнительн*", "больше", "другую",
        "другой", "другие", "снова", "потом", "позже", "будущ*", "бонус*", "лояльн*", "накопит*",
    ),
    "time or validity": (
        "week*", "month*", "year*", "annual*", "daily", "forever", "lifetime", "always", "permanent*",
        "unlimited", "until", "expire*", "expiry", "valid*", "renew*", "subscription*", "membership*", "every",
        "each", "everything", "sitewide", "storewide", "manana", "semana*", "meses", "siempre", "cada",
        "todos", "todas", "demain", "semaine*", "mois", "annee*", "toujours", "chaque", "tous", "toutes",
        "jusqu", "morgen", "woche*", "monat*", "jahr*", "immer", "jede*", "domani", "settiman*", "mese",
        "mesi", "anno", "anni", "sempre", "ogni", "tutti", "tutte", "fino", "amanha", "ano", "anos", "завтра",
        "недел*", "месяц*", "год*", "лет", "всегда", "кажд*", "все", "навсегда", "пожизненн*", "подписк*",
    ),
    "shipping or delivery": (
        "ship*", "deliver*", "postage", "postal", "courier", "freight", "envio*", "entrega*", "despacho*",
        "livraison*", "livr*", "port", "expedition*", "versand*", "liefer*", "porto", "spedizion*", "spedire",
        "consegn*", "frete", "доставк*", "пересылк*",
    ),
    "gift": (
        "gift*", "present", "presents", "freebie*", "sample*", "goodie*", "swag", "surprise*", "regalo*",
        "obsequio*", "sorpresa", "cadeau*", "offert", "offerte", "geschenk*", "gratisprobe*", "omaggi*",
        "brinde*", "presente", "presentes", "подар*", "сувенир*", "сюрприз*",
    ),
    "credit, refund or cashback": (
        "credit*", "cashback", "cash", "refund*", "reimburs*", "rebate*", "compensat*", "payback", "wallet",
        "balance", "points", "reward*", "miles", "coins", "tokens", "reembols*", "devoluc*", "saldo", "puntos",
        "recompens*", "rembours*", "avoir", "cagnotte", "guthaben", "gutschrift*", "erstatt*", "ruckerstatt*",
        "punkte", "pramie*", "rimbors*", "punti", "premi", "premio", "pontos", "кредит*", "возврат*", "кэшбэк*",
        "кешбэк*", "балл*", "вознагражд*", "компенсац*", "devolv*", "zuruck*", "restitu*", "rendre", "rendrons",
        "вернем", "вернуть", "вернут", "возвращ*",
    ),
    "upgrade, price match or waiver": (
        "upgrad*", "premium", "vip", "priority", "waive*", "match*", "beat", "free", "freed", "complimentary",
        "comp", "comped", "gratis", "gratuit*", "kostenlos*", "бесплатн*", "даром",
    ),
    "referral": ("refer", "referral*", "referring", "friend*", "amigo*", "ami", "amis", "amie", "amies",
                 "freund*", "amic*", "друз*", "друг"),
    "other purchases": ("orders", "purchases", "pedidos", "compras", "commandes", "achats",
                        "bestellungen", "einkaufe", "ordini", "acquisti", "encomendas", "заказы", "покупки"),
}
#: promise phrases (on folded text): what a single word cannot say
PROMISE_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("waiver", re.compile(r"\bon (?:the )?house\b|\bon us\b|\bon me\b|\bour treat\b|"
                          r"\bno (?:extra )?(?:charge|cost|fee)s?\b|"
                          r"\bat no (?:extra )?cost\b|\bfor nothing\b|\bsin (?:costo|cargo)\b|\bsans frais\b|"
                          r"\bohne (?:kosten|aufpreis)\b|\bsenza (?:costi|spese)\b|\bsem (?:custo|custos)\b|"
                          r"\bбез оплаты\b|\bза наш сч[её]т\b|\bcovered\b|\bwe(?:'ll| will)? cover\b")),
    ("refund", re.compile(r"\b(?:money|pay(?:ing)? you|paid) back\b|\bback (?:to|into) your\b")),
    ("buy x get y", re.compile(r"\bbuy (?:one|1|two|2)\b|\bget (?:one|1) free\b|\b\d+ ?x\b|\bx ?\d+\b")),
    ("scope", re.compile(r"\b(?:all|any) (?:of )?(?:your |our )?(?:future |other |next )?"
                         r"(?:orders?|purchases?|items|products|visits?)\b|\bentire (?:store|shop|site)\b|"
                         r"\bwhole (?:store|shop|site)\b|\bfrom now on\b|\bcome back\b|\bnext time\b")),
    ("more off", re.compile(r"\bmore off\b|\beven more\b|\bbetter (?:offer|deal|price)\b")),
)
#: words that name a code; allowed only when the decided code follows within three words
CODE_WORDS: tuple[str, ...] = (
    "code", "codes", "coupon*", "promo*", "voucher*", "codigo*", "cupon*", "cupom*", "codice", "codici",
    "gutschein*", "rabattcode*", "kortingscode*", "код", "кода", "коду", "кодом", "промокод*", "купон*", "kod",
    "kodu", "token",
)
#: verbs that ask the customer to type something; their object must be our code (or a harmless word)
ENTER_VERBS: frozenset[str] = frozenset({
    "enter", "apply", "redeem", "type", "paste", "input", "use", "ingresa", "introduce", "aplica", "usa",
    "utiliza", "canjea", "utilisez", "utilise", "entrez", "saisissez", "appliquez", "verwenden", "verwende",
    "nutzen", "nutze", "eingeben", "inserisci", "applica", "utilizza", "digite", "insira", "utilize",
    "используйте", "введите", "примените", "укажите",
})
#: words that may follow an ENTER_VERB without being a code
ENTER_OBJECTS: frozenset[str] = frozenset({
    "it", "this", "that", "the", "a", "an", "your", "our", "my", "at", "in", "on", "to", "when", "during",
    "discount", "offer", "saving", "savings", "code", "el", "la", "lo", "le", "les", "su", "tu", "ce", "cette",
    "votre", "den", "die", "das", "ihren", "ihre", "il", "o", "os", "seu", "sua", "его", "эту", "этот",
    "ваш", "вашу", "при", "en", "lors", "beim", "al", "no", "na", "descuento", "remise", "rabatt", "sconto",
    "desconto", "скидку",
})
#: all-capital words a reply may use without them being a code
CAPS_OK: frozenset[str] = frozenset({"USD", "EUR", "GBP", "OK"})
#: harmless emoji (anything else, like 🎁 or 🚚, may promise something)
EMOJI_OK: frozenset[str] = frozenset("🙂😊😀😃😄😉🎉👍✨")
#: punctuation and currency signs a reply may use; other symbols ("+", "×", "→") force the template
_PUNCT_OK = set(".,;:!?¡¿'\"()-–—/$€£¥₽%«»„“”‘’…·*&=")
_SENTINEL = "decidedcode"

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LETTER_DIGIT = re.compile(r"\b(?=\w*[^\W\d_])(?=\w*\d)\w+\b")
_SAVE_CUES = ("save", "saving", "ahorr", "econom", "sparen", "spar", "risparm", "эконом")
_TOTAL_CUES = ("total", "pay", "paying", "price", "cost", "only", "now", "pagar", "pagas", "payez", "zahlen",
               "paghi", "paga", "итого", "заплат")


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


_PERCENT_WORDS = r"(?:%|percent|per\s*cent|pct|por\s*ciento|pour\s*cent|prozent|per\s*cento|por\s*cento|процент\w*)"
#: a number with its unit: "$12.50", "12.5 %", "12 percent"; the unit decides what the number may be
_QUANTITY = re.compile(
    r"(?P<cur>[$€£¥₽])?\s*(?P<num>[0-9]+(?:[.,][0-9]+)*)\s*(?P<pct>" + _PERCENT_WORDS + r")?",
    re.IGNORECASE,
)
_PERCENT_ALONE = re.compile(_PERCENT_WORDS, re.IGNORECASE)


def _compile(entries: Iterable[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Exact words and prefix stems from the entry syntax."""
    items = list(entries)
    return (frozenset(e for e in items if not e.endswith("*")),
            tuple(e[:-1] for e in items if e.endswith("*")))


_PROMISE_TABLE = {kind: _compile(entries) for kind, entries in PROMISES.items()}
_CODE_EXACT, _CODE_STEMS = _compile(CODE_WORDS)
#: promise words long and distinctive enough to find inside a run of letters ("fr-eeshipping", "g.i.f.t.card")
_BURIED: tuple[tuple[str, str], ...] = (
    ("shipping", "shipping or delivery"), ("delivery", "shipping or delivery"), ("livraison", "shipping or delivery"),
    ("versand", "shipping or delivery"), ("spedizione", "shipping or delivery"), ("giftcard", "gift"),
    ("voucher", "code"), ("coupon", "code"), ("promocode", "code"), ("refund", "credit, refund or cashback"),
    ("cashback", "credit, refund or cashback"), ("storecredit", "credit, refund or cashback"),
    ("upgrade", "upgrade, price match or waiver"), ("loyalty", "future or extra discount"),
    ("complimentary", "upgrade, price match or waiver"), ("freeshipping", "shipping or delivery"),
    ("gratis", "upgrade, price match or waiver"), ("kostenlos", "upgrade, price match or waiver"),
    ("доставк", "shipping or delivery"), ("подарок", "gift"), ("бесплатн", "upgrade, price match or waiver"),
)
#: promise words a misspelling of which still counts (6+ letters, checked against real words: see tests)
_TYPO_TARGETS: dict[str, str] = {
    "shipping": "shipping or delivery", "delivery": "shipping or delivery", "postage": "shipping or delivery",
    "voucher": "code", "coupon": "code", "refund": "credit, refund or cashback",
    "cashback": "credit, refund or cashback", "credit": "credit, refund or cashback",
    "upgrade": "upgrade, price match or waiver", "complimentary": "upgrade, price match or waiver",
    "additional": "future or extra discount", "another": "future or extra discount",
    "loyalty": "future or extra discount", "giftcard": "gift", "rewards": "credit, refund or cashback",
    "future": "future or extra discount",
}
#: real words one edit from a typo target with another meaning (found by checking Debian's en, es, fr, de, it,
#: pt word lists against `_TYPO_TARGETS`): "Thanks for shopping with us" promises no shipping
_NOT_TYPOS: frozenset[str] = frozenset({
    "shopping", "sipping", "skipping", "slipping", "snipping", "regards", "renards", "retards", "rewords",
    "portage", "potage", "pontage", "pistage", "pottage", "fature", "fumure", "refend", "refond", "anther",
    "complementary", "complementar", "complementara", "complementare", "complementari", "complimenta",
    "complimentai", "complimentais", "complimentait", "complimentant", "complimentare", "complimentas",
    "complimentat", "complimentato", "complimenter", "complimentera", "cumplimentar", "compon", "vouched",
    "vouches", "crepit",
})


@lru_cache(maxsize=16384)
def promise_kind(word: str) -> str | None:
    """Which promise a single folded word makes ("gift", "shipping or delivery"...), or None."""
    for kind, (exact, stems) in _PROMISE_TABLE.items():
        if word in exact or any(word.startswith(s) for s in stems):
            return kind
    if word in AMOUNT_WORDS or any(word.startswith(s) for s in _AMOUNT_STEMS):
        return "amount word"
    if len(word) >= 5 and word not in _NOT_TYPOS:
        for target, kind in _TYPO_TARGETS.items():
            if near(word, target):
                return kind
    return None


def is_code_word(word: str) -> bool:
    """"code", "coupon", "промокод"...: a word that names a code."""
    return word in _CODE_EXACT or any(word.startswith(s) for s in _CODE_STEMS)


def _script(ch: str) -> str:
    """"latin", "cyrillic" or "other" for a letter of folded text."""
    if "a" <= ch <= "z" or ch in "ßæœøðþłđ":
        return "latin"
    if "а" <= ch <= "я" or ch in "ёіїєґ":
        return "cyrillic"
    return "other"


def _reading_problems(raw: str, folded: str) -> list[str]:
    """Characters, scripts and symbols we cannot vouch for."""
    problems = [f"invisible character U+{ord(c):04X}" for c in invisible_chars(raw)]
    for ch in set(raw):
        if not ("0" <= ch <= "9") and unicodedata.numeric(ch, None) is not None:
            problems.append(f"numeral {ch!r}")
    scripts: set[str] = set()
    for ch in folded:
        if ch.isalpha():
            scripts.add(_script(ch))
        elif not (ch.isspace() or ch.isdigit() or ch in _PUNCT_OK or ch in EMOJI_OK or ch == "\ufe0f"):
            problems.append(f"symbol {ch!r}")
    if "other" in scripts:
        others = sorted({c for c in folded if c.isalpha() and _script(c) == "other"})[:5]
        problems.append(f"letters we have no lexicon for: {''.join(others)!r}")
    if {"latin", "cyrillic"} <= scripts:
        problems.append("Latin and Cyrillic letters in one message (look-alike letters)")
    return problems


def _number_problems(body: str, *, percent: float, cart_value: float, extra: set[str]) -> list[str]:
    """Every number whose unit or value the decision does not back (see `message_problems`)."""
    percent_ok = {f"{percent:.2f}"} | extra if percent > 0 else set()
    saving, total = (f"{a:.2f}" for a in offer_amounts(percent=percent, cart_value=cart_value))
    money_ok = {saving, total} | extra if percent > 0 else set()
    problems: list[str] = []
    consumed: list[tuple[int, int]] = [(0, 0)]
    for m in _QUANTITY.finditer(body):
        canon = _canonical(m.group("num"))
        consumed.append(m.span())
        if m.group("pct"):
            if canon not in percent_ok:
                problems.append(f"percent {m.group(0).strip()!r}")
        elif m.group("cur"):
            if canon not in money_ok:
                problems.append(f"amount {m.group(0).strip()!r}")
            elif canon not in extra and saving != total:
                # the words since the previous number name this amount ("you save $X", "new total $Y")
                before = words(body[max(consumed[-2][1], m.start() - 40):m.start()])[-4:]
                cue = next((w for w in reversed(before) if w.startswith(_SAVE_CUES + _TOTAL_CUES)), None)
                if cue and cue.startswith(_SAVE_CUES) and canon != saving:
                    problems.append(f"amount {m.group(0).strip()!r} called a saving but it is not the saving")
                elif cue and cue.startswith(_TOTAL_CUES) and not cue.startswith(_SAVE_CUES) and canon != total:
                    problems.append(f"amount {m.group(0).strip()!r} called the total but it is not the total")
        elif canon not in extra:
            problems.append(f"bare number {m.group('num')!r} (no unit: neither the percent nor an amount)")
    for m in _PERCENT_ALONE.finditer(body):
        if not any(a <= m.start() < b for a, b in consumed):
            problems.append(f"percent word {m.group(0)!r} without the decided number")
    return problems


def _joined_fragments(folded: str) -> list[str]:
    """Words hidden by spacing: runs of single letters ("f r e e") and words split by punctuation ("fr-ee")."""
    out: list[str] = []
    run: list[str] = []
    for tok in [*words(folded), ""]:
        if len(tok) == 1:
            run.append(tok)
            continue
        if len(run) >= 3:
            out.append("".join(run))
        run = []
    for chunk in folded.split():
        parts = words(chunk)
        if len(parts) > 1 and _SENTINEL not in parts:
            out.append("".join(parts))
    return out


def _word_problems(folded: str) -> list[str]:
    """Promises, code words and "enter X" in folded text (the decided code already replaced by a sentinel)."""
    readings = [folded]
    if any(_script(c) == "cyrillic" for c in folded if c.isalpha()):
        readings.append(to_latin_lookalikes(folded))
    problems: list[str] = []
    for reading in readings:
        toks = words(reading)
        for i, tok in enumerate(toks):
            if tok == _SENTINEL:
                continue
            kind = promise_kind(tok)
            if kind:
                problems.append(f"{kind}: {tok!r}")
            if is_code_word(tok) and _SENTINEL not in toks[i + 1:i + 4]:
                problems.append(f"code word {tok!r} not followed by the decided code")
            if tok in ENTER_VERBS:
                following = [t for t in toks[i + 1:i + 3] if t not in ENTER_OBJECTS]
                if following and following[0] != _SENTINEL and not is_code_word(following[0]):
                    problems.append(f"asks to enter {following[0]!r}, which is not the decided code")
        for joined in _joined_fragments(reading):
            kind = promise_kind(joined) if len(joined) >= 4 else None
            if kind or is_code_word(joined):
                problems.append(f"{kind or 'code word'} hidden by spacing: {joined!r}")
    letters = "".join(c for c in folded.replace(_SENTINEL, " ") if c.isalpha())
    for stem, kind in _BURIED:
        if stem in letters:
            problems.append(f"{kind} hidden inside other letters: {stem!r}")
    for name, pattern in PROMISE_PHRASES:
        m = pattern.search(folded)
        if m:
            problems.append(f"{name}: {m.group(0)!r}")
    problems.extend(f"amount word {w!r}" for w in _CJK_AMOUNT if w in folded)
    return problems


def _code_problems(visible: str) -> list[str]:
    """Code-like tokens in the original case: letters mixed with digits, or an all-capital word."""
    problems = [f"code-like token {m.group(0)!r}" for m in _LETTER_DIGIT.finditer(visible)]
    problems += [f"code-like token {w!r}" for w in _WORD.findall(visible)
                 if len(w) >= 3 and w.isupper() and w not in CAPS_OK]
    return problems


def message_problems(text: str, *, percent: float, cart_value: float, offer_code: str | None,
                     extra_allowed: Iterable[str] = ()) -> list[str]:
    """Every reason `text` may state more than the decision (empty list = safe to show the customer).

    Units matter: a number marked as a percent must be the decided percent, a money amount must be the
    saving or the new total, and a bare number is never trusted ("18% off" on a $20 cart whose new total
    is 18 is caught). Beyond numbers, see the module docstring: unreadable characters, other codes, and
    promises of anything the decision does not give. The decided code itself is the one token allowed to
    look like a code, and only where it is written exactly.
    """
    hidden = set(invisible_chars(text))
    visible = unicodedata.normalize("NFKC", "".join(c for c in text if c not in hidden))
    if offer_code:  # only the whole code: "CODE" + "X" is another code
        visible = re.sub(rf"(?<![\w-]){re.escape(offer_code)}(?![\w-])", f" {_SENTINEL.upper()} ", visible)
    folded = fold(visible)
    problems: list[str] = []
    if offer_code and _SENTINEL in fold(text):
        problems.append("text contains our placeholder word")
    without_code = folded.replace(_SENTINEL, " ")
    problems += _reading_problems(text, without_code)
    problems += _number_problems(without_code, percent=percent, cart_value=cart_value, extra=set(extra_allowed))
    problems += _code_problems(visible.replace(_SENTINEL.upper(), " "))
    problems += _word_problems(folded)
    return list(dict.fromkeys(problems))


def offer_amounts(*, percent: float, cart_value: float) -> tuple[float, float]:
    """(saving, new total) in cents-rounded dollars: the one formula the template and the web page both show."""
    saving = round(cart_value * percent / 100.0, 2)
    return saving, round(cart_value - saving, 2)


def template_message(*, percent: float, cart_value: float, offer_code: str | None) -> str:
    """The message we write ourselves from the decision (used offline and whenever model text is unsafe)."""
    if percent <= 0 or not offer_code:
        return (f"Thanks for asking. We cannot add a discount to your cart of ${fmt_money(cart_value)} "
                "right now, but we appreciate you shopping with us.")
    saving, total = offer_amounts(percent=percent, cart_value=cart_value)
    return (f"Good news: we can offer you {fmt_percent(percent)}% off your cart of ${fmt_money(cart_value)}. "
            f"You save ${fmt_money(saving)}, so your new total is ${fmt_money(total)}. "
            f"Use code {offer_code} at checkout.")
