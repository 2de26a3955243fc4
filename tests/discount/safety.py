"""An independent reading of a customer message, for tests: what does it state or promise?

Written separately from `sgr.discount.message` on purpose, so tests do not just echo the code's checker,
and built differently: regular expressions over whole accent-stripped text and over the text with every
separator squeezed out, a homoglyph table of its own, and no shared lexicon. Where the two disagree, one
of them has a hole.
"""

from __future__ import annotations

import re
import unicodedata

AMOUNT_WORDS = ("half", "free", "100%", "double", "twice", "quarter")

#: number words, by language, that state an amount (each its own regex alternative, whole words only)
NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand",
    r"tres|cuatro|cinco|seis|siete|ocho|nueve|diez|quince|veinte|treinta|cuarenta|cincuenta|cien|mitad",
    r"deux|trois|quatre|cinq|sept|huit|dix|vingt|trente|quarante|cinquante|moitie",
    r"zwei|drei|vier|funf|fuenf|zehn|zwanzig|dreissig|vierzig|funfzig|hundert|halfte|haelfte",
    r"quattro|cinque|dieci|venti|trenta|quaranta|cinquanta|cento|meta",
    r"dois|duas|quatro|dez|vinte|trinta|cinquenta|metade",
    r"два|три|пять|десять|двадцать|тридцать|сорок|пятьдесят|сто|половин\w*",
)

#: what a message about one discount on one cart has no business mentioning, per concept (whole words)
CONCEPTS: dict[str, str] = {
    "later or extra": r"next|another|additional\w*|extra|further|more|plus|later|future\w*|tomorrow|loyal\w*|"
                      r"bonus\w*|again|forever|always|every|stack\w*|upcoming|lifetime|"
                      r"proxim\w*|otr[oa]s?|adicional\w*|mas|prochain\w*|autres?|encore|supplementaire\w*|"
                      r"nachst\w*|naechst\w*|weitere\w*|zusatzlich\w*|mehr|prossim\w*|ulterior\w*|piu|altr[oaie]|"
                      r"outr[oa]s?|mais|следующ\w*|ещ[её]|дополнительн\w*|больше|бонус\w*",
    "time": r"weeks?|months?|years?|days?|valid\w*|expir\w*|mes|meses|mois|monat\w*|mese|месяц\w*|недел\w*",
    "shipping": r"ship\w*|deliver\w*|postage|courier|envio\w*|livraison|versand\w*|lieferung\w*|spedizion\w*|"
                r"frete|entrega\w*|доставк\w*",
    "gift": r"gifts?|giftcards?|presents?|freebies?|samples?|surprise|regalos?|cadeaux?|geschenk\w*|omaggio|"
            r"brinde|подар\w*",
    "money back or credit": r"credit\w*|cashback|refund\w*|reimburs\w*|wallet|points|rewards?|guthaben|"
                            r"devolv\w*|rembours\w*|reembols\w*|кэшбэк|балл\w*|вернем|вернём",
    "extras": r"upgrade\w*|premium|vip|waiv\w*|match\w*|complimentary|gratis|gratuit\w*|kostenlos\w*|"
              r"бесплатн\w*|refer\w*|friends?|amig[oa]s?|membership|subscription|orders|purchases",
    "on us": r"on us|on the house|no charge|for nothing|pay you back|come back|everything|better|soon|e-?mail",
}
#: long words found even with separators squeezed out ("f r e e s h i p p i n g", "gi-ft ca-rd")
SQUEEZED = ("shipping", "delivery", "giftcard", "freegift", "voucher", "coupon", "refund", "cashback",
            "storecredit", "upgrade", "loyalty", "doставк")
#: look-alike letters from other scripts, read as the Latin letter they imitate
HOMOGLYPHS = str.maketrans("асеорхуікѕјԁԛԝһгтвмнпοαερτυνικ", "aceopxyiksjdqwhrtbmhnoaeptuvik")
CODE_WORDS = r"codes?|coupons?|promo\w*|vouchers?|codigo|cupom|cupon|codice|gutschein\w*|промокод\w*|купон\w*|код"
ENTER = r"enter|apply|redeem|use|type|usa|utilisez|verwenden|usa|use o|используйте|введите"
SMALL_WORDS = r"it|this|that|the|a|an|your|our|at|code|el|le|il|o|dem|den|ваш\w*"
MARK = "ourcodehere"
_LATIN_MARKS = re.compile(r"[\u0300-\u036f]")


