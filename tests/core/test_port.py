"""The port's guarantees: lenient parsing, validation, a bounded repair loop that feeds errors back."""

from __future__ import annotations

import asyncio
import json

import pytest
from pydantic import Field

from sgr.core.contracts import Contract, enum_of
from sgr.core.errors import BackendUnavailable, RetriesExhausted, SchemaViolation
from sgr.core.llm.base import RawOutput
from sgr.core.port import agenerate, generate, parse_json_lenient, reask
from tests.scripted import ScriptedBackend


class Route(Contract):
    reasoning: str = Field(..., max_length=80)
    route: enum_of(["fetch_user_features", "respond"])  # type: ignore[valid-type]
    confidence: float = Field(..., ge=0, le=1)


GOOD = json.dumps({"reasoning": "asks for price", "route": "respond", "confidence": 0.5})
MESSAGES = [{"role": "user", "content": "hi"}]


def test_valid_first_answer_has_clean_trace() -> None:
    backend = ScriptedBackend([GOOD])
    res = generate(backend, MESSAGES, Route, step="route")
    assert isinstance(res.value, Route) and res.value.route == "respond"
    t = res.trace
    assert (t.retries, t.repairs, t.fallback_used) == (0, 0, False)
    assert t.prompt_tokens == 10 and t.completion_tokens == 5 and t.dialect == "scripted"
    assert t.schema and t.schema["properties"]["route"]["enum"] == ["fetch_user_features", "respond"]


@pytest.mark.parametrize(
    ("bad", "kind_fragment"),
    [
        ('{"reasoning": "x", "route": "respond", "confid', "not valid JSON"),
        (json.dumps({"reasoning": "x", "route": "refund", "confidence": 0.5}), "route"),
        (json.dumps({"reasoning": "x", "route": "respond", "confidence": 3}), "confidence"),
        (RawOutput(text='{"reasoning": "xxxxxxxx', finish_reason="length"), "cut off"),
    ],
)
def test_each_violation_is_repaired_with_the_error_fed_back(bad: str | RawOutput, kind_fragment: str) -> None:
    backend = ScriptedBackend([bad, GOOD])
    res = generate(backend, MESSAGES, Route, max_retries=2)
    assert res.value.route == "respond"
    assert res.trace.retries == 1 and len(res.trace.attempts) == 2
    assert kind_fragment in (res.trace.attempts[0].error or "")
    second_prompt = backend.requests[1].messages
    assert second_prompt[-1]["role"] == "user" and kind_fragment in second_prompt[-1]["content"]
    assert second_prompt[-2]["role"] == "assistant"
    assert len(backend.requests[0].messages) == 1, "the caller's messages are never mutated"


def test_retries_exhausted_carries_every_attempt() -> None:
    backend = ScriptedBackend(["nope", "still no", "{}"])
    with pytest.raises(RetriesExhausted) as err:
        generate(backend, MESSAGES, Route, max_retries=2, step="route")
    assert len(err.value.attempts) == 3
    assert err.value.last_raw == "{}"
    assert "route: no valid answer after 3 attempt(s)" in str(err.value)


def test_transport_errors_are_not_retried() -> None:
    backend = ScriptedBackend([BackendUnavailable("down"), GOOD])
    with pytest.raises(BackendUnavailable):
        generate(backend, MESSAGES, Route, max_retries=3)
    assert len(backend.requests) == 1


def test_semantic_check_problems_are_repairable() -> None:
    backend = ScriptedBackend([GOOD.replace("0.5", "0.1"), GOOD])
    res = generate(backend, MESSAGES, Route, check=lambda v: ["too unsure"] if v.confidence < 0.2 else [])
    assert res.value.confidence == 0.5
    assert res.trace.attempts[0].error_kind == "semantic"


def test_dict_schema_target_returns_plain_data() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer", "minimum": 0, "maximum": 3}},
              "required": ["n"], "additionalProperties": False}
    backend = ScriptedBackend(['{"n": 9}', '{"n": 2}'])
    res = generate(backend, MESSAGES, schema)
    assert res.value == {"n": 2}
    assert "maximum" in (res.trace.attempts[0].error or "") or "9" in (res.trace.attempts[0].error or "")


def test_lenient_parsing_of_control_characters_and_fences() -> None:
    assert parse_json_lenient('{"a": "line\x01break"}') == {"a": "line\x01break"}
    assert parse_json_lenient('```json\n{"a": 1}\n```') == {"a": 1}
    with pytest.raises(SchemaViolation):
        parse_json_lenient("not json")
    backend = ScriptedBackend(['{"reasoning": "tab\x02here", "route": "respond", "confidence": 1}'])
    assert "\x02" not in generate(backend, MESSAGES, Route).value.reasoning


def test_reask_is_pure() -> None:
    original = [{"role": "user", "content": "q"}]
    out = reask(original, "raw", "bad")
    assert original == [{"role": "user", "content": "q"}]
    assert [m["role"] for m in out] == ["user", "assistant", "user"]


def test_async_path_runs_many_calls() -> None:
    async def main() -> list[str]:
        backend = ScriptedBackend([GOOD] * 20)
        results = await asyncio.gather(*(agenerate(backend, MESSAGES, Route) for _ in range(20)))
        return [r.value.route for r in results]

    assert asyncio.run(main()) == ["respond"] * 20
