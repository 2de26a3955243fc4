"""The question analysis: the chart a question asks for, read deterministically, and no false refusals.

Each case checks the full chart request (mark, x, y, aggregation, colour, sort, bin, filters, top-k) on a
profile that mirrors real tables: an id column, an abbreviated name (`Dept`), a `Sex` column asked about as
"gender", a date, measures that are added up and measures that are averaged.
"""

from __future__ import annotations

from typing import Any

import pytest

from sgr.autoviz.models import ChartSort, Filter
from sgr.autoviz.profile import DataProfile
from sgr.autoviz.question import analyze_question, describe_chart
from tests.autoviz.profiles import column as _col

STAFF = DataProfile(n_rows=300, n_cols=7, shape="tabular", columns=[
    _col("Employee_ID", "BIGINT", "identifier", 300),
    _col("Dept", "VARCHAR", "categorical", 4, [("Sales", 90), ("Research", 80), ("Support", 70), ("Legal", 60)]),
    _col("Sex", "VARCHAR", "categorical", 2, [("F", 160), ("M", 140)]),
    _col("Hire_Date", "DATE", "temporal", 280, lo="2019-01-04", hi="2023-12-20"),
    _col("Salary", "DOUBLE", "measure", 290),
    _col("Bonus", "DOUBLE", "measure", 250),
    _col("Status", "VARCHAR", "categorical", 3, [("Active", 200), ("On leave", 60), ("Retired", 40)]),
])


def _chart(question: str, table: str | None = "employees") -> dict[str, Any]:
    a = analyze_question(question, STAFF, table_name=table)
    assert a.chart is not None, question
    return describe_chart(a.chart)


@pytest.mark.parametrize(("question", "expected"), [
    ("Return a pie chart of the number of employees in each department",
     {"mark": "pie", "explicit": True, "x": "Dept", "y": None, "aggregation": "count"}),
    ("Show me the average salary by gender with a bar chart",
     {"mark": "bar", "x": "Sex", "y": "Salary", "aggregation": "mean"}),
    ("total bonus per dept, sorted from high to low",
     {"mark": "bar", "x": "Dept", "y": "Bonus", "aggregation": "sum",
      "sort": {"channel": "y", "order": "descending"}}),
    ("How many employees were hired each year? Plot it as a line chart",
     {"mark": "line", "x": "Hire_Date", "aggregation": "count", "bin": "year"}),
    ("bin the hire date by weekday and count the employees, order the x axis ascending",
     {"mark": "bar", "x": "Hire_Date", "bin": "weekday", "sort": {"channel": "x", "order": "ascending"}}),
    ("A scatter plot of salary against bonus",
     {"mark": "scatter", "x": "Bonus", "y": "Salary", "aggregation": "none"}),
    ("stacked bar chart of the number of employees by department, colored by gender",
     {"mark": "stacked_bar", "x": "Dept", "color": "Sex", "aggregation": "count"}),
    ("Which department has the highest average salary?",
     {"mark": "bar", "x": "Dept", "y": "Salary", "aggregation": "mean",
      "sort": {"channel": "y", "order": "descending"}}),
    ("top 3 departments by total salary",
     {"x": "Dept", "y": "Salary", "aggregation": "sum", "top_k": 3,
      "sort": {"channel": "y", "order": "descending"}}),
    ("histogram of salary", {"mark": "histogram", "x": "Salary", "aggregation": "count"}),
    ("minimal salary for each status in ascending order of the y axis",
     {"x": "Status", "y": "Salary", "aggregation": "min", "sort": {"channel": "y", "order": "ascending"}}),
])
def test_chart_requests(question: str, expected: dict[str, Any]) -> None:
    got = _chart(question)
    assert {k: got[k] for k in expected} == expected, got


