"""Rewrite the typed forms of a question into the plain words the question reader knows, once, before reading.

Why a rewrite and not more patterns in each reader: people write the same request with symbols, dashes and
shorthand ("passengers ≤ 150", "2021–2022", "pre-2020", "Q-over-Q", "excl. Genre 'Action'", "high→low",
"for the 3–14 pages band"), and each of those forms would otherwise need its own branch in the filter, sort,
bin and value readers, which already agree on the spelled-out words ("<= 150", "from 2021 to 2022", "before
2020", "quarter over quarter", "excluding", "high to low", "pages between 3 and 14"). One ordered table of
rewrites keeps every reader on one vocabulary, and the run log keeps both texts (`asked` and `question`).

Every rule keeps the meaning and never moves a word across another: the readers still see the question's
words in the question's order, so token positions stay meaningful for provenance.
"""

from __future__ import annotations

import re

_YEAR = r"(?:19|20)\d\d"
_NUM = r"-?\d[\d,]*(?:\.\d+)?"

#: (pattern, replacement, example) in the order they apply; the example is what the rule exists for
RULES: tuple[tuple[re.Pattern[str], str, str], ...] = tuple((re.compile(p, re.IGNORECASE), r, ex) for p, r, ex in (
    # comparison symbols, spaced so "passengers≤150" reads as a column, an operator and a number
    (r"\s*≥\s*", " >= ", "Away Goals ≥ 1"),
    (r"\s*≤\s*", " <= ", "passengers ≤ 150"),
    (r"\s*≠\s*", " != ", "status ≠ Closed"),
    # arrows between the two ends of an order
    (r"\s*(?:→|⟶|➝|➔)\s*", " to ", "sorted high→low, Z→A, smallest → largest"),
    # a dash between two numbers is a range: "2021–2022", "3—14"
    (rf"(?<![\w.])({_NUM})\s*[–—]\s*({_NUM})(?![\w.])", r"\1 to \2", "2021–2022"),
    # "from 2023 to date", "2022 to now": an open end
    (rf"\b(?:from\s+)?({_YEAR})\s+(?:to|until|till)\s+(?:date|now|today|the\s+present)\b", r"since \1",
     "reviews from 2023 to date"),
    # a bare range of years, after a comma or at the end: "by home team, 2021 to 2022"
    (rf"(?<!from\s)(?<!between\s)(?<!\d\s)\b({_YEAR})\s+(to|through|until)\s+({_YEAR})\b", r"from \1 \2 \3",
     "Average Attendance by home team, 2021–2022"),
    # "pre-2022", "post 2020"
    (rf"\bpre[\s-]({_YEAR})\b", r"before \1", "Total salary per Sex, pre-2022"),
    (rf"\bpost[\s-]({_YEAR})\b", r"after \1", "permits post-2020"),
    # "for the 3 to 14 pages_viewed band": a range said around the column
    (rf"\b(?:for|in|within)\s+the\s+({_NUM})\s+to\s+({_NUM})\s+((?:[\w()%-]+\s+){{0,3}}?[\w()%-]+)\s+"
     r"(?:band|range|bracket|bucket)\b", r"for \3 between \1 and \2",
     "for the 3–14 pages_viewed band"),
    # verbs between a column and its comparison: "passengers came in above 140", "sits between 200 and 270"
    (r"\b(?:came|comes|come|coming)\s+in\s+(above|below|under|over|at|between)\b", r"\1",
     "where passengers came in above 140"),
    (r"\b(?:sits?|sitting|sat|lies|lie|lying|lay)\s+(between|above|below|under|over)\b", r"\1",
     "only where duration_sec sits between 200 and 270"),
    # shorthand for leaving rows out
    (r"\bexcl\b\.?", "excluding", "Mean Budget per Rating, excl. Genre 'Action'"),
    (r"\b(?:leave|leaving|set|setting|put|putting)\s+((?:(?!out\b|aside\b)[\w'\"“”‘’-]+\s+){1,6}?)"
     r"(?:out|aside)\b", r"excluding \1",
     "I think we should leave site 'Office HQ' out; Leaving the debut runners aside"),
    # "has 'Card' in it": a substring
    (r"\b(?:has|have|having|with)\s+(['\"“‘][^'\"”’]{1,40}['\"”’])\s+(?:in\s+(?:it|them|its\s+name|the\s+name)|"
     r"somewhere\s+in\s+it)\b", r"containing \1", "where PaymentMethod has 'Card' in it"),
    # period-over-period shorthand: "Q-over-Q", "QoQ", "YoY", "MoM", "week-by-week"
    (r"\bq(?:o|-o-|-over-|-on-)q\b", "quarter over quarter", "Number of reviews, Q-over-Q"),
    (r"\by(?:o|-o-|-over-|-on-)y\b", "year over year", "revenue YoY"),
    (r"\bm(?:-o-|-over-|-on-)m\b|\b(?-i:MoM)\b", "month over month", "sign-ups MoM (never the word 'mom')"),
    (r"\b(hour|day|week|month|quarter|year)-(by|on|over|to|after)-\1\b", r"\1 \2 \1", "Week-by-week mean Minutes"),
    # "the highest X logged in any given month": one value per month
    (r"\bin\s+any\s+(?:given\s+|single\s+|one\s+)?(hour|day|week|month|quarter|year)\b", r"in each \1",
     "Highest duration min logged in any given month"),
    # "which day of the week is peak for reviews": the most of them, i.e. a ranking
    (r"\b(?:is|are|was|were)\s+(?:the\s+)?(?:peak|busiest)\s+(?:for|on|in)\b", "has the most",
     "Which day of the week is peak for reviews?"),
    # "which 3 are out in front on postings": the leaders
    (r"\b(is|are)\s+(?:out\s+)?(?:in\s+front|ahead|leading)\s+(?:on|in|for)\b", r"\1 highest on",
     "Of all the seniorities, which 3 are out in front on number of postings?"),
    # "height = how many lift passes": the bars' height is the y channel, not a height column
    (r"\b(?:(?:bar|column)s?'?\s+)?(?:height|length)\s*(?:=|:)\s*(?=(?:the\s+)?(?:how\s+many|count|number|total|sum|"
     r"average|mean|avg|median|max|min)\b)", "y = ", "Stacked column, Resort along x, height = how many lift passes"),
    # "top-line X": the headline total, not a top-k
    (r"\btop[\s-]line\b", "total", "Top-line enrolled by faculty — summed"),
))


def canonical(question: str) -> str:
    """The question with its symbols and shorthand spelled out (see `RULES`); unchanged when it has none."""
    text = question
    for rx, replacement, _example in RULES:
        text = rx.sub(replacement, text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()
