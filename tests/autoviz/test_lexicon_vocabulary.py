"""The lexicon's breadth: chart and analysis words by concept, and synonyms of real columns by domain.

Every sentence and table here was written for these tests from general knowledge of how people ask for
charts. Each concept is checked both ways: its words never make an answerable question "partial", and the
same sentence shape naming a field the table truly lacks still is.
"""

from __future__ import annotations

from typing import Any

import pytest

from sgr.autoviz.lexicon import CONCEPT_VOCAB, KEPT_OUT, is_vocab, synonyms
from sgr.autoviz.profile import DataProfile
from sgr.autoviz.question import QuestionAnalysis, analyze_question, describe_chart
from tests.autoviz.profiles import column as _col
from tests.autoviz.profiles import table as _table

#: a small shop's orders: no profit, no country, no volume, no segment
SHOP = _table(
    _col("order_id", "BIGINT", "identifier", 400),
    _col("order_date", "DATE", "temporal", 350),
    _col("region", "VARCHAR", "categorical", 4, [("North", 120), ("South", 110), ("East", 90), ("West", 80)]),
    _col("channel", "VARCHAR", "categorical", 3, [("Web", 200), ("Store", 150), ("Phone", 50)]),
    _col("revenue", "DOUBLE", "measure", 390),
    _col("units", "BIGINT", "measure", 40),
)


def _ask(question: str, profile: DataProfile = SHOP, table: str = "orders") -> QuestionAnalysis:
    return analyze_question(question, profile, table_name=table)


def _answerable(question: str, profile: DataProfile = SHOP, table: str = "orders") -> dict[str, Any]:
    a = _ask(question, profile, table)
    assert a.unmatched == [], (question, a.unmatched)
    assert a.chart is not None, question
    return describe_chart(a.chart)


# -- chart and analysis vocabulary, concept by concept ------------------------------------------------------

#: (concept, an answerable sentence using the concept's words, the same shape naming a missing field, that field)
CONCEPT_CASES = [
    ("counting", "Occurrences of orders by channel, enumerated per region", "Occurrences of refunds by courier",
     "courier"),
    ("totals", "Revenue aggregated by region, cumulative over the year", "Profit aggregated by region", "profit"),
    ("totals", "Grand combined revenue per channel, summarised", "Grand combined profit per channel", "profit"),
    ("averages", "The revenue per capita by region, middle of the road figures", "The wage per capita by region",
     "wage"),
    ("shares", "What portion of revenue comes from each channel?", "What portion of profit comes from each channel?",
     "profit"),
    ("shares", "The revenue makeup by channel, as a composition", "The margin makeup by channel", "margin"),
    ("spread", "Revenue spread by region as a box plot", "Profit spread by region as a box plot", "profit"),
    ("spread", "Revenue dispersion and variability across regions, with quartiles",
     "Profit dispersion across regions", "profit"),
    ("change over time", "The revenue trajectory by month: did it rise or dip?",
     "The profit trajectory by month", "profit"),
    ("change over time", "Progression of units per quarter, historically", "Progression of refunds per quarter",
     "refunds"),
    ("ranking", "A leaderboard of the busiest regions by units", "A leaderboard of the busiest regions by footfall",
     "footfall"),
    ("ranking", "Which channel is most popular by revenue? The priciest first",
     "Which channel is most popular by rating?", "rating"),
    ("comparison", "Revenue of each channel juxtaposed by region", "Revenue of each channel juxtaposed by country",
     "country"),
    ("comparison", "The gap in revenue between channels, alongside units", "The gap in profit by country",
     "country"),
    ("chart parts", "Revenue per region as curves with annotated ticks and tooltips",
     "Profit per region as curves with annotated ticks", "profit"),
    ("look", "Revenue tinted by channel with a colourblind palette, nice and simple",
     "Profit tinted by channel with a colourblind palette", "profit"),
    ("look", "Highlight the revenue by region in bold, dashed gridlines", "Highlight the profit by region in bold",
     "profit"),
    ("sorting and grouping", "Revenue categorised by region, reordered numerically",
     "Profit categorised by region, reordered numerically", "profit"),
    ("sorting and grouping", "Units tabulated by channel, organized chronologically",
     "Shipments tabulated by channel", "shipments"),
    ("time grain", "Revenue by fiscal year", "Profit by fiscal year", "profit"),
    ("time grain", "Revenue per decade, annualised, and the ytd units",
     "Profit per decade, annualised", "profit"),
    ("politeness and filler", "Hi, could you quickly sketch revenue by region pls? Thx, a rough one is fine",
     "Hi, could you quickly sketch profit by region pls?", "profit"),
    ("politeness and filler", "Ok so basically, I'm curious: revenue by channel, if possible",
     "Ok so basically, I'm curious: profit by channel, if possible", "profit"),
    ("verbs of showing", "Eyeball revenue by region and lay out units by channel",
     "Eyeball profit by region", "profit"),
    ("verbs of showing", "Revenue shown by region; summarise and examine it", "Profit shown by region",
     "profit"),
]