def test_filters_in_words() -> None:
    a = analyze_question("average bonus by department for employees whose salary is above the average",
                         STAFF, table_name="employees")
    assert a.chart is not None and a.chart.filters == [Filter(column="Salary", op="above_mean")]
    assert (a.chart.x, a.chart.y, a.chart.aggregation) == ("Dept", "Bonus", "mean")
    b = analyze_question("count employees by department with status Active", STAFF)
    assert b.chart is not None and b.chart.filters == [Filter(column="Status", op="==", value="Active")]
    c = analyze_question("number of employees per dept, not Legal", STAFF)
    assert c.filters == [Filter(column="Dept", op="!=", value="Legal")] and c.negations == ["not Legal"]
    d = analyze_question("salary by status for salaries between 40000 and 60000", STAFF)
    assert Filter(column="Salary", op="between", value=[40000, 60000]) in d.filters


def test_the_entity_noun_and_chart_vocabulary_are_never_unmatched() -> None:
    for q in ("How many employees are there in each department? Sort the bars in asc order",
              "List the count of different statuses, colored differently, from low to high",
              "Plot the number of staff for each gender as a pie chart please"):
        a = analyze_question(q, STAFF, table_name="employees")
        assert a.unmatched == [], (q, a.unmatched)
        assert a.chart is not None


def test_a_missing_field_is_still_named() -> None:
    a = analyze_question("average profit by country", STAFF, table_name="employees")
    assert a.unmatched == ["profit", "country"]


def test_synonyms_and_abbreviations_say_how_they_matched() -> None:
    a = analyze_question("salary by gender and department", STAFF)
    kinds = {m.column: m.kind for m in a.mentions}
    assert kinds == {"Salary": "variant", "Sex": "synonym", "Dept": "synonym"}
    assert a.matcher == "lexicon"


def test_identifiers_are_counted_never_summed() -> None:
    a = analyze_question("how many employee ids per department", STAFF)
    assert a.chart is not None and a.chart.aggregation in ("count", "count_distinct")
    assert a.chart.x == "Dept"


def test_open_questions_leave_the_template_in_charge() -> None:
    assert analyze_question("give me an overview of this data", STAFF).chart is None


def test_sort_object_round_trips() -> None:
    a = analyze_question("count of employees by status sorted by x descending", STAFF)
    assert a.chart is not None and a.chart.sort == ChartSort(channel="x", order="descending")


# -- readings fixed in the round that added the "fresh" corpus split (sentences written for these tests) -------

SITES = DataProfile(n_rows=400, n_cols=6, shape="tabular", columns=[
    _col("Site", "VARCHAR", "categorical", 4, [("North Campus", 120), ("River Park", 110), ("Old Town", 90),
                                               ("Airport", 80)]),
    _col("Kind", "VARCHAR", "categorical", 3, [("Repair", 200), ("Install", 120), ("Audit", 80)]),
    _col("Score", "BIGINT", "categorical", 5, [("4", 120), ("5", 100), ("3", 90), ("2", 50), ("1", 40)]),
    _col("Visit_Date", "DATE", "temporal", 380, lo="2022-01-03", hi="2023-12-29"),
    _col("Hours", "DOUBLE", "measure", 300),
    _col("Cost", "DOUBLE", "measure", 390),
])


def _site_chart(question: str) -> dict[str, Any]:
    a = analyze_question(question, SITES, table_name="visits")
    assert a.chart is not None, question
    return describe_chart(a.chart)


def test_a_colour_cue_beats_for_each() -> None:
    got = _site_chart("the total cost for each site as stacked bars colored by kind")
    assert (got["mark"], got["x"], got["color"]) == ("stacked_bar", "Site", "Kind")
    # of two weak cues the later one is the colour
    got = _site_chart("grouped bars of total hours for each kind, grouped by site")
    assert (got["x"], got["color"]) == ("Kind", "Site")


def test_the_fewest_ranks_ascending() -> None:
    got = _site_chart("give me the 2 sites with the fewest visits")
    assert got["top_k"] == 2 and got["sort"] == {"channel": "y", "order": "ascending"}


def test_depends_on_puts_the_driver_on_x() -> None:
    for q in ("a scatter to see how cost depends on hours", "how does cost vary with hours?"):
        got = _site_chart(q)
        assert (got["mark"], got["x"], got["y"]) == ("scatter", "Hours", "Cost"), q


