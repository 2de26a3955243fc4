"""Readings fixed in round 7 (which tuned on the fresh5 split); sentences and tables written for these tests.

Each test names a general rule, never one corpus sentence.
"""

from __future__ import annotations

import pytest

from sgr.autoviz.lexicon import _root, readings, synonyms
from sgr.autoviz.profile import DataProfile
from sgr.autoviz.question import QuestionAnalysis, analyze_question, describe_chart
from tests.autoviz.profiles import column as _col
from tests.autoviz.profiles import drawn
from tests.autoviz.profiles import table as _table

#: a regional airline's flights: `dep_` is a departure here, `_min` minutes
FLIGHTS = _table(
    _col("carrier", "VARCHAR", "categorical", 8),
    _col("arr_delay", "DOUBLE", "measure", 300),
    _col("dep_delay", "DOUBLE", "measure", 300),
    _col("taxi_min", "DOUBLE", "measure", 40),
    _col("block_min", "DOUBLE", "measure", 200),
)

#: a public EV charger network: what a session costs is its `fee`
CHARGERS = _table(
    _col("station", "VARCHAR", "categorical", 12),
    _col("fee", "DOUBLE", "measure", 400),
    _col("energy_kwh", "DOUBLE", "measure", 600),
)


def _drawn(question: str, profile: DataProfile, values: dict[str, list[str]] | None = None,
           table: str = "t") -> dict[str, object]:
    return drawn(question, profile, values, table)


def _mentions(question: str, profile: object) -> tuple[QuestionAnalysis, dict[str, str]]:
    a = analyze_question(question, profile, table_name="t")  # type: ignore[arg-type]
    return a, {m.term.lower(): m.column for m in a.mentions}


def test_an_abbreviation_with_two_readings_is_tried_both_ways() -> None:
    assert readings("min") == ("minimum", "minutes")
    assert synonyms("minutes", "min") and synonyms("minimum", "min")
    assert synonyms("departure", "dep") and synonyms("department", "dep")
    assert readings("dept") == ("department",) and readings("runway") == ("runway",)


def test_a_departure_word_reaches_the_dep_column_and_not_its_arrival_twin() -> None:
    a, said = _mentions("average departure delay by carrier", FLIGHTS)
    assert "dep_delay" in said.values() and "arr_delay" not in said.values()
    assert not a.unmatched


def test_minutes_written_out_reach_a_min_suffixed_column() -> None:
    a, said = _mentions("total taxi minutes per carrier", FLIGHTS)
    assert said.get("taxi minutes") == "taxi_min" or "taxi_min" in said.values()
    assert not a.unmatched


def test_charging_is_no_price_word() -> None:
    """"charge" is a price ("service charge"), but charging a battery is not: a charging time the table lacks
    is said missing rather than read as the fee."""
    a, said = _mentions("average charging time by station", CHARGERS)
    assert "fee" not in said.values()
    assert a.unmatched
    a, said = _mentions("average charge by station", CHARGERS)
    assert said.get("charge") == "fee" and not a.unmatched


#: a chain of garden centres
GARDEN = _table(
    _col("centre", "VARCHAR", "categorical", 6),
    _col("plant_family", "VARCHAR", "categorical", 9),
    _col("season", "VARCHAR", "categorical", 4),
    _col("sold_units", "DOUBLE", "measure", 400),
    _col("sale_day", "DATE", "temporal", 300),
)


def _chart(question: str) -> dict[str, object]:
    return _drawn(question, GARDEN, table="garden_sales")


@pytest.mark.parametrize("question", [
    "sold units by centre and season with the bars side by side",
    "For each centre, put a bar per season next to each other showing total sold units",
    "total sold units per centre and season as a clustered, not stacked, bar chart",
    "sold units by centre, seasons beside one another",
])
def test_bars_said_to_stand_side_by_side_are_grouped(question: str) -> None:
    chart = _chart(question)
    assert (chart["mark"], chart["x"], chart["color"]) == ("grouped_bar", "centre", "season")


