"""The intent decision: many phrasings per intent, profile rules, and the SGR step on offline/scripted backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from sgr.autoviz.intent import IntentContext, IntentDecision, IntentStep, classify_intent, profile_summary
from sgr.core.contracts import check_bounded, schema_for, xgrammar_compat
from sgr.core.llm.offline import OfflineBackend
from sgr.core.step import StepPolicy
from tests.autoviz.profiles import column as _col
from tests.autoviz.profiles import table as _profile
from tests.scripted import ScriptedBackend

SALES = _profile(
    _col("date", "DATE", "temporal", 730, lo="2023-01-01", hi="2024-12-31"),
    _col("region", "VARCHAR", "categorical", 4, [("South", 763), ("West", 727), ("North", 718), ("East", 715)]),
    _col("product_category", "VARCHAR", "categorical", 4,
         [("Office", 749), ("Furniture", 747), ("Apparel", 725), ("Electronics", 702)]),
    _col("channel", "VARCHAR", "categorical", 3, [("Partner", 991), ("Retail", 989), ("Online", 943)]),
    _col("units", "BIGINT", "measure", 23, lo=1.0, hi=23.0),
    _col("revenue", "DOUBLE", "measure", 2886, lo=3.5, hi=990.0),
    _col("cost", "DOUBLE", "measure", 2871, lo=2.0, hi=700.0),
    shape="time_series",
)
CUSTOMERS = _profile(
    _col("customer_id", "VARCHAR", "identifier", 1500),
    _col("segment", "VARCHAR", "categorical", 3, [("Consumer", 886), ("SMB", 452), ("Enterprise", 162)]),
    _col("age", "BIGINT", "measure", 63), _col("income", "DOUBLE", "measure", 1500),
    _col("spend", "DOUBLE", "measure", 1491),
    _col("churned", "BOOLEAN", "boolean", 2, [("true", 852), ("false", 648)]),
)

TIME = [
    "How has revenue trended over the last two years?",
    "Show the evolution of units sold",
    "monthly revenue",
    "Is there seasonality in revenue?",
    "revenue growth since 2023",
    "How did cost develop week over week?",
    "Plot revenue over time",
    "What is the trajectory of units?",
    "Show me the daily revenue",
    "Has revenue been growing?",
    "revenue evolving each quarter",
    "year-over-year change in cost",
    "Trends in units by month",
    "How has revenue changed historically?",
]
ANOMALY = [
    "Are there any outliers in revenue?",
    "find anomalies in cost",
    "Which days had unusual revenue?",
    "show spikes in units",
    "anything weird going on?",
    "abnormal cost values",
    "Where did revenue drop sharply?",
    "detect anomalous orders",
    "is revenue spiking somewhere?",
    "Which records stand out from the rest?",
    "any strange dips in revenue?",
    "surges or plunges in cost",
]
COMPARE = [
    "Compare revenue across regions",
    "North vs South revenue",
    "revenue by region",
    "How do channels differ in cost?",
    "difference between Online and Retail",
    "Which product category has the highest revenue?",
    "Online versus Partner units",
    "revenue per channel",
    "Rank regions by revenue",
    "How does the West stack up against the East?",
    "contrast Apparel and Electronics",
    "top 5 product categories by revenue",
    "profit by country",
]
DRIVERS = [
    "What drives revenue?",
    "Which factors influence cost?",
    "explain the revenue",
    "Is revenue correlated with units?",
    "What impacts units sold?",
    "how does the channel affect revenue",
    "What is the relationship between cost and revenue?",
    "what determines the cost",
    "which variables are associated with revenue",
    "correlations among the numbers",
    "root cause of high cost",
]
DRIVERS_CUSTOMERS = [
    "segment customers by spend",
    "Why do customers churn?",
    "What drives churn?",
    "which factors predict spending",
]
EDA = [
    "Give me an overview of this data",
    "Summarize the dataset",
    "explore the table",
    "Tell me about this file",
    "Describe the data",
    "What's in here?",
    "summarise the key stats",
    "high-level picture please",
    "quick look at the numbers",
    "what does the data contain?",
    "Exploring the sales figures",
    "hello",
]


@pytest.mark.parametrize("question", TIME)
def test_time_series_phrasings(question: str) -> None:
    d = classify_intent(question, SALES)
    assert d.intent == "time_series_investigation", d.reasons


@pytest.mark.parametrize("question", ANOMALY)
def test_anomaly_phrasings(question: str) -> None:
    d = classify_intent(question, SALES)
    assert d.intent == "anomaly_detection", d.reasons


@pytest.mark.parametrize("question", COMPARE)
def test_comparative_phrasings(question: str) -> None:
    d = classify_intent(question, SALES)
    assert d.intent == "comparative_analysis", d.reasons


@pytest.mark.parametrize("question", DRIVERS)
def test_driver_phrasings(question: str) -> None:
    d = classify_intent(question, SALES)
    assert d.intent == "segmentation_drivers", d.reasons


@pytest.mark.parametrize("question", DRIVERS_CUSTOMERS)
def test_driver_phrasings_without_dates(question: str) -> None:
    d = classify_intent(question, CUSTOMERS)
    assert d.intent == "segmentation_drivers", d.reasons


@pytest.mark.parametrize("question", EDA)
def test_general_eda_phrasings(question: str) -> None:
    d = classify_intent(question, SALES)
    assert d.intent == "general_eda", d.reasons


def test_different_questions_get_different_intents() -> None:
    """The predecessor's bug: everything became a time series. Five questions, five intents."""
    questions = ["overview please", "revenue over time", "what drives cost", "any outliers", "North vs South"]
    assert len({classify_intent(q, SALES).intent for q in questions}) == 5


