"""Rewrite the typed forms of a question into the plain words the question reader knows, once, before reading.

Why a rewrite and not more patterns in each reader: people write the same request with symbols, dashes and
shorthand ("passengers ≤ 150", "2021–2022", "pre-2020", "Q-over-Q", "excl. Genre 'Action'", "high→low",
"for the 3–14 pages band"), and each of those forms would otherwise need its own branch in the filter, sort,
bin and value readers, which already agree on the spelled-out words ("<= 150", "from 2021 to 2022", "before
2020", "quarter over quarter", "excluding", "high to low", "pages between 3 and 14"). One ordered table of
rewrites keeps every reader on one vocabulary, and the run log keeps both texts (`asked` and `question`).

Every rule keeps the meaning and never moves a word across another: the readers still see the question's
words in the question's order, so token positions stay meaningful for provenance. The exceptions are the few
thresholds said before their column ("for the 3–14 pages band", "clear 3 on bathrooms", "capped at stock level
40"): the readers compare a column with what follows it, so those rules put the column first.
"""

from __future__ import annotations

import re

_YEAR = r"(?:19|20)\d\d"
_NUM = r"-?\d[\d,]*(?:\.\d+)?"
#: "-wise" words that never mean "per X" ("otherwise" typed with a hyphen, "clock-wise", "step-wise")
_NOT_PER = r"(?!(?:other|like|clock|counterclock|length|step|pair|piece|bit|stream)-wise\b)"
#: one column's words, up to three, before "bars"/"stacked": never "A and B", "or", a number
_ONE_NAME = r"((?:(?!(?:the|and|or|\d+)\b)[\w()%-]+\s+){0,2}?(?!(?:and|or|\d+)\b)[A-Za-z_][\w()%-]*)"

