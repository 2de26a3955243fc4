"""Readings fixed in the round that tuned on the fresh4 split; sentences and table written for these tests.

Each test names the general rule (a way people say a threshold, an exclusion, a top-k, a chart or a count of
values), never one corpus sentence.
"""

from __future__ import annotations

import pytest

from sgr.autoviz.profile import DataProfile
from sgr.autoviz.question import QuestionAnalysis, analyze_question, describe_chart
from tests.autoviz.profiles import column as _col

#: a ferry operator's crossings
FERRIES = DataProfile(n_rows=500, n_cols=7, shape="tabular", columns=[
    _col("route", "VARCHAR", "categorical", 5, [("Harbour-Isle", 120), ("Isle-Bay", 110), ("Bay-Point", 100)]),
    _col("vessel", "VARCHAR", "categorical", 8, [("Osprey", 80), ("Kestrel", 70), ("Heron", 60)]),
    _col("sailed_on", "DATE", "temporal", 400),
    _col("passengers", "BIGINT", "measure", 300),
    _col("fuel_litres", "DOUBLE", "measure", 480),
    _col("delay_min", "DOUBLE", "measure", 90),
    _col("cancelled", "BOOLEAN", "boolean", 2),
])


def _ask(question: str) -> QuestionAnalysis:
    return analyze_question(question, FERRIES, table_name="crossings")


@pytest.mark.parametrize(("question", "expected"), [
    ("crossings per route with delay min north of 15", "delay_min > 15"),
    ("crossings per route where passengers stays under 200", "passengers < 200"),
    ("fuel litres per vessel for crossings with delay min up to 30", "delay_min <= 30"),
    ("crossings per vessel, only ones where passengers is 150+", "passengers >= 150"),
    ("mean delay min per route for fuel litres somewhere between 1,200 and 5000", "fuel_litres between 1200 and 5000"),
    ("crossings per route whose delay min is beneath the average", "delay_min < mean(delay_min)"),
])
def test_more_ways_to_say_a_threshold(question: str, expected: str) -> None:
    assert [f.text() for f in _ask(question).filters] == [expected]


@pytest.mark.parametrize(("question", "expected"), [
    ("Excluding crossings with delay min over 45, what's the total passengers per route?", "delay_min <= 45"),
    ("passengers by route, leaving out crossings with fuel litres at or above the mean",
     "fuel_litres < mean(fuel_litres)"),
])
def test_an_exclusion_verb_keeps_the_other_side_of_a_threshold(question: str, expected: str) -> None:
    assert [f.text() for f in _ask(question).filters] == [expected]


@pytest.mark.parametrize(("question", "expected"), [
    ("Mean delay min per route if we ignore vessel Heron", "vessel != 'Heron'"),
    ("Drop vessel 'Osprey' and chart the passengers per route", "vessel != 'Osprey'"),
    ("Total passengers by route with cancelled sailings filtered out", "cancelled == 0.0"),
])
def test_more_exclusion_verbs_for_values_and_flags(question: str, expected: str) -> None:
    assert [f.text() for f in _ask(question).filters] == [expected]


@pytest.mark.parametrize(("question", "k", "order"), [
    ("the 2 busiest vessels by number of crossings", 2, "descending"),
    ("3 leading routes by total passengers", 3, "descending"),
    ("the 2 quietest routes by count of crossings", 2, "ascending"),
    ("Bottom-3 vessels ranked by average delay min", 3, "ascending"),
])
def test_top_k_superlatives_and_their_end(question: str, k: int, order: str) -> None:
    chart = describe_chart(_ask(question).chart)
    assert chart["top_k"] == k and chart["sort"] == {"channel": "y", "order": order}


@pytest.mark.parametrize("question", [
    "delay min spread by route as box plots",
    "could you box-plot fuel litres, split up by vessel?",
    "Whisker plot of delay min per route.",
    "Give each vessel its own box for delay min.",
])
def test_more_names_for_a_box_plot(question: str) -> None:
    chart = describe_chart(_ask(question).chart)
    assert chart["mark"] == "box" and chart["x"] in ("route", "vessel") and chart["y"] in ("delay_min", "fuel_litres")


@pytest.mark.parametrize(("question", "bin_"), [
    ("How does the average delay min vary from one quarter to the next?", "quarter"),
    ("Give me the total passengers for Monday through Sunday.", "weekday"),
])
def test_more_ways_to_ask_for_a_time_bin(question: str, bin_: str) -> None:
    assert describe_chart(_ask(question).chart)["bin"] == bin_


def test_z_down_to_a_sorts_the_categories_descending() -> None:
    chart = describe_chart(_ask("Total passengers per route, sorted by route from Z down to A").chart)
    assert chart["sort"] == {"channel": "x", "order": "descending"}


@pytest.mark.parametrize("question", [
    "For each route, how many vessels are represented?",
    "Variety of vessels per route",
])
def test_a_count_of_a_category_per_another_counts_its_values(question: str) -> None:
    chart = describe_chart(_ask(question).chart)
    assert (chart["x"], chart["y"], chart["aggregation"]) == ("route", "vessel", "count_distinct")


def test_how_many_of_the_rows_still_counts_rows() -> None:
    chart = describe_chart(_ask("how many crossings per route").chart)
    assert (chart["x"], chart["aggregation"]) == ("route", "count")


@pytest.mark.parametrize(("question", "missing"), [
    ("How does the ticket revenue change over time?", "ticket revenue"),
    ("Average passengers per route, with a separate bar for every crew grade", "crew grade"),
])
def test_a_missing_subject_of_change_or_grouping_after_every_is_named(question: str, missing: str) -> None:
    assert missing in _ask(question).unmatched


@pytest.mark.parametrize("question", [
    "How does the fuel litres change over time?",
    "Total passengers for every route",
])
def test_named_columns_in_those_places_stay_answerable(question: str) -> None:
    assert _ask(question).unmatched == []


@pytest.mark.parametrize(("question", "agg"), [
    ("delay min by route pie", "sum"),                             # wedges are parts of a whole
    ("Where does most of the fuel litres go, vessel-wise?", "sum"),  # "most of the X": a share of the total
])
def test_parts_of_a_whole_add_up(question: str, agg: str) -> None:
    assert describe_chart(_ask(question).chart)["aggregation"] == agg


def test_bars_next_to_each_other_are_grouped_bars() -> None:
    chart = describe_chart(_ask("average delay min per route and vessel, bars next to each other").chart)
    assert chart["mark"] == "grouped_bar"
