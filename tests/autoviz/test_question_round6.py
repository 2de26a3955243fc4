"""Readings fixed in the round that tuned on the fresh4 split; sentences and tables written for these tests.

Each test names the general rule (where an axis is said, how a grouping inside another is said, a column
name's words in another order, a count word inside a column's name, an open-ended year, ...), never one
corpus sentence.
"""

from __future__ import annotations

import pytest

from sgr.autoviz.columns import split_name
from sgr.autoviz.profile import DataProfile
from sgr.autoviz.question import QuestionAnalysis, analyze_question, describe_chart
from tests.autoviz.profiles import column as _col

#: a chain of bakeries' sales
BAKERY = DataProfile(n_rows=800, n_cols=11, shape="tabular", columns=[
    _col("store", "VARCHAR", "categorical", 6, [("Old Town", 200), ("Harbour", 180), ("Station", 150)]),
    _col("pastry", "VARCHAR", "categorical", 12, [("Croissant", 120), ("Eclair", 90), ("Strudel", 80)]),
    _col("Show", "VARCHAR", "categorical", 5, [("Morning Rush", 300), ("Tea Time", 200)]),
    _col("sold_on", "DATE", "temporal", 700),
    _col("basket_value", "DOUBLE", "measure", 750),
    _col("loaves", "BIGINT", "categorical", 8),
    _col("Oven_kWh", "DOUBLE", "measure", 600),
    _col("wait_minutes", "DOUBLE", "measure", 300),
    _col("Review Count", "BIGINT", "measure", 400),
    _col("hourly_wage", "DOUBLE", "measure", 40),
    _col("salary", "DOUBLE", "measure", 60),
])


def _ask(question: str) -> QuestionAnalysis:
    return analyze_question(question, BAKERY, table_name="bakery_sales")


def _chart(question: str) -> dict[str, object]:
    a = _ask(question)
    assert a.chart is not None, question
    return describe_chart(a.chart)


@pytest.mark.parametrize("question", [
    "scatter with x = wait minutes, y = basket value",
    "scatter - x: wait minutes, y: basket value",
    "plot basket value as the y and wait minutes as the x, as a scatter",
    "a scatter plot with the horizontal axis showing wait minutes and basket value on the vertical",
    "y-axis basket value, x-axis wait minutes, scatter",
    "Does basket value grow with wait minutes? Scatter please, wait minutes horizontal.",
])
def test_an_axis_said_before_or_after_a_column_places_it(question: str) -> None:
    chart = _chart(question)
    assert (chart["mark"], chart["x"], chart["y"]) == ("scatter", "wait_minutes", "basket_value")


@pytest.mark.parametrize("question", [
    "every sale as a dot, colour by store, x = wait minutes, y = basket value",
    "wait minutes and basket value for each sale as points",
    "one dot per sale: wait minutes and basket value",
])
def test_dots_and_points_ask_for_a_scatter(question: str) -> None:
    assert _chart(question)["mark"] == "scatter"


def test_points_in_a_filter_are_no_chart_name() -> None:
    assert _ask("basket value per store, as points above 20").mark != "scatter"


@pytest.mark.parametrize("question", [
    "For each store, stack the total basket value of every pastry into one bar",
    "compare pastry within every store: average basket value, bars next to each other",
])
def test_the_inner_grouping_is_the_colour(question: str) -> None:
    chart = _chart(question)
    assert (chart["x"], chart["color"]) == ("store", "pastry")


def test_a_column_named_by_its_words_in_another_order() -> None:
    a = _ask("average minutes wait by store")
    assert ({m.column for m in a.mentions}, a.unmatched) == ({"wait_minutes", "store"}, [])


def test_a_count_word_inside_a_column_name_asks_for_no_count() -> None:
    chart = _chart("Is there a correlation between wait minutes and review count?")
    assert (chart["mark"], chart["aggregation"]) == ("scatter", "none")


def test_a_column_spelled_like_a_common_word_is_named_mid_sentence() -> None:
    chart = _chart("sales per store where the Show mentions 'Rush'")
    assert chart["filters"] == ["Show contains 'Rush'"]
    assert _chart("how many different kinds of show turn up in each store")["aggregation"] == "count_distinct"


def test_mixed_case_units_stay_whole_in_column_names() -> None:
    assert split_name("Oven_kWh") == ["oven", "kwh"]
    assert split_name("kWh_Delivered") == ["kwh", "delivered"]
    assert split_name("PatientAge") == ["patient", "age"]
    assert _chart("total oven kwh per store")["y"] == "Oven_kWh"