@pytest.mark.parametrize(("concept", "question"), [(c, q) for c, q, _m, _f in CONCEPT_CASES])
def test_concept_words_never_make_an_answerable_question_partial(concept: str, question: str) -> None:
    got = _answerable(question)
    # the concept word changed nothing about which real columns the chart uses
    assert {got["x"], got["y"], got.get("color")} & {"region", "channel", "order_date", "revenue", "units"}, got


@pytest.mark.parametrize(("concept", "question", "missing"), [(c, m, f) for c, _q, m, f in CONCEPT_CASES])
def test_concept_words_beside_a_missing_field_still_leave_it_named(concept: str, question: str,
                                                                   missing: str) -> None:
    a = _ask(question)
    assert missing in a.unmatched, (question, a.unmatched)


def test_every_concept_is_exercised_by_a_sentence() -> None:
    # a concept added to the lexicon without a sentence here would go unchecked
    assert {c for c, *_rest in CONCEPT_CASES} == set(CONCEPT_VOCAB)


def test_share_and_spread_words_keep_their_chart_reading() -> None:
    assert _answerable("What portion of revenue comes from each channel?")["mark"] == "pie"
    assert _answerable("Revenue spread by region")["mark"] == "box"
    fiscal = _answerable("Revenue by fiscal year")
    assert (fiscal["x"], fiscal["y"], fiscal["bin"]) == ("order_date", "revenue", "year")


@pytest.mark.parametrize(("question", "missing"), [
    ("Show the profit trend by month", "profit"),  # "trend" was vocabulary before this round too
    ("Profit split by channel", "profit"),
    ("How does customer age vary across channels?", "customer age"),
    ("The margin makeup per channel", "margin"),
    ("Discount dispersion across regions", "discount"),
])
def test_a_known_field_before_a_chart_word_is_still_named(question: str, missing: str) -> None:
    # a chart word between the field and its cue names no field; the known field noun before it does
    assert missing in _ask(question).unmatched


@pytest.mark.parametrize("question", [
    "Give me a complete breakdown by region",
    "A granular split of units by channel",
    "Revenue spread by region",
    "How does revenue vary across channels?",
    "Order mix by channel",  # the rows themselves ("orders") are no missing field
])
def test_an_adjective_or_a_named_column_before_a_chart_word_is_no_missing_field(question: str) -> None:
    _answerable(question)


# -- words kept out of the vocabulary because they name real columns ---------------------------------------

def test_field_words_kept_out_are_not_vocabulary() -> None:
    assert [w for w in KEPT_OUT if is_vocab(w)] == []
    # and no concept word is one of them, nor any inflection of one
    concept_words = frozenset().union(*CONCEPT_VOCAB.values())
    assert not concept_words & set(KEPT_OUT)


@pytest.mark.parametrize(("word", "column"), [
    ("volume", "trade_volume"), ("segment", "customer_segment"), ("headcount", "Head_Count"),
    ("balance", "account_balance"), ("range", "price_range"), ("popularity", "track_popularity"),
])
def test_a_kept_out_word_is_missing_when_absent_and_found_in_a_compound_column(word: str, column: str) -> None:
    assert word in _ask(f"average {word} by region").unmatched
    role = "measure" if word not in ("segment", "range") else "categorical"
    with_it = _table(*SHOP.columns, _col(column, "DOUBLE" if role == "measure" else "VARCHAR", role, 30))
    a = _ask(f"average revenue by {word}" if role == "categorical" else f"average {word} by region", with_it)
    assert a.unmatched == [] and column in [m.column for m in a.mentions], (word, a.mentions)


