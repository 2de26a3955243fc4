"""Readings fixed in round 9 (which tuned on the fresh7 split); sentences and tables written for these tests.

Each test names a general rule, never one corpus sentence: typed forms ("≤", "2019–2020", "pre-2021", "Q-o-Q",
"excl.", "→") read as their words, exclusions said after the fact, groupings named by their values' words or by
British spellings, participles and verbs that are no fields, and the side a grouped bar is drawn on.
"""

from __future__ import annotations

import pytest

from sgr.autoviz.columns import map_terms, stem
from sgr.autoviz.phrasing import RULES, canonical
from sgr.autoviz.profile import DataProfile
from sgr.autoviz.question import analyze_question
from tests.autoviz.profiles import column as _col
from tests.autoviz.profiles import drawn
from tests.autoviz.profiles import table as _table

#: a ferry operator's sailings
FERRY = _table(
    _col("route", "VARCHAR", "categorical", 4),
    _col("pier", "VARCHAR", "categorical", 3),
    _col("vessel", "VARCHAR", "categorical", 5),
    _col("cars", "BIGINT", "measure", 120),
    _col("foot_passengers", "BIGINT", "measure", 400),
    _col("fare_take", "DOUBLE", "measure", 900),
    _col("sailed_on", "DATE", "temporal", 700),
    _col("cancelled", "BOOLEAN", "boolean", 2),
)
FERRY_VALUES = {"route": ["Isle Run", "Harbour Loop", "Night Crossing", "Bay Hop"],
                "pier": ["West Slipway", "East Slipway", "Main Jetty"],
                "vessel": ["Gull", "Tern", "Puffin", "Skua", "ONE"]}

#: a cycling club's race results, the divisions holding the riders' sex
RACES = _table(
    _col("division", "VARCHAR", "categorical", 2),
    _col("club", "VARCHAR", "categorical", 8),
    _col("finish_minutes", "DOUBLE", "measure", 500),
)
RACES_VALUES = {"division": ["Men", "Women"], "club": ["Velo North", "Chain Gang", "Spokes"]}

#: a kiln's firings: a tank of glaze, the neighborhood the studio is in
KILN = _table(
    _col("GLAZER", "VARCHAR", "categorical", 4),
    _col("neighborhood", "VARCHAR", "categorical", 6),
    _col("PACKAGING", "VARCHAR", "categorical", 3),
    _col("peak_temp_c", "DOUBLE", "measure", 200),
    _col("pieces", "BIGINT", "measure", 40),
)


def _drawn(question: str, profile: DataProfile, values: dict[str, list[str]] | None = None) -> dict[str, object]:
    return drawn(question, profile, values, "sailings")


@pytest.mark.parametrize(("typed", "said"), [
    ("cars per route where foot passengers ≥ 50", "cars per route where foot passengers >= 50"),
    ("fare take by pier, only where cars ≤ 40", "fare take by pier, only where cars <= 40"),
    ("cars per route, 2019–2020", "cars per route, from 2019 to 2020"),
    ("cars per route, pre-2021", "cars per route, before 2021"),
    ("cars per route from 2022 to date", "cars per route since 2022"),
    ("fare take by pier for the 10–30 cars band", "fare take by pier for cars between 10 and 30"),
    ("cars by route where fare take came in under 500", "cars by route where fare take under 500"),
    ("average cars by pier, excl. vessel 'Gull'", "average cars by pier, excluding vessel 'Gull'"),
    ("fare take, Q-o-Q", "fare take, quarter over quarter"),
    ("route by cars, high→low", "route by cars, high to low"),
    ("month-on-month fare take", "month on month fare take"),
])
def test_typed_forms_read_as_their_words(typed: str, said: str) -> None:
    assert canonical(typed) == said


