"""One analysis of the question, computed once per run: what it names, counts, filters, sorts and draws.

Why one object: intent, requirements, the planner and the report all need the same reading of the
question. Re-tokenising and re-mapping it in each stage let them disagree (a word was a column for one
stage and "unmatched" for the next). `analyze_question` reads it once; everything downstream reads the
`QuestionAnalysis`, and the LLM path's requirements contract has the same chart-request fields.

The deterministic chart grammar, in the order it is applied:
1. chart, sort and axis phrases are found first and reserved ("order by the y-axis desc", "pie chart"),
   so their words are never mistaken for columns;
2. columns are matched (exact, variant, synonym, value, fuzzy) on what is left;
3. the table's entity noun ("orders", "students": the rows themselves) is recognised, so "how many
   orders" counts rows and never becomes an unknown field;
4. filters (values, thresholds, ranges, "above the average", negations), top-k and the time bin are read;
5. x, y + aggregation and colour are assigned from the roles of the named columns and the cue words
   around them; what the question leaves open is chosen the way an analyst would, and said in `reasons`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from sgr.autoviz.code_asks import read_code
from sgr.autoviz.columns import (
    ColumnMapping,
    TermMatch,
    Token,
    ValueIndex,
    ValueMatch,
    map_terms,
    split_name,
    stem,
    tokenize,
)
from sgr.autoviz.models import ChartAgg, ChartRequest, ChartSort, Filter, Mark, TimeBin
from sgr.autoviz.phrasing import canonical
from sgr.autoviz.typos import mend

if TYPE_CHECKING:
    from sgr.autoviz.profile import ColumnProfile, DataProfile


# -- vocabularies -------------------------------------------------------------------------------------

#: explicit chart names; multi-word ones first (matched on the lower-cased text with word boundaries)
_MARK_PATTERNS: tuple[tuple[str, Mark], ...] = (
    (r"stacked\s+(?:bar|column)s?(?:\s+(?:chart|graph|plot))?", "stacked_bar"),
    (r"(?:grouped|clustered|side[\s-]by[\s-]side|dodged|multi[\s-]?series)\s+(?:bar|column)s?"
     r"(?:\s+(?:chart|graph|plot))?|(?:bar|column)s?\s+(?:next\s+to|beside)\s+(?:each\s+other|one\s+another)|"
     # "a multi-bar chart: for every crop, one bar per region": several bars per group, side by side
     r"multi[\s-]?(?:bar|column)s?(?:\s+(?:chart|graph|plot))?",
     "grouped_bar"),
    (r"(?:pie|donut|doughnut)(?:\s+(?:chart|graph|plot))?", "pie"),
    (r"scatter\s*(?:plot|chart|graph|diagram)?s?|scatterplots?|scattergrams?|bubble\s+chart|"
     r"(?:as|in)\s+(?:an?\s+|one\s+)?(?:dots?|points?)\s*(?:chart|plot|cloud)?(?![^,.;]*?\b(?:above|over|under|"
     r"below|greater|less|more|fewer|at\s+least|at\s+most)\b)|"
     r"dot\s+(?:plot|chart)s?|point\s+cloud|x[\s-]?y\s+(?:plot|chart|graph)s?|"
     r"points\s+colou?red\b|just\s+(?:the\s+)?(?:points|dots)|(?:raw|plain)\s+(?:points|dots)", "scatter"),
    (r"box[\s-]*(?:and\s+whiskers?\s*)?(?:plot|chart|graph)(?:s|ted|ting)?|boxplots?|box[\s-]and[\s-]whiskers?|"
     r"whiskers?\s+(?:plot|chart|graph|diagram)s?|own\s+box(?:es)?\s+(?:for|of)|"
     r"box(?:es)?\s+and\s+whiskers?|whiskers?\s+and\s+box(?:es)?|"
     r"(?<!many\s)(?<!of\s)boxes\s+(?:for|of|showing|per)", "box"),
    (r"heat\s*maps?", "heatmap"),
    (r"histograms?", "histogram"),
    # a stacked area is an area chart with a colour per layer; "area version", "..., area" name one too
    (r"area\s+(?:chart|graph|plot)s?|(?:as|in|with|using)\s+(?:an?\s+)?(?:(?:filled|shaded)\s+)?areas?\b(?!\s+(?:of|is))|"
     r"(?:stacked|shaded|filled)\s+areas?|areas?\s+(?:version|form|style)|"
     r"(?:,|—|–|\s-)\s*(?:as\s+)?(?:an?\s+)?area(?:\s+(?:please|pls))?\s*[.!?]?$",
     "area"),
    (r"line\s+(?:chart|graph|plot|diagram)s?|linecharts?|lines?\s+over\s+time|trend\s*lines?|"
     r"(?:as|in|with|using)\s+(?:a\s+|one\s+)?lines?|line\s+showing|line\s+of|"
     r"(?:a|one)\s+line\s+(?:that|which)\s+(?:follows|tracks|traces|shows)", "line"),
    (r"(?:bar|column)\s*(?:chart|graph|plot|diagram)s?|barcharts?|barplots?|bars|(?:as|in|with|using)\s+(?:a\s+)?bar|"
     r"as\s+columns\b", "bar"),
    # "one dot per sale", "points for every loan" ask for a scatter only when no other chart is named ("a line
    # ..., one dot per week", "line graph, one point for every month")
    (r"(?:one|a)\s+dot\s+(?:per|for|each)|(?:one\s+|a\s+)?points?\s+(?:for|per)\s+(?:every|each)\b", "scatter"),
)
_MARK_RE = [(re.compile(rf"\b(?:{p})\b"), m) for p, m in _MARK_PATTERNS]

_AGG_WORDS: dict[str, ChartAgg] = {
    "average": "mean", "averaged": "mean", "averages": "mean", "avg": "mean", "mean": "mean", "typical": "mean",
    "median": "median", "middle": "median",
    "total": "sum", "totals": "sum", "sum": "sum", "summed": "sum", "combined": "sum", "overall": "sum",
    "altogether": "sum",
    "cumulative": "sum",
    "max": "max", "maximum": "max", "maximal": "max", "largest": "max", "highest": "max", "biggest": "max",
    "greatest": "max", "peak": "max", "top": "max",
    "min": "min", "minimum": "min", "minimal": "min", "smallest": "min", "lowest": "min", "least": "min",
}
#: superlatives that rank groups ("which region has the highest revenue") rather than aggregate with max
_SUPERLATIVE = frozenset({"highest", "largest", "biggest", "greatest", "most", "lowest", "smallest", "least",
                          "fewest", "top", "best", "worst", "maximum", "minimum"})
#: counts that ask how many different values a column has, with no "distinct" word: "the variety of airlines
#: per origin", "for each position, how many teams are represented"
_VALUES_COUNT_WORDS = r"variety\s+of|diversity\s+of|how\s+many"
_COUNT_RE = re.compile(rf"\b({_VALUES_COUNT_WORDS}|number\s+of|numbers\s+of|count\s+of|counts\s+of|count\s+the|"
                       # "no. of loads": inside a column's name ("No. of Employees") it counts nothing, as "count"
                       r"no\.\s*of|"
                       # "average X, counting only rows whose ...": "counting only" keeps rows, it counts nothing
                       r"counting(?!\s+(?:only|just)\b)|count|frequency\s+of|frequencies\s+of|tally\s+of|"
                       r"tally(?!\s+up)|tallies(?!\s+up)|amount\s+of)\b")
_VALUES_COUNT = re.compile(rf"\b({_VALUES_COUNT_WORDS})\b")
#: a grouping cue: a count of a category *per* something else counts its different values there
_PER_CUE = re.compile(r"\b(per|each|every|by|across|within)\b")
_ADD_UP = re.compile(r"\b(add(?:s|ed|ing)?\s+up|sum(?:s|med|ming)?\s+up|total(?:s|led|ling)?\s+up|"
                     r"tall(?:y|ies|ied|ying)\s+up|all\s+told)\b")
_DISTINCT_RE = re.compile(r"\b(distinct|unique|different)\b")
#: "count the airlines without double-counting repeats": each value once, i.e. a distinct count
_NO_DOUBLE = re.compile(r"\b(?:without|no|not|never)\s+double[\s-]?count(?:ing|ed|s)?\b|"
                        r"\b(?:each|every)\s+(?:one\s+)?(?:counted|only)\s+once\b|\bcounted\s+(?:just\s+|only\s+)?once\b")
#: "which has more, A or B?", "are there more listings for A or for B?", "is total X bigger for A or B": a question
#: that compares named groups
_PAIR_RE = re.compile(r"(?:\b(?:which|who|whether|are\s+there|is\s+there|is\s+it|do|does)|^\s*(?:is|are))\b[^.?!]*?"
                      r"\b(?:more|higher|larger|bigger|greater|less|fewer|lower|smaller|(?:outnumbers?|outnumbered|"
                      r"outweighs?|exceeds?|outsells?|outperforms?|beats?|trails?)(?!\s+-?\d))\b")
#: a contest between named groups without a question word: "reckon A or B comes out ahead on ...", "A vs B, who
#: wins on ...": the groups are the bars, the winner first (the last word says which end wins)
_AHEAD_RE = re.compile(r"\b(?:(?:come|comes|came|coming)\s+out\s+(?:ahead|on\s+top|in\s+front|higher|lower)|"
                       r"(?:is|are)\s+ahead|pulls?\s+ahead|edges?\s+(?:it|ahead)|wins?\s+out|(?:do|does|did)\s+better)\b")
_SHARE_RE = re.compile(r"\b(share|shares|proportion|proportions|percentage|percentages|percent|fraction|"
                       r"composition|split(?!\s+(?:by|per|across|into))|makeup|make-up|portion|mix|slice|slices|divided|"
                       r"divvied)\b")
_DISTRIBUTION_RE = re.compile(r"\b(distribution|distributed|spread|variation|variability)\b")

_BIN_PATTERNS: tuple[tuple[str, TimeBin], ...] = (
    (r"week\s*days?|day\s+of\s+(?:the\s+)?week|days\s+of\s+(?:the\s+)?week|dow", "weekday"),
    (r"years?|yearly|annual(?:ly)?|yoy", "year"),
    (r"quarters?|quarterly", "quarter"),
    (r"months?|monthly", "month"),
    (r"weeks?|weekly", "week"),
    (r"days?|daily|dates?", "day"),
    (r"hours?|hourly", "hour"),
)
_BIN_CUE = (r"(?:bin(?:ned)?|binning|bucket(?:ed)?|group(?:ed)?|aggregate[d]?|split|interval|by|per|each|every|"
            r"for each|in each|across|over|into|of the|on a)")
_BIN_RES = [(re.compile(rf"\b{_BIN_CUE}\s+(?:the\s+)?(?:\w+\s+)?(?:by\s+|into\s+)?(?:{p})\b"), b)
            for p, b in _BIN_PATTERNS]
#: "from week to week", "month to month", "year over year": the step of a time view
_STEP_TO_STEP = re.compile(r"\b(hour|day|week|month|quarter|year)\s+(?:to|over|on|after|by)\s+\1\b|"
                           r"\bfrom\s+one\s+(hour|day|week|month|quarter|year)\s+to\s+the\s+next\b")
_WEEKDAY_RE = re.compile(r"\b(days?\s+of\s+(?:the\s+)?week|week\s*days?|"
                         r"mon(?:day)?\s+(?:through|thru|to|until|-)\s+sun(?:day)?)\b")
#: "in year buckets", "quarter bins": the unit names the bin whatever cue comes before it
_UNIT_BUCKETS = re.compile(r"\b(hour|day|week|month|quarter|year)s?\s+(?:buckets?|bins?|intervals?|chunks?|blocks?)\b")
_BIN_ADJ = {"yearly": "year", "annual": "year", "annually": "year", "quarterly": "quarter", "monthly": "month",
            "weekly": "week", "daily": "day", "hourly": "hour"}

#: "smallest values on the left", "largest first": the order said by where the bars go; in "from A to B" either
#: end may take "the" ("from the smallest to the largest")
_END_FIRST = r"\s+(?:values?\s+|ones?\s+|bars?\s+|numbers?\s+)?(?:on\s+the\s+left|first|at\s+the\s+(?:left|top|start))"
_TO = r"\s+to\s+(?:the\s+)?"
_DESC = r"(?:alphabetical(?:ly)?(?:\s+order)?\s*,?\s*(?:but\s+|in\s+)?revers(?:ed|e)(?:\s+order)?|" \
        r"revers(?:ed|e)\s+(?:alphabetical(?:ly)?|a\s+to\s+z)|" \
        rf"(?:large(?:st)?|big(?:gest)?|high(?:est)?|great(?:est)?){_END_FIRST}|" \
        rf"desc(?:ending)?|decreasing|descending\s+order|high(?:est)?{_TO}low(?:est)?|large(?:st)?{_TO}" \
        rf"small(?:est)?|big(?:gest)?{_TO}small(?:est)?|most{_TO}least|greatest{_TO}least|" \
        rf"reverse[\s-]+alphabetical(?:ly)?|z\s+(?:down\s+)?to\s+a|from\s+high(?:est)?{_TO}low(?:est)?|" \
        r"from\s+z\s+(?:down\s+)?to\s+a)"
_ASC = rf"(?:(?:small(?:est)?|low(?:est)?|least|fewest){_END_FIRST}|" \
       rf"asc(?:ending)?|increasing|low(?:est)?{_TO}high(?:est)?|small(?:est)?{_TO}large(?:st)?|" \
       rf"small(?:est)?{_TO}big(?:gest)?|least{_TO}most|least{_TO}greatest|alphabetical(?:ly)?|" \
       rf"a\s+to\s+z|from\s+low(?:est)?{_TO}high(?:est)?|from\s+a\s+to\s+z|chronological(?:ly)?|" \
       r"lexicographic(?:al(?:ly)?)?)"
# "orders by region" is a count of orders, not a sort: "order" sorts as a verb ("order by", "ordered"), never as
# the plural noun
_SORT_CUE = re.compile(r"\b(sort(?:ed|ing|s)?|order(?:ed|ing)?|rank(?:ed|ing|s)?|arrang(?:e|ed|ing)|"
                       r"list(?:ed|ing)?)\b")
#: "bars in decreasing order of height", "sorted by bar length": the size of the marks, i.e. the values (y);
#: plain "order of height" counts only when the question draws bars or columns
_MARK_SIZE = re.compile(r"\b(?:(?:bar|column)s?'?\s+(?:height|length|size)s?|(?:height|length|size)s?\s+of\s+"
                        r"(?:the\s+|each\s+)?(?:bar|column)s?)\b")
_ORDER_OF_SIZE = re.compile(r"\b(?:order|terms)\s+of\s+(?:their\s+|the\s+)?(?:height|length|size)s?\b|"
                            r"\b(?:sort(?:ed)?|order(?:ed)?|rank(?:ed)?|arranged?)\s+by\s+(?:their\s+|the\s+)?"
                            r"(?:height|length|size)s?\b")
_AXIS_RE = re.compile(r"\b(x|y)[\s-]?axis\b|\b(x|y)\s+(?:values?|labels?)\b|(?<=\s)(x|y)(?=\s+(?:in|from|asc|desc|"
                      r"ascending|descending|order|high|low|increasing|decreasing)\b|\s*[,.?!]|$)")

_COMPARISON = re.compile(
    r"\s*(?:is\s+|was\s+|are\s+|were\s+|of\s+|being\s+|that\s+(?:is|are)\s+|(?:stays?|staying|remains?|"
    r"remaining|keeps?|kept)\s+)?"
    r"(?P<op>>=|<=|>|<|=|==|!=|north\s+of|south\s+of|up\s+to|beneath|at\s+or\s+above|at\s+or\s+below|(?:does\s+not|doesn't|do\s+not|don't|did\s+not|didn't)\s+(?:exceed|go\s+above)|"
    r"(?:not|never)\s+(?:more\s+than|above|over|exceeding|greater\s+than)|"
    r"(?:not|never)\s+(?:less\s+than|below|under|fewer\s+than)|greater\s+than\s+or\s+equal\s+to|less\s+than\s+or\s+equal\s+to|at\s+least|"
    r"at\s+most|no\s+more\s+than|no\s+less\s+than|more\s+than|greater\s+than|bigger\s+than|larger\s+than|"
    r"higher\s+than|less\s+than|smaller\s+than|lower\s+than|fewer\s+than|above|over|exceeding|exceeds|below|"
    r"under|not\s+equal\s+to|equal\s+to|equals|of\s+exactly|exactly|beats?|beating|tops?|topping|outdoes|"
    r"(?:falls?|fell|falling|comes?|coming)\s+(?:short\s+of|below|under)|trails?|trailing)"
    r"\s*(?:the\s+)?[$€£]?\s*(?P<num>-?\d[\d,]*(?:\.\d+)?|average|mean|avg)\b",
    re.IGNORECASE,
)
_OPS = {">=": ">=", "<=": "<=", ">": ">", "<": "<", "=": "==", "==": "==", "!=": "!=",
        "greater than or equal to": ">=", "less than or equal to": "<=", "at least": ">=", "no less than": ">=",
        "at most": "<=", "no more than": "<=", "more than": ">", "greater than": ">", "bigger than": ">",
        "larger than": ">", "higher than": ">", "above": ">", "over": ">", "exceeding": ">", "exceeds": ">",
        "beat": ">", "beats": ">", "beating": ">", "top": ">", "tops": ">", "topping": ">", "outdoes": ">",
        "trail": "<", "trails": "<", "trailing": "<",
        "less than": "<", "smaller than": "<", "lower than": "<", "fewer than": "<", "below": "<", "under": "<",
        "does not exceed": "<=", "doesn't exceed": "<=", "do not exceed": "<=", "don't exceed": "<=",
        "did not exceed": "<=", "didn't exceed": "<=", "does not go above": "<=", "doesn't go above": "<=",
        "do not go above": "<=", "don't go above": "<=", "did not go above": "<=", "didn't go above": "<=",
        "not more than": "<=", "not above": "<=", "not over": "<=", "not exceeding": "<=", "not greater than": "<=",
        "never more than": "<=", "never above": "<=", "never over": "<=", "never exceeding": "<=",
        "never greater than": "<=", "not less than": ">=", "not below": ">=", "not under": ">=",
        "not fewer than": ">=", "never less than": ">=", "never below": ">=", "never under": ">=",
        "never fewer than": ">=",
        "north of": ">", "south of": "<", "up to": "<=", "beneath": "<", "at or above": ">=", "at or below": "<=",
        "not equal to": "!=", "equal to": "==", "equals": "==", "of exactly": "==", "exactly": "=="}
#: "a late fee of 0.75 or less", "whose goals is 1 or more": the number first, then its direction
_OR_MORE = re.compile(r"\s*(?:is\s+|was\s+|are\s+|were\s+|of\s+|being\s+|=\s*)?[$€£]?\s*(?P<num>-?\d[\d,]*(?:\.\d+)?)"
                      r"\s*(?:%\s*)?(?:or\s+(?P<dir>more|greater|higher|above|over|larger|bigger|less|fewer|lower|below|"
                      r"under|smaller)\b|(?P<plus>\+)(?!\d))", re.IGNORECASE)
#: a range said after its column: "between 2 and 6", "from 2 up to 6", "in the 1600 to 3300 range"
_BETWEEN = re.compile(r"\s*(?:is\s+|are\s+|was\s+|were\s+|of\s+)?(?:somewhere\s+|anywhere\s+)?"
                      r"(?:between|from|in\s+the(?=\s+[$€£]?-?\d[\d,.]*\s*(?:to|-)\s*[$€£]?-?\d[\d,.]*\s+range\b))\s+"
                      r"[$€£]?(?P<lo>-?\d[\d,]*(?:\.\d+)?)"
                      r"\s*(?:and|(?:up\s+)?to|-|through|until)\s*[$€£]?(?P<hi>-?\d[\d,]*(?:\.\d+)?)\b", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"\b(?:between|from|covering)\s+((?:19|20)\d\d)\s*(?:-|to|and|through|until)\s*"
                         r"((?:19|20)\d\d)\b")
_YEAR_SINGLE = re.compile(r"\b((?:on|in|during)\s+or\s+(?:after|before)|in|during|for|since|after|before|until|of|"
                          r"prior\s+to|earlier\s+than|later\s+than)\s+"
                          r"(?:the\s+year\s+)?((?:19|20)\d\d)\b")
#: a year with an open end: "2021 and later", "2019 onwards", "2018 or earlier", "2020 and after"
_YEAR_OPEN = re.compile(r"\b((?:19|20)\d\d)\s*(?:,\s*)?(?:and\s+|or\s+)?(later|after|onwards?|beyond|newer|since|"
                        r"earlier|before|prior|older)\b(?!\s+(?:19|20)\d\d)")
_NEGATION = re.compile(r"(?:\b(?:not|excluding|except|without|other\s+than|apart\s+from|besides|outside(?:\s+of)?|"
                       r"aside\s+from|but\s+not|isn't|aren't|no)\s+(?:the\s+|in\s+|for\s+|from\s+)?|"
                       # SQL's "<>" and "!=" are symbols: no word boundary before them, and no space needed after
                       r"(?:!=|<>|≠)\s*)['\"“‘]?$")
#: the verbs that leave rows out, one list for values, thresholds and yes/no flags (each adds its own forms)
_EXCLUDE_VERBS = (r"excluding|exclude|except|without|leaving\s+out|leave\s+out|ignoring|ignore|omitting|omit|drop|"
                  r"dropping|remove|removing|minus|not\s+counting|discounting|setting\s+aside|barring|"
                  r"leaving\s+aside|leave\s+aside")
#: an exclusion verb a few words before the value, the column named in between: "leaving out those with
#: department 'Oncology'", "excluding orders whose status is Cancelled" (no grouping word in between)
_EXCLUSION = re.compile(rf"\b({_EXCLUDE_VERBS}|except\s+for|other\s+than|apart\s+from|aside\s+from|"
                        r"filter(?:ing)?\s+out)\s+"
                        r"(?:(?!(?:by|per|each|every|across|versus|vs)\b)[\w'-]+\s+){0,5}"
                        r"(?:is\s+|are\s+|of\s+|=\s*)?['\"“‘]?$")
#: an exclusion verb before a threshold's column, in the same clause: the rows it names are left out
_EXCLUDED_BEFORE = re.compile(rf"\b(?:{_EXCLUDE_VERBS}|filter(?:ing)?\s+out)\b"
                              r"(?:(?!\b(?:by|per|each|every|across|and|but|only)\b)[^,;.?!])*$")
#: the words after a threshold that leave its rows out: "anything with duration_sec under 380 excluded"
_EXCLUDED_AFTER = re.compile(r"^\s*(?:[\w%]+\s+)?(?:is\s+|are\s+|gets?\s+|should\s+be\s+)?(?:excluded|removed|"
                             r"left\s+out|dropped|filtered\s+out|taken\s+out|ignored|omitted)\b")
#: the words that compare a row with the average of a column said after it ("exceeds the average qty", "falls short
#: of the mean price"): above and below
_REL_ABOVE = (r"above|over|higher[\s-]+than|greater[\s-]+than|more[\s-]+than|larger[\s-]+than|bigger[\s-]+than|"
              r"exceeds?|exceeding|beats?|beating|tops|topping|outdoes")
_REL_BELOW = (r"below|under|lower[\s-]+than|less[\s-]+than|smaller[\s-]+than|falls?[\s-]+short[\s-]+of|"
              r"fell[\s-]+short[\s-]+of|falls?[\s-]+below|fell[\s-]+below|trails?|trailing")
#: the words for a column's average that a relative filter compares with ("above the *mean* price")
_MEAN_WORDS = r"average|mean|avg"
_NEGATED_OP = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "==": "!=", "!=": "=="}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}
_TOP_RE = re.compile(r"\b(top|bottom|first|best|worst|highest|lowest|largest|smallest|biggest|leading|last)[\s-]+"
                     r"(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)\b")
_K_SUPER = re.compile(r"\b(\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty)\s+"
                      r"(highest|lowest|largest|smallest|biggest|most|least|best|worst|top|bottom|leading|busiest|"
                      r"quietest|cheapest|priciest|costliest|slowest|fastest|shortest|longest|oldest|youngest|"
                      r"heaviest|lightest|strongest|weakest|richest|poorest|hottest|coldest|wettest|driest)\b")
#: ranking words that count from the low end ("the 3 methods with the fewest payments", "which 2 teams trail",
#: "the 2 quietest suppliers"); one set for every top-k phrasing
_LOW_END = frozenset({"bottom", "worst", "lowest", "smallest", "least", "fewest", "minimum", "last", "trail",
                      "trails", "quietest", "cheapest", "slowest", "shortest", "youngest", "lightest", "weakest",
                      "poorest", "coldest", "driest"})
#: "which 2 teams have the most ...", "the 3 makes with the largest ...": a count before a noun, then a superlative
#: "which 3 teams score the most", "4 job levels where the count is highest" (a count opening the question)
_K_NOUN = re.compile(r"(?:^\s*|\b(?:which|what\s+are\s+the|what\s+(?:the\s+)?|show\s+(?:me\s+)?the|list\s+the|"
                     r"give\s+me\s+the|find\s+the|the)\s+)(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\s+"
                     r"(?!%|percent)"
                     r"[a-z][\w ]{0,50}?\b(?:most|least|fewest|highest|lowest|largest|smallest|biggest|greatest|best|"
                     r"worst|top|bottom|maximum|minimum|lead|leads|trail|trails|come\s+(?:first|last)|"
                     r"rank\s+(?:first|last))\b")
#: "least items: which 2 warehouses?": a count after "which", the ranking word elsewhere in the question
_K_WHICH = re.compile(r"\b(?:which|what)\s+(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\s+(?!%|percent)[a-z]")
_RANK_WORD = re.compile(r"\b(most|least|fewest|highest|lowest|largest|smallest|biggest|greatest|best|worst|top|"
                        r"bottom|maximum|minimum|lead|leads|trail|trails|first|last)\b")
_QUOTED = re.compile(r"(['\"“‘])(.{1,60}?)(['\"”’])(?!\w)")
#: SQL's "name ILIKE '%Maple%'" says the same as "name containing 'Maple'" (the % wildcards are dropped)
_CONTAINS = re.compile(r"\s+(?:(?:values?|names?|text|entries)\s+)?(?:that\s+)?"
                       r"(?:contains?|containing|includes?|including|mentions?|mentioning|with|i?like)\s+"
                       r"(?:the\s+(?:word|text)\s+)?['\"“‘](?P<text>[^'\"”’]{1,40})['\"”’]", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"), 1)}
_MONTH_YEAR = re.compile(r"\b(before|after|since|until|in|during|from|prior\s+to)\s+"
                         r"(?:the\s+(?:start|beginning)\s+of\s+)?(january|february|march|april|may|"
                         r"june|july|"
                         r"august|september|october|november|december)\s+((?:19|20)\d\d)\b")
_MONTH_NAMES = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
#: "from June through November 2023", "between March 2022 and May 2022": a range of whole months
_MONTH_RANGE = re.compile(rf"\b(?:from|between|covering)\s+{_MONTH_NAMES}(?:\s+((?:19|20)\d\d))?\s+"
                          rf"(?:to|through|thru|until|till|and|-)\s+{_MONTH_NAMES}\s+((?:19|20)\d\d)\b")
#: "one bar per dept", "a column for each gender": in a stacked chart each bar is an x value (the other grouping
#: makes its segments); in a grouped one each bar inside a group is a colour
_ONE_BAR_CUES = ("one bar per", "one bar for each", "one bar for every", "a bar per", "a bar for each",
                 "a bar for every", "one column per", "one column for each", "a column per", "a column for each",
                 "a column for every")
#: bars of one group drawn beside each other rather than on top: a grouped bar chart, whatever else is said
_GROUPED_CUE = re.compile(r"\b(?:side[\s-]by[\s-]side|(?:next\s+to|beside)\s+(?:each\s+other|one\s+another)|"
                          r"not\s+stacked|unstacked|dodged)\b")
#: right after a grouping, the words that make it the colour of a grouped chart: "device bars side by side", "with
#: region as side-by-side bars" (the other grouping, "for each crop", is then the x)
_SIDE_BY_SIDE_AFTER = re.compile(r"^\s*(?:(?:bar|column)s?\s+(?:side[\s-]by[\s-]side|"
                                 r"(?:next\s+to|beside)\s+(?:each\s+other|one\s+another))|as\s+(?:the\s+)?(?:side[\s-]by[\s-]side|separate|"
                                 r"grouped|clustered)\s+(?:bar|column)s?)\b")
#: right after a grouping, the words that make it the parts of each bar: "the condition make-up of each station",
#: "its stylist composition" (the other grouping, "each station", is then the x)
_MAKEUP_AFTER = re.compile(r"^\s*(?:(?:make[\s-]?up|composition|mix)\b|breakdown\s+(?:of|for|in|within)\s+"
                           r"(?:each|every)\b)")
#: "bars grouped by site, one bar per circuit": the bars of each site stand together, one per circuit (unless the
#: question also says stacked)
_BARS_GROUPED = re.compile(r"\b(?:bar|column)s\s+(?:grouped|clustered)\s+(?:by|per|under)\b")
_COLOR_CUES = ("colored by", "coloured by", "color by", "colour by", "colored with", "coloured with",
               "color coded by", "colour coded by", "stacked by", "stack by", "split by", "broken down by",
               "segmented by", "grouped by", "group by", "and group by", "with a color for", "one line per",
               "one line for each", "a line for each", "a line per", "series by", "legend by",
               "stacked with", "colored according to", "differentiated by", "separated by", "for each",
               "of every", "of each", "stacked up by", "segments =", "segments:", "segments by", "segment by",
               "split up by", "broken up by", "split out by", "broken out by", "broken out into",
               # "stacked bars, with the segments being CIRCUIT": what the parts of each bar are
               "segments being", "segment being", "segments are", "stacks being", "colours being", "colors being",
               "colour being", "color being",
               *_ONE_BAR_CUES)
#: cues that can only mean colour: they win over the weak ones ("for each", "grouped by"), which also name the x
_WEAK_COLOR_CUES = frozenset({"for each", "grouped by", "group by", "and group by", "of every", "of each"})
_X_CUES = ("by", "per", "for each", "for every", "in each", "of each", "across", "among", "for all",
           "for different", "over", "x axis", "x-axis", "on the x", "vs", "versus", "against", "according to",
           "grouped by", "group by", "with respect to", "based on", "in every", "each", "every", "within",
           "within every", "within each")
_TIME_VIEW = re.compile(r"\b(over\s+time|over\s+the\s+(?:years|months|weeks|days|quarters|period)|through\s+time|"
                        r"time\s+series|timeline|trends?|trending|evolution|evolved?|history|historical(?:ly)?|"
                        r"chronolog\w*|month\s+over\s+month|year\s+over\s+year|(?:hour|day|week|month|quarter|year)\s+to\s+"
                        r"(?:hour|day|week|month|quarter|year)|go(?:es|ing)?\s+up\s+or\s+down|"
                        r"ris(?:e|es|ing)\s+or\s+fall(?:s|ing)?)\b")
_RELATION_RE = re.compile(r"\b(go(?:es)?\s+up|go(?:es)?\s+down|increases?|increasing|rises?|rising|decreases?|"
                          r"correlat\w*|relat(?:ed|ion|ionship)\w*|associat\w*|depends?|affects?|versus|vs\.?|against|"
                          r"tend\w*|link(?:ed|s)?\s+(?:between|to|with)|connection\s+between)\b")
#: words right after a measure's name that add it up: "lift rides (summed)", "units in total", "goals combined"
_SUM_AFTER_WORDS = r"summed|combined|added\s+up|in\s+total"
#: a measure said to be added up right after its name, totals included ("pages totals"): a bin adjective before
#: it bins it ("weekly lift rides (summed)")
_SUMMED_AFTER = re.compile(rf"\s*\(?\s*(?:{_SUM_AFTER_WORDS}|totals?|totalled)\b")
#: a small-integer column aggregated right after its name ("goals in total", "goals on average"): a measure
_AGGREGATED_AFTER = re.compile(rf"\s*\(?\s*(?:{_SUM_AFTER_WORDS}|all\s+told|on\s+average|in\s+sum|averaged|"
                               r"altogether|all\s+together|in\s+all)\b")
_ADDITIVE = re.compile(r"revenue|sales|amount|amt|total|sum|qty|quantity|units?|count|cost|spend|spent|kwh|energy|"
                       r"consumption|usage|"
                       r"profit|income|budget|volume|goals?|points|votes|sold|orders|visits|bookings|"
                       r"donations?|population|fee|expense|payment|paid|gross|net|tax|loans?|claims?|"
                       # counts of events: "the most streams", "nights per month" add up
                       r"streams|downloads|plays|listens|clicks|impressions|installs|reports|nights|passengers|"
                       r"travell?ers|riders|ridership|trips|rentals|attendance|visitors|footfall|enrolled|"
                       r"enrollments?|followers|subscribers|deaths|injuries|fatalities|violations|citations|arrests",
                       re.IGNORECASE)


#: words between a count cue and the counted noun ("number of *different* orders")
_COUNT_SKIP = frozenset({"different", "distinct", "unique", "total", "individual", "separate", "all", "each",
                         "every", "various", "overall"})


class Mention(BaseModel):
    """A column the question names, how it matched, and where (token positions)."""

    column: str
    term: str
    kind: str  # exact | variant | synonym | value | fuzzy
    role: str
    start: int
    end: int


class QuestionAnalysis(BaseModel):
    """Everything the question says, read once; intent, requirements, plan and report read this."""

    #: the question as typed
    asked: str = ""
    #: the question as read (`phrasing.canonical`: symbols and shorthand spelled out); tokens index this text
    question: str
    tokens: list[Token]
    mapping: ColumnMapping
    mentions: list[Mention] = Field(default_factory=list)
    #: the noun the rows are ("orders", "students"), when the question uses it
    entity: str | None = None
    aggregation: ChartAgg | None = None
    aggregation_words: list[str] = Field(default_factory=list)
    counts_rows: bool = False
    filters: list[Filter] = Field(default_factory=list)
    negations: list[str] = Field(default_factory=list)
    top_k: int | None = None
    #: which end the top-k counts from: "bottom 3", "the 3 lowest" -> ascending
    top_order: Literal["ascending", "descending"] | None = None
    sort: ChartSort | None = None
    bin: TimeBin | None = None
    mark: Mark | None = None
    chart: ChartRequest | None = None
    #: which matcher resolved words to columns ("lexicon"; an optional embedding matcher would say so)
    matcher: str = "lexicon"

    @property
    def unmatched(self) -> list[str]:
        """Field-like words the table lacks (the only reason a question is 'partial')."""
        return list(self.mapping.unmatched)

    @property
    def unrecognized(self) -> list[str]:
        """Unknown words where a measure would be, which no lexicon calls a field (a notice, not 'partial')."""
        return list(self.mapping.unrecognized)


# -- reserved phrases --------------------------------------------------------------------------------


def _token_span(tokens: Sequence[Token], start: int, end: int) -> set[int]:
    """Indexes of tokens that overlap the character range [start, end)."""
    return {k for k, t in enumerate(tokens) if t.start < end and t.end > start}


def _find_mark(lowered: str, tokens: Sequence[Token]) -> tuple[Mark | None, set[int]]:
    for rx, mark in _MARK_RE:
        m = rx.search(lowered)
        if m:
            return mark, _token_span(tokens, m.start(), m.end())
    return None, set()


def _find_sort(lowered: str, tokens: Sequence[Token]) -> tuple[tuple[str | None, str] | None, set[int], int]:
    """(channel or None, order), the reserved tokens, and the character position the sort clause starts."""
    for rx, order in ((re.compile(rf"\b{_DESC}\b"), "descending"), (re.compile(rf"\b{_ASC}\b"), "ascending")):
        m = rx.search(lowered)
        if not m:
            continue
        cue = None
        for c in _SORT_CUE.finditer(lowered):
            if c.start() <= m.start() + 5:
                cue = c
        start = cue.start() if cue and m.start() - cue.start() < 80 else m.start()
        word = m.group(0)
        channel = "x" if any(w in word for w in ("alphabetical", "a to z", "z to a", "down to a", "chronolog",
                                                 "lexicograph")) \
            else "y" if re.search(r"\b(left|first|top|start)$", word) else None
        reserved = _token_span(tokens, m.start(), m.end())
        if cue is not None:
            reserved |= _token_span(tokens, cue.start(), cue.end())
        return (channel, order), reserved, start
    cue = _SORT_CUE.search(lowered)
    if cue and re.search(r"\b(by|on|in|according)\b", lowered[cue.end():cue.end() + 12]):
        # "ranked by revenue" puts the largest first; "sorted by name" reads A to Z
        order = "descending" if cue.group(1).startswith("rank") else "ascending"
        return (None, order), _token_span(tokens, cue.start(), cue.end()), cue.start()
    return None, set(), -1


# -- the analysis --------------------------------------------------------------------------------------


_HYPHENATED = re.compile(r"\b([A-Za-z]{2,})-([A-Za-z]{2,})\b")


def _close_compounds(question: str, profile: DataProfile, table_name: str | None) -> str:
    """"call-outs" read as "callouts" where the file or a column writes the word closed (`locksmith_callouts`,
    `callout_date`): split at the hyphen, "call" met the date column and "outs" the out-of-hours flag. A
    compound a column spells with its hyphen ("Walk-in") or apart ("pick up") is left as typed."""
    closed: set[str] = set()
    for name in [table_name or "", *(c.name for c in profile.columns)]:
        closed.update(stem(p) for p in split_name(name) if len(p) >= 5)

    def close(m: re.Match[str]) -> str:
        joined = m.group(1) + m.group(2)
        return joined if stem(joined.lower()) in closed else m.group(0)

    return _HYPHENATED.sub(close, question)


def _table_words(profile: DataProfile, values: ValueIndex | None, table_name: str | None) -> set[str]:
    """Every word the table itself uses (column names, the file's name, its text values): never a typo."""
    words = {w.lower() for name in [table_name or "", *(c.name for c in profile.columns)] for w in split_name(name)}
    for vals in (values or {}).values():
        words.update(w.lower() for v in vals for w in re.findall(r"[A-Za-z]+", str(v)))
    for c in profile.columns:
        words.update(w.lower() for v, _n in c.top_values for w in re.findall(r"[A-Za-z]+", str(v)))
    return words


def analyze_question(question: str, profile: DataProfile, *, values: ValueIndex | None = None,
                     table_name: str | None = None) -> QuestionAnalysis:
    """Read the question once: mentions, entity, aggregation, filters, sort, bin, top-k and the chart.

    Parameters
    ----------
    question:
        The person's question, as typed (read in its `phrasing.canonical` form; both are kept).
    profile:
        The data profile: real column names, roles and top values.
    values:
        Optional full value lists of categorical columns (`columns.categorical_values`).
    table_name:
        The file's stem ("payments"), which names the rows: "how many payments" counts rows.
    """
    asked = question
    code = read_code(question, {c.name: c.role for c in profile.columns})
    question = code.sentence if code else canonical(mend(question, _table_words(profile, values, table_name)))
    question = _close_compounds(question, profile, table_name)
    tokens = tokenize(question)
    lowered = question.lower()
    mark, mark_tokens = _find_mark(lowered, tokens)
    sort_found, sort_tokens, sort_at = _find_sort(lowered, tokens)
    axis_tokens = set()
    for m in _AXIS_RE.finditer(lowered):
        axis_tokens |= _token_span(tokens, m.start(), m.end())
    size_tokens = _mark_size_tokens(lowered, tokens)
    axis_tokens |= size_tokens
    if size_tokens and sort_found is not None and sort_found[0] is None:
        sort_found = ("y", sort_found[1])  # "in decreasing order of height": the bars' values
    quoted, literal_tokens = _quoted_values(question, tokens, profile, values)
    entity_stems = _entity_stems(question, tokens, profile, table_name)
    # the entity noun counts rows; it may name a column only by its exact spelling ("orders" is not `Sales`)
    spelled = {stem(split_name(c.name)[0]) for c in profile.columns if len(split_name(c.name)) == 1}
    entity_tokens = {k for k, t in enumerate(tokens) if t.stem in entity_stems and t.stem not in spelled}
    quoted_tokens = {k for v in quoted for k in range(v.start, v.end)} | literal_tokens
    mapping = map_terms(question, profile, values=values, reserved=mark_tokens | axis_tokens | quoted_tokens
                        | _sort_words(tokens, sort_tokens), soft=entity_tokens, extra_generic=entity_stems)
    mapping.values = sorted([*mapping.values, *quoted], key=lambda v: v.start)
    if code and code.missing:
        # names the code gives as columns: the ones the table lacks are missing, whatever the words found
        mapping.unmatched = [*mapping.unmatched, *(n for n in code.missing if n not in mapping.unmatched)]
    cols = {c.name: c for c in profile.columns}
    mentions = [Mention(column=m.column, term=m.term, kind=m.kind, role=cols[m.column].role, start=m.start,
                        end=m.end) for m in mapping.matches]
    mentions += [Mention(column=v.column, term=v.term, kind="value", role=cols[v.column].role, start=v.start,
                         end=v.end) for v in mapping.values]
    mentions.sort(key=lambda m: m.start)
    entity = next((t.lower for t in tokens if t.stem in entity_stems), None)
    agg, agg_words, counts_rows = _aggregation(tokens, lowered, mapping, cols, skip=sort_tokens)
    filters, negations, filter_cols = _filters(question, lowered, tokens, mapping, cols, profile)
    top_k, top_order = _top_k(lowered)
    if top_order and sort_found is not None and sort_found[0] is None and not re.search(
            rf"\b(?:{_DESC}|{_ASC})\b", lowered):
        sort_found = (None, top_order)  # "bottom-4 airlines ranked by delay": the bottom end, lowest first
    # a time word inside a column's name or a named value ("Tech Talk Weekly", "Year End") asks for no bin
    bin_ = _bin(lowered, [(tokens[m.start].start, tokens[m.end - 1].end) for m in [*mapping.matches, *mapping.values]],
                [tokens[m.start].start for m in mapping.matches
                 if cols[m.column].role == "measure" and not _ADDITIVE.search(m.column)
                 # "weekly lift rides (summed)": said to be summed, so the adjective bins it like "weekly revenue"
                 and not _SUMMED_AFTER.match(lowered[tokens[m.end - 1].end:])])
    analysis = QuestionAnalysis(asked=asked, question=question, tokens=tokens, mapping=mapping, mentions=mentions,
                                entity=entity, aggregation=agg, aggregation_words=agg_words,
                                counts_rows=counts_rows, filters=filters, negations=negations, top_k=top_k,
                                top_order=top_order,
                                bin=bin_, mark=mark)
    if sort_found is not None and sort_found[0] is None and any(
            tokens[m.start].start <= sort_at < tokens[m.end - 1].end for m in mentions if m.kind != "value"):
        sort_found, sort_at = None, -1  # "list price" is a column, not "list ... by"
    analysis.chart = _chart_request(analysis, profile, lowered, sort_found, sort_at, top_order, filter_cols)
    analysis.sort = analysis.chart.sort if analysis.chart else None
    return analysis


def _mark_size_tokens(lowered: str, tokens: Sequence[Token]) -> set[int]:
    """Tokens of "bar height", "length of the bars", or "order of height" in a bar question: the size of the
    marks, which orders by the values and names no field."""
    out: set[int] = set()
    for m in _MARK_SIZE.finditer(lowered):
        out |= {k for k in _token_span(tokens, m.start(), m.end()) if tokens[k].lower not in ("bar", "bars",
                                                                                              "column", "columns")}
    if re.search(r"\b(bars?|columns?|barcharts?|histograms?)\b", lowered):
        for m in _ORDER_OF_SIZE.finditer(lowered):
            out |= {k for k in _token_span(tokens, m.start(), m.end())
                    if tokens[k].lower in ("height", "heights", "length", "lengths", "size", "sizes")}
    return out


def _quoted_values(question: str, tokens: Sequence[Token], profile: DataProfile, values: ValueIndex | None
                   ) -> tuple[list[ValueMatch], set[int]]:
    """Quoted text that is a value of a column ("museum is not 'Maritime Museum'"), matched before columns so
    the words inside the quotes never name a column (case-insensitive, the column's spelling kept); and the
    tokens of quoted literals after "contains"/"is" that match no value (searched text, never a column)."""
    out: list[ValueMatch] = []
    literal: set[int] = set()
    for m in _QUOTED.finditer(question):
        text = m.group(2).strip()
        if not text:
            continue
        idx = sorted(_token_span(tokens, m.start(2), m.end(2)))
        if not idx:
            continue
        if re.search(r"\b(contains?|containing|includes?|including|mentions?|is|equals?|not|with|like)\s*$",
                     question[:m.start()].lower()):
            literal.update(idx)
        for c in profile.columns:
            known = (values or {}).get(c.name) or [v for v, _n in c.top_values]
            hit = next((v for v in known if str(v).lower() == text.lower()), None)
            if hit is not None:
                out.append(ValueMatch(term=text, column=c.name, value=str(hit), start=idx[0], end=idx[-1] + 1))
                break
    return out, literal


def _sort_words(tokens: Sequence[Token], reserved: set[int]) -> set[int]:
    """Sort-clause tokens that could collide with a column name ("order", "rank" columns stay matchable)."""
    return {k for k in reserved if tokens[k].lower not in ("order", "rank", "ranking", "list")}


def _entity_stems(question: str, tokens: Sequence[Token], profile: DataProfile, table_name: str | None
                  ) -> set[str]:
    """Stems of the words that name the rows themselves: the file's noun, id-column heads, counted nouns.

    "how many orders ..." on orders.csv, "number of employees per department", "students whose age ..."
    all count or select rows; none of those words is a column the table lacks.
    """
    stems: set[str] = set()
    if table_name:
        parts = split_name(table_name)
        stems |= {stem(p) for p in parts if len(p) > 2}
    for c in profile.columns:
        parts = split_name(c.name)
        if c.role == "identifier" and len(parts) >= 2 and parts[-1] in ("id", "key", "code", "no", "number"):
            stems.add(stem(parts[-2]))
    words = [t.lower for t in tokens]
    from sgr.autoviz.columns import STOPWORDS
    from sgr.autoviz.lexicon import is_vocab

    def next_noun(i: int) -> int | None:
        for k in range(i, min(i + 4, len(tokens))):
            w = words[k]
            if w in STOPWORDS or w.isdigit() or w in _COUNT_SKIP:
                continue
            # skip adjectives/values ("female students"): take the last word of a run of content words
            j = k
            while j + 1 < len(tokens) and words[j + 1] not in STOPWORDS and not is_vocab(words[j + 1]) \
                    and j + 1 - k < 2:
                j += 1
            return j
        return None

    column_words = {p for c in profile.columns for p in split_name(c.name)}
    column_stems = {stem(p) for p in column_words}
    for i, w in enumerate(words):
        prev = words[i - 1] if i else ""
        if w in ("count", "counts", "headcount", "tally") and prev.endswith("s") and prev.isalpha() \
                and not question[tokens[i - 1].end:tokens[i].start].strip() \
                and prev not in STOPWORDS and not is_vocab(prev) and tokens[i - 1].stem not in column_stems:
            stems.add(tokens[i - 1].stem)  # "the appointments count per clinic": a count of the rows
        if w == "headcount" and not {"headcount", "head"} & column_words and prev not in _AGG_WORDS:
            # "headcount by station" on a table with no headcount: rows are counted; "average headcount" asks for
            # a column the table lacks
            stems.add(tokens[i].stem)
        if (w == "many" and prev == "how") or (w == "of" and prev in ("number", "numbers", "count", "counts",
                                                                       "frequency", "amount", "total")) \
                or w in ("count", "counting", "tally"):
            k = next_noun(i + 1)
            if k is not None:
                stems.add(tokens[k].stem)
        if w == "of" and prev in ("proportion", "proportions", "share", "shares", "percentage", "percentages",
                                  "percent", "fraction", "majority", "rest") and i + 1 < len(tokens) \
                and words[i + 1].endswith("s") and tokens[i + 1].stem != words[i + 1]:
            stems.add(tokens[i + 1].stem)  # "what share of exhibitions falls in each type": a share of rows
        if w in ("most", "fewest", "least") and prev == "the":
            k = next_noun(i + 1)  # "which parties have the most candidates": counted plurals are the rows
            if k is not None and words[k].endswith("s") and tokens[k].stem != words[k]:
                stems.add(tokens[k].stem)
        if w in ("among", "amongst") and any(p in ("common", "frequent", "popular", "usual", "typical", "rare")
                                             for p in words[max(0, i - 2):i]):
            k = next_noun(i + 1)  # "which party is most common among the candidates": the candidates are rows
            if k is not None:
                stems.add(tokens[k].stem)
        if w in ("whose", "who", "that", "which", "having", "where") and i > 0 and words[i - 1] not in STOPWORDS \
                and not re.search(r"[,;:.!?(]", question[tokens[i - 1].end:tokens[i].start]):
            # "students whose age ...", but not "Documentary and Animation, which has ...": a clause after a
            # comma asks a question about what came before, it does not qualify the rows
            stems.add(tokens[i - 1].stem)
        if w in ("all", "every", "each") and i + 1 < len(tokens) and i + 2 < len(tokens) \
                and words[i + 2] in ("whose", "who", "that", "with", "having", "where"):
            stems.add(tokens[i + 1].stem)
    return stems


def _counts_values(count: re.Match[str], measured: TermMatch, tokens: Sequence[Token], lowered: str,
                   cols: dict[str, Any], mapping: ColumnMapping) -> bool:
    """Whether a count right before a text category counts its values per another grouping: "the variety of
    airlines per origin", "for each position, how many teams are represented" (not "how many orders")."""
    c = cols[measured.column]
    if tokens[measured.start].start - count.end() > 2 or c.role != "categorical" or c.numeric:
        return False
    if count.group(0).startswith(("variety", "diversity")):
        return True
    others = [m for m in mapping.matches if m.column != measured.column and cols[m.column].role == "categorical"]
    return count.group(0).startswith("how") and bool(others) and _PER_CUE.search(lowered) is not None


def _aggregation(tokens: Sequence[Token], lowered: str, mapping: ColumnMapping, cols: dict[str, Any],
                 skip: set[int] | frozenset[int] = frozenset()) -> tuple[ChartAgg | None, list[str], bool]:
    """(aggregation, the words that said it, whether rows are counted); `skip` are the sort clause's tokens
    ("smallest values on the left" orders the bars, it asks for no minimum)."""
    # a count word inside a column's name ("Review Count", "count_of_items") asks for no count
    in_columns = [(tokens[m.start].start, tokens[m.end - 1].end) for m in mapping.matches]
    count = next((c for c in _COUNT_RE.finditer(lowered)
                  if not any(a <= c.start() and c.end() <= b for a, b in in_columns)
                  and not _ruled_out(lowered, c.start())), None)
    words = [t.lower for t in tokens]
    if count:
        after = lowered[count.end():count.end() + 40]
        distinct = _DISTINCT_RE.search(after[:20]) is not None or _NO_DOUBLE.search(lowered) is not None
        # "number of distinct products" counts values of a column; "number of orders" counts rows
        measured = next((m for m in mapping.matches if tokens[m.start].start >= count.end()
                         and tokens[m.start].start - count.end() < 25), None)
        if distinct and measured is not None:
            return "count_distinct", [count.group(0), "distinct"], False
        if measured is not None and _counts_values(count, measured, tokens, lowered, cols, mapping):
            return "count_distinct", [count.group(0)], False
        return "count", [count.group(0)], measured is None or cols[measured.column].role != "measure" \
            or not cols[measured.column].numeric
    in_names = {k for m in mapping.matches for k in range(m.start, m.end)}
    adding = _ADD_UP.search(lowered)
    if adding:
        return "sum", [adding.group(0)], False  # "add up the nights", "sum up the fees"
    for i, w in enumerate(words):
        agg = _AGG_WORDS.get(w)
        if agg is None or _in_comparison(words, i) or i in in_names or i in skip \
                or _COMPARED_TO.search(lowered[max(0, tokens[i].start - 12):tokens[i].start]) \
                or _ruled_out(lowered, tokens[i].start):
            continue  # "Order_Total" names a column; its "total" asks for no sum; "runtime > mean" is a filter
        if w in _SUPERLATIVE and _superlative_ranks(words, i):
            continue  # "which region has the highest revenue": a ranking of totals, see _chart_request
        if w == "typical" and ((i > 0 and words[i - 1] in ("most", "more", "least", "less"))
                               or "among" in words[i + 1:i + 5]):
            continue  # "the most typical party among the candidates" asks for the commonest group, not a mean
        return agg, [w], False
    return None, [], False


#: an aggregation said only to be ruled out: "using the mean (not a count)", "the median rather than the mean"
_NEGATED_AGG = re.compile(r"\b(?:not|rather\s+than|instead\s+of)\s+(?:just\s+)?(?:a\s+|an\s+|the\s+)?"
                          r"(?:plain\s+|simple\s+)?$")
def _ruled_out(lowered: str, at: int) -> bool:
    """Whether the aggregation word at `at` is said only to be ruled out ("not a count", "rather than the mean")."""
    return _NEGATED_AGG.search(lowered[max(0, at - 24):at]) is not None


#: a comparison symbol right before a word: "keep runtime > mean" (the mean is the filter's reference value)
_COMPARED_TO = re.compile(r"(?<!-)(?:[<>]=?|!=|==)\s*(?:the\s+)?$")


def _in_comparison(words: Sequence[str], i: int) -> bool:
    """'above the *average*', 'more than the *mean*': a filter's reference value, not the chart's aggregation."""
    near = words[max(0, i - 3):i]
    words_of_comparison = ("above", "below", "than", "over", "under", "exceeds", "exceeding")
    at = max((k for k, w in enumerate(near) if w in words_of_comparison), default=None)
    # "where tempo is below 140 — maximum duration per label": the comparison took its number already
    # "below avg, show highest size": the comparison took its reference value already, so does "below 140"
    return at is not None and not any(w.replace(".", "", 1).isdigit() or w in ("average", "mean", "avg", "median")
                                      for w in near[at + 1:])


def _superlative_ranks(words: Sequence[str], i: int) -> bool:
    """True when a superlative ranks groups ("which X has the highest Y", "top regions") instead of
    asking for max/min of a measure ("the highest price per category")."""
    head = " ".join(words[:i])
    cues = list(re.finditer(r"\b(which|who|whose|where|rank|top|list|sort|order)\b", head))
    cue = cues[-1] if cues else None
    if cue is not None and cue.group(1) == "where" and re.search(
            rf"\b(?:\d|(?:below|above|under|over|than|exceeds?)\s+(?:the\s+)?(?:{_MEAN_WORDS})\b)", head[cue.end():]):
        # "songs where tempo is below 140, maximum duration per label", "where size is below avg, show highest
        # size by category": the where-clause is a filter; a cue before it still ranks ("which brands, where
        # price is below average, have the highest sales")
        cue = cues[-2] if len(cues) > 1 else None
    return cue is not None or (
        i + 1 < len(words) and words[i + 1].isdigit())


def _number(text: str) -> float | int:
    v = float(text.replace(",", ""))
    return int(v) if v.is_integer() else v


def _filters(question: str, lowered: str, tokens: Sequence[Token], mapping: ColumnMapping, cols: dict[str, Any],
             profile: DataProfile) -> tuple[list[Filter], list[str], set[str]]:
    """Value filters (with negations), numeric thresholds and ranges, relative ones, and year ranges."""
    out: list[Filter] = []
    negations: list[str] = []
    used_cols: set[str] = set()
    by_col: dict[str, list[tuple[str, bool]]] = {}
    for v in mapping.values:
        before = lowered[max(0, tokens[v.start].start - 25):tokens[v.start].start]
        wide = lowered[max(0, tokens[v.start].start - 60):tokens[v.start].start]
        neg = _NEGATION.search(before) is not None or _EXCLUSION.search(wide) is not None
        if neg:
            negations.append(f"not {v.value}")
        by_col.setdefault(v.column, [])
        if (v.value, neg) not in by_col[v.column]:
            by_col[v.column].append((v.value, neg))
    for col, vals in by_col.items():
        pos = [v for v, n in vals if not n]
        neg = [v for v, n in vals if n]
        if len(pos) == 1:
            out.append(Filter(column=col, op="==", value=pos[0]))
        elif len(pos) > 1:
            out.append(Filter(column=col, op="in", value=pos))
        if len(neg) == 1:
            out.append(Filter(column=col, op="!=", value=neg[0]))
        elif len(neg) > 1:
            out.append(Filter(column=col, op="not_in", value=neg))
        used_cols.add(col)
    for m in mapping.matches:
        c = cols[m.column]
        end = tokens[m.end - 1].end
        tail = question[end:end + 60]
        rng = _BETWEEN.match(tail)
        if rng and c.numeric:
            bounds = [_number(rng.group("lo")), _number(rng.group("hi"))]
            out.append(Filter(column=m.column, op="between", value=bounds))
            used_cols.add(m.column)
            continue
        contains = _CONTAINS.match(tail)
        if contains and not c.numeric and c.role != "temporal":
            out.append(Filter(column=m.column, op="contains", value=contains.group("text").strip("%")))
            used_cols.add(m.column)
            continue
        if c.role == "boolean" and not any(f.column == m.column for f in out):
            flag = _boolean_filter(m, tokens, lowered)
            if flag is not None:
                out.append(flag)
                used_cols.add(m.column)
                continue
        hit = _COMPARISON.match(tail)
        or_more = _OR_MORE.match(tail) if hit is None else None
        if hit is None and or_more is None:
            continue
        if or_more is not None:
            op = ">=" if or_more.group("plus") or or_more.group("dir").lower() in (
                "more", "greater", "higher", "above", "over", "larger", "bigger") else "<="
            raw = or_more.group("num")
        else:
            assert hit is not None
            said = re.sub(r"\s+", " ", hit.group("op").lower())
            op = "<" if said.startswith(("fall", "fell", "com")) else _OPS[said]  # "falls short of the average"
            raw = hit.group("num").lower()
        said_end = end + (hit.end() if hit is not None else or_more.end() if or_more is not None else 0)
        if _EXCLUDED_BEFORE.search(lowered[max(0, tokens[m.start].start - 60):tokens[m.start].start]) or \
                _EXCLUDED_AFTER.match(lowered[said_end:said_end + 40]):
            # "excluding songs with duration over 270", "anything with duration under 380 excluded": keep the others
            op = _NEGATED_OP.get(op, op)
        if raw in ("average", "mean", "avg"):
            if not c.numeric or op not in (">", "<", ">=", "<="):
                continue
            out.append(Filter(column=m.column, op="above_mean" if op in (">", ">=") else "below_mean"))
        elif c.numeric:
            out.append(Filter(column=m.column, op=op, value=_number(raw)))
        elif c.role == "temporal" and re.fullmatch(r"(19|20)\d\d", raw):
            year = int(raw)
            out.append(Filter(column=m.column, op=">=" if op in (">", ">=") else "<",
                              value=f"{year + (1 if op == '>' else 0)}-01-01" if op in (">", ">=")
                              else f"{year + (1 if op == '<=' else 0)}-01-01"))
        else:
            continue
        used_cols.add(m.column)
    # "above the average salary" / "more than the average price" where the column follows the comparison
    for rel in re.finditer(rf"\b({_REL_ABOVE}|{_REL_BELOW})[\s-]+(?:the\s+)?"
                           rf"(?:overall\s+|global\s+)?({_MEAN_WORDS})(?:\s+|-|$|(?=\W))(?:of\s+(?:the\s+)?)?",
                           lowered):
        # "below avg, show mean service total": a column after a comma starts the next clause
        target = next((m for m in mapping.matches if tokens[m.start].start >= rel.end() - 1
                       and tokens[m.start].start - rel.end() < 15 and cols[m.column].numeric
                       and not re.search(r"[,;:|.!?]", lowered[rel.end():tokens[m.start].start])), None)
        if target is None:
            target = next((m for m in reversed(mapping.matches) if tokens[m.end - 1].end <= rel.start()
                           and cols[m.column].numeric), None)
        if target is None or any(f.column == target.column and f.op in ("above_mean", "below_mean") for f in out):
            continue
        above = re.fullmatch(_REL_ABOVE, rel.group(1)) is not None
        out.append(Filter(column=target.column, op="above_mean" if above else "below_mean"))
        used_cols.add(target.column)
    temporal = [c.name for c in profile.columns if c.role == "temporal" and not c.all_null]
    if temporal and not any(f.column in temporal for f in out):
        time_col = next((m.column for m in mapping.matches if cols[m.column].role == "temporal"), temporal[0])
        dated = _month_filters(lowered, time_col)
        out += dated or _year_filters(lowered, time_col)
        if dated or (out and out[-1].column == time_col):
            used_cols.add(time_col)
    contained = {(f.column, str(f.value)) for f in out if f.op == "contains"}
    # "division has 'Men' in it": the quoted text is a substring to look for, not also a value to equal
    out = [f for f in out if not (f.op == "==" and (f.column, str(f.value)) in contained)]
    return out[:4], negations, used_cols


def _contest(lowered: str) -> re.Match[str] | None:
    """Where the question pits named groups against each other ("which has more, A or B", "A or B comes out
    ahead"); its last word says which end wins."""
    return _PAIR_RE.search(lowered) or _AHEAD_RE.search(lowered)


def _values_are_groups(lowered: str, mapping: ColumnMapping) -> set[str]:
    """Columns whose named values are the groups to compare ("compare North and South", "which has more, House
    or Condo?"), not only a filter."""
    cols: dict[str, int] = {}
    for v in mapping.values:
        cols[v.column] = cols.get(v.column, 0) + 1
    comparing = re.search(r"\b(compare|comparing|comparison|vs|versus)\b", lowered) or _contest(lowered)
    return {c for c, n in cols.items() if n >= 2 and comparing}


def _boolean_filter(m: TermMatch, tokens: Sequence[Token], lowered: str) -> Filter | None:
    """A yes/no column named as a condition: "irrigated fields only", "excluding cancelled bookings"."""
    before = lowered[max(0, tokens[m.start].start - 30):tokens[m.start].start]
    after = lowered[tokens[m.end - 1].end:tokens[m.end - 1].end + 30]
    if re.search(r"\b(by|per|each|every|across|vs|versus|between)\s+(?:the\s+)?$", before):
        return None  # "by cancelled": a grouping
    negated = re.search(rf"\b(not|non|no|un|skip|skipping|apart\s+from|aside\s+from|{_EXCLUDE_VERBS})"
                        r"[\s-]+(?:the\s+|all\s+)?$",
                        before) is not None or (
        re.search(r"\b(?:leave|leaving)\s+(?:the\s+|all\s+)?$", before) is not None
        and re.match(r"^\s*(?:[\w-]+\s+){0,2}out\b", after) is not None)  # "leave the flagged claims out"
    said = re.search(r"^\s*(?:\w+\s+)?(only|=\s*(true|yes|1|false|no|0))\b", after) is not None or re.search(
        r"\b(only|just|excluding|except|without|that\s+(?:are|were)|which\s+(?:are|were)|with|where|whose|"
        r"for)\s+(?:the\s+)?(?:\w+\s+)?$", before) is not None
    if re.search(r"^[\s-]*(?:[\w-]+\s+){0,2}(?:filtered\s+out|removed|excluded|left\s+out|dropped|taken\s+out)\b",
                 lowered[tokens[m.end - 1].end:tokens[m.end - 1].end + 60]):
        negated = said = True  # "with cancelled bookings filtered out"
    if not said and not negated:
        return None
    false_word = re.search(r"=\s*(false|no|0)\b", after) is not None
    return Filter(column=m.column, op="==", value=(not negated) != false_word)


def _month_filters(lowered: str, column: str) -> list[Filter]:
    """ "before November 2023", "in March 2022": month-precise date filters (half-open ranges)."""
    rng = _MONTH_RANGE.search(lowered)
    if rng:
        m1, m2, y2 = _MONTHS[rng.group(1)], _MONTHS[rng.group(3)], int(rng.group(4))
        y1 = int(rng.group(2)) if rng.group(2) else (y2 if m1 <= m2 else y2 - 1)
        return [Filter(column=column, op=">=", value=f"{y1}-{m1:02d}-01"),
                Filter(column=column, op="<", value=f"{y2 + (m2 == 12)}-{m2 % 12 + 1:02d}-01")]
    out: list[Filter] = []
    for m in _MONTH_YEAR.finditer(lowered):
        word, month, year = m.group(1), _MONTHS[m.group(2)], int(m.group(3))
        first = f"{year}-{month:02d}-01"
        nxt = f"{year + (month == 12)}-{month % 12 + 1:02d}-01"
        if word in ("in", "during"):
            out += [Filter(column=column, op=">=", value=first), Filter(column=column, op="<", value=nxt)]
        elif word in ("since", "from"):
            out.append(Filter(column=column, op=">=", value=first))
        elif word == "after":
            out.append(Filter(column=column, op=">=", value=nxt))
        else:
            out.append(Filter(column=column, op="<", value=first))
    return out[:2]


def _year_filters(lowered: str, column: str) -> list[Filter]:
    """Years in words as half-open date ranges (>= first day, < the day after), right for timestamps too."""
    rng = _YEAR_RANGE.search(lowered)
    if rng:
        lo, hi = sorted((int(rng.group(1)), int(rng.group(2))))
        return [Filter(column=column, op=">=", value=f"{lo}-01-01"),
                Filter(column=column, op="<", value=f"{hi + 1}-01-01")]
    open_end = _YEAR_OPEN.search(lowered)
    if open_end:  # "in 2021 and later", "2019 onwards", "2018 or earlier"
        year = int(open_end.group(1))
        if open_end.group(2) in ("earlier", "before", "prior", "older"):
            return [Filter(column=column, op="<", value=f"{year + 1}-01-01")]
        return [Filter(column=column, op=">=", value=f"{year}-01-01")]
    out: list[Filter] = []
    for m in _YEAR_SINGLE.finditer(lowered):
        word, year = re.sub(r"\s+", " ", m.group(1)), int(m.group(2))
        if word in ("in", "during", "for", "of"):
            out += [Filter(column=column, op=">=", value=f"{year}-01-01"),
                    Filter(column=column, op="<", value=f"{year + 1}-01-01")]
        elif word == "since" or word.endswith("or after"):  # "on or after 2022" keeps 2022
            out.append(Filter(column=column, op=">=", value=f"{year}-01-01"))
        elif word.endswith("or before"):
            out.append(Filter(column=column, op="<", value=f"{year + 1}-01-01"))
        elif word in ("after", "later than"):
            out.append(Filter(column=column, op=">=", value=f"{year + 1}-01-01"))
        else:
            out.append(Filter(column=column, op="<", value=f"{year}-01-01"))
    return out[:2]


#: SQL typed as the question: "... order by count(*) desc limit 2" keeps the first 2 in that order (ascending
#: unless DESC is said, as in SQL)
_SQL_LIMIT = re.compile(r"\border\s+by\b[^;]*?(?:\b(?P<desc>desc)\b[^;]*?)?\blimit\s+(?P<n>\d+)\b")
#: SQL's "date_trunc('quarter', sold_at)" names the bin
_DATE_TRUNC = re.compile(r"\bdate_trunc\s*\(\s*['\"](year|quarter|month|week|day|hour)['\"]")


def _top_k(lowered: str) -> tuple[int | None, Literal["ascending", "descending"] | None]:
    m = _K_NOUN.search(lowered)
    if m:
        raw = m.group(1)
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
        # the superlative ends the match ("the 3 methods with the fewest payments"): it decides the order
        low = re.findall(r"[a-z]+", m.group(0))[-1] in _LOW_END
        if n and 1 <= n <= 100:
            return n, "ascending" if low else "descending"
    m = _K_WHICH.search(lowered)
    rank = _RANK_WORD.search(lowered)
    if m and rank:
        raw = m.group(1)
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
        if n and 1 <= n <= 100:
            low = rank.group(1) in _LOW_END
            return n, "ascending" if low else "descending"
    for rx, (wi, ni) in ((_TOP_RE, (1, 2)), (_K_SUPER, (2, 1))):
        m = rx.search(lowered)
        if m:
            word, raw = m.group(wi), m.group(ni)
            n = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
            if n and 1 <= n <= 100:
                return n, "ascending" if word in _LOW_END else "descending"
    m = _SQL_LIMIT.search(lowered)
    if m and 1 <= int(m.group("n")) <= 100:
        return int(m.group("n")), "descending" if m.group("desc") else "ascending"
    return None, None


def _bin(lowered: str, column_spans: Sequence[tuple[int, int]] = (), rate_starts: Sequence[int] = ()
         ) -> TimeBin | None:
    """The time bin the question asks for; a time word inside a column's name ("days out" for `days_out`)
    asks for none, and neither does an adjective of a rate-like measure right after it ("annual salary",
    "monthly rent": `rate_starts` are where such measures are named), unlike "monthly revenue", which sums."""
    def free(m: re.Match[str]) -> bool:
        return not any(lo < m.end() <= hi for lo, hi in column_spans)

    if _WEEKDAY_RE.search(lowered):
        return "weekday"  # "which day of the week ...": no cue word needed, and never the "week" bin
    if trunc := _DATE_TRUNC.search(lowered):
        return trunc.group(1)  # type: ignore[return-value]
    unit = _UNIT_BUCKETS.search(lowered)
    if unit and free(unit):
        return unit.group(1)  # type: ignore[return-value]  # "in year buckets", "month bins"
    for rx, b in _BIN_RES:
        if any(free(m) for m in rx.finditer(lowered)):
            return b
    step = _STEP_TO_STEP.search(lowered)
    if step and free(step):
        # "from week to week", "month to month", "from one quarter to the next"
        return step.group(1) or step.group(2)  # type: ignore[return-value]
    for word, b in _BIN_ADJ.items():
        for m in re.finditer(rf"\b{word}\b", lowered):
            if free(m) and not any(0 <= lo - m.end() <= 1 for lo in rate_starts):
                return b  # type: ignore[return-value]
    return None


# -- assigning x, y and colour ---------------------------------------------------------------------------


def _cue_before(lowered: str, tokens: Sequence[Token], start: int, cues: Sequence[str]) -> str | None:
    """The cue phrase that ends right before token `start` (allowing 'the'/'a' and one adjective)."""
    if start == 0:
        return None
    raw = lowered[:tokens[start].start].rstrip()
    one = re.sub(r"\s+(?:the|a|an|their|its|each|every|different|various|respective|all)$", "", raw)
    two = re.sub(r"\s+(?:the|a|an|their|its|each|every|different|various|respective|all)$", "", one)
    for head in (raw, one, two):
        for cue in sorted(cues, key=len, reverse=True):
            if head.endswith(" " + cue) or head == cue or (head.endswith(cue) and cue in ("x axis", "x-axis")):
                return cue
    return None


def _chart_request(a: QuestionAnalysis, profile: DataProfile, lowered: str,
                   sort_found: tuple[str | None, str] | None, sort_at: int, top_order: str | None,
                   filter_cols: set[str]) -> ChartRequest | None:
    cols = {c.name: c for c in profile.columns}
    reasons: list[str] = []
    tokens = a.tokens
    # a column counts for x/y/colour when it is named outside a filter clause ("with status Shipped" filters)
    named: list[Mention] = []
    seen: set[str] = set()
    for m in a.mentions:
        if m.column in seen:
            continue
        if m.kind == "value":
            continue
        if m.column in filter_cols and _only_in_filter(m, a):
            continue
        if m.column in filter_cols and _is_reference(m, tokens, lowered) and any(
                o.column == m.column and o.start > m.start and o.kind != "value" for o in a.mentions):
            continue  # "bigger than the average total — summed total by size": the later naming is the value
        if m.role == "identifier" and a.aggregation in ("count", "count_distinct") \
                and not _cue_before(lowered, tokens, m.start, _X_CUES):
            continue  # "the number of employees": the id names the rows being counted, not an axis
        named.append(m)
        seen.add(m.column)
    sort_named: list[Mention] = []
    if sort_at >= 0:
        # a column named inside the sort clause orders the chart; it is a new axis only when it is the number
        # the chart must show ("top teams ranked by average goals")
        sort_named = [m for m in a.mentions if m.kind != "value" and tokens[m.start].start > sort_at]
        before = [m for m in named if tokens[m.start].start <= sort_at]
        if before:
            has_number = any(_measure_like(b, cols, tokens, lowered, a.mark) for b in before)
            named = before + [m for m in sort_named if m.column not in {b.column for b in before}
                              and cols[m.column].numeric and m.role != "identifier" and not has_number]

    measures = [m for m in named if _measure_like(m, cols, tokens, lowered, a.mark)]
    dims = [m for m in named if m not in measures and m.role in ("categorical", "boolean", "temporal", "text",
                                                                 "measure")]
    # "number of distinct studios per genre": the distinct-counted column is the y, never an axis
    distinct_m = _distinct_target(a, named, tokens, lowered)
    if distinct_m is not None and a.aggregation is None and not a.counts_rows \
            and not any(d.column != distinct_m.column for d in dims) \
            and not re.search(r"\b(?:distinct|unique)\b|#", lowered):
        distinct_m = None  # "how is it split between the different methods": nothing counted, the methods are x
    if distinct_m is not None:
        dims = [d for d in dims if d.column != distinct_m.column]
        measures = [m for m in measures if m.column != distinct_m.column]
    mark = a.mark
    explicit = mark is not None
    # grouping by a value list ("compare North and South") makes that column a dimension
    compared_groups = _values_are_groups(lowered, a.mapping)
    for col in compared_groups:
        if col not in {d.column for d in dims}:
            v = next(v for v in a.mapping.values if v.column == col)
            dims.append(Mention(column=col, term=v.term, kind="value", role=cols[col].role, start=v.start,
                                end=v.end))

    nums = [m for m in named if cols[m.column].numeric and m.role != "identifier"]
    relation = (mark is None and len(nums) >= 2 and a.aggregation is None and not a.counts_rows
                and _RELATION_RE.search(lowered) is not None
                and not any(not cols[d.column].numeric for d in dims if d.role != "temporal"))
    if mark == "scatter" or relation or (mark is None and len(measures) >= 2 and not dims and a.aggregation is None
                                         and not a.counts_rows):
        if len(nums) >= 2:
            x, y = _scatter_axes(nums[:2], lowered, tokens, a.mentions)
            # a grouping colours the points only when the question says so ("coloured by make", "per region");
            # "goals scored at home on the x-axis" names no `Home Team` colour
            colour_said = re.search(r"\b(?:colou?r(?:s|ed|ing)?|hue|legend|shaded?)\b", lowered) is not None
            color = next((d.column for d in dims if d.role in ("categorical", "boolean") and d.column not in (x, y)
                          and (colour_said or _cue_before(lowered, tokens, d.start, (*_COLOR_CUES, *_X_CUES)))),
                         None)
            return ChartRequest(mark="scatter", explicit=explicit, x=x, y=y, aggregation="none", color=color,
                                filters=a.filters, reasons=[f"scatter of {y} against {x}"])
        if mark == "scatter":
            # fewer than two numbers named: the table's measures fill the axes, or the mark is chosen anew
            pool = [m.column for m in nums] + [c.name for c in profile.columns if c.role == "measure"
                                                and not c.all_null and c.name not in {m.column for m in nums}]
            if len(pool) >= 2:
                return ChartRequest(mark="scatter", explicit=True, x=pool[0], y=pool[1], aggregation="none",
                                    filters=a.filters, reasons=[f"scatter of {pool[1]} against {pool[0]}; "
                                                                "the axes the question left open are measures"])
            mark = None
            reasons.append("a scatter needs two numeric columns; this table has fewer")

    # x and colour from the dimensions and their cues
    x_m: Mention | None = None
    color_m: Mention | None = None
    # "the total for each method as stacked bars colored by region": "colored by" names the colour even when a
    # weaker cue ("for each") comes first, so strong cues are looked at before weak ones; of two weak cues the
    # later one is the colour ("for each region, grouped by method": one bar group per region)
    # "Channel on x", "genre along the x axis", "price (horizontal)": the question places the column itself
    # (any naming of it counts: "total kwh for each site and circuit ... grouped bars with site on x")
    axis_x = next((d for d in dims if any(_axis_after(lowered, tokens, m) == "x" for m in a.mentions
                                          if m.column == d.column and m.kind != "value")), None)
    side = next((d for d in dims if d is not axis_x and d.end <= len(tokens) and _SIDE_BY_SIDE_AFTER.match(
        lowered[tokens[d.end - 1].end:tokens[d.end - 1].end + 40])), None)
    if side is not None and _has_other_x(side, dims):
        color_m = side
        reasons.append(f"colour: '{side.term}' drawn as the bars side by side")
    parts = next((d for d in dims if d is not axis_x and d.role in ("categorical", "boolean") and _MAKEUP_AFTER.match(
        lowered[tokens[d.end - 1].end:tokens[d.end - 1].end + 40])), None)
    if color_m is None and parts is not None and _has_other_x(parts, dims):
        color_m = parts
        reasons.append(f"colour: the {parts.term} make-up of each bar")
    for strong in (True, False):
        for d in (dims if strong else list(reversed(dims))):
            if d is axis_x:
                continue
            cue_color = _cue_before(lowered, tokens, d.start, _COLOR_CUES)
            if cue_color is None or color_m is not None or (cue_color not in _WEAK_COLOR_CUES) != strong:
                continue
            if not strong and _first_of_pair(lowered, tokens, d, dims):
                continue  # "grouped by site and circuit": the first is x, the second the colour
            if _has_other_x(d, dims):
                color_m = d
                reasons.append(f"colour: '{cue_color} {d.term}' -> {d.column}")
    rest = [d for d in dims if d is not color_m]
    temporal = [d for d in rest if d.role == "temporal"]
    cued = [d for d in rest if _cue_before(lowered, tokens, d.start, _X_CUES)]
    if axis_x is not None:
        x_m = axis_x
        reasons.append(f"x: '{axis_x.term}' placed on the x axis")
    elif temporal and (a.bin or mark in ("line", "area") or (not cued or cued[0] in temporal)):
        x_m = temporal[0]
    elif cued:
        x_m = cued[0]
    elif rest:
        non_measure = [d for d in rest if d.role != "measure"]
        x_m = non_measure[0] if non_measure else rest[0]
    others = [d for d in rest if d is not x_m and d.role in ("categorical", "boolean", "temporal")]
    if color_m is None and others and x_m is not None:
        color_m = others[0]
        reasons.append(f"colour: second grouping {color_m.column}")

    y_m: Mention | None = None
    if measures:
        y_m = next((m for m in measures if x_m is None or m.column != x_m.column), None)
    if y_m is None and x_m is not None and x_m.role == "measure":
        # "top 3 categories by revenue": a measure after "by" ranks the named groups; it is not the x axis
        group = next((d for d in rest if d is not x_m and d.role in ("categorical", "boolean", "identifier")), None)
        if group is not None:
            y_m, x_m = x_m, group
            color_m = None if color_m is group else color_m
    if _TIME_VIEW.search(lowered) and (x_m is None or x_m.role != "temporal") and mark not in ("pie", "scatter",
                                                                                             "histogram", "box"):
        t = next((c for c in profile.columns if c.role == "temporal" and not c.all_null), None)
        if t is not None:
            if x_m is not None and x_m.role in ("categorical", "boolean") and color_m is None:
                color_m = x_m
                reasons.append(f"colour: {x_m.column} (one series each, over time)")
            x_m = Mention(column=t.name, term="", kind="default", role="temporal", start=len(tokens), end=len(tokens))
            reasons.append(f"x: the question asks how things change over time; {t.name} is the date column")
    if a.bin is not None and (x_m is None or x_m.role != "temporal") and mark not in ("scatter", "histogram"):
        t_named = next((m for m in a.mentions if m.role == "temporal"), None)
        t = cols[t_named.column] if t_named else next((c for c in profile.columns if c.role == "temporal"
                                                         and not c.all_null), None)
        if t is not None:
            if x_m is not None and x_m.role in ("categorical", "boolean") and color_m is None and mark != "pie":
                color_m = x_m
                reasons.append(f"colour: {x_m.column} (one series each, per {a.bin})")
            x_m = Mention(column=t.name, term="", kind="default", role="temporal", start=len(tokens), end=len(tokens))
            reasons.append(f"x: the question bins by {a.bin}; {t.name} is the date column")
    if x_m is None and (a.bin is not None or mark in ("line", "area")):
        t = next((c for c in profile.columns if c.role == "temporal" and not c.all_null), None)
        if t is not None:
            x_m = Mention(column=t.name, term="", kind="default", role="temporal", start=len(tokens), end=len(tokens))
            reasons.append(f"x: the question asks for a time view; {t.name} is the date column")

    # histograms: one measure, nothing to group by
    if mark == "histogram" or (mark is None and x_m is None and y_m is not None and not a.counts_rows):
        if x_m is not None and mark == "histogram" and not cols[x_m.column].numeric:
            mark = "bar"  # "a histogram of the number of orders per status" is a bar chart of counts
        elif y_m is not None or (x_m is not None and cols[x_m.column].numeric):
            target = y_m or x_m
            assert target is not None
            return ChartRequest(mark="histogram", explicit=explicit, x=target.column, y=None, aggregation="count",
                                filters=a.filters, reasons=[f"distribution of {target.column}"])
        elif mark == "histogram":
            measure = next((c.name for c in profile.columns if c.role == "measure" and not c.all_null), None)
            if measure is not None:
                return ChartRequest(mark="histogram", explicit=True, x=measure, y=None, aggregation="count",
                                    filters=a.filters, reasons=[f"no column named; distribution of {measure}"])
            mark = "bar"
            reasons.append("a histogram needs a numeric column; this table has none, so rows are counted")
    if x_m is None:
        x_col = _default_x(profile, mark, a)
        if x_col is None:
            return None
        x_m = Mention(column=x_col, term="", kind="default", role=cols[x_col].role, start=len(tokens), end=len(tokens))
        reasons.append(f"x: the question names no grouping; {x_col} chosen")
    if x_m.role == "temporal" and mark in ("scatter",):
        mark = None

    # y and its aggregation
    agg: ChartAgg
    y: str | None
    if distinct_m is not None:
        y_m = None
    if y_m is not None and not (a.counts_rows and a.aggregation == "count" and not _agg_word_near(y_m, tokens)):
        y = y_m.column
        if a.aggregation == "count" and not a.counts_rows:
            agg = "count"
        elif a.aggregation == "count_distinct":
            agg = "count_distinct"
        else:
            agg = _agg_for(y_m, a, tokens, lowered, cols)
        if not cols[y].numeric and agg not in ("count", "count_distinct"):
            agg = "count_distinct"
        reasons.append(f"y: {agg} of {y}")
    else:
        y = None
        agg = "count"
        if distinct_m is not None and distinct_m.column != x_m.column:
            y, agg = distinct_m.column, "count_distinct"
        reasons.append("y: count of rows" if y is None else f"y: distinct count of {y}")

    # the mark a good analyst would choose when none was named
    x_col = cols[x_m.column]
    x_time = x_col.role == "temporal"
    if mark is None:
        if x_time and a.bin == "weekday":
            mark = "bar"  # days of the week are categories, not a timeline
        elif x_time:
            mark = "line"
        elif _SHARE_RE.search(lowered) and not color_m and 2 <= x_col.distinct <= 8 and agg in ("sum", "count"):
            mark = "pie"
        elif _DISTRIBUTION_RE.search(lowered) and y is not None and agg not in ("count", "count_distinct"):
            mark = "box"
        else:
            mark = "bar"
        reasons.append(f"mark: {mark} (not named; chosen for a {x_col.role} x)")
    if mark in ("bar", "stacked_bar") and color_m is not None and (
            _GROUPED_CUE.search(lowered) or (_BARS_GROUPED.search(lowered) and "stack" not in lowered)):
        mark = "grouped_bar"
        reasons.append("mark: grouped bars (the bars of a group stand side by side)")
    if mark == "bar" and color_m is not None:
        mark = "stacked_bar"
    if mark == "stacked_bar" and color_m is not None and x_m is not None and x_m.role != "temporal" \
            and _cue_before(lowered, tokens, color_m.start, _ONE_BAR_CUES) and axis_x is None:
        x_m, color_m = color_m, x_m
        reasons.append(f"x: one stacked bar per {x_m.column}; {color_m.column} makes the segments")
    if mark in ("stacked_bar", "grouped_bar") and color_m is None:
        second = next((d for d in dims if d is not x_m and d.role in ("categorical", "boolean")), None)
        color_m = second
        if color_m is None:
            mark = "bar"
    if mark == "pie":
        color_m = None
    if mark == "box" and y is None and cols[x_m.column].numeric and x_m.role != "identifier":
        # "a box plot comparing CSAT between channel groups": the number was read as the x (a 1-5 score looks
        # like a category); a box needs it on y, one box per group
        group = color_m or next((d for d in dims if d is not x_m and d.role in ("categorical", "boolean")), None)
        if group is not None:
            y, agg = x_m.column, "none"
            x_m, color_m = group, None
            x_col = cols[x_m.column]
            x_time = x_col.role == "temporal"
            reasons.append(f"box: {y} per {x_m.column}")
    if mark == "box" and y is None:
        mark = "bar"
    bin_ = a.bin if x_time else None
    if x_time and bin_ is None and mark in ("line", "area", "bar", "stacked_bar", "grouped_bar", "pie"):
        bin_ = _default_bin(x_col)
        reasons.append(f"bin: {bin_} (chosen from the date span)")

    if color_m is not None and color_m.column in (x_m.column, y):
        color_m = None
        mark = "bar" if mark in ("stacked_bar", "grouped_bar") else mark
    sort = _sort(sort_found, sort_named, a, x_m, lowered, x_time, mark)
    pair = _contest(lowered)
    if sort is None and pair and x_m.column in compared_groups and mark == "bar":
        # "which has more, House or Condo?": the answer is the first bar
        low = pair.group(0).split()[-1] in ("less", "fewer", "lower", "smaller")
        sort = ChartSort(channel="y", order="ascending" if low else "descending")
        reasons.append(f"sort: the groups compared, the {'smaller' if low else 'larger'} first")
    top_k = a.top_k
    if top_k is not None and sort is None:
        sort = ChartSort(channel="y", order=top_order or "descending")  # type: ignore[arg-type]
    return ChartRequest(mark=mark, explicit=explicit, x=x_m.column, y=y, aggregation=agg,
                        color=color_m.column if color_m else None, sort=sort, bin=bin_, filters=a.filters,
                        top_k=top_k, reasons=reasons)


def _distinct_target(a: QuestionAnalysis, named: Sequence[Mention], tokens: Sequence[Token], lowered: str
                     ) -> Mention | None:
    """The column a "number of distinct/unique/different X" counts, when the question counts distinct values
    ("the mean KWH across the different circuits" averages per circuit: nothing is counted there)."""
    if a.aggregation not in (None, "count", "count_distinct"):
        return None
    for rx in _DISTINCT_RE.finditer(lowered):
        after = [m for m in named if tokens[m.start].start >= rx.end() and tokens[m.start].start - rx.end() < 25]
        if after:
            return after[0]
        if re.match(r"\s+ones?\b", lowered[rx.end():]):
            # "How varied are the tariffs in each site? Count the distinct ones.": the ones are the first column
            # named before that is not the grouping ("in each site")
            before = [m for m in named if tokens[m.start].end <= rx.start() and not re.search(
                rf"{_PER_CUE.pattern}\s+(?:\w+\s+)?$", lowered[:tokens[m.start].start])]
            if before:
                return before[0]
    if a.aggregation in ("count", "count_distinct"):
        for rx in re.finditer(r"\bseparate\b", lowered):  # "how many separate hotels": right before the column
            after = [m for m in named if 0 <= tokens[m.start].start - rx.end() <= 1]
            if after:
                return after[0]
    no_double = _NO_DOUBLE.search(lowered)
    if a.aggregation == "count_distinct" and no_double is not None:
        # "for every origin, count the airlines without double-counting repeats": the column said right before
        before = [m for m in named if tokens[m.end - 1].end <= no_double.start() and not re.search(
            rf"{_PER_CUE.pattern}\s+(?:\w+\s+)?$", lowered[:tokens[m.start].start])]
        if before:
            return before[-1]
    if a.aggregation == "count_distinct":  # "the variety of airlines", "how many teams are represented"
        for rx in _VALUES_COUNT.finditer(lowered):
            after = [m for m in named if 0 <= tokens[m.start].start - rx.end() <= 2]
            if after:
                return after[0]
    return None


def _is_reference(m: Mention, tokens: Sequence[Token], lowered: str) -> bool:
    """Whether a naming is a relative filter's reference value: "above the average *salary*"."""
    return re.search(rf"\b(?:{_REL_ABOVE}|{_REL_BELOW})\s+(?:the\s+)?(?:overall\s+)?(?:{_MEAN_WORDS})\s+"
                     r"(?:of\s+)?(?:the\s+)?$", lowered[:tokens[m.start].start]) is not None


def _only_in_filter(m: Mention, a: QuestionAnalysis) -> bool:
    """Whether a column appears only as the subject of a filter ("whose salary is above 5000")."""
    lowered = a.question.lower()
    # "higher than the mean salary": the second naming is the filter's reference value, not an axis
    own_values = {v.start for v in a.mapping.values if v.column == m.column}
    named = [x for x in a.mentions if x.column == m.column and x.kind != "value" and x.end not in own_values]
    reference = [x for x in named if _is_reference(x, a.tokens, lowered)]
    other_mentions = [x for x in named if x not in reference]
    if reference and reference[0] is named[0]:
        # "sessions over the average duration: mean duration per source": the first naming is the whole filter
        # (its subject and its reference), so any other naming is the measure
        return not other_mentions
    return len(other_mentions) <= 1


def _measure_like(m: Mention, cols: dict[str, Any], tokens: Sequence[Token], lowered: str,
                  mark: Mark | None = None) -> bool:
    """A numeric column named where a value goes; small-integer categories count only without a 'by'."""
    c = cols[m.column]
    if c.role == "measure":
        return not _cue_before(lowered, tokens, m.start, ("by", "per", "for each", "each", "across", "x axis"))
    if c.role == "categorical" and c.numeric:
        axis = _axis_after(lowered, tokens, m)
        if _cue_before(lowered, tokens, m.start, _X_CUES) or axis == "x":
            return False
        if mark in ("box", "histogram", "scatter") or axis == "y":
            return True  # "items on y", "a box plot of qty by region": only a number can be drawn there
        # "average goals per team", "goals in total for every team": a small-integer count that is summed
        summed_after = _AGGREGATED_AFTER.match(lowered[tokens[m.end - 1].end:]) is not None
        return summed_after or bool(_cue_before(lowered, tokens, m.start, (*_AGG_WORDS, "sum of", "of", "y axis",
                                                                            "y-axis", "most", "fewest")))
    return False


def _has_other_x(d: Mention, dims: Sequence[Mention]) -> bool:
    return any(o is not d and o.role in ("categorical", "boolean", "temporal", "identifier") for o in dims)


#: "Y depends on X", "Y varies with X", "Y as a function of X": X is the driver, on the x axis
_DEPENDS_ON = re.compile(r"\b(depends?\s+on|depending\s+on|dependent\s+on|var(?:y|ies)\s+with|changes?\s+with|"
                         r"as\s+a\s+function\s+of|in\s+relation\s+to|relative\s+to|driven\s+by|"
                         r"affected\s+by|influenced\s+by|explained\s+by|determined\s+by|given)\b")


_AXIS_AFTER = re.compile(r"^\s*(?:\(\s*(?:on\s+|along\s+)?(?:the\s+)?|,?\s*(?:is\s+|goes\s+|being\s+)?"
                         r"(?:on|along|across|as|for)\s+(?:the\s+)?)(x|y|horizontal|vertical|bottom)\b|"
                         r"^\s*,?\s*(horizontal|vertical)(?:ly)?\b|"
                         # "late_fee across and days_out up": the axis said by the direction it runs
                         r"^\s*(across)\s*(?:and\b|[,;])|^\s*(up)\s*(?:[,.;]|$)")
#: the words right before a column that place it: "x = price", "y: revenue", "x-axis showing age", "with the
#: horizontal axis for distance", "on the y axis, rating"
_AXIS_BEFORE = re.compile(r"(?:\b(x|y)(?:[\s-]?axis)?\s*(?:=|:|->)\s*|"
                          r"\b(x|y|horizontal|vertical)[\s-]?axis\s*(?:is\s+|shows?\s+|showing\s+|for\s+|as\s+|"
                          r"being\s+|with\s+|=\s*|:\s*)?|"
                          r"\b(?:on|along)\s+(?:the\s+)?(x|y|horizontal|vertical)(?:[\s-]?axis)?\s*,?\s*"
                          r"(?:put\s+|place\s+|show\s+|plot\s+)?)(?:the\s+)?$")


def _first_of_pair(lowered: str, tokens: Sequence[Token], d: Mention, dims: Sequence[Mention]) -> bool:
    """Whether `d` is the first of two groupings joined by "and" ("grouped by site and circuit")."""
    after = lowered[tokens[d.end - 1].end:]
    joined = re.match(r"\s*(?:,\s*|\s)(?:and|&)\s+", after)
    return joined is not None and any(
        o.column != d.column and tokens[o.start].start == tokens[d.end - 1].end + joined.end() for o in dims)


def _axis_after(lowered: str, tokens: Sequence[Token], m: Mention) -> str | None:
    """ "x"/"y" when the words right around a column place it on an axis: after it ("Channel on x", "genre
    along the x axis", "freight cost (horizontal)", "price as the x") or before it ("x = price", "y-axis:
    revenue", "the horizontal axis showing age"); None otherwise."""
    if m.end > len(tokens) or m.end <= 0:
        return None
    hit = _AXIS_AFTER.match(lowered[tokens[m.end - 1].end:tokens[m.end - 1].end + 30])
    word = next((g for g in hit.groups() if g), None) if hit else None
    if word is None and m.start < len(tokens):
        start = tokens[m.start].start
        before = _AXIS_BEFORE.search(lowered[max(0, start - 40):start])
        word = next((g for g in before.groups() if g), None) if before else None
    if word is None:
        return None
    return "x" if word in ("x", "horizontal", "bottom", "across") else "y"


def _scatter_axes(nums: Sequence[Mention], lowered: str, tokens: Sequence[Token], mentions: Sequence[Mention]
                  ) -> tuple[str, str]:
    """x and y of a scatter: "Y vs X" / "Y against X" put the first on y; "between A and B" puts A on x. A
    column placed on an axis anywhere in the question ("... rises with days_out. Scatter, days_out
    horizontal") goes there, whichever of its namings carries the placement."""
    a, b = nums[0], nums[1]

    def placed_at(m: Mention) -> str | None:
        return next((p for x in mentions if x.column == m.column and x.kind != "value"
                     for p in [_axis_after(lowered, tokens, x)] if p), None)

    at_a, at_b = placed_at(a), placed_at(b)
    if at_a == "y" or at_b == "x":
        return b.column, a.column  # "wind (horizontal) vs humidity (vertical)": the question places them
    if at_a or at_b:
        return a.column, b.column
    if re.search(r"\bas\s+(?:the\s+)?$", lowered[:tokens[b.start].start]):
        return b.column, a.column  # "does Y go up as X increases": X drives, on the x axis
    between = lowered[tokens[a.end - 1].end:tokens[b.start].start]
    if re.search(r"\b(vs\.?|versus|against)\b|~", between) or _DEPENDS_ON.search(between):
        return b.column, a.column  # "how fee depends on amount": amount drives, on the x axis
    return a.column, b.column


def _agg_word_near(m: Mention, tokens: Sequence[Token]) -> bool:
    words = [t.lower for t in tokens[max(0, m.start - 3):m.start]]
    return any(w in _AGG_WORDS and w not in ("top",) for w in words)


def _agg_for(m: Mention, a: QuestionAnalysis, tokens: Sequence[Token], lowered: str, cols: dict[str, Any]
             ) -> ChartAgg:
    """The aggregation of the measure: the word right before it, the question's word, or the analyst's default
    (sum for additive quantities such as revenue or units, mean for levels such as price, age or rating)."""
    words = [t.lower for t in tokens[max(0, m.start - 4):m.start]]
    for w in reversed(words):
        if w in _AGG_WORDS and not (w in _SUPERLATIVE and _superlative_ranks([t.lower for t in tokens], m.start - 1)):
            return _AGG_WORDS[w]
    if a.aggregation is not None and a.aggregation not in ("count", "count_distinct"):
        return a.aggregation
    if a.mark == "pie" or re.search(r"\bmost\s+of\s+(?:the\s+)?$", lowered[:tokens[m.start].start]):
        return "sum"  # a pie's wedges, "where does most of the X come from": parts of a whole add up
    return "sum" if _ADDITIVE.search(m.column) or _ADDITIVE.search(m.term) else "mean"


def _default_x(profile: DataProfile, mark: Mark | None, a: QuestionAnalysis) -> str | None:
    """An x when the question names none: a date for line/area, else the most readable category."""
    usable = [c for c in profile.columns if not c.all_null]
    if mark in ("line", "area") or (a.bin is not None):
        t = next((c.name for c in usable if c.role == "temporal"), None)
        if t:
            return t
    if a.mark is None and a.aggregation is None and not a.counts_rows and not a.filters:
        return None  # an open question ("give me an overview"): the template leads
    cats = [c for c in usable if c.role in ("categorical", "boolean") and 2 <= c.distinct <= 30]
    cats.sort(key=lambda c: (c.missing_frac, c.distinct > 12))
    if cats:
        return cats[0].name
    return next((c.name for c in usable if c.role == "temporal"), None)


def _default_bin(col: ColumnProfile) -> TimeBin:
    """Month while that gives at most 60 points, then quarter, then year: enough detail, still readable."""
    import datetime as dt

    try:
        lo = dt.date.fromisoformat(str(col.min)[:10])
        hi = dt.date.fromisoformat(str(col.max)[:10])
    except ValueError:
        return "month"
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    if months <= 1:
        return "day"
    if months <= 60:
        return "month"
    return "quarter" if months <= 180 else "year"


#: words that sort by the x labels themselves ("sort circuit by name")
_NAME_KEYS = r"name|names|alphabet|label|labels|title"


def _sort(found: tuple[str | None, str] | None, sort_named: Sequence[Mention], a: QuestionAnalysis, x_m: Mention,
          lowered: str, x_time: bool, mark: str) -> ChartSort | None:
    """The sort the question asks for, on the channel it names (x-axis, the x column, or the values)."""
    if found is None:
        words = [t.lower for t in a.tokens]
        for i, w in enumerate(words):
            # "on what day do sessions peak?": "peak" as the verb (last, or before in/on/at), not "the peak X"
            peaks = w in ("peak", "peaks", "peaked") and (i == len(words) - 1 or words[i + 1] in (
                "in", "on", "at", "during", "around")) and re.search(r"\b(which|what|when|where)\b",
                                                                     " ".join(words[:i]))
            if (peaks or (w in _SUPERLATIVE and _superlative_ranks(words, i))) \
                    and mark in ("bar", "pie", "stacked_bar", "grouped_bar"):
                return ChartSort(channel="y", order="ascending" if w in _LOW_END else "descending")
        return None
    channel, order = found
    axis = _AXIS_RE.search(lowered[max(0, _sort_anchor(lowered)):])
    if channel is None and axis:
        channel = axis.group(1) or axis.group(2) or axis.group(3)
    if channel is None and sort_named and sort_named[0].column == x_m.column:
        # "sort circuit by avg(kwh)", "rank category by count of lots": what comes after "by" is the key
        by = re.match(r"\s+(?:by|on|according\s+to)\s+(?:its\s+|their\s+|the\s+)?(\S+)",
                      lowered[a.tokens[sort_named[0].end - 1].end:])
        later = [m for m in sort_named[1:] if by and a.tokens[m.start].start >= by.start(1)]
        if by and not re.match(rf"(?:{_NAME_KEYS})\b", by.group(1)) \
                and not (later and later[0].column == x_m.column):
            channel = "y"
    if channel is None and sort_named:
        first = sort_named[0].column
        channel = "x" if first == x_m.column else "y"
    if channel is None:
        tail = lowered[_sort_anchor(lowered):][:60]
        names_x = re.search(rf"\b({_NAME_KEYS}|date|dates|time|year|month)\b", tail)
        names_y = re.search(r"\b(count|number|total|sum|average|mean|amount|value|frequency|y)\b", tail)
        channel = "x" if (names_x or x_time) and not names_y else "y"
    return ChartSort(channel=channel, order=order)  # type: ignore[arg-type]


def _sort_anchor(lowered: str) -> int:
    cue = _SORT_CUE.search(lowered)
    if cue:
        return cue.start()
    m = re.search(rf"\b(?:{_DESC}|{_ASC})\b", lowered)
    return m.start() if m else len(lowered)


def describe_chart(req: ChartRequest) -> dict[str, Any]:
    """The request as the plain JSON a person or benchmark recomputes it from."""
    return {"mark": req.mark, "explicit": req.explicit, "x": req.x, "y": req.y, "aggregation": req.aggregation,
            "color": req.color, "sort": req.sort.model_dump() if req.sort else None, "bin": req.bin,
            "filters": [f.text() for f in req.filters], "top_k": req.top_k}


__all__ = ["Mention", "QuestionAnalysis", "TermMatch", "analyze_question", "describe_chart"]