def test_a_column_spelled_like_a_vocabulary_word_is_still_that_column() -> None:
    # "spread" is chart vocabulary, but a table with a `spread` column means that column
    quotes = _table(_col("desk", "VARCHAR", "categorical", 4, [("Rates", 100), ("FX", 100)]),
                    _col("spread", "DOUBLE", "measure", 300), _col("notional", "DOUBLE", "measure", 300))
    got = _answerable("average spread by desk", quotes, "quotes")
    assert (got["x"], got["y"], got["aggregation"]) == ("desk", "spread", "mean")


def test_a_stemmed_collision_does_not_hide_a_listed_field() -> None:
    # "site" stems onto "sit" (a filler verb); as a listed field it still names a column or goes missing
    assert not is_vocab("site") and not is_vocab("likes") and is_vocab("sits")
    assert "site" in _ask("total revenue by site").unmatched
    plants = _table(_col("facility", "VARCHAR", "categorical", 5), _col("output_tonnes", "DOUBLE", "measure", 90))
    got = _answerable("total output tonnes by site", plants, "runs")
    assert got["x"] == "facility"


# -- synonyms of real columns, by domain --------------------------------------------------------------------

#: (table, an answerable question using a domain synonym, the column it must reach, a same-shape question
#: naming a field of a different kind that the table lacks, that field)
SYNONYM_CASES = [
    (_table(_col("campaign", "VARCHAR", "categorical", 5), _col("donation_amount", "DOUBLE", "measure", 300)),
     "average gift per campaign", "donation_amount", "average pledge per campaign", "pledge"),
    (_table(_col("campaign", "VARCHAR", "categorical", 5), _col("donor_type", "VARCHAR", "categorical", 3),
            _col("amount", "DOUBLE", "measure", 300)),
     "total amount by benefactor type", "donor_type", "total amount by volunteer type", "volunteer"),
    (_table(_col("reading_date", "DATE", "temporal", 24), _col("electricity_cost", "DOUBLE", "measure", 24),
            _col("gas_cost", "DOUBLE", "measure", 24)),
     "energy bill by month", "electricity_cost", "water bill by month", "water bill"),
    (_table(_col("grade_level", "VARCHAR", "categorical", 4), _col("exam_score", "DOUBLE", "measure", 90),
            _col("semester", "VARCHAR", "categorical", 2)),
     "average test score per term", "semester", "average test score per homeroom", "homeroom"),
    (_table(_col("hire_date", "DATE", "temporal", 200), _col("dept", "VARCHAR", "categorical", 5),
            _col("bonus", "DOUBLE", "measure", 150)),
     "average incentive by dept", "bonus", "average overtime by dept", "overtime"),
    (_table(_col("ward", "VARCHAR", "categorical", 6), _col("physician", "VARCHAR", "categorical", 20),
            _col("stay_days", "BIGINT", "measure", 30)),
     "average stay days per doctor", "physician", "average stay days per nurse", "nurse"),
    (_table(_col("team", "VARCHAR", "categorical", 20), _col("competition", "VARCHAR", "categorical", 3),
            _col("goals", "BIGINT", "measure", 8)),
     "total goals by league", "competition", "total goals by referee", "referee"),
    (_table(_col("station", "VARCHAR", "categorical", 8), _col("snow_cm", "DOUBLE", "measure", 60),
            _col("obs_date", "DATE", "temporal", 365)),
     "total snowfall per station", "snow_cm", "total sunshine per station", "sunshine"),
    (_table(_col("route", "VARCHAR", "categorical", 12), _col("trip_minutes", "DOUBLE", "measure", 90),
            _col("delay_min", "DOUBLE", "measure", 40)),
     "average journey minutes by route", "trip_minutes", "average toll by route", "toll"),
    (_table(_col("suburb", "VARCHAR", "categorical", 9), _col("rent", "DOUBLE", "measure", 200),
            _col("baths", "BIGINT", "categorical", 3)),
     "median rental by neighbourhood", "suburb", "median rental by school zone", "school zone"),
    (_table(_col("genre", "VARCHAR", "categorical", 9), _col("plays", "BIGINT", "measure", 300),
            _col("singer", "VARCHAR", "categorical", 40)),
     "total streams by artist", "singer", "total streams by producer", "producer"),
    (_table(_col("agency", "VARCHAR", "categorical", 9), _col("grievances", "BIGINT", "measure", 60),
            _col("year", "BIGINT", "temporal", 10)),
     "total complaints per bureau", "grievances", "total lawsuits per bureau", "lawsuits"),
    (_table(_col("merchant", "VARCHAR", "categorical", 50), _col("txn_amount", "DOUBLE", "measure", 900),
            _col("industry", "VARCHAR", "categorical", 8)),
     "total transaction amount by sector", "industry", "total transaction amount by issuer", "issuer"),
]


