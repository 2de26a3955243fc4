"""Requirements: the deterministic extraction, the live-context contract, and the step's resolve/repair."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgr.autoviz.intent import classify_intent
from sgr.autoviz.models import Filter, Requirements
from sgr.autoviz.profile import DataProfile
from sgr.autoviz.requirements import (
    RequirementsContext,
    RequirementsStep,
    check_requirements,
    extract_requirements,
    requirements_contract,
)
from sgr.core.contracts import check_bounded, schema_for, xgrammar_compat
from sgr.core.llm.offline import OfflineBackend
from tests.autoviz.profiles import column as _col
from tests.autoviz.profiles import table as _profile
from tests.scripted import ScriptedBackend

SALES = _profile(
    _col("order_id", "BIGINT", "identifier", 1000),
    _col("order_date", "DATE", "temporal", 700),
    _col("region", "VARCHAR", "categorical", 4, [("EU", 400), ("US", 300), ("APAC", 200), ("LATAM", 100)]),
    _col("product_category", "VARCHAR", "categorical", 3, [("Toys", 500), ("Books", 300), ("Garden", 200)]),
    _col("channel", "VARCHAR", "categorical", 2, [("online", 600), ("store", 400)]),
    _col("units", "BIGINT", "categorical", 9, [("1", 200), ("2", 150), ("3", 120), ("4", 100), ("5", 90)]),
    _col("revenue", "DOUBLE", "measure", 990),
    _col("cost", "DOUBLE", "measure", 980),
    _col("discount", "DOUBLE", "measure", 20),
)
NO_DATES = _profile(*[c for c in SALES.columns if c.role != "temporal"])
TEXT_ONLY = _profile(_col("name", "VARCHAR", "identifier", 1000),
                     _col("city", "VARCHAR", "categorical", 5, [("Oslo", 3), ("Rome", 2)]))
NUMBERS_ONLY = _profile(_col("x", "DOUBLE", "measure"), _col("y", "DOUBLE", "measure"))


def _req(question: str, profile: DataProfile = SALES) -> Requirements:
    return extract_requirements(question, profile, classify_intent(question, profile).intent)


# -- deterministic path on a dozen questions -----------------------------------------------------------


def test_named_metric_and_group() -> None:
    r = _req("Show revenues by Region")
    assert (r.metrics, r.group_by, r.aggregation, r.defaults) == (["revenue"], ["region"], "sum", [])
    assert r.mapped_terms == {"revenues": "revenue (variant)", "Region": "region (variant)"}
    assert "compare" in r.analysis_types


def test_average_and_year_filter() -> None:
    r = _req("average cost per product category in 2024")
    assert r.aggregation == "mean" and r.metrics == ["cost"] and r.group_by == ["product_category"]
    assert r.filters == [Filter(column="order_date", op=">=", value="2024-01-01"),
                         Filter(column="order_date", op="<", value="2025-01-01")]


def test_time_question_gets_time_column_grain_and_trend() -> None:
    r = _req("How has revenue trended monthly?")
    assert r.time_column == "order_date" and r.time_grain == "month" and "trend" in r.analysis_types
    assert "time:order_date" in r.defaults  # the question named no date column: chosen, and said so


@pytest.mark.parametrize(("question", "grain"), [
    ("weekly cost", "week"), ("revenue per quarter", "quarter"), ("revenue year over year", "year"),
    ("daily units sold", "day"), ("revenue over time", "auto"), ("revenue in the last 3 months", "auto"),
])
def test_grain_words(question: str, grain: str) -> None:
    assert _req(question).time_grain == grain


def test_unknown_columns_stay_unmatched_and_substitutes_are_marked_defaults() -> None:
    r = _req("profit by country")
    assert sorted(r.unmatched_terms) == ["country", "profit"]
    assert r.metrics and all(f"metric:{m}" in r.defaults for m in r.metrics)
    assert all(f"group_by:{g}" in r.defaults for g in r.group_by)


def test_two_values_of_one_column_filter_and_group() -> None:
    r = _req("revenue in EU vs US")
    assert r.filters == [Filter(column="region", op="in", value=["EU", "US"])]
    assert r.group_by == ["region"]


def test_excluded_value_is_a_not_equal_filter() -> None:
    assert _req("median discount excluding EU").filters == [Filter(column="region", op="!=", value="EU")]


def test_top_k_and_rank() -> None:
    r = _req("top 5 regions by total revenue")
    assert (r.top_k, r.sort, r.group_by, r.metrics) == (5, "desc", ["region"], ["revenue"])
    assert "rank" in r.analysis_types and "total" in r.analysis_types


def test_bottom_words_sort_ascending() -> None:
    r = _req("bottom three product categories by cost")
    assert (r.top_k, r.sort) == (3, "asc")


def test_count_questions_need_no_metric() -> None:
    # "orders" names the rows (the table's order_id counts them): counting rows is a count, not a metric
    r = _req("How many orders per channel?")
    assert r.aggregation == "count" and r.metrics == [] and r.group_by == ["channel"]
    assert r.chart is not None and (r.chart.x, r.chart.y, r.chart.aggregation) == ("channel", None, "count")
    plain = _req("number of rows by region")
    assert plain.aggregation == "count" and plain.metrics == [] and plain.unmatched_terms == []


def test_share_and_pie_hint() -> None:
    r = _req("share of revenue by product category as a pie chart")
    assert "share" in r.analysis_types and r.chart_hints == ["bar"]


@pytest.mark.parametrize(("question", "hint"), [
    ("scatter of cost against revenue", "scatter"), ("histogram of discount", "histogram"),
    ("line chart of revenue", "line"), ("box plot of cost by region", "box"),
    ("heat map of region and channel", "heatmap"), ("stacked bars of revenue by region and channel", "stacked_bar"),
    ("two lines for cost and revenue", "line"), ("boxplots of discount", "box"),
])
def test_chart_hints(question: str, hint: str) -> None:
    assert hint in _req(question).chart_hints


@pytest.mark.parametrize(("question", "analysis"), [
    ("what percentage of revenue comes from EU", "share"), ("revenue shares by channel", "share"),
    ("spread of cost", "distribution"), ("ranking of regions by cost", "rank"), ("overall revenue", "total"),
])
def test_analysis_words(question: str, analysis: str) -> None:
    assert analysis in _req(question).analysis_types


def test_small_integer_category_is_a_metric_unless_grouped_by() -> None:
    assert "units" in _req("total units by region").metrics
    assert _req("revenue by units").group_by == ["units"]


def test_drivers_and_overview_pick_several_default_metrics() -> None:
    r = _req("give me an overview")
    assert r.metrics == ["revenue", "cost", "discount"] and "summary" in r.analysis_types
    assert r.defaults == ["metric:revenue", "metric:cost", "metric:discount"]


def test_trend_needs_a_time_column() -> None:
    r = _req("revenue trend by region", NO_DATES)
    assert r.time_column is None and "trend" not in r.analysis_types


DOZEN = ["Show revenues by Region", "average cost per product category in 2024", "How has revenue trended?",
         "profit by country", "revenue in EU vs US", "top 5 regions by total revenue", "any outliers in cost?",
         "what drives revenue", "give me an overview", "How many orders per channel?",
         "share of revenue by product category", "correlation between discount and revenue"]


@pytest.mark.parametrize("question", DOZEN)
def test_deterministic_answers_pass_their_own_checks(question: str) -> None:
    assert check_requirements(SALES, _req(question), question=question) == []


# -- the contract ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", [SALES, NO_DATES, TEXT_ONLY, NUMBERS_ONLY], ids=["sales", "no_dates",
                                                                                      "text_only", "numbers"])
def test_contract_is_bounded_and_compiles(profile: DataProfile) -> None:
    schema = schema_for(requirements_contract(profile))
    assert check_bounded(schema) == []
    assert not [p for p in xgrammar_compat(schema) if "cannot compile" in p or "not installed" in p]
    assert next(iter(schema["properties"])) == "reasoning"


def test_contract_fields_are_enums_of_real_columns() -> None:
    props = schema_for(requirements_contract(SALES))["properties"]
    assert props["metrics"]["items"]["enum"] == ["revenue", "cost", "discount", "order_id", "units", "auto"]
    assert props["group_by"]["items"]["enum"] == ["region", "product_category", "channel", "units", "auto"]
    assert props["filters"]["maxItems"] == 3
    no_dates = schema_for(requirements_contract(NO_DATES))["properties"]
    assert "time_column" not in no_dates and "time_grain" not in no_dates
    assert "metrics" not in schema_for(requirements_contract(TEXT_ONLY))["properties"]


# -- the step --------------------------------------------------------------------------------------------


def _answer(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"reasoning": "r", "metrics": ["auto"], "group_by": ["auto"], "time_column": "auto",
                            "time_grain": "auto", "aggregation": "auto", "analysis_types": ["compare"],
                            "filters": [], "sort": "auto", "top_k": None, "chart_hints": [],
                            "chart": {"mark": "auto", "x": "auto", "y": "auto", "aggregation": "auto",
                                      "color": "auto", "sort": "auto", "bin": "auto", "top_k": None}}
    base.update(over)
    return base


def _ctx(question: str, profile: DataProfile = SALES) -> RequirementsContext:
    return RequirementsContext(question, profile, classify_intent(question, profile).intent)


def test_step_offline_is_the_deterministic_path() -> None:
    ctx = _ctx("average cost per region")
    res = RequirementsStep().run(ctx, OfflineBackend("offline"))
    assert res.value == extract_requirements(ctx.question, SALES, ctx.intent)
    assert res.trace.fallback_used


def test_step_resolves_auto_from_the_data() -> None:
    ctx = _ctx("average cost per region, monthly")
    res = RequirementsStep().run(ctx, ScriptedBackend([_answer()]))
    r = res.value
    assert (r.metrics, r.group_by, r.aggregation, r.time_grain) == (["cost"], ["region"], "mean", "month")
    assert {"metrics", "group_by", "aggregation", "sort"} <= set(res.trace.resolved_fields)
    assert not res.trace.fallback_used and res.trace.repairs == 0


def test_model_cannot_hide_unmatched_terms() -> None:
    ctx = _ctx("profit by country")
    res = RequirementsStep().run(ctx, ScriptedBackend([_answer(metrics=["revenue"], group_by=["region"])]))
    assert sorted(res.value.unmatched_terms) == ["country", "profit"]
    assert res.value.defaults == []  # the model chose them, so they are not the deterministic defaults


def test_step_repairs_a_filter_value_that_does_not_exist() -> None:
    ctx = _ctx("revenue by region in Europe")
    bad = _answer(metrics=["revenue"], group_by=["region"],
                  filters=[{"column": "region", "op": "==", "value": "Europe"}])
    good = _answer(metrics=["revenue"], group_by=["region"],
                   filters=[{"column": "region", "op": "==", "value": "eu"}])
    backend = ScriptedBackend([bad, good])
    res = RequirementsStep().run(ctx, backend)
    assert res.trace.repairs == 1
    assert "do not occur in 'region'" in backend.requests[1].messages[-1]["content"]
    assert res.value.filters == [Filter(column="region", op="==", value="EU")]  # canonical spelling


def test_step_repairs_an_answer_that_ignores_a_named_column() -> None:
    ctx = _ctx("discount by channel")
    backend = ScriptedBackend([_answer(metrics=["revenue"], group_by=["channel"]),
                               _answer(metrics=["discount"], group_by=["channel"])])
    res = RequirementsStep().run(ctx, backend)
    assert res.value.metrics == ["discount"] and res.trace.repairs == 1
    assert "names column 'discount'" in backend.requests[1].messages[-1]["content"]


def test_step_rejects_columns_outside_the_enum_then_falls_back() -> None:
    bad = _answer(metrics=["profit"])
    res = RequirementsStep().run(_ctx("profit by region"), ScriptedBackend([bad, bad, bad]))
    assert res.trace.fallback_used and len(res.trace.attempts) == 3
    assert res.value.unmatched_terms == ["profit"]


def test_step_on_a_table_without_dates_or_numbers() -> None:
    ctx = _ctx("how many rows per city", TEXT_ONLY)
    answer = {k: v for k, v in _answer().items() if k not in ("metrics", "time_column", "time_grain")}
    res = RequirementsStep().run(ctx, ScriptedBackend([answer]))
    assert res.value.metrics == [] and res.value.aggregation == "count" and res.value.time_column is None
    assert res.value.group_by == ["city"]


def test_check_requirements_reports_meaning_problems() -> None:
    r = Requirements(metrics=["region"], group_by=["revenue"], time_column="cost",
                     filters=[Filter(column="channel", op="==", value="phone")])
    problems = check_requirements(SALES, r)
    assert len(problems) == 4
    assert any("not numeric" in p for p in problems) and any("continuous measure" in p for p in problems)
    assert any("not a date/time column" in p for p in problems) and any("'phone'" in p for p in problems)


# -- both steps through a real in-process model under xgrammar ----------------------------------------


@pytest.mark.local
@pytest.mark.slow
def test_steps_on_a_tiny_local_model_give_grammar_valid_or_fallback_answers(tiny_model_dir: Any) -> None:
    """A random model under the live contracts: every answer parses and fits, meaning comes from checks."""
    import importlib.util

    import jsonschema

    from sgr.autoviz.intent import IntentContext, IntentStep
    from sgr.core.port import parse_json_lenient
    from sgr.core.step import StepPolicy

    missing = [m for m in ("torch", "transformers", "xgrammar") if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"the local extra is missing: {missing}")
    from sgr.core.llm.local import LocalBackend

    backend = LocalBackend("tiny-local", tiny_model_dir, max_tokens=400)
    try:
        question = "average revenue by region in 2024"
        intent = IntentStep().run(IntentContext(question, SALES), backend, StepPolicy(max_retries=1))
        assert intent.value.intent in ("general_eda", "time_series_investigation", "segmentation_drivers",
                                       "anomaly_detection", "comparative_analysis")
        ctx = RequirementsContext(question, SALES, intent.value.intent)
        res = RequirementsStep().run(ctx, backend, StepPolicy(max_retries=1))
        schema = schema_for(requirements_contract(SALES))
        exchanges = [*intent.trace.attempts, *res.trace.attempts]
        assert exchanges, "the model was asked at least once"
        for attempt in res.trace.attempts:
            if attempt.finish_reason == "length":  # cut by max_tokens: the port reports it as such
                assert attempt.error_kind == "truncated"
            else:  # the grammar's doing: every finished answer fits the live contract
                jsonschema.validate(parse_json_lenient(attempt.raw or ""), schema)
        # whatever the random model said, the result is meaningful: validated, or the deterministic answer
        assert check_requirements(SALES, res.value, question=question) == []
        assert res.value.unmatched_terms == []
    finally:
        backend.close()


# -- properties over many generated questions ----------------------------------------------------------

_VOCAB = ["revenue", "revenues", "cost", "discount", "units", "region", "Region", "product category", "channel",
          "EU", "US", "online", "store", "by", "per", "vs", "compare", "top", "5", "bottom", "three", "average",
          "median", "how many", "number of", "orders", "in", "2024", "since", "over time", "monthly", "weekly",
          "outliers", "trend", "what drives", "overview", "share", "pie", "scatter", "histogram", "profit",
          "country", "and", "the", "of", "excluding", "between", "order date", "total", "unique", "customers"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=9),
       profile=st.sampled_from([SALES, NO_DATES, TEXT_ONLY, NUMBERS_ONLY]))
def test_deterministic_path_always_passes_its_own_checks(words: list[str], profile: DataProfile) -> None:
    question = " ".join(words)
    intent = classify_intent(question, profile).intent
    r = extract_requirements(question, profile, intent)
    names = {c.name for c in profile.columns}
    assert set(r.metrics) <= names and set(r.group_by) <= names and {f.column for f in r.filters} <= names
    assert check_requirements(profile, r, question=question) == []
    assert extract_requirements(question, profile, intent) == r  # deterministic


@settings(max_examples=200, deadline=None)
@given(question=st.text(max_size=120))
def test_any_text_gets_an_intent_and_requirements(question: str) -> None:
    d = classify_intent(question, SALES)
    assert 0.0 <= d.confidence <= 1.0 and d.reasons
    extract_requirements(question, SALES, d.intent)


def test_value_index_turns_rare_values_into_filters_and_checks_model_values() -> None:
    values = {"region": ["APAC", "EU", "LATAM", "MENA", "US"], "product_category": ["Books", "Garden", "Toys"],
              "channel": ["online", "store"]}
    wide = _profile(*[c.model_copy(update={"distinct": 5}) if c.name == "region" else c for c in SALES.columns])
    ctx = RequirementsContext("revenue in MENA by channel", wide, "comparative_analysis", values=values)
    assert extract_requirements(ctx.question, wide, ctx.intent).filters == []  # MENA is not in the top values
    det = RequirementsStep().fallback(ctx)
    assert det.filters == [Filter(column="region", op="==", value="MENA")]
    backend = ScriptedBackend([
        _answer(metrics=["revenue"], group_by=["channel"],
                filters=[{"column": "region", "op": "==", "value": "Middle East"}]),
        _answer(metrics=["revenue"], group_by=["channel"],
                filters=[{"column": "region", "op": "==", "value": "mena"}]),
    ])
    res = RequirementsStep().run(ctx, backend)
    assert "'Middle East'" in backend.requests[1].messages[-1]["content"]
    assert res.value.filters == [Filter(column="region", op="==", value="MENA")]


def test_filters_on_dates_and_numbers_must_be_dates_and_numbers() -> None:
    bad = Requirements(metrics=["revenue"], filters=[Filter(column="order_date", op=">=", value="last year"),
                                                     Filter(column="cost", op=">", value="a lot")])
    problems = check_requirements(SALES, bad)
    assert any("needs dates" in p for p in problems) and any("needs numbers" in p for p in problems)
    ok = Requirements(metrics=["revenue"], filters=[Filter(column="order_date", op=">=", value="2024-01-01"),
                                                    Filter(column="cost", op=">", value=10)])
    assert check_requirements(SALES, ok) == []


def test_model_filter_numbers_are_coerced() -> None:
    ctx = _ctx("revenue where cost above 100")
    res = RequirementsStep().run(ctx, ScriptedBackend([
        _answer(metrics=["revenue", "cost"], filters=[{"column": "cost", "op": ">", "value": "100"}])]))
    assert res.value.filters == [Filter(column="cost", op=">", value=100)]


def test_top_k_named_in_the_question_is_enforced() -> None:
    ctx = _ctx("top 3 regions by revenue")
    backend = ScriptedBackend([_answer(metrics=["revenue"], group_by=["region"], top_k=10),
                               _answer(metrics=["revenue"], group_by=["region"], top_k=3)])
    res = RequirementsStep().run(ctx, backend)
    assert res.value.top_k == 3 and res.trace.repairs == 1
