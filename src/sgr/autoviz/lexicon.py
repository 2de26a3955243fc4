"""Words AutoViz knows without looking at the data: synonyms of column words, abbreviations in column
names, and the vocabulary of charts, ordering, formatting and aggregation that never names a field.

Why a small shipped lexicon in the base install: the words that decide a chart are few and domain-bound
("gender" for a `Sex` column, "pay" for `Salary`, "dept" in a column name); a lexicon answers in
microseconds with no download and no model, and every match it makes is explainable in the run log
("gender -> Sex (synonym)"). Broad resources (WordNet synsets, embeddings) also relate words that must not
match here ("country" and "region"; "profit" and "revenue"), which would turn honest "this table has no
profit" answers into silent substitutes. Chart, order and aggregation words never take part in synonym
matching ("area chart" is not the `Region` column, "number of" is not `Quantity`).
"""

from __future__ import annotations

from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: groups of words that name the same kind of field; a question word matches a column whose name holds a
#: word of the same group. Kept tight on purpose: "country" is not "region", "profit" is not "revenue".
SYNONYM_GROUPS: tuple[frozenset[str], ...] = tuple(_words(g) for g in (
    "gender sex",
    "salary pay wage wages earnings compensation",
    "income earnings",
    "revenue turnover",
    "sales revenue takings",
    "price cost fee fare charge",
    "amount amt",
    "quantity qty units unit",
    "age years_old",
    "department dept dep division",
    "category cat type kind genre",
    "type kind category",
    "name",
    "country nation nationality",
    "city town",
    "state province",
    "company firm employer organization organisation org",
    "customer client buyer patron shopper user rider",
    "member patron subscriber",
    "employee staff worker emp",
    "product item prod",
    "date day",
    "year yr",
    "month mo",
    "rating score stars grade",
    "score points pts",
    "duration length runtime minutes",
    "distance length km miles",
    "weight mass kg",
    "height tall",
    "temperature temp",
    "number num no nbr",
    "description desc",
    "address addr",
    "location place venue site",
    "team club squad side",
    "player athlete",
    "student pupil learner",
    "teacher instructor professor lecturer tutor",
    "course class subject module",
    "hospital clinic",
    "doctor physician",
    "patient",
    "status condition",
    "method mode channel",
    "payment pay paid",
    "shipping shipment delivery",
    "order purchase",
    "genre category style",
    "budget spending",
    "population inhabitants residents",
    "capacity seats",
    "airline carrier operator",
    "destination dest",
    "origin source departure",
    "brand make manufacturer",
    "model",
    "owner holder",
    "author writer",
    "publisher",
    "director",
    "reviews review",
    "votes vote ballots",
    "party",
    "candidate nominee",
    "crop",
    "yield harvest output production",
    "magnitude mag strength",
    "depth",
    "occupation job profession role position function",
    "experience seniority",
    "tenure",
    "education degree schooling qualification",
    "marital married",
    "region area zone",
    "store shop branch outlet",
    "room",
    "guest visitor",
    "nights stay",
    "home host",
    "away visiting visitor guest",
    "value valuation worth",
    "passenger passengers traveller travellers traveler travelers rider",
    "department unit ward",
    # general data vocabulary: words analysts use interchangeably for one field, never across kinds
    "bill invoice charges cost expense expenses",
    "payout settlement reimbursement paid",
    "enrollment enrolment enrolled registrations",
    "visitors visits footfall attendance",
    "attendance crowd spectators audience",
    "stock inventory",
    "warehouse depot storage",
    "level difficulty tier",
    "applicants applications",
    "supplier vendor provider",
    "courier carrier shipper",
    "tip tips gratuity",
    "fine fines penalty",
    "consumption usage",
    "conversion converted",
    "upvotes likes helpful",
    "discount markdown",
    "neighborhood neighbourhood district",
    "county district",
    "faculty school",
    "bedrooms beds",
    "mileage odometer",
    "gross takings",
    "maximum ceiling upper",
    "minimum floor lower",
    "school campus academy",
    "precipitation rainfall rain",
    "priority urgency severity importance",
    "status outcome decision verdict",
    "streams listens",
    "campaign fundraiser appeal",
    "cuisine food",
    "crop plant",
    "site building facility premises",
    "nationality citizenship",
    "salary remuneration",
    "margin markup",
    "opponent rival",
    "venue stadium arena ground",
    "vehicle car",
    "platform os device",
))