@pytest.mark.parametrize("question", [
    "Stack the sold units by season in a bar chart with one bar per centre",
    "stacked bars of total sold units: a bar for each centre, segments = season",
    "centre along the bottom, total sold units stacked up by season",
])
def test_one_bar_per_x_in_a_stacked_chart_is_the_x_axis(question: str) -> None:
    chart = _chart(question)
    assert (chart["mark"], chart["x"], chart["color"]) == ("stacked_bar", "centre", "season")


def test_a_bar_per_colour_inside_each_group_of_a_grouped_chart() -> None:
    chart = _chart("Grouped columns: total sold units for each centre, with a column per season")
    assert (chart["mark"], chart["x"], chart["color"]) == ("grouped_bar", "centre", "season")


def test_grouped_by_alone_is_a_grouping_not_a_grouped_chart() -> None:
    chart = _chart("total sold units grouped by centre and season")
    assert chart["mark"] == "stacked_bar"


def test_a_compound_of_two_measure_words_names_its_head() -> None:
    """"the energy bill": "energy" would reach the kWh column and "bill" the cost one; the bill is asked for."""
    meters = _table(_col("site", "VARCHAR", "categorical", 6), _col("kwh_used", "DOUBLE", "measure", 500),
                    _col("charges_usd", "DOUBLE", "measure", 500))
    a, _said = _mentions("average energy bill per site", meters)
    assert a.chart is not None and describe_chart(a.chart)["y"] == "charges_usd" and not a.unmatched
    a, _said = _mentions("average energy per site", meters)
    assert a.chart is not None and describe_chart(a.chart)["y"] == "kwh_used"


def test_a_unit_in_a_column_name_says_what_it_measures() -> None:
    trucks = _table(_col("depot", "VARCHAR", "categorical", 6), _col("load_kg", "DOUBLE", "measure", 500),
                    _col("route_km", "DOUBLE", "measure", 500))
    a, said = _mentions("total weight by depot", trucks)
    assert said.get("weight") == "load_kg" and not a.unmatched
    a, said = _mentions("average distance by depot", trucks)
    assert said.get("distance") == "route_km" and not a.unmatched
    a, _said = _mentions("average fuel by depot", trucks)
    assert a.unmatched == ["fuel"]


def test_a_noun_made_from_a_verb_reaches_the_column_named_by_the_verb() -> None:
    permits = _table(_col("district", "VARCHAR", "categorical", 6), _col("days_to_approve", "DOUBLE", "measure", 90),
                     _col("days_to_inspect", "DOUBLE", "measure", 90))
    a, said = _mentions("average approval days per district", permits)
    assert "days_to_approve" in said.values() and not a.unmatched
    assert _root("rental") is None or _root("rental") != _root("rent")


def test_a_column_spelled_out_from_its_abbreviations_across_words() -> None:
    homes = _table(_col("city", "VARCHAR", "categorical", 6), _col("Living_Area_SqFt", "DOUBLE", "measure", 500))
    a, said = _mentions("median square footage by city", homes)
    assert said.get("square footage") == "Living_Area_SqFt" and not a.unmatched


def test_a_row_noun_repeating_a_named_column_is_no_missing_field() -> None:
    labs = _table(_col("TestName", "VARCHAR", "categorical", 8), _col("Cost", "DOUBLE", "measure", 300))
    a, _said = _mentions("share of tests per test name, pie", labs)
    assert not a.unmatched
    a, _said = _mentions("average cost by test name and reagent", labs)
    assert a.unmatched == ["reagent"]


def test_readings_and_entries_are_rows() -> None:
    meters = _table(_col("meter", "VARCHAR", "categorical", 6), _col("taken_on", "DATE", "temporal", 300),
                    _col("kwh", "DOUBLE", "measure", 500))
    for question in ("number of readings per meter", "an area chart of entries over time by month"):
        a, _said = _mentions(question, meters)
        assert not a.unmatched, question


#: a regional bus company's journeys
BUSES = _table(
    _col("depot", "VARCHAR", "categorical", 5, [("Northgate", 90), ("Riverside", 80), ("Hilltop", 70)]),
    _col("service_class", "VARCHAR", "categorical", 3, [("Express", 120), ("Local", 100), ("Night", 40)]),
    _col("fare_take", "DOUBLE", "measure", 500),
    _col("riders", "DOUBLE", "measure", 200),
    _col("run_date", "DATE", "temporal", 300),
)
_BUS_VALUES = {"depot": ["Hilltop", "Northgate", "Riverside"], "service_class": ["Express", "Local", "Night"]}