def test_plain_questions_and_words_that_look_like_shorthand_stay_as_typed() -> None:
    for q in ("cars by route", "what did mom buy", "bins per street in Q3", "a 3-4 ratio of cars", "2019 revenue"):
        assert canonical(q) == q, q
    # every rule's own example is something the rewrite changes
    for _rx, _replacement, example in RULES:
        assert all(canonical(part) != part.strip() for part in example.split(";")), example


def test_typed_filters_reach_the_chart() -> None:
    assert _drawn("total fare take per route where cars ≥ 40", FERRY, FERRY_VALUES)["filters"] == ["cars >= 40"]
    assert _drawn("average cars per route, 2019–2020", FERRY, FERRY_VALUES)["filters"] == [
        "sailed_on >= '2019-01-01'", "sailed_on < '2021-01-01'"]
    assert _drawn("average cars per route, pre-2021", FERRY, FERRY_VALUES)["filters"] == ["sailed_on < '2021-01-01'"]
    assert _drawn("average cars per pier for the 100–250 foot passengers band", FERRY, FERRY_VALUES)["filters"] == [
        "foot_passengers between 100 and 250"]


def test_an_exclusion_said_after_the_threshold_keeps_the_other_rows() -> None:
    drawn = _drawn("sailings per route — anything with cars under 20 excluded", FERRY, FERRY_VALUES)
    assert drawn["filters"] == ["cars >= 20"]


@pytest.mark.parametrize("question", [
    "average cars per pier, excl. vessel 'Tern'",
    "I'd leave vessel Tern out — what's the average cars per pier?",
])
def test_shorthand_and_leave_out_exclude_a_value(question: str) -> None:
    assert _drawn(question, FERRY, FERRY_VALUES)["filters"] == ["vessel != 'Tern'"]


def test_setting_a_flag_aside_excludes_it() -> None:
    drawn = _drawn("Setting the cancelled sailings aside, how many sailings per route?", FERRY, FERRY_VALUES)
    assert drawn["filters"] == ["cancelled == 0.0"]  # a yes/no value prints as a number, as in round 5


def test_has_text_in_it_is_a_substring_filter_only() -> None:
    drawn = _drawn("sailings per pier where route has 'Run' in it", FERRY, FERRY_VALUES)
    assert drawn["filters"] == ["route contains 'Run'"]


def test_a_value_spelled_like_a_number_word_needs_its_own_case() -> None:
    assert _drawn("bars of the median cars, one per route", FERRY, FERRY_VALUES)["filters"] == []
    assert _drawn("median cars per route for vessel ONE", FERRY, FERRY_VALUES)["filters"] == ["vessel == 'ONE'"]


def test_a_common_word_value_at_the_start_of_a_sentence_is_no_filter() -> None:
    profile = _table(_col("package", "VARCHAR", "categorical", 3), _col("litres", "DOUBLE", "measure", 90),
                     _col("day", "DATE", "temporal", 300))
    values = {"package": ["Can", "Keg", "Bottle"]}
    assert _drawn("Can you chart the total litres per month?", profile, values)["filters"] == []
    assert _drawn("total litres per month for Can and Keg", profile, values)["filters"] == [
        "package in ('Can', 'Keg')"]


def test_a_pronoun_is_never_a_column() -> None:
    profile = _table(_col("Theme", "VARCHAR", "categorical", 4), _col("Venue", "VARCHAR", "categorical", 6),
                     _col("Visitors", "BIGINT", "measure", 300))
    drawn = _drawn("Which Venue is lowest on mean Visitors? Show all of them, lowest first.", profile)
    assert drawn["color"] is None and drawn["x"] == "Venue"


@pytest.mark.parametrize("question", [
    "Highest cars for each route, pier bars side by side",
    "Highest cars for each route, with pier as side-by-side bars",
])
def test_the_grouping_drawn_side_by_side_is_the_colour(question: str) -> None:
    drawn = _drawn(question, FERRY, FERRY_VALUES)
    assert (drawn["mark"], drawn["x"], drawn["color"]) == ("grouped_bar", "route", "pier")