def test_hyphenated_relative_filters() -> None:
    got = _site_chart("count visits with above-average hours in each site")
    assert got["filters"] == ["Hours > mean(Hours)"] and (got["x"], got["aggregation"]) == ("Site", "count")
    got = _site_chart("mean cost per kind for visits with a below-average hours")
    assert got["filters"] == ["Hours < mean(Hours)"]


def test_an_exclusion_verb_reaches_past_the_column_name() -> None:
    got = _site_chart("count visits by kind, leaving out those with site 'Airport'")
    assert got["filters"] == ["Site != 'Airport'"]
    got = _site_chart("count visits by kind excluding visits whose site is Old Town")
    assert got["filters"] == ["Site != 'Old Town'"]
    # a grouping word in between ends the exclusion: "by site" is the axis, Airport is kept
    got = _site_chart("count visits without a repair by site for Airport")
    assert "Site != 'Airport'" not in got["filters"]


def test_a_value_of_several_words_wins_over_a_column_word_inside_it() -> None:
    pupils = DataProfile(n_rows=200, n_cols=2, shape="tabular", columns=[
        _col("School", "VARCHAR", "categorical", 3, [("Lakeview School", 80), ("Hill Academy", 70),
                                                     ("Bay High", 50)]),
        _col("Gender", "VARCHAR", "categorical", 2, [("F", 100), ("M", 100)]),
    ])
    # "School" inside "Lakeview School" is part of the value, not the `School` column
    a = analyze_question("pupils per gender for pupils in Lakeview School or Bay High", pupils, table_name="pupils")
    assert a.chart is not None and a.chart.x == "Gender"
    assert a.chart.filters == [Filter(column="School", op="in", value=["Lakeview School", "Bay High"])]


def test_day_of_the_week_is_the_weekday_bin() -> None:
    got = _site_chart("which day of the week has the most visits?")
    assert (got["mark"], got["x"], got["bin"]) == ("bar", "Visit_Date", "weekday")
    assert got["sort"] == {"channel": "y", "order": "descending"}


def test_a_box_plot_puts_a_score_on_y() -> None:
    got = _site_chart("a box plot comparing score between kind groups")
    assert (got["mark"], got["x"], got["y"]) == ("box", "Kind", "Score")


def test_a_spelled_out_acronym_names_its_column() -> None:
    desk = DataProfile(n_rows=300, n_cols=4, shape="tabular", columns=[
        _col("Team", "VARCHAR", "categorical", 4, [("Billing", 90), ("Tech", 80), ("Sales", 70), ("Returns", 60)]),
        _col("CSAT", "DOUBLE", "measure", 40),
        _col("NPS", "DOUBLE", "measure", 60),
        _col("ts", "TIMESTAMP", "temporal", 300, lo="2024-01-01", hi="2024-12-31"),
    ])
    a = analyze_question("average customer satisfaction per team", desk, table_name="tickets")
    assert a.chart is not None and (a.chart.x, a.chart.y, a.chart.aggregation) == ("Team", "CSAT", "mean")
    assert a.unmatched == [] and {m.column: m.kind for m in a.mentions}["CSAT"] == "synonym"
    b = analyze_question("net promoter score by team", desk, table_name="tickets")
    assert b.chart is not None and b.chart.y == "NPS"
    # two letters are too few to be sure: "total spend" is not the `ts` column, and stays unmatched
    c = analyze_question("total spend by team", desk, table_name="tickets")
    assert "spend" in c.unmatched and all(m.column != "ts" for m in c.mentions)


# -- "partial" only for a field no column, synonym or value plausibly matches (issue 8) ----------------------

GAUGES = DataProfile(n_rows=400, n_cols=7, shape="tabular", columns=[
    _col("gauge", "VARCHAR", "categorical", 5, [("North Pier", 90), ("Ridge", 80), ("Valley", 80)]),
    _col("obs_date", "DATE", "temporal", 365, lo="2023-01-01", hi="2023-12-31"),
    _col("air_temp_c", "DOUBLE", "measure", 300),
    _col("humidity_pct", "DOUBLE", "measure", 90),
    _col("rainfall_mm", "DOUBLE", "measure", 120),
    _col("sky", "VARCHAR", "categorical", 4, [("Clear", 200), ("Overcast", 120), ("Rain", 80)]),
    _col("county", "VARCHAR", "categorical", 3, [("Kent", 200), ("Essex", 200)]),
])

