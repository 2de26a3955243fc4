"""The resolver: no "auto" or placeholder ever reaches a tool; values come from requirements, then data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgr.autoviz.data import load_table
from sgr.autoviz.errors import PlanError
from sgr.autoviz.models import Plan, PlanStep, Requirements
from sgr.autoviz.profile import DataProfile, profile_table
from sgr.autoviz.resolve import choose_bins, choose_grain, compute_bindings, resolve_plan
from sgr.autoviz.templates import load_templates
from sgr.autoviz.tools import REGISTRY

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def sales() -> DataProfile:
    return profile_table(load_table(EXAMPLES / "sales.csv"))


@pytest.fixture(scope="module")
def customers() -> DataProfile:
    return profile_table(load_table(EXAMPLES / "customers.csv"))


def _leftovers(value: Any) -> list[str]:
    text = json.dumps(value)
    return [tok for tok in ('"auto"', '"$') if tok in text]


def _assert_runnable(plan: Plan) -> None:
    for step in plan.steps:
        assert not _leftovers(step.params), (step.id, step.params)
        spec = REGISTRY.get(step.tool)
        spec.params.model_validate(step.params)  # type-correct for the tool, lists where lists are due
        for name, field in spec.params.model_fields.items():
            if name in step.params and "list" in str(field.annotation) and "str | float" not in str(field.annotation):
                assert isinstance(step.params[name], list), (step.id, name, step.params[name])


@pytest.mark.parametrize("which", ["sales", "customers"])
def test_every_template_resolves_to_runnable_params(which: str, request: pytest.FixtureRequest) -> None:
    profile: DataProfile = request.getfixturevalue(which)
    for template in load_templates():
        resolved, log = resolve_plan(template.to_plan(), Requirements(), profile)
        assert resolved.steps, template.id
        _assert_runnable(resolved)
        assert all("step" in e for e in log)


def test_values_come_from_requirements_first(sales: DataProfile) -> None:
    req = Requirements(metrics=["cost"], group_by=["channel"], time_grain="quarter", aggregation="mean")
    template = next(t for t in load_templates() if t.id == "time_series_basic")
    resolved, log = resolve_plan(template.to_plan(), req, sales)
    line = next(s for s in resolved.steps if s.id == "trend_chart")
    assert (line.params["y"], line.params["grain"], line.params["agg"]) == ("cost", "quarter", "mean")
    by_group = next(s for s in resolved.steps if s.id == "trend_by_group_chart")
    assert by_group.params["group"] == "channel"
    assert {"metric:cost", "group_by:channel", "time:date"} <= set(by_group.serves)
    assert any(e.get("value") == "cost" and e["from"] == "requirements" for e in log)


def test_steps_without_their_inputs_are_dropped_with_the_reason(customers: DataProfile) -> None:
    template = next(t for t in load_templates() if t.id == "time_series_basic")
    resolved, log = resolve_plan(template.to_plan(), Requirements(), customers)
    kept = {s.id for s in resolved.steps}
    assert "trend_chart" not in kept and "distribution_chart" in kept
    reasons = [e["dropped"] for e in log if e.get("step") == "trend_chart" and "dropped" in e]
    assert reasons and "date/time" in reasons[0]


def test_an_auto_param_without_a_rule_is_a_plan_error_naming_step_and_param(sales: DataProfile) -> None:
    plan = Plan(template_id="t", intent="general_eda",
                steps=[PlanStep(id="odd", tool="detect_anomalies", params={"metric": "revenue", "method": "auto"})])
    with pytest.raises(PlanError, match=r"odd.*method"):
        resolve_plan(plan, Requirements(), sales)


def test_auto_column_params_are_filled_from_the_profile(sales: DataProfile) -> None:
    plan = Plan(template_id="t", intent="general_eda", steps=[
        PlanStep(id="bars", tool="bar_chart", params={"x": "auto", "y": "auto", "agg": "auto", "mode": "auto"}),
        PlanStep(id="corr", tool="correlations", params={"columns": "auto"})])
    resolved, _ = resolve_plan(plan, Requirements(), sales)
    bars, corr = resolved.steps
    assert sales.column(bars.params["x"]).role == "categorical"
    assert sales.column(bars.params["y"]).role == "measure"
    assert bars.params["mode"] == "simple"
    assert isinstance(corr.params["columns"], list) and len(corr.params["columns"]) >= 2
    _assert_runnable(resolved)


def test_a_plan_nothing_of_which_can_run_is_a_plan_error(customers: DataProfile) -> None:
    plan = Plan(template_id="t", intent="general_eda",
                steps=[PlanStep(id="line", tool="line_chart", params={"x": "$time", "y": "$metric"})])
    with pytest.raises(PlanError, match="no step"):
        resolve_plan(plan, Requirements(), customers)


def test_steps_after_a_filter_read_its_output(sales: DataProfile) -> None:
    plan = Plan(template_id="t", intent="general_eda", steps=[
        PlanStep(id="f", tool="filter_rows", params={"source": "$source", "column": "region", "op": "==",
                                                     "value": "North"}),
        PlanStep(id="h", tool="histogram_chart", params={"source": "$source", "column": "$metric"})])
    resolved, _ = resolve_plan(plan, Requirements(), sales)
    assert resolved.steps[0].params["source"] == "data"
    assert resolved.steps[0].params["value"] == "North"  # a scalar stays a scalar where the tool allows it
    assert resolved.steps[1].params["source"] == "step_f"


def test_grain_and_bins_follow_the_data() -> None:
    assert choose_grain("2023-01-01", "2024-12-31") == "month"
    assert choose_grain("2023-01-01", "2023-02-15") == "day"
    assert choose_grain("2000-01-01", "2024-12-31") == "year"
    assert choose_grain("2024-01-01T00:00:00", "2024-01-01T20:00:00") == "hour"
    assert 10 <= choose_bins(5) <= choose_bins(100_000) <= 50


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_resolver_never_leaves_auto_for_any_requirements(sales: DataProfile, data: st.DataObject) -> None:
    measures, cats = sales.names("measure"), sales.names("categorical")
    req = Requirements(
        metrics=data.draw(st.lists(st.sampled_from(measures), unique=True, max_size=3)),
        group_by=data.draw(st.lists(st.sampled_from(cats), unique=True, max_size=2)),
        time_column=data.draw(st.sampled_from([None, "date"])),
        time_grain=data.draw(st.sampled_from(["auto", "week", "month"])),
        aggregation=data.draw(st.sampled_from(["sum", "mean", "count"])),
    )
    template = data.draw(st.sampled_from(load_templates()))
    resolved, _ = resolve_plan(template.to_plan(), req, sales, bindings=compute_bindings(req, sales))
    _assert_runnable(resolved)
