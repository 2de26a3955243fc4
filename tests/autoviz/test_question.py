"""The question analysis: the chart a question asks for, read deterministically, and no false refusals.

Each case checks the full chart request (mark, x, y, aggregation, colour, sort, bin, filters, top-k) on a
profile that mirrors real tables: an id column, an abbreviated name (`Dept`), a `Sex` column asked about as
"gender", a date, measures that are added up and measures that are averaged.
"""

from __future__ import annotations

from typing import Any

import pytest

from sgr.autoviz.models import ChartSort, Filter
from sgr.autoviz.profile import ColumnProfile, DataProfile
from sgr.autoviz.question import analyze_question, describe_chart


def _col(name: str, dtype: str, role: str, distinct: int = 10, top: list[tuple[str, int]] | None = None,
         lo: Any = None, hi: Any = None) -> ColumnProfile:
    return ColumnProfile(name=name, dtype=dtype, role=role, missing=0, missing_frac=0.0, distinct=distinct,
                         top_values=top or [], min=lo, max=hi)


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
