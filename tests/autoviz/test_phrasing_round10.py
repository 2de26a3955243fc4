"""Rewrites added in round 10; sentences and tables written for these tests.

Each test names a general rule, never one corpus sentence: a misspelt chart name, rows "taken out", a distinct
count typed as a function or said as "count each X once", "diff" for different, a threshold said before its
column ("clear 3 on X", "capped at X 40"), "how low/high does X go", "day-of-week", alphabetical order with a
direction, field wells ("chart: box", "x-axis: date (month)"), "what part of" as a share and "a colour for each".
"""

from __future__ import annotations

import pytest

from sgr.autoviz.phrasing import canonical
from sgr.autoviz.profile import DataProfile
from sgr.autoviz.question import analyze_question, describe_chart
from tests.autoviz.profiles import column as _col
from tests.autoviz.profiles import drawn
from tests.autoviz.profiles import table as _table

#: a bike courier firm's deliveries
COURIER = _table(
    _col("hub", "VARCHAR", "categorical", 4),
    _col("rider", "VARCHAR", "categorical", 12),
    _col("parcel_size", "VARCHAR", "categorical", 3),
    _col("distance_km", "DOUBLE", "measure", 400),
    _col("tip", "DOUBLE", "measure", 300),
    _col("stops", "BIGINT", "measure", 9),
    _col("delivered_on", "DATE", "temporal", 600),
)
COURIER_VALUES = {"hub": ["Docklands", "Old Town", "Uptown", "Riverside"],
                  "parcel_size": ["Small", "Medium", "Large"],
                  "rider": ["Ana", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lu"]}


def _drawn(question: str, profile: DataProfile = COURIER,
           values: dict[str, list[str]] | None = None) -> dict[str, object]:
    return drawn(question, profile, COURIER_VALUES if values is None else values, "deliveries")


@pytest.mark.parametrize(("typed", "said"), [
    # a misspelt chart name
    ("scater of tip against distance", "scatter of tip against distance"),
    ("a scaterplot please", "a scatterplot please"),
    ("scatterr: tip vs stops", "scatter: tip vs stops"),
    # rows taken out
    ("mean tip per rider, with hub Uptown taken out", "mean tip per rider, excluding hub Uptown"),
    ("stops by hub with the Large parcels left out", "stops by hub excluding the Large parcels"),
    ("total tip per hub once we're taking out the Small rows", "total tip per hub once we're excluding the Small rows"),
    ("Take out all Riverside deliveries and show tips by rider", "exclude all Riverside deliveries and show tips by "
     "rider"),
    # a distinct count typed as a function, or said as "each once"
    ("hub, nunique(rider)", "hub, number of distinct rider"),
    ("COUNT(DISTINCT rider) by hub", "number of distinct rider by hub"),
    ("for every hub, counting each rider just once", "for every hub, counting distinct rider"),
    ("diff riders per hub — how many?", "different riders per hub — how many?"),
    # a threshold before its column
    ("deliveries per hub that clear 12 on distance_km", "deliveries per hub with distance_km above 12"),
    ("how many riders exceed 3 on stops, by hub?", "how many riders with stops above 3, by hub?"),
    ("riders who fall below 2.5 on tip", "riders with tip below 2.5"),
    ("average tip by hub, capped at distance km 30", "average tip by hub, distance km up to 30"),
    ("average tip by hub with stops capped at 5", "average tip by hub with stops up to 5"),
    # how low / how high
    ("per hub, how low does the tip go?", "per hub, minimum tip?"),
    ("how high do stops climb for each rider", "maximum stops for each rider"),
    ("how high distance km gets per hub", "maximum distance km per hub"),
    # day of the week, hyphenated
    ("tips by day-of-the-week", "tips by day of the week"),
    ("any days-of-week effect on stops?", "any days of the week effect on stops?"),
    # alphabetical order with a direction
    ("tip per hub, hubs in decreasing alphabetical order", "tip per hub, hubs in reverse alphabetical order"),
    ("tip per rider, riders listed alphabetically, descending", "tip per rider, riders listed reverse alphabetically"),
    ("tip per rider in ascending alphabetical order", "tip per rider in alphabetical order"),
    # field wells
    ("x: hub | y: tip | chart: boxes", "x: hub | y: tip | chart: boxes chart"),
    ("x-axis: delivered on | y-axis: stops | chart type: area", "x-axis: delivered on | y-axis: stops | chart type: "
     "area chart"),
    ("x-axis: delivered_on (quarter) | y-axis: total tip", "x-axis: delivered_on by quarter | y-axis: total tip"),
    ("x = delivered on (by week) | y = stops", "x = delivered on by week | y = stops"),
    ("x-axis: delivered_on (weekday) | y-axis: tips", "x-axis: delivered_on by day of the week | y-axis: tips"),
    # a share said as "what part of"
    ("a pie of what part of all the tips each hub takes", "a pie of what share of all the tips each hub takes"),
    ("which part of the total distance does each rider account for?",
     "which share of the total distance does each rider account for?"),
    # a part of something that is not a whole of the data stays as typed
    ("which part of the route does each rider account for?", "which part of the route does each rider account for?"),
    # a colour for each
    ("tip vs distance, a separate colour per hub", "tip vs distance, coloured by hub"),
    ("stops against tip using one colour for every parcel size", "stops against tip coloured by parcel size"),
])
def test_round10_forms_read_as_plain_words(typed: str, said: str) -> None:
    assert canonical(typed) == said


@pytest.mark.parametrize("question", [
    "what is the diff between Uptown and Old Town in tips?",     # "diff" as difference stays
    "top 3 in tips per hub",                                      # a top-k is no threshold
    "what part of the day has the most deliveries?",              # a part of the day is no share
    "tips sorted alphabetically, in decreasing order of stops",   # the direction belongs to another order
    "take-out orders per hub",                                    # a take-out is no exclusion
    "how high is the tip per hub",                                # the value itself, no maximum
    "rider type: bar staff",                                      # not a field well's chart
    "scatter of tip against distance",
    "x-axis: hub (Docklands first) | y-axis: tip",
])
def test_look_alikes_stay_as_typed(question: str) -> None:
    assert canonical(question) == question


def test_rows_taken_out_are_excluded() -> None:
    assert _drawn("average tip per rider, but with hub Uptown taken out")["filters"] == ["hub != 'Uptown'"]
    assert _drawn("Total stops per rider, after taking out the parcel size Large rows")["filters"] == [
        "parcel_size != 'Large'"]


def test_a_distinct_count_typed_or_said_as_once() -> None:
    for question in ("hub, n_distinct(rider)", "For each hub, count every rider once: how many?",
                     "diff riders per hub, how many (distinct)"):
        drawn = _drawn(question)
        assert (drawn["x"], drawn["y"], drawn["aggregation"], drawn["color"]) == (
            "hub", "rider", "count_distinct", None), question


def test_thresholds_said_before_the_column() -> None:
    assert _drawn("How many deliveries per hub clear 10 on distance_km?")["filters"] == ["distance_km > 10"]
    assert _drawn("Average tip per hub, capped at stops 4 (anything above left out)")["filters"] == ["stops <= 4"]


def test_how_low_and_how_high_aggregate() -> None:
    assert _drawn("how low does the tip go for each hub")["aggregation"] == "min"
    assert _drawn("for each hub, how high do stops go?")["aggregation"] == "max"


def test_a_hyphenated_day_of_week_bins_the_date() -> None:
    drawn = _drawn("Any day-of-week pattern in the average tip?")
    assert (drawn["x"], drawn["bin"], drawn["aggregation"]) == ("delivered_on", "weekday", "mean")


def test_alphabetical_with_a_direction_orders_the_categories() -> None:
    drawn = _drawn("Mean tip for each hub, hubs sorted in decreasing alphabetical order.")
    assert drawn["sort"] == {"channel": "x", "order": "descending"}


def test_field_wells_name_the_chart_and_the_bin() -> None:
    drawn = _drawn("x-axis: hub | y-axis: tip | chart: box")
    assert (drawn["mark"], drawn["x"], drawn["y"]) == ("box", "hub", "tip")
    drawn = _drawn("x-axis: delivered_on (quarter) | y-axis: count of deliveries | chart: line")
    assert (drawn["mark"], drawn["x"], drawn["bin"]) == ("line", "delivered_on", "quarter")


def test_what_part_and_a_colour_for_each() -> None:
    a = analyze_question("A pie showing what part of all the tip each hub contributes", COURIER,
                         values=COURIER_VALUES, table_name="deliveries")
    assert a.unmatched == []
    assert describe_chart(a.chart)["mark"] == "pie"  # type: ignore[arg-type]
    drawn = _drawn("scater: tip against distance km, with a different colour for each parcel size")
    assert (drawn["mark"], drawn["x"], drawn["y"], drawn["color"]) == ("scatter", "distance_km", "tip", "parcel_size")