HOMES = DataProfile(n_rows=250, n_cols=5, shape="tabular", columns=[
    _col("Listing_No", "BIGINT", "identifier", 250),
    _col("Suburb", "VARCHAR", "categorical", 6, [("Elmwood", 60), ("Hillcrest", 50)]),
    _col("Sq Ft", "DOUBLE", "measure", 240),
    _col("Asking Price", "DOUBLE", "measure", 240),
    _col("Bedrooms", "BIGINT", "categorical", 5),
])


@pytest.mark.parametrize("question", [
    "Fill the rainfall over obs date as an area chart, with a separate layer for each sky",
    "Draw the mean air temp per gauge, one panel per sky, as a faceted bar chart",
    "mean humidity per gauge, limited to days with rainfall greater than 4",
    "Does air temp tend to fall as humidity rises?",
    "median relative humidity across every gauge",
    "What share of observations falls in each sky condition? Use a pie chart",
])
def test_chart_comparison_and_verb_words_and_qualifiers_are_never_missing_fields(question: str) -> None:
    a = analyze_question(question, GAUGES, table_name="observations")
    assert a.unmatched == [], (question, a.unmatched)


def test_a_field_before_for_each_is_read_like_one_before_by() -> None:
    # "the X for each Y" measures X exactly as "X by Y" does: a missing X is named, with its head noun
    assert analyze_question("Graph the wind gust for each gauge.", GAUGES).unmatched == ["wind gust"]
    assert analyze_question("Chart the exchange rate in every county", GAUGES).unmatched == ["exchange rate"]
    assert analyze_question("Chart the snowfall for each gauge.", GAUGES).unmatched == ["snowfall"]
    homes = analyze_question("Plot the council tax for each suburb", HOMES, table_name="listings")
    assert homes.unmatched == ["council tax"]
    fee = analyze_question("Plot the agency price for each suburb", HOMES, table_name="listings")
    assert fee.unmatched == []  # "agency price" -> Asking Price by its own word "price" (a fuzzy containment)
    assert analyze_question("average profit by country", STAFF, table_name="employees").unmatched == [
        "profit", "country"]


def test_a_qualified_stand_in_is_named_as_missing() -> None:
    # "cost" reaches `Asking Price` only through the lexicon; "insurance cost for each suburb" is not that field
    a = analyze_question("Chart the insurance cost for each suburb", HOMES, table_name="listings")
    assert a.unmatched == ["insurance cost"]


def test_the_entity_noun_before_a_missing_field_is_skipped() -> None:
    a = analyze_question("How many observations are there for each observation vendor?", GAUGES,
                         table_name="observations")
    assert a.unmatched == ["vendor"]


def test_spelled_out_abbreviations_name_their_column() -> None:
    from sgr.autoviz.lexicon import abbreviates

    a = analyze_question("How is the square footage distributed? Histogram please", HOMES, table_name="listings")
    assert a.unmatched == [] and a.chart is not None and a.chart.x == "Sq Ft"
    assert abbreviates("sq", "square") and abbreviates("ft", "footage") and abbreviates("bldg", "building")
    # a part with a vowel inside is a word ("age" is no abbreviation of "average"); units and known
    # abbreviations keep their own meaning ("mm" is millimetres, "pct" percent)
    assert not abbreviates("age", "average") and not abbreviates("mm", "maximum")
    assert not abbreviates("pct", "precipitation")


def test_a_class_word_names_the_one_column_of_its_kind() -> None:
    a = analyze_question("total rainfall for each location", GAUGES)
    assert a.unmatched == [] and a.chart is not None and a.chart.x == "county"
    # with two geographic columns, "location" is ambiguous: it is named as missing, never guessed
    two = DataProfile(n_rows=10, n_cols=3, shape="tabular", columns=[
        _col("City", "VARCHAR", "categorical", 4), _col("Country", "VARCHAR", "categorical", 3),
        _col("Sales", "DOUBLE", "measure", 10)])
    assert analyze_question("total sales by location", two).unmatched == ["location"]