def _bus(question: str) -> dict[str, object]:
    return _drawn(question, BUSES, _BUS_VALUES, "bus_journeys")


@pytest.mark.parametrize(("question", "y", "agg", "order"), [
    ("Which depot takes more fare take in total: Northgate or Hilltop?", "fare_take", "sum", "descending"),
    ("Comparing depot Riverside and Hilltop, which has the higher average riders?", "riders", "mean", "descending"),
    ("Are there more journeys from Northgate or from Riverside?", None, "count", "descending"),
    ("Which carries fewer riders on average, Northgate or Riverside?", "riders", "mean", "ascending"),
])
def test_a_question_comparing_two_named_groups_draws_them_side_by_side(question: str, y: str | None, agg: str,
                                                                        order: str) -> None:
    chart = _bus(question)
    assert (chart["mark"], chart["x"], chart["y"], chart["aggregation"]) == ("bar", "depot", y, agg)
    assert chart["sort"] == {"channel": "y", "order": order}
    assert len(chart["filters"]) == 1 and "depot in" in str(chart["filters"][0])


def test_a_single_named_value_stays_a_filter() -> None:
    chart = _bus("total riders per service class at Hilltop")
    assert chart["x"] == "service_class" and chart["filters"] == ["depot == 'Hilltop'"]


@pytest.mark.parametrize("question", [
    "How are the journeys split between the different depot values?",
    "How are journeys divided up among the depots?",
    "How big a slice of the journeys does each depot take?",
])
def test_how_rows_divide_among_a_grouping_is_a_share(question: str) -> None:
    chart = _bus(question)
    assert (chart["mark"], chart["x"], chart["aggregation"]) == ("pie", "depot", "count")


def test_different_values_counted_per_grouping_stay_a_distinct_count() -> None:
    chart = _bus("number of different service classes per depot")
    assert (chart["x"], chart["y"], chart["aggregation"]) == ("depot", "service_class", "count_distinct")


@pytest.mark.parametrize("question", [
    "Stacked area of the total riders by month, coloured by depot",
    "Shaded area of riders per quarter, stacked by depot",
    "Area version please: total riders for each week, split into depot bands",
    "Monthly riders totals, area",
])
def test_area_said_in_many_ways(question: str) -> None:
    chart = _bus(question)
    assert (chart["mark"], chart["x"], chart["y"]) == ("area", "run_date", "riders")


def test_a_column_named_area_is_no_area_chart() -> None:
    fields = _table(_col("farm", "VARCHAR", "categorical", 6), _col("area", "DOUBLE", "measure", 300))
    assert _drawn("total area by farm", fields, table="farms")["mark"] != "area"


@pytest.mark.parametrize(("question", "bin_"), [
    ("total riders over run date in year buckets", "year"),
    ("riders by run date, quarter bins, as a line", "quarter"),
])
def test_a_unit_before_buckets_names_the_bin(question: str, bin_: str) -> None:
    assert _bus(question)["bin"] == bin_


def test_a_value_before_a_comma_and_which_is_still_a_value() -> None:
    a = analyze_question("Comparing depot Riverside and Hilltop, which has the higher average riders?", BUSES,
                         values=_BUS_VALUES, table_name="bus_journeys")
    assert {v.value for v in a.mapping.values} == {"Riverside", "Hilltop"}


#: a vet clinic's appointments, with yes/no flags
VETS = _table(
    _col("vet", "VARCHAR", "categorical", 6, [("Dr Moss", 60), ("Dr Lane", 50)]),
    _col("species", "VARCHAR", "categorical", 5, [("Dog", 90), ("Cat", 80), ("Rabbit", 20)]),
    _col("is_emergency", "BOOLEAN", "boolean", 2),
    _col("bill", "DOUBLE", "measure", 400),
    _col("minutes", "DOUBLE", "measure", 90),
    _col("weight", "DOUBLE", "measure", 300),
    _col("seen_on", "DATE", "temporal", 300),
)
_VET_VALUES = {"vet": ["Dr Lane", "Dr Moss"], "species": ["Cat", "Dog", "Rabbit"]}


