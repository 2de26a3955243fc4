"""Templates: every file loads, fits the tool registry, yields 5-8 charts, and selection is explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from sgr.autoviz.coverage import is_chart
from sgr.autoviz.data import load_table
from sgr.autoviz.models import INTENTS, Requirements
from sgr.autoviz.profile import DataProfile, profile_table
from sgr.autoviz.resolve import placeholders_of
from sgr.autoviz.templates import load_templates, select_template
from sgr.autoviz.tools import REGISTRY

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
KNOWN_PLACEHOLDERS = {"source", "metric", "metric2", "group", "group2", "time", "grain", "agg", "sort", "bins",
                      "k", "measures", "detail_grain"}


@pytest.fixture(scope="module")
def sales() -> DataProfile:
    return profile_table(load_table(EXAMPLES / "sales.csv"))


@pytest.fixture(scope="module")
def customers() -> DataProfile:
    return profile_table(load_table(EXAMPLES / "customers.csv"))


def test_every_intent_has_a_template_and_every_step_names_a_registered_tool() -> None:
    templates = load_templates()
    assert {t.intent for t in templates} == set(INTENTS)
    for t in templates:
        for s in t.steps:
            assert s.tool in REGISTRY.names(), f"{t.id}.{s.id} uses unknown tool {s.tool}"
        assert len({s.id for s in t.steps}) == len(t.steps), f"{t.id} repeats a step id"


def test_each_template_draws_five_to_eight_charts() -> None:
    for t in load_templates():
        charts = sum(1 for s in t.steps if is_chart(s.tool))
        assert 5 <= charts <= 8, (t.id, charts)


def test_placeholders_are_all_known() -> None:
    for t in load_templates():
        for step in t.to_plan().steps:
            unknown = set(placeholders_of(step)) - KNOWN_PLACEHOLDERS
            assert not unknown, (t.id, step.id, unknown)


def test_selection_follows_the_intent_and_scores_every_candidate(sales: DataProfile) -> None:
    req = Requirements(metrics=["revenue"], group_by=["region"], analysis_types=["compare"])
    for intent in INTENTS:
        chosen, scores = select_template(intent, req, sales)  # type: ignore[arg-type]
        assert chosen.intent == intent
        assert [s.template_id for s in scores] == sorted(t.id for t in load_templates())
        assert max(s.score for s in scores) == next(s.score for s in scores if s.template_id == chosen.id)


def test_hard_requirements_exclude_templates_and_say_why(customers: DataProfile) -> None:
    chosen, scores = select_template("time_series_investigation", Requirements(), customers)
    ts = next(s for s in scores if s.template_id == "time_series_basic")
    assert not ts.eligible and "temporal" in ts.hard_failures[0]
    assert chosen.id != "time_series_basic"


def test_soft_preferences_rank_templates_of_other_intents(sales: DataProfile) -> None:
    req = Requirements(metrics=["revenue"], analysis_types=["anomaly", "trend"], time_column="date")
    _, scores = select_template("general_eda", req, sales)
    by_id = {s.template_id: s for s in scores}
    assert "analysis:trend" in by_id["time_series_basic"].matched_preferences
    assert by_id["time_series_basic"].score > by_id["comparison_by_segment"].score


def test_selection_is_deterministic(sales: DataProfile) -> None:
    req = Requirements(metrics=["units"], analysis_types=["distribution"])
    first = select_template("general_eda", req, sales)
    second = select_template("general_eda", req, sales)
    assert first[0].id == second[0].id
    assert [s.model_dump() for s in first[1]] == [s.model_dump() for s in second[1]]