def test_lexicon_synonyms_of_limits_and_states() -> None:
    jobs = DataProfile(n_rows=100, n_cols=4, shape="tabular", columns=[
        _col("job_family", "VARCHAR", "categorical", 6), _col("pay_max", "DOUBLE", "measure", 90),
        _col("pay_min", "DOUBLE", "measure", 90), _col("review_status", "VARCHAR", "categorical", 3)])
    a = analyze_question("mean pay ceiling per decision", jobs, table_name="vacancies")
    assert a.unmatched == [] and a.chart is not None
    assert (a.chart.x, a.chart.y) == ("review_status", "pay_max")


def test_chart_parts_and_spelled_values_are_not_fields() -> None:
    # "a band for each county" describes the chart's parts; "Rain" is a value of `sky`, not the rainfall column
    a = analyze_question("A stacked bar chart of rainfall by gauge with a band for each county", GAUGES)
    assert a.unmatched == []
    b = analyze_question("count of observations per gauge when the sky was Overcast or Rain", GAUGES,
                         table_name="observations")
    assert b.unmatched == [] and b.chart is not None
    assert b.chart.filters == [Filter(column="sky", op="in", value=["Overcast", "Rain"])]


def test_a_head_noun_after_a_short_modifier_is_still_named() -> None:
    # "pm" is too short to name alone; the missing index is still reported, with its short modifier
    assert analyze_question("Plot the mean pm index per gauge", GAUGES).unmatched == ["pm index"]


# -- readings fixed in the round that tuned on the "fresh2" split (sentences and table written for these tests) --

KENNEL = DataProfile(n_rows=500, n_cols=8, shape="tabular", columns=[
    _col("Shelter", "VARCHAR", "categorical", 4, [("Eastgate", 150), ("Millbrook", 130), ("Harbour", 120),
                                                  ("Stonefield", 100)]),
    _col("Breed_Group", "VARCHAR", "categorical", 5, [("Terrier", 120), ("Hound", 110), ("Herding", 100),
                                                      ("Toy", 90), ("Working", 80)]),
    _col("Intake_Date", "DATE", "temporal", 480, lo="2021-01-04", hi="2023-12-28"),
    _col("Stay_Days", "BIGINT", "measure", 120),
    _col("Vet_Bill", "DOUBLE", "measure", 450),
    _col("Weight_Kg", "DOUBLE", "measure", 400),
    _col("Litter_Mates", "BIGINT", "categorical", 6, [("0", 200), ("1", 120), ("2", 80), ("3", 50), ("4", 30),
                                                      ("5", 20)]),
    _col("Adopted", "BOOLEAN", "boolean", 2, [("true", 300), ("false", 200)]),
    _col("Owner_Type", "VARCHAR", "categorical", 3, [("Family", 250), ("Single", 150), ("Couple", 100)]),
])


def _dog(question: str) -> dict[str, Any]:
    a = analyze_question(question, KENNEL, table_name="dogs")
    assert a.unmatched == [], (question, a.unmatched)
    assert a.chart is not None, question
    return describe_chart(a.chart)


@pytest.mark.parametrize(("question", "top_k", "order"), [
    ("Which 2 shelters lead on total vet bill?", 2, "descending"),
    ("Which 3 breed groups come last on mean weight kg?", 3, "ascending"),
    ("Top-4 shelters by average stay days, please", 4, "descending"),
    ("Fewest dogs: which 2 shelters?", 2, "ascending"),
])
def test_top_k_said_with_a_verb_a_hyphen_or_a_ranking_word_elsewhere(question: str, top_k: int, order: str) -> None:
    got = _dog(question)
    assert got["top_k"] == top_k and got["sort"] == {"channel": "y", "order": order}, got