def test_reasons_name_the_words_that_fired() -> None:
    d = classify_intent("Are there spikes or outliers in revenue?", SALES)
    assert "'spikes'" in d.reasons[0] and "'outliers'" in d.reasons[0]
    assert d.scores["anomaly_detection"] > d.scores["general_eda"]


def test_time_question_without_temporal_column_degrades_with_a_reason() -> None:
    d = classify_intent("How has spend trended over time by segment?", CUSTOMERS)
    assert d.intent == "comparative_analysis"
    assert any("no date/time column" in r for r in d.reasons)
    assert d.scores["time_series_investigation"] == 0


def test_time_question_without_any_grouping_degrades_to_eda() -> None:
    d = classify_intent("monthly trend", CUSTOMERS)
    assert d.intent == "general_eda"
    assert any("no date/time column" in r for r in d.reasons)


def test_group_and_time_prefers_time_series_when_dates_exist() -> None:
    assert classify_intent("revenue by region over time", SALES).intent == "time_series_investigation"
    assert classify_intent("revenue by region over time", CUSTOMERS).intent != "time_series_investigation"


def test_tie_is_broken_by_the_profile() -> None:
    # "by <date column>" (time, 2) ties with "between" (compare, 2): a table with dates prefers time
    d = classify_intent("revenue by date between regions", SALES)
    assert d.scores["time_series_investigation"] == d.scores["comparative_analysis"]
    assert d.intent == "time_series_investigation"
    assert any("tie" in r for r in d.reasons)


def test_column_names_do_not_count_as_intent_words() -> None:
    growth = _profile(_col("growth_rate", "DOUBLE", "measure"),
                      _col("region", "VARCHAR", "categorical", 3, [("A", 1), ("B", 1), ("C", 1)]),
                      _col("month", "DATE", "temporal"))
    d = classify_intent("average growth rate by region", growth)
    assert d.intent == "comparative_analysis", d.reasons


def test_confidence_grows_with_evidence_and_margin() -> None:
    strong = classify_intent("outliers and anomalies in cost", SALES).confidence
    weak = classify_intent("revenue for each channel", SALES).confidence
    tied = classify_intent("revenue by date between regions", SALES).confidence
    assert strong > weak > tied


def test_no_signal_is_low_confidence_general_eda() -> None:
    d = classify_intent("revenue", SALES)
    assert d.intent == "general_eda" and d.confidence < 0.5


def test_profile_summary_lists_real_columns_and_values() -> None:
    text = profile_summary(SALES)
    assert "region (categorical, VARCHAR)" in text and "South" in text
    assert text.count("\n") == len(SALES.columns)


# -- the step --------------------------------------------------------------------------------------


def test_intent_contract_is_bounded_and_compiles() -> None:
    model = IntentStep().schema(IntentContext("q", SALES))
    schema = schema_for(model)
    assert check_bounded(schema) == []
    assert list(schema["properties"]) == ["reasoning", "intent"]
    assert not [p for p in xgrammar_compat(schema) if "cannot compile" in p or "not installed" in p]


