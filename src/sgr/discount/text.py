"""Text folding shared by the router and the message checker: one idea of "the same word".

Both read text a person or a model wrote, in several languages, with typos, and (from a hostile model)
with look-alike letters and invisible characters. Folding is done here once so the router and the safety
check cannot disagree on what a word is: NFKC (fullwidth digits and letters become ASCII), casefold,
accents stripped from Latin letters, "ё" read as "е", and zero-width/format characters removed. Typos are
matched with an optimal-string-alignment (Damerau-Levenshtein) distance, so "dicsount" and "coupn" count.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: a run of letters or digits in any script (apostrophes and hyphens split words)
WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: Cyrillic and Greek letters drawn like Latin ones (lower case, after casefold): used to read an all-Cyrillic
#: "соdе" or "ԁеаl" as the Latin word it imitates. Not Unicode's full confusables table: the letters that
#: matter in the Latin words we look for, plus the Cyrillic extensions (і, ј, ѕ, ԁ, ԛ, ԝ, һ, ӏ) made for it.
LOOKALIKE_TO_LATIN: dict[str, str] = {
    "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "һ": "h", "і": "i", "ј": "j", "к": "k", "ӏ": "l",
    "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "г": "r", "ѕ": "s", "т": "t", "и": "u", "ѵ": "v",
    "ԝ": "w", "х": "x", "у": "y", "з": "3", "ь": "b", "п": "n", "ё": "e", "ї": "i",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ς": "c", "σ": "o",
}
_LOOKALIKE_TABLE = str.maketrans(LOOKALIKE_TO_LATIN)


def invisible_chars(text: str) -> list[str]:
    """Format and private-use characters (zero-width joiners, bidi controls, soft hyphens...) in `text`."""
    return sorted({c for c in text if unicodedata.category(c) in ("Cf", "Co", "Cs", "Cn")})


def _is_latin(c: str) -> bool:
    """A Latin letter (Basic Latin to Latin Extended Additional), whose accents we may drop."""
    return c.isalpha() and (ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF)


def fold(text: str) -> str:
    """NFKC, casefold, no accents on Latin letters, "ё" -> "е", no invisible characters.

    Only marks on Latin letters are dropped ("réduction" == "reduction", and a stacked accent cannot split
    a word); other scripts keep theirs, because there a mark changes the letter (Russian "й", Japanese "ぎ").
    """
    nfkc = unicodedata.normalize("NFKC", text)
    visible = "".join(c for c in nfkc if unicodedata.category(c) not in ("Cf", "Co", "Cs", "Cn"))
    folded = visible.casefold().replace("’", "'").replace("ё", "е")
    out: list[str] = []
    base_is_latin = False
    for c in unicodedata.normalize("NFD", folded):
        if unicodedata.category(c) == "Mn":
            if base_is_latin:
                continue
        else:
            base_is_latin = _is_latin(c)
        out.append(c)
    return unicodedata.normalize("NFC", "".join(out))


def to_latin_lookalikes(folded: str) -> str:
    """Read Cyrillic and Greek look-alike letters as the Latin letters they imitate (on folded text)."""
    return folded.translate(_LOOKALIKE_TABLE)


def words(folded: str) -> list[str]:
    """The words of already folded text."""
    return WORD.findall(folded)


@lru_cache(maxsize=65536)
def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal string alignment distance (a swap of two neighbours costs 1), cut off above `limit`.

    Cached because a message's words repeat across the router's and the checker's lexicons.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
            best = min(best, cur[j])
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def typo_limit(target: str) -> int:
    """How many edits still read as `target`: none under 6 letters (price/prize, cost/most), 1 up to 8, then 2."""
    if len(target) < 6:
        return 0
    return 1 if len(target) <= 8 else 2


def near(token: str, target: str) -> bool:
    """`token` is `target` misspelt: same first letter, whole word within `typo_limit` edits.

    The whole word is compared (never a prefix), so "billing" is not "billig" misspelt plus a suffix; a
    misspelt plural ("dicsounts") is missed rather than guessed.
    """
    limit = typo_limit(target)
    if limit == 0 or not token or token[0] != target[0] or token == target:
        return False
    return edit_distance(token, target, limit) <= limit