@pytest.mark.parametrize(("question", "sort"), [
    ("Bar chart of the number of dogs per shelter, smallest values on the left.",
     {"channel": "y", "order": "ascending"}),
    ("mean vet bill for every breed group, largest first", {"channel": "y", "order": "descending"}),
    ("total stay days per shelter with the shelters in reverse alphabetical order", {"channel": "x",
                                                                                     "order": "descending"}),
    ("Average weight kg for each shelter. Shelter names in alphabetical order, reversed.",
     {"channel": "x", "order": "descending"}),
])
def test_orders_said_by_where_the_bars_go(question: str, sort: dict[str, str]) -> None:
    got = _dog(question)
    assert got["sort"] == sort, got
    assert got["aggregation"] != "min"  # "smallest values on the left" orders the bars; it asks for no minimum


@pytest.mark.parametrize(("question", "filters"), [
    ("Count dogs per shelter whose stay days is 30 or more.", ["Stay_Days >= 30"]),
    ("Total vet bill across breed group for dogs with a weight kg of 12.5 or less.", ["Weight_Kg <= 12.5"]),
    ("Show the number of dogs per shelter where vet bill doesn't exceed 400.", ["Vet_Bill <= 400"]),
    ("Number of dogs by shelter, counting only dogs taken in prior to 2022", ["Intake_Date < '2022-01-01'"]),
    ("Number of dogs by shelter from March through August 2022.",
     ["Intake_Date >= '2022-03-01'", "Intake_Date < '2022-09-01'"]),
    ("Count the dogs per shelter that have a lower-than-average weight kg.", ["Weight_Kg < mean(Weight_Kg)"]),
    ("the number of dogs per shelter for dogs with vet bill below the overall average.",
     ["Vet_Bill < mean(Vet_Bill)"]),
])
def test_thresholds_said_after_the_number_or_as_a_negated_verb(question: str, filters: list[str]) -> None:
    got = _dog(question)
    assert got["filters"] == filters, got
    # the filtered column is no axis and no colour
    assert got["x"] in ("Shelter", "Breed_Group") and got["color"] is None, got


def test_the_mean_of_the_filter_column_is_not_the_measure() -> None:
    got = _dog("Only dogs whose weight kg is higher than the mean weight kg: what is the total vet bill by shelter?")
    assert got["filters"] == ["Weight_Kg > mean(Weight_Kg)"]
    assert (got["x"], got["y"], got["aggregation"]) == ("Shelter", "Vet_Bill", "sum")


def test_dropping_a_yes_no_group_filters_it_out() -> None:
    got = _dog("How many dogs per owner type if we drop the adopted dogs?")
    assert (got["x"], got["color"]) == ("Owner_Type", None)
    assert got["filters"] == [Filter(column="Adopted", op="==", value=False).text()]


def test_a_column_placed_on_an_axis_is_the_x_and_the_other_grouping_the_colour() -> None:
    got = _dog("A multi-series bar chart of the number of dogs: Owner_Type on x, a series per shelter.")
    assert (got["mark"], got["x"], got["color"]) == ("grouped_bar", "Owner_Type", "Shelter")
    got = _dog("grouped bars, shelter along the x axis and a differently coloured bar for every breed group")
    assert (got["x"], got["color"]) == ("Shelter", "Breed_Group")
    got = _dog("Scatter: vet bill (horizontal) vs weight kg (vertical)")
    assert (got["x"], got["y"]) == ("Vet_Bill", "Weight_Kg")


def test_boxes_shaded_areas_and_time_steps() -> None:
    got = _dog("I want boxes for vet bill, one per shelter.")
    assert (got["mark"], got["x"], got["y"]) == ("box", "Shelter", "Vet_Bill")
    got = _dog("The total vet bill for each month drawn as a shaded area.")
    assert (got["mark"], got["x"], got["bin"]) == ("area", "Intake_Date", "month")
    got = _dog("how does the highest weight kg move from week to week? a line is fine")
    assert (got["mark"], got["bin"], got["aggregation"]) == ("line", "week", "max")
    got = _dog("Is the mean vet bill going up or down month to month?")
    assert (got["mark"], got["x"], got["y"], got["bin"]) == ("line", "Intake_Date", "Vet_Bill", "month")