def _vet(question: str) -> dict[str, object]:
    return _drawn(question, VETS, _VET_VALUES, "appointments")


@pytest.mark.parametrize(("question", "op"), [
    ("How many appointments per vet beat the average bill?", ">"),
    ("How many appointments for each vet exceed the mean bill?", ">"),
    ("How many appointments per vet fall short of the average bill?", "<"),
    ("count of appointments by vet that trail the average bill", "<"),
])
def test_a_row_compared_with_the_average_of_a_column_said_after_it(question: str, op: str) -> None:
    chart = _vet(question)
    assert (chart["x"], chart["y"], chart["aggregation"]) == ("vet", None, "count")
    assert chart["filters"] == [f"bill {op} mean(bill)"]


def test_the_top_average_is_a_ranking_not_a_filter() -> None:
    chart = _vet("Which vet has the top average bill?")
    assert (chart["y"], chart["aggregation"], chart["filters"]) == ("bill", "mean", [])


def test_a_column_compared_with_its_own_average_is_no_colour() -> None:
    chart = _vet("total bill per vet for appointments whose minutes exceed the average minutes")
    assert (chart["mark"], chart["color"], chart["filters"]) == ("bar", None, ["minutes > mean(minutes)"])


@pytest.mark.parametrize("question", [
    "Leave the emergency appointments out and show the total bill per vet",
    "Total bill per vet, not counting emergency appointments",
])
def test_a_flag_left_out_in_words_is_a_filter_not_a_colour(question: str) -> None:
    chart = _vet(question)
    assert (chart["mark"], chart["color"]) == ("bar", None)
    assert chart["filters"] == ["is_emergency == False"] or chart["filters"] == ["is_emergency == 0.0"]


def test_values_containing_text_after_the_column_word_filter() -> None:
    chart = _vet("average bill per species for vet values containing 'Moss'")
    assert (chart["x"], chart["color"], chart["filters"]) == ("species", None, ["vet contains 'Moss'"])


@pytest.mark.parametrize("question", [
    "Weight from 2 up to 30: maximum bill per species",
    "Only appointments with weight in the 2 to 30 range: largest bill by species",
])
def test_a_range_said_with_up_to_or_as_a_range(question: str) -> None:
    chart = _vet(question)
    assert (chart["x"], chart["y"], chart["filters"]) == ("species", "bill", ["weight between 2 and 30"])


def test_a_time_word_inside_a_named_value_asks_for_no_bin() -> None:
    shows = _table(_col("show", "VARCHAR", "categorical", 3, [("Science Weekly", 40), ("Daily Brief", 40)]),
                   _col("topic", "VARCHAR", "categorical", 6), _col("ad_spots", "DOUBLE", "measure", 20),
                   _col("aired", "DATE", "temporal", 200))
    chart = _drawn("Average ad_spots per topic, only where show is Science Weekly", shows,
                   {"show": ["Daily Brief", "Science Weekly"]}, "episodes")
    assert (chart["mark"], chart["x"], chart["bin"]) == ("bar", "topic", None)


@pytest.mark.parametrize(("question", "x", "y"), [
    ("XY plot of bill against minutes, split by species in colour", "minutes", "bill"),
    ("Points for every appointment, minutes across and bill up, coloured by species", "minutes", "bill"),
    ("bill vs weight points coloured by species", "weight", "bill"),
    ("scatterplot bill ~ weight", "weight", "bill"),
])
def test_scatter_said_in_many_ways(question: str, x: str, y: str) -> None:
    chart = _vet(question)
    assert (chart["mark"], chart["x"], chart["y"]) == ("scatter", x, y)


@pytest.mark.parametrize("question", [
    "Can you show me a line that follows the mean bill through seen on, one dot per week?",
    "Line graph please, total bill, one point for every week.",
])
def test_one_dot_per_step_of_a_line_keeps_the_line(question: str) -> None:
    chart = _vet(question)
    assert (chart["mark"], chart["x"], chart["y"], chart["bin"]) == ("line", "seen_on", "bill", "week")


@pytest.mark.parametrize("question", ["count of journeys split by depot", "total riders, split by depot"])
def test_split_by_is_a_grouping_not_a_share(question: str) -> None:
    assert _bus(question)["mark"] == "bar"


