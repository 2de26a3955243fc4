"""Readings fixed in round 8 (which tuned on the fresh6 split); sentences and tables written for these tests.

Each test names a general rule, never one corpus sentence.
"""

from __future__ import annotations

import pytest

from sgr.autoviz.lexicon import synonyms
from sgr.autoviz.profile import DataProfile
from sgr.autoviz.question import analyze_question
from tests.autoviz.profiles import column as _col
from tests.autoviz.profiles import drawn
from tests.autoviz.profiles import table as _table

#: a hardware shop's till rolls
SHOP = _table(
    _col("till", "VARCHAR", "categorical", 4),
    _col("tender", "VARCHAR", "categorical", 4),
    _col("item_name", "VARCHAR", "categorical", 40),
    _col("total", "DOUBLE", "measure", 900),
    _col("rung_up", "DATE", "temporal", 365),
)
SHOP_VALUES = {"till": ["Till 1", "Till 2", "Till 3", "Self Checkout"], "tender": ["Cash", "Gift Card", "Card"],
               "item_name": ["Claw Hammer", "Ball Pein Hammer", "Wood Screws", "Drill Bit"]}

#: a cider mill's tastings: who judged, where the apples came from, how strong it is
CIDER = _table(
    _col("judge", "VARCHAR", "categorical", 5),
    _col("country", "VARCHAR", "categorical", 6),
    _col("alcohol", "DOUBLE", "measure", 50),
    _col("score", "DOUBLE", "measure", 30),
)

#: an orchard's trees and their state
ORCHARD = _table(
    _col("row_label", "VARCHAR", "categorical", 12),
    _col("health", "VARCHAR", "categorical", 3),
    _col("crew", "BIGINT", "measure", 6),
    _col("yield_kg", "DOUBLE", "measure", 300),
)


def _drawn(question: str, profile: DataProfile, values: dict[str, list[str]] | None = None) -> dict[str, object]:
    return drawn(question, profile, values, "sales")


@pytest.mark.parametrize("op", ["!=", "<>", "≠"])
def test_sql_inequality_leaves_the_value_out(op: str) -> None:
    for spacing in (" ", ""):
        drawn = _drawn(f"total per till where tender {op}{spacing}'Gift Card'", SHOP, SHOP_VALUES)
        assert drawn["filters"] == ["tender != 'Gift Card'"], (op, spacing)
    # the plain equality still keeps only the value
    assert _drawn("total per till where tender = 'Cash'", SHOP, SHOP_VALUES)["filters"] == ["tender == 'Cash'"]


@pytest.mark.parametrize(("words", "order"), [
    ("from the smallest to the largest", "ascending"),
    ("from the lowest to the highest", "ascending"),
    ("from the highest to the lowest", "descending"),
    ("largest to the smallest", "descending"),
])
def test_a_from_to_order_may_carry_articles(words: str, order: str) -> None:
    drawn = _drawn(f"average total for each till, ordered {words}", SHOP, SHOP_VALUES)
    assert drawn["sort"] == {"channel": "y", "order": order}


def test_sql_limit_after_order_by_is_a_top_k() -> None:
    drawn = _drawn("select till, sum(total) group by till order by sum(total) desc limit 3", SHOP, SHOP_VALUES)
    assert (drawn["x"], drawn["top_k"], drawn["sort"]) == ("till", 3, {"channel": "y", "order": "descending"})
    # SQL sorts ascending unless DESC is said
    assert _drawn("select tender, count(*) group by tender order by count(*) limit 2", SHOP, SHOP_VALUES)[
        "top_k"] == 2
    # "limit" without an ORDER BY in front is not SQL's LIMIT
    assert _drawn("total per till, no speed limit 3 here", SHOP, SHOP_VALUES)["top_k"] is None


@pytest.mark.parametrize("verb", ["ilike", "like", "ILIKE"])
def test_sql_like_with_wildcards_is_a_contains_filter(verb: str) -> None:
    drawn = _drawn(f"filter item_name {verb} '%Hammer%' and count sales by till", SHOP, SHOP_VALUES)
    assert drawn["filters"] == ["item_name contains 'Hammer'"] and drawn["x"] == "till"
    assert drawn["color"] is None  # the filtered column is not also a colour


@pytest.mark.parametrize("unit", ["quarter", "month", "year", "week"])
def test_date_trunc_names_the_bin(unit: str) -> None:
    drawn = _drawn(f"date_trunc('{unit}', rung_up) against the number of sales, as bars", SHOP, SHOP_VALUES)
    assert (drawn["x"], drawn["bin"]) == ("rung_up", unit)


def test_words_of_the_trade_reach_their_columns() -> None:
    assert synonyms("reviewer", "judge") and synonyms("critic", "judge") and synonyms("deckhands", "crew")
    assert synonyms("condition", "health") and not synonyms("condition", "crew")
    for question, field in (("how many tastings per reviewer", "judge"), ("histogram of the abv", "alcohol"),
                            ("best score by origin", "country")):
        a = analyze_question(question, CIDER, table_name="tastings")
        assert field in {m.column for m in a.mentions} and not a.unmatched, question
    for question, field in (("total yield for each condition", "health"), ("mean deckhands per row_label", "crew")):
        a = analyze_question(question, ORCHARD, table_name="trees")
        assert field in {m.column for m in a.mentions} and not a.unmatched, question


