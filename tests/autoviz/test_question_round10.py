"""Readings fixed in round 10 (which tuned on the fresh8 split); sentences and tables written for these tests.

Each test names a general rule, never one corpus sentence: which grouping makes the parts of a bar ("the X
make-up of each Y", "Y with X bars next to one another", "a multi-bar chart"), an aggregation word that is a
filter's reference value rather than the chart's ("runtime > mean", "below avg, show the highest ..."), a measure
named both in a relative filter and as the chart's value, values compared by "outnumber", a participle after a
column's own words, and a qualifier before the table's only, unnamed date.
"""

from __future__ import annotations

from sgr.autoviz.columns import map_terms
from sgr.autoviz.profile import DataProfile
from sgr.autoviz.question import analyze_question, describe_chart
from tests.autoviz.profiles import column as _col
from tests.autoviz.profiles import drawn
from tests.autoviz.profiles import table as _table

#: a glassworks' furnace pulls
GLASS = _table(
    _col("furnace", "VARCHAR", "categorical", 4),
    _col("colour_batch", "VARCHAR", "categorical", 6),
    _col("shift", "VARCHAR", "categorical", 3),
    _col("gobs_pressed", "BIGINT", "measure", 300),
    _col("pull_tonnes", "DOUBLE", "measure", 800),
    _col("melt_hours", "DOUBLE", "measure", 500),
    _col("pour_date", "DATE", "temporal", 700),
)
GLASS_VALUES = {"furnace": ["F1", "F2", "F3", "F4"], "shift": ["Early", "Late", "Night"],
                "colour_batch": ["Amber", "Flint", "Green", "Blue", "Opal", "Smoke"]}

#: a darts league's legs
DARTS = _table(
    _col("player", "VARCHAR", "categorical", 40),
    _col("venue", "VARCHAR", "categorical", 6),
    _col("checkouts", "BIGINT", "measure", 30),
    _col("average_score", "DOUBLE", "measure", 600),
    _col("ATS", "DATE", "temporal", 300),
)


def _drawn(question: str, profile: DataProfile, values: dict[str, list[str]] | None = None,
           table_name: str = "pulls") -> dict[str, object]:
    return drawn(question, profile, values, table_name)


def test_the_make_up_of_each_bar_is_the_colour() -> None:
    d = _drawn("Show the shift make-up of each furnace as stacked bars, sized by the total pull tonnes", GLASS)
    assert (d["mark"], d["x"], d["color"]) == ("stacked_bar", "furnace", "shift")
    d = _drawn("one stacked bar per furnace showing its colour batch composition by gobs pressed", GLASS)
    assert (d["x"], d["color"]) == ("furnace", "colour_batch")


def test_bars_next_to_one_another_are_the_colour_of_a_grouped_chart() -> None:
    d = _drawn("number of pulls for each furnace with shift bars next to one another", GLASS)
    assert (d["mark"], d["x"], d["color"]) == ("grouped_bar", "furnace", "shift")


def test_a_multi_bar_chart_is_grouped_and_one_bar_per_names_the_colour() -> None:
    d = _drawn("A multi-bar chart please: for every shift, one bar per furnace, with the mean melt hours", GLASS)
    assert (d["mark"], d["x"], d["color"], d["y"], d["aggregation"]) == (
        "grouped_bar", "shift", "furnace", "melt_hours", "mean")


def test_a_comparison_symbols_reference_is_no_aggregation() -> None:
    d = _drawn("keep melt hours > mean | by furnace | show the largest melt hours", GLASS)
    assert (d["x"], d["y"], d["aggregation"]) == ("furnace", "melt_hours", "max")
    assert d["filters"] == ["melt_hours > mean(melt_hours)"]


def test_a_where_clause_against_the_average_is_a_filter_not_a_ranking() -> None:
    d = _drawn("where pull tonnes is below avg, show highest gobs pressed by shift", GLASS)
    assert (d["x"], d["y"], d["aggregation"], d["sort"]) == ("shift", "gobs_pressed", "max", None)
    # the column after the comma starts the next clause: it gets no filter of its own
    assert d["filters"] == ["pull_tonnes < mean(pull_tonnes)"]


