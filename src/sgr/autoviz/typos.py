"""Mend a misspelt request word ("abvoe", "exluding", "boxplto", "histogrm", "pleaes") before the question is read.

Why only the reader's own words, and only two kinds of slip: a misspelt column or value is for the column
matcher's fuzzy pass, which knows the table. What was lost here is the grammar around them: "price abvoe
32,000" lost its filter and "boxplto of km" its chart, and "plase" was reported as a field the table lacks.
Fast typing mostly swaps two neighbouring letters or drops one, and those two slips rarely turn one English word
into another, so they are the only ones mended; a wrong or an extra letter often does ("county" is "count" with a
letter more, "media" is "median" with one less), and is left as typed. A word the table itself uses (a column's
or a value's word, the file's name) is never changed, and neither is any word of four letters or fewer but a
swap ("hvae"). "larger", "greater" and "median" are not mended to: "lager", "grater" and "media" are words people
ask about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: the words of the request grammar a slip is mended to (chart, comparison, order, aggregation, courtesy)
KEYWORDS: frozenset[str] = frozenset({
    "chart", "graph", "plot", "boxplot", "boxplots", "histogram", "scatter", "stacked", "grouped", "clustered",
    "column", "columns", "bars", "lines", "donut", "above", "below", "under", "between", "excluding", "including",
    "except", "exclude", "include", "without", "average", "higher", "lower", "bigger", "smaller", "fewer", "highest",
    "lowest", "biggest", "largest", "smallest", "descending", "ascending", "alphabetical", "alphabetically",
    "maximum", "minimum", "total", "number", "distinct", "count", "please", "thanks", "have", "monthly", "weekly",
    "quarterly", "yearly", "quarter", "month", "weekday", "horizontal", "vertical", "versus", "percentage",
    "proportion", "breakdown",
})

#: English words one swap or one dropped letter away from a grammar word ("staked", "tanks", "pleas", "bras"):
#: every such neighbour of KEYWORDS, listed by generating them all and reading the list
REAL_WORDS: frozenset[str] = frozenset({"bras", "groped", "liens", "lowes", "pease", "pleas", "sacked", "staked",
                                        "tanks", "thank"})

_WORD = re.compile(r"[A-Za-z]{4,}")


def _swapped(typed: str, word: str) -> bool:
    """`typed` is `word` with two neighbouring letters swapped."""
    if len(typed) != len(word) or typed == word:
        return False
    diff = [k for k in range(len(word)) if typed[k] != word[k]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and typed[diff[0]] == word[diff[1]] \
        and typed[diff[1]] == word[diff[0]]


def _dropped(typed: str, word: str) -> bool:
    """`typed` is `word` with one letter left out (not the first: "lease" is no slip of "please")."""
    if len(typed) != len(word) - 1 or typed[0] != word[0]:
        return False
    return any(word[:k] + word[k + 1:] == typed for k in range(1, len(word)))


def mend(question: str, known: Iterable[str] = ()) -> str:
    """The question with each misspelt grammar word mended; a word `known` holds (lower case) is left alone."""
    from sgr.autoviz.columns import stem

    keep = {w.lower() for w in known}
    kept_stems = {stem(w) for w in keep}

    def fix(m: re.Match[str]) -> str:
        typed = m.group(0)
        low = typed.lower()
        if low in KEYWORDS or low in REAL_WORDS or low in keep or stem(low) in kept_stems:
            return typed  # "staked" on a table with a `stake` column is that column's word
        found = {w for w in KEYWORDS if _swapped(low, w) or (len(low) >= 5 and _dropped(low, w))}
        return found.pop() if len(found) == 1 else typed

    return _WORD.sub(fix, question)