def test_a_word_of_a_trade_the_table_lacks_stays_missing() -> None:
    a = analyze_question("average price by winery", CIDER, table_name="tastings")
    assert "winery" in a.unmatched and "price" in a.unmatched


#: a works' electricity meters
METERS = _table(
    _col("site", "VARCHAR", "categorical", 6),
    _col("circuit", "VARCHAR", "categorical", 4),
    _col("kwh", "DOUBLE", "measure", 300),
    _col("cost", "DOUBLE", "measure", 300),
    _col("tariff", "VARCHAR", "categorical", 5),
    _col("read_on", "DATE", "temporal", 900),
)
METER_VALUES = {"circuit": ["Kitchen", "HVAC", "Lighting", "Pumps"],
                "site": ["North", "South", "East", "West", "Mill", "Depot"]}


@pytest.mark.parametrize("words", ["Whiskers and boxes: kwh vs circuit", "boxes and whiskers of kwh per circuit"])
def test_boxes_and_whiskers_in_either_order_name_a_box_plot(words: str) -> None:
    drawn = _drawn(words, METERS, METER_VALUES)
    assert (drawn["mark"], drawn["x"], drawn["y"]) == ("box", "circuit", "kwh")


@pytest.mark.parametrize(("question", "agg"), [("is total kwh bigger for Kitchen or HVAC in circuit", "sum"),
                                               ("are average costs lower for Pumps or Lighting?", "mean")])
def test_a_yes_no_question_over_two_named_groups_compares_them(question: str, agg: str) -> None:
    drawn = _drawn(question, METERS, METER_VALUES)
    assert (drawn["mark"], drawn["x"], drawn["aggregation"]) == ("bar", "circuit", agg)
    assert len(drawn["filters"]) == 1 and "circuit in (" in drawn["filters"][0]  # type: ignore[index]
    assert drawn["sort"] is not None


def test_the_distinct_ones_are_the_column_named_before() -> None:
    drawn = _drawn("How varied are the tariffs in each site? Count the distinct ones.", METERS, METER_VALUES)
    assert (drawn["x"], drawn["y"], drawn["aggregation"]) == ("site", "tariff", "count_distinct")


def test_bars_grouped_by_one_column_with_a_bar_per_another_are_grouped_bars() -> None:
    drawn = _drawn("i want bars grouped by site with one bar per circuit showing total kwh", METERS, METER_VALUES)
    assert (drawn["mark"], drawn["x"], drawn["color"]) == ("grouped_bar", "site", "circuit")
    # said stacked, they stay stacked
    stacked = _drawn("stacked bars grouped by site, one bar per circuit, total kwh", METERS, METER_VALUES)
    assert stacked["mark"] == "stacked_bar"


@pytest.mark.parametrize(("words", "op", "day"), [("on or after 2022", ">=", "2022-01-01"),
                                                   ("in or after 2022", ">=", "2022-01-01"),
                                                   ("on or before 2022", "<", "2023-01-01"),
                                                   ("after 2022", ">=", "2023-01-01")])
def test_on_or_after_a_year_keeps_that_year(words: str, op: str, day: str) -> None:
    drawn = _drawn(f"average kwh per site for readings {words}", METERS, METER_VALUES)
    assert drawn["filters"] == [f"read_on {op} '{day}'"]


def test_counting_only_some_rows_is_a_filter_not_a_count() -> None:
    drawn = _drawn("show the average cost for each site, counting only readings whose kwh is below 200", METERS,
                   METER_VALUES)
    assert (drawn["y"], drawn["aggregation"], drawn["filters"]) == ("cost", "mean", ["kwh < 200"])


@pytest.mark.parametrize("question", [
    "Stacked bar chart of count grouped by site and circuit",
    "a stacked bar chart of the total kwh for each site, with the bars split up by circuit",
    "Stacked column chart of total kwh by site broken out into circuit",
    "What is the total kwh for each circuit and site? Put it in a grouped bar chart with site on x.",
])
def test_the_first_grouping_or_the_one_put_on_x_is_x(question: str) -> None:
    drawn = _drawn(question, METERS, METER_VALUES)
    assert (drawn["x"], drawn["color"]) == ("site", "circuit")


@pytest.mark.parametrize(("question", "channel"), [("sort circuit by avg(kwh) descending", "y"),
                                                   ("rank circuit by count of readings ascending, as bars", "y"),
                                                   ("sort circuit by its name", "x")])
def test_sorting_a_column_by_something_sorts_on_that_thing(question: str, channel: str) -> None:
    sort = _drawn(question, METERS, METER_VALUES)["sort"]
    assert sort is not None and sort["channel"] == channel  # type: ignore[index]