#: broader words that name a field by its kind ("location" for a `State` column, "institution" for `Museum`):
#: a class word names a column whose name holds one of its members, and only when exactly one column of the
#: table does (with a `City` and a `Country` column, "location" stays ambiguous and is not guessed)
CLASS_WORDS: dict[str, frozenset[str]] = {
    w: _words(members) for ws, members in (
        ("location place geography locality whereabouts",
         "country nation state province region county district city town municipality neighborhood "
         "neighbourhood area zone location place site venue address territory"),
        ("institution establishment organisation organization",
         "museum school college university hospital clinic bank library gallery theater theatre"),
        ("vehicle", "car truck bike bicycle motorcycle van bus"),
        ("facility premises building", "site venue stadium arena hall museum store shop branch warehouse"),
        ("plant", "crop"),
        ("food dish", "cuisine"),
    ) for w in ws.split()
}

#: abbreviations as they appear in column names -> the word people say
ABBREVIATIONS: dict[str, str] = {
    "amt": "amount", "qty": "quantity", "dept": "department", "dep": "department", "emp": "employee",
    "cust": "customer", "prod": "product", "cat": "category", "desc": "description", "num": "number",
    "no": "number", "nbr": "number", "yr": "year", "mo": "month", "temp": "temperature", "avg": "average",
    "pct": "percent", "perc": "percent", "addr": "address", "dob": "birth", "mgr": "manager", "mfr": "manufacturer",
    "pts": "points", "dest": "destination", "dist": "distance", "dur": "duration", "rev": "revenue",
    "tot": "total", "cnt": "count", "sal": "salary", "hrs": "hours", "min": "minimum", "max": "maximum",
    "std": "student", "stu": "student", "loc": "location", "org": "organization", "co": "company",
}

#: unit suffixes of column names ("rainfall_mm", "price_usd"): they say how a field is measured, never which
UNITS: frozenset[str] = _words("mm cm km m kg g lb lbs kwh kw mw mb gb kb usd eur gbp bpm sec ms ha pct mph kmh")

#: words about the chart itself, its look and its order: never a field the data lacks
CHART_VOCAB: frozenset[str] = _words(
    """chart charts graph graphs plot plots plotted plotting diagram figure visual visualization visualisation
    visualize visualise visualized draw drawn drawing render display displayed depict illustrate
    bar bars column columns barchart barplot line lines linechart area areas pie pies donut doughnut slice
    slices scatter scatterplot scatterchart point points dot dots bubble histogram histograms box boxplot
    whisker whiskers heatmap heat map grid stacked stack stacks grouped group groups cluster clustered
    side legend axis axes x y horizontal vertical color colour colors colours colored coloured colouring
    coloring shade shaded hue split splitting broken breakdown separate separated series
    label labels labeled labelled title titled bin binned bins binning bucket buckets bucketed interval
    intervals sort sorted sorting order ordered ordering arrange arranged arranging rank ranked ranking
    list listed listing asc ascending desc descending increasing decreasing alphabetical alphabetically
    alphabetic lexicographic reverse reversed high higher highest low lower lowest top bottom first last
    largest smallest biggest greatest least big small large descend ascend from to return returns give
    show shows showing present presenting find finding compute calculate computed calculated please
    thanks kindly using use via format formatted way style view proportion proportions percentage
    percentages percent share shares fraction fractions ratio distribution distributions distributed frequency
    frequencies trend trends
    trendline compare compared comparing comparison versus vs respective respectively corresponding
    different differ various every each all whole entire overall total totals sum sums summed average
    averages averaged mean means median medians minimum minimal minimum maximum maximal max min count
    counts counted number numbers amount amounts how many much quantity value values unique distinct
    individual separately together along against relation relationship correlation correlate between
    weekday weekdays weekly daily monthly yearly annually annual quarterly hourly day days week weeks
    month months year years quarter quarters hour hours date dates time times period periods dow
    record records row rows entry entries item items instance instances case cases observation
    observations sample samples data dataset table information info details detail attribute attributes
    field fields kind kinds type types category categories
    layer layers layered facet facets faceted panel panels subplot subplots trace traces wedge wedges
    tile tiles marker markers band bands stripe stripes ribbon ribbons
    tally tallies tallied mix mixes typical usual calendar"""
)