def test_step_offline_uses_the_deterministic_path() -> None:
    ctx = IntentContext("Any outliers in cost?", SALES)
    res = IntentStep().run(ctx, OfflineBackend("offline"))
    assert isinstance(res.value, IntentDecision)
    assert res.value == classify_intent(ctx.question, SALES)
    assert res.trace.fallback_used and res.trace.fallback_reason == "offline backend"


def test_step_with_model_answer_keeps_model_intent_and_reasoning() -> None:
    backend = ScriptedBackend(['{"reasoning":"asks for groups","intent":"comparative_analysis"}'])
    res = IntentStep().run(IntentContext("revenue by region", SALES), backend)
    assert res.value.intent == "comparative_analysis"
    assert res.value.reasons[0] == "model: asks for groups"
    assert "agrees" in res.value.reasons[1]
    assert not res.trace.fallback_used and res.trace.repairs == 0
    assert "region (categorical" in backend.requests[0].messages[-1]["content"]


def test_step_repairs_a_time_series_answer_on_a_table_without_dates() -> None:
    backend = ScriptedBackend([
        '{"reasoning":"over time","intent":"time_series_investigation"}',
        '{"reasoning":"no dates, compare","intent":"comparative_analysis"}',
    ])
    res = IntentStep().run(IntentContext("spend over time by segment", CUSTOMERS), backend)
    assert res.value.intent == "comparative_analysis"
    assert res.trace.repairs == 1 and len(backend.requests) == 2
    feedback = backend.requests[1].messages[-1]["content"]
    assert "needs a date/time column" in feedback


def test_step_falls_back_when_the_model_never_complies() -> None:
    bad = '{"reasoning":"x","intent":"time_series_investigation"}'
    backend = ScriptedBackend([bad, bad, bad])
    res = IntentStep().run(IntentContext("what drives spend", CUSTOMERS), backend, StepPolicy(max_retries=2))
    assert res.trace.fallback_used and "RetriesExhausted" in (res.trace.fallback_reason or "")
    assert res.value.intent == "segmentation_drivers"
    assert len(res.trace.attempts) == 3


def test_step_rejects_an_intent_outside_the_enum() -> None:
    backend = ScriptedBackend(['{"reasoning":"x","intent":"forecasting"}',
                               '{"reasoning":"x","intent":"anomaly_detection"}'])
    res = IntentStep().run(IntentContext("odd values in cost", SALES), backend)
    assert res.value.intent == "anomaly_detection" and res.trace.repairs == 1


async def test_step_runs_asynchronously_too() -> None:
    backend = ScriptedBackend(['{"reasoning":"spikes","intent":"anomaly_detection"}'])
    res = await IntentStep().arun(IntentContext("spikes in units", SALES), backend)
    assert res.value.intent == "anomaly_detection" and res.value.confidence >= 0.8


_EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(("dataset", "question", "intent"), [
    ("sales.csv", "how did units move from 2023 to 2024", "time_series_investigation"),
    ("sales.csv", "is cost rising?", "time_series_investigation"),
    ("sales.csv", "where did costs blow up unexpectedly", "anomaly_detection"),
    ("customers.csv", "suspiciously high incomes", "anomaly_detection"),
    ("sales.csv", "Partner or Online: which brings more revenue?", "comparative_analysis"),
    ("customers.csv", "income for Consumer versus SMB", "comparative_analysis"),
    ("customers.csv", "does income predict churn", "segmentation_drivers"),
    ("customers.csv", "how does age relate to spend", "segmentation_drivers"),
    ("customers.csv", "summarize customers.csv", "general_eda"),
    ("sales.csv", "what's interesting here", "general_eda"),
    ("customers.csv", "spend trend over time", "general_eda"),  # no date column: not a time series
])
def test_intents_on_the_shipped_examples(dataset: str, question: str, intent: str) -> None:
    """Real profiles computed by the data stage from the committed example files."""
    from sgr.autoviz.data import load_table
    from sgr.autoviz.profile import profile_table

    path = _EXAMPLES / dataset
    assert classify_intent(question, profile_table(load_table(path))).intent == intent


@pytest.mark.parametrize(("question", "intent"), [
    ("when did revenue peak?", "time_series_investigation"),
    ("at what point did units start to fall", "time_series_investigation"),
    ("revenue by region, not over time", "comparative_analysis"),
    ("units per channel regardless of time", "comparative_analysis"),
])
def test_peaks_and_negated_time(question: str, intent: str) -> None:
    assert classify_intent(question, SALES).intent == intent
