"""SGR steps: offline → deterministic path; model → resolve/validate/repair; failure → recorded fallback."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import Field

from sgr.core.contracts import Contract, enum_of
from sgr.core.errors import BackendUnavailable, ContractError, RetriesExhausted
from sgr.core.llm.offline import OfflineBackend
from sgr.core.step import SGRStep, StepPolicy
from tests.scripted import ScriptedBackend


class Pick(Contract):
    reasoning: str = Field(..., max_length=100)
    column: str
    bins: int = Field(..., ge=0, le=50)


class PickStep(SGRStep[dict[str, Any], Pick]):
    """Pick a column among the live ones; "auto" is resolved to the first numeric column."""

    name = "pick"

    def prompt(self, ctx: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"role": "user", "content": f"Pick one of {ctx['columns']}"}]

    def schema(self, ctx: dict[str, Any]) -> type[Pick]:
        class LivePick(Pick):
            column: enum_of(ctx["columns"], allow_auto=True)  # type: ignore[valid-type]

        return LivePick

    def resolve(self, ctx: dict[str, Any], value: Pick) -> tuple[Pick, list[str]]:
        if value.column == "auto":
            return value.model_copy(update={"column": ctx["numeric"][0]}), ["column"]
        return value, []

    def validate(self, ctx: dict[str, Any], value: Pick) -> list[str]:
        return [] if value.column in ctx["numeric"] else [f"{value.column} is not numeric; use one of {ctx['numeric']}"]

    def fallback(self, ctx: dict[str, Any]) -> Pick:
        return self.schema(ctx)(reasoning="deterministic", column=ctx["numeric"][0], bins=10)


CTX = {"columns": ["region", "revenue", "units"], "numeric": ["revenue", "units"]}


def _answer(column: str, bins: int = 5) -> str:
    return json.dumps({"reasoning": "r", "column": column, "bins": bins})


def test_offline_uses_deterministic_path() -> None:
    res = PickStep().run(CTX, OfflineBackend("offline"))
    assert res.value.column == "revenue"
    assert res.trace.fallback_used and res.trace.fallback_reason == "offline backend"


def test_auto_is_resolved_from_context() -> None:
    res = PickStep().run(CTX, ScriptedBackend([_answer("auto")]))
    assert res.value.column == "revenue" and res.trace.resolved_fields == ["column"]
    assert not res.trace.fallback_used


def test_semantic_error_is_fed_back_then_fixed() -> None:
    backend = ScriptedBackend([_answer("region"), _answer("units")])
    res = PickStep().run(CTX, backend)
    assert res.value.column == "units" and res.trace.repairs == 1
    assert "region is not numeric" in backend.requests[1].messages[-1]["content"]


def test_exhausted_retries_fall_back_and_say_why() -> None:
    res = PickStep().run(CTX, ScriptedBackend([_answer("region")] * 3), StepPolicy(max_retries=2))
    assert res.value.column == "revenue" and res.trace.fallback_used
    assert "RetriesExhausted" in (res.trace.fallback_reason or "")
    assert len(res.trace.attempts) == 3


def test_server_down_falls_back_or_raises_by_policy() -> None:
    res = PickStep().run(CTX, ScriptedBackend([BackendUnavailable("connection refused")]))
    assert res.trace.fallback_used and "connection refused" in (res.trace.fallback_reason or "")
    with pytest.raises(BackendUnavailable):
        PickStep().run(CTX, ScriptedBackend([BackendUnavailable("x")]), StepPolicy(on_failure="raise"))
    with pytest.raises(RetriesExhausted):
        PickStep().run(CTX, ScriptedBackend(["{}"] * 3), StepPolicy(on_failure="raise"))


def test_unbounded_contract_is_refused_before_sending() -> None:
    class Loose(Contract):
        text: str

    class LooseStep(PickStep):
        def schema(self, ctx: dict[str, Any]) -> type[Loose]:  # type: ignore[override]
            return Loose

    backend = ScriptedBackend([])
    with pytest.raises(ContractError, match="string without maxLength"):
        LooseStep().run(CTX, backend)
    assert backend.requests == []


async def test_async_run_matches_sync() -> None:
    res = await PickStep().arun(CTX, ScriptedBackend([_answer("units", 7)]))
    assert (res.value.column, res.value.bins) == ("units", 7)


def test_worst_case_size_is_the_longest_valid_answer() -> None:
    from sgr.core.contracts import schema_for, worst_case_chars

    schema = schema_for(PickStep().schema(CTX))
    longest = {"reasoning": "x" * 100, "column": "revenue", "bins": 50}  # every field at its longest
    assert worst_case_chars(schema) == len(json.dumps(longest, separators=(",", ":")))


def test_a_budget_below_the_contract_is_raised_and_the_trace_says_so() -> None:
    from sgr.core.contracts import schema_for, token_budget

    backend = ScriptedBackend([_answer("units")])
    res = PickStep().run(CTX, backend, StepPolicy(max_tokens=8))
    need = token_budget(schema_for(PickStep().schema(CTX)))
    assert backend.requests[0].max_tokens == need > 8
    assert res.trace.budget is not None and res.trace.budget["action"].startswith("raised from 8")
    roomy = ScriptedBackend([_answer("units")])
    res = PickStep().run(CTX, roomy, StepPolicy(max_tokens=4096))
    assert roomy.requests[0].max_tokens == 4096 and res.trace.budget["action"] == "fits"