#: (pattern, replacement, example) in the order they apply; the example is what the rule exists for
RULES: tuple[tuple[re.Pattern[str], str, str], ...] = tuple((re.compile(p, re.IGNORECASE), r, ex) for p, r, ex in (
    # a request pasted from a ticket or an email: the reference, the field labels and the quote marker are the
    # message's frame, not the data's words ("subject" and "reply" were asked about as columns)
    (r"^\s*\[[A-Za-z]{2,12}[-#]?\d{1,8}\]\s*", "", "[REQ-4471] Subject: bar chart of the fee per tuner"),
    (r"(?:^|(?<=[|>\]])|(?<=[.?!]\s))\s*(?:subject|re|fwd?|body|reply)\s*:\s*",
     " ", "> can we see it by month? Reply: sure, the total fee per month"),
    (r"\bas\s+per\s+(?:the\s+)?(?:subject|title|above|previous\s+(?:mail|email|message))\b", "",
     "| Body: as per subject, thanks"),
    (r"^\s*>+\s*", "", "> who is busiest? Reply: the count of jobs per tuner"),
    # "Kindly share the month-wise total": share as in send, not a share of a whole (a pie)
    (r"\b(kindly|please|pls|plz|can\s+you|could\s+you|would\s+you|will\s+you|do)\s+share\b"
     r"(?!\s+(?:of|prices?|counts?|holders?|capital|options?|classes?)\b)", r"\1 show",
     "Kindly share the month-wise total fee"),
    # "the policy_type-wise total payout", "a quarter-wise area graph": Indian English for "per"; the readers look
    # for "per X" next to what it groups, so the phrase moves after the words it qualifies (up to the clause's end)
    (r"(?:\b(the|a|an)\s+|(?<=[:;]\s))((?:total|average|mean|median|maximum|minimum|max|min)\s+)?((?:(?!(?:the|total|"
     r"average|mean|sum|"
     r"median|max|min|maximum|minimum|top|bottom|count|number|show)\b)[\w()%]+\s+){0,2}?" + _NOT_PER +
     r"[\w()%]+)-wise\s+(?!(?:and|or|but|to|of|is|are|was|were|so|then)\b)((?:(?!in\s+"
     r"(?:descending|ascending|decreasing|increasing)\b|sorted\b|ranked\b|please\b|pls\b|"
     r"for\b|with\b|where\b|excluding\b|only\b)[^.,;:?!|()\s]+\s*)+?)(?=\s+(?:in\s+(?:descending|ascending|decreasing|"
     r"increasing)|sorted|ranked|please|pls|for|with|where|excluding|only)\b|\s*[.,;:?!|()]|\s*$)",
     r"\1 \2\4 per \3",
     "Kindly arrange the policy_type-wise total payout in descending order"),
    (r"\b" + _NOT_PER + r"([\w()%]+)-wise\b(?!\s*,)",
     r"per \1",
     "How has Cost moved month-wise?"),
    # "sub-average duration", "higher then average": below the average; "then" typed for "than"
    (r"\bsub[\s-]?average\b", "below-average", "rentals with sub-average duration min only"),
    (r"\b(higher|lower|more|less|greater|bigger|smaller|fewer|larger|longer|shorter|other|rather)\s+then\b", r"\1 than",
     "matches with Away Goals higher then average"),
    # "grouped by Years and Months": a pivot's date grouping; the finest level is the one drawn
    (r"\b(?:grouped\s+)?by\s+years\s+and\s+(quarters|months|weeks|days)\b", r"by \1",
     "Rows = Service Date grouped by Years and Months"),
    # "boat length on the horizontal": the axis said without its noun
    (r"\b(on|along|across|up)\s+the\s+horizontal\b(?![\s-]*(?:axis|bars?|columns?|charts?|graphs?|plots?|lines?)\b)",
     r"\1 the x axis",
     "scatter them with boat length on the horizontal"),
    (r"\b(on|along|up)\s+the\s+vertical\b(?![\s-]*(?:axis|bars?|columns?|charts?|graphs?|plots?|lines?)\b)",
     r"\1 the y axis", "fee up the vertical"),
    # "with the Director bars sitting next to each other", "put the foreman bars beside each other": the bars of
    # each X side by side are X's colours; "and the funeral type stacked inside it": X's colours stacked
    (r"\b(?:with\s+|put\s+|have\s+)?the\s+" + _ONE_NAME + r"\s+bars\s+"
     r"(?:(?:sitting|standing|placed|side\s+by\s+side)\s+)?(?:next\s+to|beside|alongside)\s+(?:each\s+other|one\s+another)\b",
     r"bars grouped by \1",
     "grouped bar chart of the count of tests for each Priority with the OrderingDept bars sitting next to each other"),
    (r"\band\s+the\s+" + _ONE_NAME + r"\s+"
     r"stacked\s+(?:inside|within|in|on)\s+"
     r"(?:it|each(?:\s+one|\s+bar)?|them)\b", r"stacked by \1",
     "stacked bar chart with one bar for every branch and the funeral type stacked inside it"),
    # "which sweep contributes the most price when it's all rolled up": the total
    (r"\bwhen\s+(?:it'?s|it\s+is|they'?re|they\s+are|everything\s+is)\s+(?:all\s+)?(?:rolled|summed|added)\s+up\b",
     "in total", "Which Sweep contributes the most price when it's all rolled up?"),
    # "roll co level up to chimney type level using the average": the average of X for each Y
    (r"\broll\s+((?:(?!up\b)[\w()%-]+\s+){0,3}?[\w()%-]+)\s+up\s+to\s+(?:the\s+)?(?:((?:[\w()%-]+\s+){1,3}?[\w()%-]+)\s+level|"
     r"([\w()%-]+(?:\s+level)?))\s+(?:using|with|by\s+taking)\s+the\s+(average|mean|median|sum|total|maximum|minimum|max|min)\b",
     r"\4 \1 for each \2\3", "Roll co level up to chimney type level using the average."),
    # comparison symbols, spaced so "passengers≤150" reads as a column, an operator and a number
    (r"\s*≥\s*", " >= ", "Away Goals ≥ 1"),
    (r"\s*≤\s*", " <= ", "passengers ≤ 150"),
    (r"\s*≠\s*", " != ", "status ≠ Closed"),
    # "put them all in order, top one first": where the first bar goes, not a limit of one
    (r"\b(?:top|biggest|largest|highest)\s+one\s+(?:is\s+|comes\s+|goes\s+)?(first|at\s+the\s+(?:top|front|start|left)|on\s+(?:top|the\s+left))"
     r"(?=\s*(?:[.,;:!?)]|$))", r"highest \1", "Put them all in order, top one first."),
    (r"\b(?:bottom|smallest|lowest)\s+one\s+(?:is\s+|comes\s+|goes\s+)?(first|at\s+the\s+(?:top|front|start|left)|on\s+(?:top|the\s+left))"
     r"(?=\s*(?:[.,;:!?)]|$))", r"lowest \1", "smallest one first, please"),
    # `tempo_bpm` >= 110: an identifier quoted as code is the identifier (a name with other signs keeps them)
    (r"`([A-Za-z][A-Za-z0-9_]*(?: [A-Za-z0-9_]+)*)`", r"\1", "median `CSAT` by `Priority`"),
    # "review length v helpful votes": a lower-case "v" (or "v.") between two words is "versus"
    (r"(?<=\w)\s+(?-i:v)\.?\s+(?=[A-Za-z])", " vs ", "scatter review length v helpful votes"),
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
    # verbs between a column and its comparison: "passengers came in above 140", "sits between 200 and 270" (not
    # when the column comes after: "came in above 180 on height" is a rule further down)
    (rf"\b(?:came|comes|come|coming)\s+in\s+(above|below|under|over|at|between)\b(?!\s+{_NUM}\s+on\s)", r"\1",
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
    (r"\b(?:is|are|was|were)\s+(?:(?:we|you|they|it|things)\s+)?(?:the\s+)?(?:peak|busiest)\s+(?:for|on|in|with)\b",
     "has the most",
     "Which day of the week is peak for reviews?"),
    # "which 3 are out in front on postings": the leaders
    (r"\b(is|are)\s+(?:out\s+)?(?:in\s+front|ahead|leading)\s+(?:on|in|for)\b", r"\1 highest on",
     "Of all the seniorities, which 3 are out in front on number of postings?"),
    # "height = how many lift passes": the bars' height is the y channel, not a height column
    (r"\b(?:(?:bar|column)s?'?\s+)?(?:height|length)\s*(?:=|:)\s*(?=(?:the\s+)?(?:how\s+many|count|number|total|sum|"
     r"average|mean|avg|median|max|min)\b)", "y = ", "Stacked column, Resort along x, height = how many lift passes"),
    # "top-line X": the headline total, not a top-k
    (r"\btop[\s-]line\b", "total", "Top-line enrolled by faculty — summed"),
    # a misspelt chart name: "scater plot", "scaterplot", "scatterr"
    (r"\bsc[ae]t{1,2}e?r+(?=(?:plots?|s)?\b)(?<!\bscatter)", "scatter", "scater plz, does Y climb with X?"),
    # "with X taken out", "after taking out the X rows": rows left out, said around the value
    (r"\bwith\s+((?:(?!with\b)[\w'\"“”‘’-]+\s+){1,6}?)(?:taken|left|filtered|cut)\s+out\b(?!\s+(?:of|for|from)\b)",
     r"excluding \1",
     "mean fee per clinic, with vet Dr Lee taken out"),
    (r"\b(?:taking|takes)\s+out(?=\s+(?:the|all|any|those|these|every|rows?)\b)", "excluding",
     "after taking out the status Closed rows"),
    (r"\btake\s+out(?=\s+(?:the|all|any|those|these|every|rows?)\b)", "exclude", "take out the status Closed rows"),
    # "n_distinct(Artist)", "nunique(x)", "count(distinct x)": a distinct count typed as a function
    (r"\b(?:n_?distinct|n_?unique|count_?distinct|distinct_?count|approx_count_distinct)\s*\(\s*([^()]+?)\s*\)",
     r"number of distinct \1", "Label, n_distinct(Artist)"),
    (r"\bcount\s*\(\s*distinct\s+([^()]+?)\s*\)", r"number of distinct \1", "count(DISTINCT airline) per origin"),
    # "count every driver once": each value once, i.e. a distinct count
    (r"\b(count|counting)\s+(?:each|every)\s+((?:[\w()%-]+\s+){0,3}?[\w()%-]+)\s+(?:only\s+|just\s+)?"
     r"(?:once|one\s+time|a\s+single\s+time)\b", r"\1 distinct \2", "per depot, count every driver once"),
    # "diff genres per label, how many": "diff" short for different, in a count (never "the diff between A and B")
    (r"(?:^|(?<=[,;:|(]\s)|(?<=[,;:|(]))\s*\bdiff\b(?!\s+(?:between|of|in|from|to|vs|versus|against|with|by|per)\b)(?=\s+[a-z])"
     r"(?=[^.?!;]*\b(?:how\s+many|distinct|unique|count|number\s+of)\b)", "different",
     "diff genres per label, how many"),
    # "homes that clear 3 on bathrooms", "players who came in above 180 on height": a threshold said before its
    # column (a name may hold a slash or a unit in brackets: "Rate/t (GBP)"); the readers compare a column with the
    # number after it, so this rule puts the column first (the one kind of rule here that reorders words)
    (rf"\b(?:(?:that|which|who)\s+)?(?:clear(?:s|ed|ing)?|exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?|"
     rf"(?:come|comes|came|coming)\s+in\s+(?:above|over))\s+({_NUM})\s+"
     r"on\s+(?!(?:each|every|all|average|mean|an?)\b)((?:the\s+)?[A-Za-z_][\w()%/-]*(?:\s+[A-Za-z_(][\w()%/-]*){0,3}?)"
     r"(?=\s*(?:[,.;:?!)]|$)|\s+(?:and|but|or|in|per|by|for|across|each|only|please)\b)", r"with \2 above \1",
     "How many homes per town clear 3 on bathrooms?"),
    (rf"\b(?:(?:that|which|who)\s+)?(?:fall(?:s|ing)?|fell|stay(?:s|ed|ing)?|(?:come|comes|came|coming)\s+in)\s+"
     rf"(?:below|under)\s+({_NUM})\s+"
     r"on\s+(?!(?:each|every|all|average|mean|an?)\b)((?:the\s+)?[A-Za-z_][\w()%/-]*(?:\s+[A-Za-z_(][\w()%/-]*){0,3}?)"
     r"(?=\s*(?:[,.;:?!)]|$)|\s+(?:and|but|or|in|per|by|for|across|each|only|please)\b)", r"with \2 below \1",
     "players who fall below 10 on minutes"),
    # "capped at stock level 40", "stock level capped at 40": an upper bound, the rows at or below it kept
    (rf"\bcapped\s+at\s+(?!(?:the|a|an|least|most)\b)([A-Za-z_][\w()%-]*(?:\s+[A-Za-z_][\w()%-]*){{0,3}}?)\s+"
     rf"({_NUM})(?![\w.])", r"\1 up to \2",
     "Mean price by brand, capped at stock level 40"),
    (rf"\bcapped\s+at\s+(?={_NUM}(?![\w.]))", "up to ", "review count capped at 170"),
    # "how low does the score go", "how high do prices climb": the minimum or the maximum
    (r"\bhow\s+low\s+(?:does|do|did|can|could|will)\s+(?:the\s+|its\s+|their\s+)?(?!(?:it|you|we|they|i|he|she|this|that)\b)((?:[\w()%-]+\s+){0,4}?[\w()%-]+)"
     r"\s+(?:go|get|sink|dip|fall|drop|reach)\b", r"minimum \1", "how low does the score go in each league"),
    (r"\bhow\s+low\s+(?:the\s+|its\s+|their\s+)?(?!(?:it|you|we|they|i|he|she|this|that)\b)((?:[\w()%-]+\s+){0,4}?[\w()%-]+)\s+"
     r"(?:goes|gets|sinks|dips|falls|drops|can\s+go|went|got)\b", r"minimum \1", "how low the rating goes per show"),
    (r"\bhow\s+high\s+(?:does|do|did|can|could|will)\s+(?:the\s+|its\s+|their\s+)?(?!(?:it|you|we|they|i|he|she|this|that)\b)((?:[\w()%-]+\s+){0,4}?[\w()%-]+)"
     r"\s+(?:go|get|climb|rise|reach|peak)\b", r"maximum \1", "how high does the price go in each city"),
    (r"\bhow\s+high\s+(?:the\s+|its\s+|their\s+)?(?!(?:it|you|we|they|i|he|she|this|that)\b)((?:[\w()%-]+\s+){0,4}?[\w()%-]+)\s+"
     r"(?:goes|gets|climbs|rises|reaches|peaks|can\s+go|went|got)\b", r"maximum \1",
     "how high the price goes per city"),
    # "a day-of-week pattern": the hyphenated day of the week
    (r"\b(days?)-of-(?:the-)?week\b", r"\1 of the week", "a day-of-week pattern in sales"),
    # "in descending alphabetical order": Z to A on the categories, not the values from high to low
    (r"\b(?:descending|decreasing)\s+alphabetical(ly)?\b|\balphabetical(ly)?(?:\s+order)?\s*,?\s*(?:in\s+)?"
     r"(?:descending|decreasing)(?:\s+order)?\b(?!(?:\s+order)?\s+(?:of|by)\b)", r"reverse alphabetical\1\2",
     "teams in descending alphabetical order"),
    (r"\b(?:ascending|increasing)\s+alphabetical(ly)?\b|\balphabetical(ly)?(?:\s+order)?\s*,?\s*(?:in\s+)?"
     r"(?:ascending|increasing)(?:\s+order)?\b(?!(?:\s+order)?\s+(?:of|by)\b)", r"alphabetical\1\2",
     "teams sorted alphabetically, ascending"),
    # field wells: "chart: box", "mark: area": the chart's name with its noun, so it reads as a chart
    (r"\b((?:chart|graph|plot|viz|visual|mark)(?:\s+type)?)\s*[:=]\s*((?:grouped|stacked|clustered)\s+)?"
     r"(box(?:es)?|area|bars?|columns?|lines?|pie|donut|scatter)\b(?=\s*(?:[|,;.]|$))",
     r"\1: \2\3 chart", "x: branch | y: wait_days | chart: box"),
    # "x-axis: signup date (month)": the bin of the x column said in brackets
    (r"(\bx(?:[\s-]?axis)?\s*[:=]\s*[^\s|()\n:=](?:[^|()\n:=]*[^\s|()\n:=])?)\s*\(\s*(?:by\s+|per\s+)?(year|quarter|month|week|day|hour)\s*\)",
     r"\1 by \2", "x-axis: signup date (month) | y-axis: signups"),
    (r"(\bx(?:[\s-]?axis)?\s*[:=]\s*[^\s|()\n:=](?:[^|()\n:=]*[^\s|()\n:=])?)\s*\(\s*(?:by\s+|per\s+)?(?:week\s*days?|day\s+of\s+(?:the\s+)?week|"
     r"dow)\s*\)", r"\1 by day of the week", "x-axis: order date (weekday)"),
    # "what part of the total sales each shop brings in": a share (never "what part of the day")
    (r"\b(what|which|how\s+(?:big|large)\s+a)\s+part\s+of\b(?=\s+(?:all|the\s+total|the\s+whole|overall)\b)",
     r"\1 share of",
     "what part of the total sales each shop brings in"),
    # "with a different colour for each brand", "one colour per region": the colour
    (r"\b(?:with|using|in)?\s*(?:a|one)\s+(?:(?:different|separate|distinct|unique|own)\s+)?colou?r\s+"
     r"(?:for\s+(?:each|every)|per)\b", " coloured by",
     "price vs weight, with a different colour for each brand"),
))


def canonical(question: str) -> str:
    """The question with its symbols and shorthand spelled out (see `RULES`); unchanged when it has none."""
    text = question
    for rx, replacement, _example in RULES:
        text = rx.sub(replacement, text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()