def _plain(text: str) -> str:
    """Lower case, no format characters, compatibility forms unfolded, no accents."""
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    decomposed = unicodedata.normalize("NFKD", visible).casefold()
    return unicodedata.normalize("NFC", _LATIN_MARKS.sub("", decomposed)).replace("ё", "е")


def stated_numbers(text: str, offer_code: str | None) -> list[float]:
    """Every number in `text`, ignoring the offer code and thousands separators."""
    if offer_code:
        text = text.replace(offer_code, "")
    return [float(m.replace(",", "")) for m in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


def promises(text: str, offer_code: str | None) -> list[str]:
    """What the message promises or shows beyond one percent off one cart with one code."""
    body = text.replace(offer_code, f" {MARK} ") if offer_code else text
    found = [f"format character U+{ord(c):04X}" for c in body if unicodedata.category(c) == "Cf"]
    plain = _plain(body)
    letters = [c for c in plain.replace(MARK, " ") if c.isalpha()]
    kinds = {"ascii" if c.isascii() else unicodedata.name(c, "?").split()[0] for c in letters}
    if len(kinds) > 1:
        found.append(f"letters from several scripts: {sorted(kinds)}")
    if kinds - {"ascii", "CYRILLIC"}:
        found.append(f"letters outside Latin and Cyrillic: {sorted(kinds - {'ascii', 'CYRILLIC'})}")
    found += [f"symbol {c!r}" for c in plain if unicodedata.category(c) in ("So", "Sm", "Sk")
              and c not in "=🙂😊👍🎉"]
    for reading in {plain, plain.translate(HOMOGLYPHS)}:
        for concept, pattern in CONCEPTS.items():
            m = re.search(rf"(?<!\w)(?:{pattern})(?!\w)", reading)
            if m:
                found.append(f"{concept}: {m.group(0)!r}")
        for words in NUMBER_WORDS:
            m = re.search(rf"(?<!\w)(?:{words})(?!\w)", reading)
            if m:
                found.append(f"number word {m.group(0)!r}")
        squeezed = re.sub(r"[\W\d_]+", "", reading.replace(MARK, " "))
        found += [f"squeezed {w!r}" for w in SQUEEZED if w in squeezed]
        for m in re.finditer(rf"(?<!\w)(?:{CODE_WORDS})(?!\w)(?!\W+(?:\w+\W+){{0,2}}{MARK})", reading):
            found.append(f"code word {m.group(0)!r} without our code after it")
        for m in re.finditer(rf"(?<!\w)(?:{ENTER})\s+(?:(?:{SMALL_WORDS})\s+)*(\w+)", reading):
            if m.group(1) != MARK and not re.fullmatch(CODE_WORDS, m.group(1)):
                found.append(f"asks to enter {m.group(1)!r}")
    nfkc = unicodedata.normalize("NFKC", body.replace(MARK, " "))
    found += [f"code-like {w!r}" for w in re.findall(r"\b\w*(?:[A-Za-z]\d|\d[A-Za-z])\w*\b", nfkc)]
    found += [f"capitals {w!r}" for w in re.findall(r"\b[^\W\d_]{3,}\b", nfkc) if w.isupper()]
    return found


def unbacked(text: str, *, percent: float, cart: float, offer_code: str | None) -> list[str]:
    """What the message states that the decision does not back: numbers, amount words and promises."""
    saving = round(cart * percent / 100, 2)
    backed = {round(percent, 2), round(cart, 2), saving, round(cart - saving, 2)}
    out = [f"{n}" for n in stated_numbers(unicodedata.normalize("NFKC", text), offer_code)
           if round(n, 2) not in backed]
    lowered = text.lower()
    out += [w for w in AMOUNT_WORDS if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", lowered)]
    for m in re.finditer(r"\bsav\w*\s+(?:you\s+)?\$\s*([\d,]+(?:\.\d+)?)", lowered):  # "save $X": X is the saving
        if round(float(m.group(1).replace(",", "")), 2) != saving:
            out.append(f"saving stated as {m.group(0)!r}")
    return out + promises(text, offer_code)