def test_a_word_of_a_column_named_again_filters_it() -> None:
    chart = _chart("Leaving out sales with wait over 30, what's the mean wait_minutes per store?")
    assert chart["filters"] == ["wait_minutes <= 30"]


@pytest.mark.parametrize(("question", "expected"), [
    ("sales per store in 2021 and later", ["sold_on >= '2021-01-01'"]),
    ("sales per store from 2019 onwards", ["sold_on >= '2019-01-01'"]),
    ("sales per store in 2020 or earlier", ["sold_on < '2021-01-01'"]),
])
def test_a_year_with_an_open_end(question: str, expected: list[str]) -> None:
    assert [f.text() for f in _ask(question).filters] == expected


def test_a_time_adjective_of_a_rate_is_no_bin() -> None:
    assert _ask("average hourly wage per store").bin is None  # the column's own word
    assert _ask("average annual salary per store").bin is None  # a salary is annual; the chart is not
    assert _ask("monthly oven kwh per store").bin == "month"  # an amount per month is summed by month


def test_when_something_peaks_the_highest_comes_first() -> None:
    chart = _chart("On what day of the week do sales peak?")
    assert (chart["bin"], chart["sort"]) == ("weekday", {"channel": "y", "order": "descending"})
    assert _chart("what is the peak basket value per store?")["sort"] is None  # "peak" as max, not a ranking


def test_a_small_integer_column_is_the_number_a_box_or_a_ranking_needs() -> None:
    box = _chart("Box plot - store on x, loaves on y")
    assert (box["mark"], box["x"], box["y"]) == ("box", "store", "loaves")
    ranked = _chart("Which 3 pastries account for the most loaves overall?")
    assert (ranked["x"], ranked["y"], ranked["aggregation"], ranked["color"]) == ("pastry", "loaves", "sum", None)


def test_altogether_adds_up() -> None:
    assert _chart("What are the loaves altogether for each store?")["aggregation"] == "sum"


# -- read from fresh5 after it was measured ---------------------------------------------------------------


@pytest.mark.parametrize(("question", "expected"), [
    ("sales per store, only sales whose basket value beats the mean", "basket_value > mean(basket_value)"),
    ("sales per store where wait minutes tops 20", "wait_minutes > 20"),
    ("sales per store whose basket value falls short of 12", "basket_value < 12"),
])
def test_comparison_verbs(question: str, expected: str) -> None:
    a = _ask(question)
    assert ([f.text() for f in a.filters], a.unmatched) == ([expected], [])


def test_month_names_in_a_date_range_are_no_missing_fields() -> None:
    a = _ask("mean basket value by store for sales between March and November 2023")
    assert (a.unmatched, [f.text() for f in a.filters]) == ([], ["sold_on >= '2023-03-01'", "sold_on < '2023-12-01'"])
    b = _ask("total basket value per store since the start of June 2023")
    assert (b.unmatched, [f.text() for f in b.filters]) == ([], ["sold_on >= '2023-06-01'"])


def test_a_name_said_round_the_other_way_across_of() -> None:
    a = _ask("average minutes of wait by store")
    assert ({m.column for m in a.mentions}, a.unmatched) == ({"wait_minutes", "store"}, [])


def test_what_range_a_column_falls_in_is_its_distribution() -> None:
    a = _ask("What range does basket value typically fall in?")
    assert (a.unmatched, a.chart and a.chart.mark) == ([], "histogram")
    assert _ask("What range does the profit typically fall in?").unmatched  # no profit column: still missing


def test_orders_by_a_field_is_no_sort() -> None:
    assert _chart("Number of orders by store")["sort"] is None
    assert _chart("basket value per store, ordered by store")["sort"] == {"channel": "x", "order": "ascending"}


@pytest.mark.parametrize(("question", "missing"), [
    ("Only sales with delivery distance over 20 - count of sales by store", ["delivery distance"]),
    ("Is staff turnover higher in one store than another?", ["staff turnover"]),
])
def test_the_subject_of_a_comparison_is_checked(question: str, missing: list[str]) -> None:
    assert _ask(question).unmatched == missing


@pytest.mark.parametrize("question", [
    "Only sales with wait minutes over 20 - count of sales by store",
    "Is basket value higher in one store than another?",
    "sales per store with more than 3 loaves",
])
def test_a_known_subject_of_a_comparison_is_no_missing_field(question: str) -> None:
    assert _ask(question).unmatched == []