#: everyday words that sit where a field could be ("the *current* price") and never name one
FILLER: frozenset[str] = _words(
    """also just only still even really actually approximately roughly around about nearly almost exactly
    there here now then currently current recent recently new old latest earliest past previous next
    following given certain specific particular respective whose who which what when where that this
    those these such other another same own some any few several many more most less fewer
    well good bad better worse best worst great poor high low long short full empty open closed
    across among within without beyond above below under over after before during since until per
    including include includes included excluding exclude excludes except other than apart aside
    being having getting making doing going coming taking look looks looking see seen tell know
    need needs want wants like would could should might must may can will shall does did done
    answer question questions help helps me my mine you your we our us they their them it its
    one two three four five six seven eight nine ten twelve fifteen twenty hundred thousand million
    zero single double half quarter dozen
    greater bigger larger smaller fewer exceed exceeds exceeded exceeding equal equals equalling
    restrict restricted restricting limit limited limiting filter filtered filtering skip skipped skipping
    keep keeping omit omitted hand leave leaving ignore ignored ignoring only solely just
    fall falls fell falling belong belongs belonging lie lies lying occur occurs occurred happen happens
    happened tend tends tended go goes went gone come comes came fit fits sit sits stand stands appear
    appears seem seems get gets got told
    overall"""
)

VOCAB: frozenset[str] = CHART_VOCAB | FILLER


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    from sgr.autoviz.columns import stem

    return stem(word)


@lru_cache(maxsize=1)
def _group_index() -> dict[str, frozenset[int]]:
    index: dict[str, set[int]] = {}
    for i, group in enumerate(SYNONYM_GROUPS):
        for w in group:
            index.setdefault(_stem(w), set()).add(i)
    return {k: frozenset(v) for k, v in index.items()}


def expand(word: str) -> str:
    """A column-name part with its abbreviation spelled out ("dept" -> "department")."""
    return ABBREVIATIONS.get(word.lower(), word.lower())


def groups_of(word: str) -> frozenset[int]:
    """The synonym groups a word (any inflection) belongs to."""
    return _group_index().get(_stem(expand(word)), frozenset())


def synonyms(a: str, b: str) -> bool:
    """Whether two single words name the same kind of field (same stem, spelled-out abbreviation, or group)."""
    sa, sb = _stem(expand(a)), _stem(expand(b))
    return sa == sb or bool(groups_of(a) & groups_of(b))


def class_members(word: str) -> frozenset[str]:
    """Column-name words that a broader word can name ("location" -> state, city, ...); empty for most words."""
    w = word.lower()
    return CLASS_WORDS.get(w) or CLASS_WORDS.get(_stem(w)) or frozenset()


def abbreviates(part: str, word: str) -> bool:
    """Whether a short column-name part is a consonant abbreviation of a spelled-out word: it starts with the
    word's first letter, its other letters are consonants, and they appear in order in the word ("sq" for
    square, "ft" for footage, "qty" for quantity, "hrs" for hours). A part with a vowel inside ("age") is a
    word of its own, not an abbreviation, so "average" never becomes an `age` column."""
    p, w = part.lower(), word.lower()
    if p in ABBREVIATIONS or p in UNITS:
        return False  # "pct" is percent and "mm" millimetres, never "precipitation" or "maximum"
    if not (2 <= len(p) <= 4 and p.isalpha() and w.isalpha()) or len(w) < len(p) + 2 or p[0] != w[0]:
        return False
    if any(ch in "aeiouy" for ch in p[1:]):
        return False
    rest = iter(w[1:])
    return all(ch in rest for ch in p[1:])


def is_vocab(word: str) -> bool:
    """True for chart, order, format, aggregation and filler words (any inflection)."""
    w = word.lower()
    return w in VOCAB or _stem(w) in _vocab_stems()


@lru_cache(maxsize=1)
def _vocab_stems() -> frozenset[str]:
    return frozenset(_stem(w) for w in VOCAB)
