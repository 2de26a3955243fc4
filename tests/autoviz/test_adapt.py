"""Adaptation and coverage: both directions of the coverage check, the rules, and the model contract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sgr.autoviz import coverage
from sgr.autoviz.adapt import (
    AdaptContext,
    AdaptStep,
    adapt_by_rules,
    adaptation_contract,
    apply_changes,
    proposable_tools,
)
from sgr.autoviz.data import load_table
from sgr.autoviz.models import Plan, PlanChange, PlanStep, Requirements
from sgr.autoviz.profile import DataProfile, profile_table
from sgr.autoviz.resolve import resolve_plan
from sgr.autoviz.templates import get_template
from sgr.autoviz.tool_params import auto_proposal
from sgr.autoviz.tools import REGISTRY, ExecContext, run_tool
from sgr.core.contracts import check_bounded, schema_for, xgrammar_compat
from sgr.core.step import StepPolicy
from tests.scripted import ScriptedBackend

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def sales() -> DataProfile:
    return profile_table(load_table(EXAMPLES / "sales.csv"))


@pytest.fixture(scope="module")
def sales_path() -> Path:
    return EXAMPLES / "sales.csv"


@pytest.fixture(scope="module")
def customers() -> DataProfile:
    return profile_table(load_table(EXAMPLES / "customers.csv"))


def _plan(*steps: PlanStep) -> Plan:
    return Plan(template_id="t", intent="comparative_analysis", steps=list(steps))


# -- coverage, both ways ---------------------------------------------------------------------------


def test_coverage_finds_unserved_requirements_and_idle_steps() -> None:
    req = Requirements(metrics=["revenue"], group_by=["region"], analysis_types=["trend"])
    plan = _plan(PlanStep(id="a", tool="bar_chart", serves=["metric:revenue", "group_by:region"]),
                 PlanStep(id="b", tool="histogram_chart", serves=["metric:units"]))
    report = coverage.check(plan, req)
    assert report.uncovered == ["analysis:trend"]
    assert report.idle_steps == ["b"]
    assert not report.ok and len(report.problems()) == 2


def test_context_steps_and_feeding_steps_are_not_idle() -> None:
    req = Requirements(metrics=["revenue"])
    plan = _plan(PlanStep(id="f1", tool="filter_rows", params={"source": "data"}),
                 PlanStep(id="f2", tool="filter_rows", params={"source": "step_f1"}),
                 PlanStep(id="a", tool="bar_chart", params={"source": "step_f2"}, serves=["metric:revenue"]),
                 PlanStep(id="c", tool="histogram_chart", serves=["context:a"]),
                 PlanStep(id="d", tool="histogram_chart", serves=["context:nowhere"]))
    report = coverage.check(plan, req)
    assert report.uncovered == [] and report.idle_steps == ["d"]


# -- deterministic rules ---------------------------------------------------------------------------


def _rules(template_id: str, req: Requirements, profile: DataProfile) -> tuple[Plan, list[PlanChange]]:
    tpl = get_template(template_id).to_plan()
    adaptation = adapt_by_rules(tpl, req, profile)
    resolved, _ = resolve_plan(apply_changes(tpl, adaptation.changes), req, profile)
    return resolved, adaptation.changes


def test_rules_add_a_step_for_each_unserved_group_and_keep_5_to_10_charts(sales: DataProfile) -> None:
    req = Requirements(metrics=["units"], group_by=["region", "product_category", "channel"],
                       analysis_types=["compare", "distribution"])
    resolved, changes = _rules("comparison_by_segment", req, sales)
    report = coverage.check(resolved, req)
    assert report.ok, report.problems()
    assert 5 <= report.charts <= 10
    assert all(c.rationale for c in changes)
    added = [c for c in changes if c.op == "add"]
    assert [c.params["x"] for c in added if c.params and c.tool == "bar_chart"] == ["channel"]
    assert "channel" in added[0].rationale


def test_rules_drop_steps_the_data_cannot_feed(customers: DataProfile) -> None:
    req = Requirements(metrics=["spend"], group_by=["segment"], analysis_types=["compare"])
    resolved, changes = _rules("comparison_by_segment", req, customers)
    removed = {c.step_id: c.rationale for c in changes if c.op == "remove"}
    assert "trend_by_group_chart" in removed and "date/time" in removed["trend_by_group_chart"]
    assert not any(s.tool == "line_chart" for s in resolved.steps)
    assert coverage.check(resolved, req).ok


def test_rules_put_filters_first_and_later_steps_read_them(sales: DataProfile) -> None:
    req = Requirements.model_validate({"metrics": ["revenue"], "group_by": ["region"], "analysis_types": ["compare"],
                                       "filters": [{"column": "channel", "op": "==", "value": "Online"}]})
    resolved, _ = _rules("comparison_by_segment", req, sales)
    assert resolved.steps[0].tool == "filter_rows"
    fid = resolved.steps[0].id
    assert all(s.params["source"] == f"step_{fid}" for s in resolved.steps[1:])
    assert coverage.check(resolved, req).ok


def test_rules_serve_analysis_types_the_template_lacks(sales: DataProfile) -> None:
    req = Requirements(metrics=["revenue"], analysis_types=["correlation", "rank"], top_k=3)
    resolved, _ = _rules("comparison_by_segment", req, sales)
    served = coverage.check(resolved, req).served_by
    assert served["analysis:correlation"] and served["analysis:rank"]
    assert any(s.tool == "correlations" for s in resolved.steps)


# -- the model contract and the repair loop --------------------------------------------------------


def _ctx(profile: DataProfile, req: Requirements, template_id: str = "comparison_by_segment") -> AdaptContext:
    return AdaptContext(question="q", plan=get_template(template_id).to_plan(), requirements=req, profile=profile,
                        tools=REGISTRY.names())


def test_contract_is_bounded_and_uses_live_tools_and_columns(sales: DataProfile) -> None:
    ctx = _ctx(sales, Requirements())
    schema = schema_for(adaptation_contract(ctx))
    assert check_bounded(schema) == []
    variants = {v["properties"]["tool"]["const"] if "const" in v["properties"]["tool"] else
                v["properties"]["tool"]["enum"][0]: v for v in schema["properties"]["changes"]["items"]["anyOf"]}
    assert sorted(variants) == sorted(proposable_tools(ctx))
    params = variants["top_k"]["properties"]["params"]["properties"]
    live = {c.name for c in sales.columns if c.role != "text" and not c.all_null}
    assert set(params["group_by"]["enum"]) == {*live, "auto"}  # real columns, nothing else
    assert {"minimum": 1, "maximum": 100} .items() <= next(
        o for o in params["k"]["anyOf"] if o.get("type") == "integer").items()
    assert schema["properties"]["changes"]["maxItems"] <= 6
    assert next(iter(schema["properties"])) == "reasoning"  # think first, then decide
    assert not [n for n in xgrammar_compat(schema) if "cannot compile" in n]


def _change(sales: DataProfile, tool: str = "bar_chart", params: dict[str, Any] | None = None,
            **kw: str) -> dict[str, Any]:
    proposal = {**auto_proposal(REGISTRY.get(tool), sales), **(params or {})}
    return {"rationale": "because", "op": "add", "step_id": "x", "tool": tool, "params": proposal, **kw}


def test_a_bad_model_answer_is_fed_back_and_a_good_one_is_used(sales: DataProfile) -> None:
    req = Requirements(metrics=["revenue"], group_by=["region", "channel"], analysis_types=["compare"])
    bad = {"reasoning": "r", "changes": [_change(sales, op="remove", step_id="no_such_step")]}
    good = {"reasoning": "add channel", "changes": [
        _change(sales, "bar_chart", {"x": "channel", "y": "revenue"}, step_id="by_channel")]}
    backend = ScriptedBackend([bad, good])
    result = AdaptStep().run(_ctx(sales, req), backend, StepPolicy(max_retries=2))
    assert result.value.source == "model"
    assert result.trace.retries == 1
    assert "no_such_step" in backend.requests[1].messages[-1]["content"]
    added = next(c for c in result.value.changes if c.step_id == "by_channel")
    assert added.params and added.params["y"] == "revenue"


def test_a_model_that_never_complies_falls_back_to_the_rules(sales: DataProfile) -> None:
    req = Requirements(metrics=["cost"], group_by=["channel"], analysis_types=["distribution"])
    # removing the only steps that serve the request leaves requirements unserved: never acceptable
    bad = {"reasoning": "r", "changes": [_change(sales, op="remove", step_id=s) for s in
                                         ("totals", "totals_chart", "segments", "spread_chart")]}
    result = AdaptStep().run(_ctx(sales, req), ScriptedBackend([bad, bad, bad]), StepPolicy(max_retries=2))
    assert result.value.source == "rules" and result.trace.fallback_used
    resolved, _ = resolve_plan(apply_changes(get_template("comparison_by_segment").to_plan(),
                                             result.value.changes), req, sales)
    assert coverage.check(resolved, req).ok


def test_a_tool_swap_gets_the_new_tools_params_and_is_checked(sales: DataProfile) -> None:
    req = Requirements(metrics=["revenue"], group_by=["region"], analysis_types=["compare", "distribution"])
    swap = {"reasoning": "r", "changes": [_change(sales, "histogram_chart", op="modify", step_id="spread_chart")]}
    result = AdaptStep().run(_ctx(sales, req), ScriptedBackend([swap]), StepPolicy(max_retries=0))
    assert result.value.source == "model"
    plan, _ = resolve_plan(apply_changes(get_template("comparison_by_segment").to_plan(), result.value.changes),
                           req, sales)
    step = next(s for s in plan.steps if s.id == "spread_chart")
    assert step.tool == "histogram_chart" and step.params["column"] == "revenue"
    REGISTRY.get("histogram_chart").params.model_validate(step.params)


# -- typed parameter proposals (the hybrid strategy) -----------------------------------------------


def _subtitle(run_dir: Path, result: Any) -> str:
    import json

    return str(json.loads((run_dir / result.chart.spec_file).read_text())["title"]["subtitle"])


def _adapted_and_run(sales_path: Path, sales: DataProfile, req: Requirements, changes: list[dict[str, Any]],
                     tmp_path: Path, *more: dict[str, Any]) -> tuple[Any, dict[str, Any], ScriptedBackend]:
    """Run the adaptation on scripted answers, resolve the plan and execute the added steps."""
    backend = ScriptedBackend([{"reasoning": "r", "changes": changes}, *more])
    result = AdaptStep().run(_ctx(sales, req), backend, StepPolicy(max_retries=2))
    plan, _ = resolve_plan(apply_changes(get_template("comparison_by_segment").to_plan(), result.value.changes),
                           req, sales)
    table = load_table(sales_path)
    ctx = ExecContext(table=table, profile=sales, out_dir=tmp_path, seed=0)
    (tmp_path / "charts").mkdir(exist_ok=True)
    added = {c.step_id for c in result.value.changes if c.op == "add"}
    outputs = {s.id: run_tool(s.tool, s.params, ctx, step_id=s.id) for s in plan.steps if s.id in added}
    return result, outputs, backend


def test_proposed_k_bins_grain_and_filter_reach_the_tools(sales: DataProfile, sales_path: Path,
                                                          tmp_path: Path) -> None:
    req = Requirements(metrics=["revenue"], group_by=["region"], analysis_types=["compare", "rank"])
    changes = [
        _change(sales, "top_k", {"group_by": "product_category", "metric": "revenue", "k": 2}, step_id="top2"),
        _change(sales, "histogram_chart", {"column": "revenue", "bins": 7}, step_id="rev_hist"),
        _change(sales, "line_chart", {"x": "date", "y": "revenue", "grain": "quarter"}, step_id="by_quarter"),
        _change(sales, "filter_rows", {"column": "units", "op": ">", "value": "5"}, step_id="big_orders"),
    ]
    result, out, _backend = _adapted_and_run(sales_path, sales, req, changes, tmp_path)
    assert result.value.source == "model" and not result.trace.fallback_used
    assert out["top2"].row_count == 2 and out["top2"].params["k"] == 2
    assert out["rev_hist"].params["bins"] == 7 and 1 <= out["rev_hist"].row_count <= 7
    assert "in 7 equal-width bins" in _subtitle(tmp_path, out["rev_hist"])
    assert out["by_quarter"].params["grain"] == "quarter" and out["by_quarter"].facts["grain"] == "quarter"
    assert out["big_orders"].params["value"] == 5 and out["big_orders"].params["op"] == ">"
    assert out["big_orders"].row_count == sum(1 for line in sales_path.read_text().splitlines()[1:]
                                              if int(line.split(",")[4]) > 5)


def test_an_impossible_proposal_is_fed_back_and_repaired(sales: DataProfile, sales_path: Path,
                                                         tmp_path: Path) -> None:
    req = Requirements(metrics=["revenue"], group_by=["region"], analysis_types=["compare", "distribution"])
    bad = [_change(sales, "histogram_chart", {"column": "region", "bins": 12}, step_id="hist")]
    good = {"reasoning": "r", "changes": [_change(sales, "histogram_chart", {"column": "cost", "bins": 12},
                                                  step_id="hist")]}
    result, out, backend = _adapted_and_run(sales_path, sales, req, bad, tmp_path, good)
    assert result.trace.repairs == 1 and result.value.source == "model"
    assert "'region'" in backend.requests[1].messages[-1]["content"]
    assert "not numeric" in backend.requests[1].messages[-1]["content"]
    assert out["hist"].params["column"] == "cost" and "in 12 equal-width bins" in _subtitle(tmp_path, out["hist"])


def test_a_proposal_that_stays_impossible_falls_back_with_the_reason(sales: DataProfile) -> None:
    req = Requirements(metrics=["revenue"], group_by=["region"], analysis_types=["compare"])
    bad = {"reasoning": "r", "changes": [_change(sales, "top_k", {"group_by": "region", "k": 40},
                                                 step_id="top40")]}
    result = AdaptStep().run(_ctx(sales, req), ScriptedBackend([bad, bad, bad]), StepPolicy(max_retries=2))
    assert result.value.source == "rules" and result.trace.fallback_used
    assert "only" in (result.trace.fallback_reason or "") and "top_k.k is 40" in (result.trace.fallback_reason or "")