def test_a_time_word_inside_a_column_name_is_no_bin() -> None:
    got = _dog("the largest stay days by shelter")
    assert (got["mark"], got["x"], got["y"], got["bin"]) == ("bar", "Shelter", "Stay_Days", None)


def test_adding_up_a_small_count_and_different_groups() -> None:
    got = _dog("Add up the stay days for each breed group; what are the totals?")
    assert (got["y"], got["aggregation"]) == ("Stay_Days", "sum")
    got = _dog("Litter mates in total for every shelter?")
    assert (got["x"], got["y"], got["aggregation"], got["color"]) == ("Shelter", "Litter_Mates", "sum", None)
    got = _dog("What's the mean vet bill across the different shelter values?")
    assert (got["mark"], got["x"], got["y"], got["aggregation"]) == ("bar", "Shelter", "Vet_Bill", "mean")


def test_most_common_among_the_rows_counts_them() -> None:
    got = _dog("Which breed group is most common among the dogs?")
    assert (got["x"], got["y"], got["aggregation"], got["color"]) == ("Breed_Group", None, "count", None)
    assert got["sort"] == {"channel": "y", "order": "descending"}


@pytest.mark.parametrize("question", [
    "What fraction of the total vet bill comes from each shelter? Pie chart please.",
    "Pie chart with one wedge per shelter, sized by the number of dogs.",
    "Stacked bars: the total vet bill per shelter, segmented by breed group.",
])
def test_chart_participles_are_not_missing_fields(question: str) -> None:
    _dog(question)


def test_a_patron_is_a_member() -> None:
    gym = DataProfile(n_rows=100, n_cols=2, shape="tabular", columns=[
        _col("member_category", "VARCHAR", "categorical", 3), _col("visits", "BIGINT", "measure", 40)])
    a = analyze_question("Total visits broken out by patron category.", gym, table_name="checkins")
    assert a.unmatched == [] and a.chart is not None and a.chart.x == "member_category"


@pytest.mark.parametrize(("question", "missing"), [
    ("Show the total vet bill by shelter, only where microchip cost is above average.", "microchip cost"),
    ("Is weight kg related to coat length? Scatter them.", "coat length"),
    ("mean stay days per shelter where vaccination is above 3", "vaccination"),
])
def test_a_compared_or_related_field_the_table_lacks_is_named(question: str, missing: str) -> None:
    a = analyze_question(question, KENNEL, table_name="dogs")
    assert missing in a.unmatched, a.unmatched


# -- readings fixed in the round that tuned on the "fresh3" split (sentences and table written for these tests) --

PARCELS = DataProfile(n_rows=800, n_cols=8, shape="tabular", columns=[
    _col("Parcel_ID", "BIGINT", "identifier", 800),
    _col("Carrier", "VARCHAR", "categorical", 4, [("Swiftpost", 300), ("Relay", 200), ("Northline", 180),
                                                  ("Parcelo", 120)]),
    _col("Region", "VARCHAR", "categorical", 5, [("North", 200), ("South", 180), ("East", 160), ("West", 140),
                                                 ("Central", 120)]),
    _col("Ship_Date", "DATE", "temporal", 700, lo="2022-01-03", hi="2023-12-29"),
    _col("Weight_Kg", "DOUBLE", "measure", 600),
    _col("Postage", "DOUBLE", "measure", 500),
    _col("Platform", "VARCHAR", "categorical", 2, [("Web", 500), ("App", 300)]),
    _col("Sender_Type", "VARCHAR", "categorical", 3, [("Shop", 400), ("Private", 250), ("Company", 150)]),
])


def _parcel(question: str) -> dict[str, Any]:
    a = analyze_question(question, PARCELS, table_name="parcels")
    assert a.unmatched == [], (question, a.unmatched)
    assert a.chart is not None, question
    return describe_chart(a.chart)