def test_without_double_counting_is_a_distinct_count() -> None:
    drawn = _drawn("For every pier, count the vessels without double-counting repeats.", FERRY, FERRY_VALUES)
    assert (drawn["x"], drawn["y"], drawn["aggregation"]) == ("pier", "vessel", "count_distinct")


def test_in_any_given_month_bins_by_month() -> None:
    drawn = _drawn("Highest fare take logged in any given month", FERRY, FERRY_VALUES)
    assert (drawn["x"], drawn["y"], drawn["aggregation"], drawn["bin"]) == ("sailed_on", "fare_take", "max", "month")


def test_a_measure_said_to_be_summed_is_summed_per_bin() -> None:
    drawn = _drawn("Weekly foot passengers (summed), plotted as a line", FERRY, FERRY_VALUES)
    assert (drawn["y"], drawn["aggregation"], drawn["bin"]) == ("foot_passengers", "sum", "week")


def test_a_dash_ends_the_filter_clause_before_an_aggregation() -> None:
    drawn = _drawn("only sailings where cars is below 60 — maximum fare take per route?", FERRY, FERRY_VALUES)
    assert (drawn["aggregation"], drawn["sort"], drawn["filters"]) == ("max", None, ["cars < 60"])


def test_peak_and_out_in_front_rank_the_groups() -> None:
    assert _drawn("Which pier is peak for sailings?", FERRY, FERRY_VALUES)["sort"] == {
        "channel": "y", "order": "descending"}
    drawn = _drawn("Of all the routes, which 2 are out in front on total cars?", FERRY, FERRY_VALUES)
    assert (drawn["top_k"], drawn["sort"]) == (2, {"channel": "y", "order": "descending"})


def test_just_points_asks_for_a_scatter_and_across_up_place_the_axes() -> None:
    drawn = _drawn("Plot every sailing by cars (horizontal) and fare take (vertical) — just points.", FERRY)
    assert (drawn["mark"], drawn["x"], drawn["y"]) == ("scatter", "cars", "fare_take")
    drawn = _drawn("fare take vs cars as a scatter — fare take across, cars up", FERRY)
    assert (drawn["x"], drawn["y"]) == ("fare_take", "cars")


def test_a_link_between_two_measures_is_a_relation() -> None:
    assert _drawn("Is there a link between cars and foot passengers at all?", FERRY)["mark"] == "scatter"


def test_a_head_word_names_its_column_again_outside_the_filter() -> None:
    profile = _table(_col("genre", "VARCHAR", "categorical", 5), _col("length_sec", "DOUBLE", "measure", 300))
    drawn = _drawn("average length by genre, only where length_sec is between 100 and 200", profile)
    assert (drawn["y"], drawn["aggregation"], drawn["filters"]) == (
        "length_sec", "mean", ["length_sec between 100 and 200"])


# -- words the table lacks, or does not -----------------------------------------------------------------


@pytest.mark.parametrize("question", [
    "How does fare take move against cars?",
    "The highest fare take recorded in each month",
    "How is the total fare take carved up between the routes? Pie chart.",
])
def test_verbs_and_participles_after_a_field_are_no_missing_field(question: str) -> None:
    a = analyze_question(question, FERRY, values=FERRY_VALUES, table_name="sailings")
    assert a.unmatched == [], question


def test_a_participle_before_a_noun_still_names_a_field() -> None:
    a = analyze_question("average delayed sailings by route", FERRY, values=FERRY_VALUES, table_name="sailings")
    assert a.unmatched == ["delayed"]  # "sailings" are the rows (the file's noun); "delayed" is no column