@pytest.mark.parametrize(("profile", "question", "column"), [(p, q, c) for p, q, c, _m, _f in SYNONYM_CASES])
def test_a_domain_synonym_reaches_its_column(profile: DataProfile, question: str, column: str) -> None:
    a = analyze_question(question, profile)
    assert a.unmatched == [], (question, a.unmatched)
    assert column in [m.column for m in a.mentions], (question, a.mentions)


@pytest.mark.parametrize(("profile", "question", "missing"), [(p, m, f) for p, _q, _c, m, f in SYNONYM_CASES])
def test_a_field_of_another_kind_in_the_same_shape_is_still_missing(profile: DataProfile, question: str,
                                                                    missing: str) -> None:
    a = analyze_question(question, profile)
    assert missing in a.unmatched, (question, a.unmatched)


@pytest.mark.parametrize(("a", "b"), [
    ("profit", "revenue"), ("country", "region"), ("income", "revenue"), ("turnover", "attrition"),
    ("power", "energy"), ("gift", "grant"), ("ride", "fare"), ("donor", "volunteer"), ("tuition", "salary"),
])
def test_groups_stay_tight_across_kinds(a: str, b: str) -> None:
    assert not synonyms(a, b)


def test_profit_by_country_on_a_sales_table_is_still_partial() -> None:
    a = _ask("profit by country")
    assert a.unmatched == ["profit", "country"]


def test_a_two_word_synonym_of_a_column() -> None:
    school = _table(_col("grade_level", "VARCHAR", "categorical", 4), _col("score", "DOUBLE", "measure", 90),
                    _col("year", "BIGINT", "categorical", 5))
    a = analyze_question("average score by class year", school)
    assert a.unmatched == []
    # "grade" (what the phrase stands for) is also a synonym of `score`; the column holding the word wins, and
    # "year" inside the phrase does not go to the `year` column
    assert {m.term: m.column for m in a.mentions}["class year"] == "grade_level"
    assert "year" not in {m.column for m in a.mentions}


def test_a_phrase_counts_only_whole() -> None:
    school = _table(_col("grade_level", "VARCHAR", "categorical", 4), _col("score", "DOUBLE", "measure", 90))
    # "class" alone is also a course: only the whole phrase names grade_level
    assert analyze_question("average score by class", school).unmatched == ["class"]
    hotel = _table(_col("Rate", "DOUBLE", "measure", 90), _col("RoomType", "VARCHAR", "categorical", 4))
    a = analyze_question("average price per night by room type", hotel)
    assert (a.unmatched, [m.column for m in a.mentions]) == ([], ["Rate", "RoomType"])


def test_a_column_spelled_like_a_phrase_is_named_exactly() -> None:
    t = _table(_col("zip_code", "VARCHAR", "categorical", 40), _col("zip", "VARCHAR", "categorical", 40),
               _col("amount", "DOUBLE", "measure", 90))
    a = analyze_question("total amount by zip code", t)
    assert [(m.term, m.column, m.kind) for m in a.mentions if m.column != "amount"] == [
        ("zip code", "zip_code", "variant")]