@pytest.mark.parametrize(("question", "expected"), [
    # "tally" counts, "mix" is a composition, "all told" sums, "typical" averages; none names a field
    ("Tally of parcels per region", {"x": "Region", "y": None, "aggregation": "count"}),
    ("What's the parcels tally by region?", {"x": "Region", "y": None, "aggregation": "count"}),
    ("Tally up the postage per region", {"x": "Region", "y": "Postage", "aggregation": "sum"}),
    ("A donut of the parcels mix by region", {"mark": "pie", "x": "Region", "aggregation": "count"}),
    ("Postage all told, per region", {"x": "Region", "y": "Postage", "aggregation": "sum"}),
    ("Typical weight for each region", {"x": "Region", "y": "Weight_Kg", "aggregation": "mean"}),
    # "calendar month" is the month bin; a colour "stripe" or "band" is a part of the chart
    ("What was the total postage per calendar month?", {"x": "Ship_Date", "y": "Postage", "bin": "month"}),
    ("Area chart of the postage by month, one colour stripe for each region",
     {"mark": "area", "x": "Ship_Date", "color": "Region", "bin": "month"}),
    ("Stacked area of parcels per quarter with a separate colour band for every region",
     {"x": "Ship_Date", "color": "Region", "bin": "quarter", "aggregation": "count"}),
    # the size of the bars orders by their values
    ("Mean postage per region as bars, arranged in increasing order of height.",
     {"x": "Region", "y": "Postage", "sort": {"channel": "y", "order": "ascending"}}),
    ("Bar chart of total weight per region, sorted by bar length, descending",
     {"x": "Region", "y": "Weight_Kg", "sort": {"channel": "y", "order": "descending"}}),
    # general synonyms: an operator is a carrier, a device a platform
    ("How many parcels per operator?", {"x": "Carrier", "aggregation": "count"}),
    ("Typical postage on every device", {"x": "Platform", "y": "Postage", "aggregation": "mean"}),
    ("What's our quarterly run-rate on postage? Line chart.", {"mark": "line", "y": "Postage", "bin": "quarter"}),
])
def test_chart_vocabulary_that_names_no_field(question: str, expected: dict[str, Any]) -> None:
    got = _parcel(question)
    assert {k: got[k] for k in expected} == expected, got


def test_a_rider_or_user_is_a_customer() -> None:
    scooters = DataProfile(n_rows=100, n_cols=3, shape="tabular", columns=[
        _col("rider_group", "VARCHAR", "categorical", 2, [("Subscriber", 70), ("Walk-up", 30)]),
        _col("trip_minutes", "DOUBLE", "measure", 60), _col("fare", "DOUBLE", "measure", 80)])
    a = analyze_question("What is the mean fare broken out by customer group?", scooters, table_name="trips")
    assert a.unmatched == [] and a.chart is not None
    assert (a.chart.x, a.chart.y, a.chart.aggregation) == ("rider_group", "fare", "mean")


def test_the_most_typical_group_is_no_mean() -> None:
    a = analyze_question("Which region is the most typical among the parcels?", PARCELS, table_name="parcels")
    assert a.aggregation != "mean"


@pytest.mark.parametrize(("question", "missing"), [
    ("How much insurance did we pay out in total per region?", "insurance"),
    ("the total performance score by region", "performance score"),
    ("Parcels per carrier, leaving out anything with an unknown courier depot", "courier depot"),
    ("Average postage per region, restricted to parcels with a positive customs fee", "customs fee"),
    ("Weekly fuel surcharge as a line", "fuel surcharge"),
    ("The daily co emissions, line chart", "co emissions"),
    ("Split the number of parcels by carrier and depot manager, side by side.", "depot manager"),
])
def test_a_field_the_table_lacks_in_a_qualifying_phrase_is_named(question: str, missing: str) -> None:
    a = analyze_question(question, PARCELS, table_name="parcels")
    assert missing in a.unmatched, a.unmatched


@pytest.mark.parametrize("question", [
    "How much money did we take in total per region?",
    "Count of parcels by carrier and region, side by side.",
    "Total postage per region, only for parcels with a positive weight",
    "Monthly postage as a trend line",
])
def test_qualifying_phrases_around_named_columns_stay_answerable(question: str) -> None:
    _parcel(question)