def test_a_grouping_named_by_its_values_words() -> None:
    m = map_terms("cars by slipway", FERRY, values=FERRY_VALUES)
    assert [(t.term, t.column, t.kind) for t in m.matches] == [("cars", "cars", "exact"),
                                                                ("slipway", "pier", "value-word")]
    assert m.unmatched == []
    # a known field noun is never taken from a value: the table has no country, whatever a value says
    values = {**FERRY_VALUES, "route": ["Country Run", "Harbour Loop"]}
    assert map_terms("cars by country", FERRY, values=values).unmatched == ["country"]


def test_gender_names_a_column_of_men_and_women() -> None:
    m = map_terms("average finish minutes per gender", RACES, values=RACES_VALUES)
    assert ("gender", "division") in [(t.term, t.column) for t in m.matches] and m.unmatched == []
    assert map_terms("average finish minutes per gender", RACES, values={"division": ["A", "B"]}).unmatched == [
        "gender"]


def test_british_spellings_name_american_columns() -> None:
    assert stem("neighbourhoods") == stem("neighborhood") and stem("metres") == stem("meters")
    assert stem("hour") == "hour" and stem("genre") != stem("gener")
    m = map_terms("pieces by neighbourhood", KILN)
    assert [t.column for t in m.matches] == ["pieces", "neighborhood"]


def test_clipped_words_and_acronyms_without_their_first_letter() -> None:
    assert [t.column for t in map_terms("pieces by pack format", KILN).matches] == ["pieces", "PACKAGING"]
    profile = _table(_col("IBU", "DOUBLE", "measure", 80), _col("style", "VARCHAR", "categorical", 6))
    assert [t.column for t in map_terms("median bitterness units per style", profile).matches] == ["IBU", "style"]
    # a known field noun is never a clipped column word
    profile = _table(_col("salesperson", "VARCHAR", "categorical", 6), _col("units", "BIGINT", "measure", 80))
    assert map_terms("total sale by region", profile).unmatched != []


def test_the_entity_word_inside_a_longer_column_name() -> None:
    profile = _table(_col("issue_date", "DATE", "temporal", 300), _col("issueValue", "DOUBLE", "measure", 500),
                     _col("ward", "VARCHAR", "categorical", 5))
    a = analyze_question("total issue value per ward", profile, table_name="stock_issues")
    assert a.chart is not None and (a.chart.y, a.chart.aggregation) == ("issueValue", "sum")


def test_a_count_word_after_the_rows_counts_them() -> None:
    for question in ("Sailings — headcount by pier", "what's the sailings count per route"):
        a = analyze_question(question, FERRY, values=FERRY_VALUES, table_name="ferry_log")
        assert a.unmatched == [] and a.chart is not None, question
        assert (a.chart.aggregation, a.chart.y) == ("count", None), question
    # a table that has a headcount column is asked for it
    profile = _table(_col("team", "VARCHAR", "categorical", 5), _col("headcount", "BIGINT", "measure", 40))
    a = analyze_question("total headcount by team", profile, table_name="org")
    assert a.chart is not None and (a.chart.y, a.chart.aggregation) == ("headcount", "sum")


def test_short_agent_nouns_and_counts_after_a_dash_keep_their_meaning() -> None:
    # "reviewer" is no `review_date`: only an agent noun of a long verb ("fermenter") names the verb's column
    profile = _table(_col("review_date", "DATE", "temporal", 300), _col("stars", "DOUBLE", "measure", 5),
                     _col("platform", "VARCHAR", "categorical", 3))
    assert analyze_question("average stars per reviewer country", profile, table_name="reviews").unmatched == [
        "reviewer country"]
    # a word before a dash is no noun the count after it counts: "... and Tern — count of sailings by route"
    drawn = _drawn("Just the vessels Gull and Tern — count of sailings by route, please", FERRY, FERRY_VALUES)
    assert drawn["filters"] == ["vessel in ('Gull', 'Tern')"]


def test_an_aggregated_headcount_is_a_field_the_table_lacks() -> None:
    a = analyze_question("average headcount by pier", FERRY, values=FERRY_VALUES, table_name="ferry_log")
    assert a.unmatched == ["headcount"]