def test_counts_of_events_add_up_and_averaged_after_the_measure_means() -> None:
    music = _table(_col("genre", "VARCHAR", "categorical", 8), _col("streams", "DOUBLE", "measure", 900),
                   _col("rating", "DOUBLE", "measure", 50))
    chart = describe_chart(analyze_question("the 2 genres that bring in the most streams", music,
                                            table_name="songs").chart)  # type: ignore[arg-type]
    assert (chart["y"], chart["aggregation"]) == ("streams", "sum")
    chart = describe_chart(analyze_question("streams per genre, averaged", music,
                                            table_name="songs").chart)  # type: ignore[arg-type]
    assert chart["aggregation"] == "mean"
    chart = describe_chart(analyze_question("rating per genre", music, table_name="songs").chart)  # type: ignore[arg-type]
    assert chart["aggregation"] == "mean"


@pytest.mark.parametrize(("question", "missing"), [
    ("Tip trend by month", "tip"),
    ("Overtime pay trend by week", "overtime pay"),
    ("Top 3 conductors by number of journeys", "conductors"),
    ("Is ticket fee higher at one depot than another?", "ticket fee"),
])
def test_a_missing_measure_named_where_only_a_field_can_stand(question: str, missing: str) -> None:
    """The subject of "X trend by month", the groups ranked in "top 3 X by ...", and the subject of "is X
    higher ..." are fields: one the table lacks is said missing (the bus table has no tips, overtime, conductors
    or ticket fee)."""
    a = analyze_question(question, BUSES, values=_BUS_VALUES, table_name="bus_journeys")
    assert a.unmatched == [missing]


@pytest.mark.parametrize("question", ["Riders trend by month", "Top 2 depots by number of journeys",
                                      "Is fare take higher at one depot than another?"])
def test_the_same_shapes_naming_real_columns_are_answered(question: str) -> None:
    a = analyze_question(question, BUSES, values=_BUS_VALUES, table_name="bus_journeys")
    assert not a.unmatched


@pytest.mark.parametrize("question", ["Seasonal trend by month", "Give me the recent trend by week"])
def test_an_adjective_before_a_trend_is_no_missing_measure(question: str) -> None:
    a = analyze_question(question, BUSES, values=_BUS_VALUES, table_name="bus_journeys")
    assert not a.unmatched


def test_a_scatter_is_coloured_only_when_the_question_says_so() -> None:
    chart = _vet("Draw a scatter plot with weight on the x-axis and minutes of the emergency on the y-axis")
    assert (chart["mark"], chart["color"]) == ("scatter", None)
    for question in ("scatter where x is weight, y is bill and the colour is species",
                     "scatter of bill against weight per species"):
        assert _vet(question)["color"] == "species", question


def test_how_many_separate_values_within_each_group_is_a_distinct_count() -> None:
    chart = _bus("How many separate service classes show up within each depot?")
    assert (chart["x"], chart["y"], chart["aggregation"]) == ("depot", "service_class", "count_distinct")


def test_as_columns_is_a_bar_chart() -> None:
    assert _bus("the count of journeys for every month of run date as columns")["mark"] == "bar"


def test_a_chart_word_qualifying_a_compared_subject_keeps_it_a_field() -> None:
    """"sample" is a word about data, but "sample volume over 100" compares a volume the vet table lacks."""
    a = analyze_question("Only appointments with sample volume over 100: number of appointments by vet", VETS,
                         values=_VET_VALUES, table_name="appointments")
    assert a.unmatched == ["sample volume"]
    a = analyze_question("Only appointments with sample weight over 10: number of appointments by vet", VETS,
                         values=_VET_VALUES, table_name="appointments")
    assert not a.unmatched


@pytest.mark.parametrize(("question", "k", "order"), [
    ("2 depots where the total riders is highest", 2, "descending"),
    ("3 service classes with the fewest journeys", 3, "ascending"),
])
def test_a_count_opening_the_question_is_a_top_k(question: str, k: int, order: str) -> None:
    chart = _bus(question)
    assert chart["top_k"] == k and chart["sort"] == {"channel": "y", "order": order}