def test_a_measure_filtered_against_its_own_average_is_still_the_value() -> None:
    d = _drawn("Just the pulls over the average melt hours: mean melt hours per furnace", GLASS)
    assert (d["x"], d["y"], d["aggregation"]) == ("furnace", "melt_hours", "mean")
    assert d["filters"] == ["melt_hours > mean(melt_hours)"]


def test_values_that_outnumber_each_other_are_the_groups() -> None:
    d = _drawn("Do Early pulls outnumber Night ones?", GLASS, GLASS_VALUES)
    assert d["x"] == "shift"
    assert d["filters"] == ["shift in ('Early', 'Night')"]


def test_a_participle_after_a_columns_own_words_is_no_field() -> None:
    # "scored" stems like a field word (score), but after the column it only says what was done
    a = analyze_question("Total checkouts scored per venue", DARTS, table_name="legs")
    assert a.unmatched == []
    assert describe_chart(a.chart)["y"] == "checkouts"  # type: ignore[arg-type]


def test_a_qualifier_before_the_only_unnamed_date_names_that_date() -> None:
    m = map_terms("checkouts per month across match date", DARTS)
    assert m.unmatched == []
    assert [(t.term, t.column) for t in m.matches if t.column == "ATS"] == [("match date", "ATS")]
    # a date column whose name says what kind of date it is (`pour_date`) is not another kind of date
    assert map_terms("gobs pressed per month by repair date", GLASS).unmatched == ["repair"]


def test_trade_words_reach_their_columns() -> None:
    crew = _table(_col("Crew", "VARCHAR", "categorical", 4), _col("Tonnage", "DOUBLE", "measure", 500),
                  _col("FuelLitres", "DOUBLE", "measure", 500), _col("Yard", "VARCHAR", "categorical", 3))
    m = map_terms("average tonnes and fuel per gang", crew)
    assert m.unmatched == []
    assert {t.column for t in m.matches} == {"Crew", "Tonnage", "FuelLitres"}
    # "team" is no crew: on a table without a team it stays missing
    assert map_terms("average tonnes per team", crew).unmatched == ["team"]
    press = _table(_col("Press", "VARCHAR", "categorical", 4), _col("Run Length", "BIGINT", "measure", 500))
    assert {t.column for t in map_terms("total run length per machine", press).matches} == {"Press", "Run Length"}


def test_a_common_word_after_a_field_well_label_is_a_column() -> None:
    bikes = _table(_col("Make", "VARCHAR", "categorical", 6), _col("frame_price", "DOUBLE", "measure", 300))
    d = _drawn("x = make ; y = average frame price ; chart = bars", bikes, table_name="bikes")
    assert (d["x"], d["y"], d["aggregation"]) == ("Make", "frame_price", "mean")
    # without the label it stays a verb
    assert map_terms("make a chart of the average frame price", bikes).columns() == ["frame_price"]


def test_review_cases_keep_their_meaning() -> None:
    """Sentences a review found the first version of these rules misread."""
    cars = _table(_col("make", "VARCHAR", "categorical", 8), _col("fuel_type", "VARCHAR", "categorical", 3),
                  _col("price", "DOUBLE", "measure", 400), _col("region", "VARCHAR", "categorical", 4))
    values = {"fuel_type": ["Petrol", "Diesel", "Electric"], "region": ["North", "South", "East", "West"]}
    # "diesel" is a value of the fuel column, not a synonym of it
    assert _drawn("average price of diesel cars by make", cars, values, "cars")["filters"] == [
        "fuel_type == 'Diesel'"]
    # a cue before a filtering where-clause still ranks
    assert _drawn("which makes, where price is below average, have the highest price", cars, values,
                  "cars")["sort"] == {"channel": "y", "order": "descending"}
    # a threshold verb with a number is no comparison of the named values
    assert _drawn("which makes beat 50 in price across North and East", cars, values, "cars")["x"] == "make"
    # a short date name whose kind is known (`DOB`) is no other kind of date
    people = _table(_col("DOB", "DATE", "temporal", 300), _col("salary", "DOUBLE", "measure", 300))
    assert map_terms("average salary by hire date", people).unmatched == ["hire"]
    assert map_terms("average salary by birth date", people).unmatched == []
