"""The in-process backend on a real tiny model with real xgrammar: valid by construction, or a clear error.

A random-weight model knows nothing, so every valid object here is the grammar's doing; the port then
validates independently (pydantic and, below, jsonschema on the raw text).
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Literal

import jsonschema
import pytest
from pydantic import BaseModel, Field

from sgr.core.config import ModelEntry
from sgr.core.contracts import Contract, bounded_str, enum_of, make_contract, number_between, schema_for
from sgr.core.errors import BackendUnavailable, ContractError, RetriesExhausted
from sgr.core.llm import get_backend
from sgr.core.llm.base import GenerationRequest
from sgr.core.port import generate, parse_json_lenient
from sgr.core.step import SGRStep, StepPolicy

pytestmark = pytest.mark.local

_MISSING = [m for m in ("torch", "transformers", "xgrammar") if importlib.util.find_spec(m) is None]
needs_stack = pytest.mark.skipif(bool(_MISSING), reason=f"the local extra is missing: {_MISSING}")

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
COLUMNS = ["order_date", "region_name", "net_revenue", "gross_margin"]


class Route(Contract):
    reasoning: str = bounded_str(24)
    route: Literal["fetch_user_features", "respond"]
    confidence: float = number_between(0.0, 1.0)


class Filter(Contract):
    column: enum_of(COLUMNS)  # type: ignore[valid-type]
    op: Literal["=", "<", ">"]
    value: str = bounded_str(8)


class Requirements(Contract):
    metrics: list[enum_of(COLUMNS)] = Field(..., max_length=2)  # type: ignore[valid-type]
    filters: list[Filter] = Field(..., max_length=2)
    top_k: int = Field(..., ge=1, le=20)


def _pricing(cap: float) -> type[Contract]:
    """A pricing contract whose bound comes from context, like the discount agent's."""
    return make_contract(
        "Pricing",
        {
            "churn_analysis": (str, bounded_str(20)),
            "tier": (enum_of(["low", "medium", "high"]), ...),
            "max_discount_percent": (float, number_between(0.0, cap)),
            "approved": (bool, ...),
        },
    )


SCHEMAS: list[type[BaseModel]] = [Route, Requirements, _pricing(12.5)]
MESSAGES = [{"role": "system", "content": "Answer with JSON only."}, {"role": "user", "content": "Decide."}]


@pytest.fixture(scope="module")
def backend(tiny_model_dir: Path) -> Any:
    if _MISSING:
        pytest.skip(f"the local extra is missing: {_MISSING}")
    from sgr.core.llm.local import LocalBackend

    b = LocalBackend("tiny-local", tiny_model_dir, max_tokens=160)
    b.load()
    yield b
    b.close()


@needs_stack
@pytest.mark.parametrize("target", SCHEMAS, ids=lambda t: t.__name__)
def test_every_sampled_answer_fits_the_schema(backend: Any, target: type[BaseModel]) -> None:
    schema = schema_for(target)
    texts = set()
    for seed in range(10):
        # Repairs allowed: xgrammar 0.2.8 accepts UTF-8-encoded surrogates (ED A0..BF xx) inside strings,
        # which decode to three U+FFFD and can break maxLength (~1% of random-model answers, measured).
        res = generate(backend, MESSAGES, target, seed=seed, temperature=1.0, max_retries=2)
        assert isinstance(res.value, target)
        assert all(a.finish_reason == "stop" for a in res.trace.attempts), "the grammar must terminate"
        final = res.trace.attempts[-1]
        # Independent of pydantic: the raw text is compact JSON that the JSON schema accepts.
        assert final.raw is not None and final.error is None
        assert not re.search(r"\s", _STRING.sub('""', final.raw)), "compact: no whitespace between tokens"
        jsonschema.validate(json.loads(final.raw, strict=False), schema)
        assert res.trace.dialect == "xgrammar-local" and res.trace.model == backend.model_name
        texts.add(final.raw)
    assert len(texts) > 1, "different seeds should sample different answers"


@needs_stack
def test_same_seed_gives_the_same_text(backend: Any) -> None:
    req = GenerationRequest(messages=MESSAGES, schema=schema_for(Route), temperature=0.9, seed=7)
    first, second = backend.generate(req), backend.generate(req)
    assert first.text == second.text and first.completion_tokens == second.completion_tokens
    greedy = GenerationRequest(messages=MESSAGES, schema=schema_for(Route), temperature=0.0, seed=1)
    assert backend.generate(greedy).text == backend.generate(GenerationRequest(
        messages=MESSAGES, schema=schema_for(Route), temperature=0.0, seed=2)).text


@needs_stack
def test_grammar_is_compiled_once_per_schema(backend: Any) -> None:
    schema = schema_for(_pricing(3.0))  # a bound no other test uses, so the first call must compile
    before = backend.cache_info()
    backend.generate(GenerationRequest(messages=MESSAGES, schema=schema, max_tokens=8))
    mid = backend.cache_info()
    backend.generate(GenerationRequest(messages=MESSAGES, schema=schema, max_tokens=8))
    after = backend.cache_info()
    assert mid["misses"] == before["misses"] + 1 and mid["entries"] == before["entries"] + 1
    assert after["hits"] == mid["hits"] + 1 and after["misses"] == mid["misses"]
    assert after["compiler_bytes"] > 0


@needs_stack
def test_grammar_cache_drops_the_least_recently_used(tiny_model_dir: Path) -> None:
    from sgr.core.llm.local import LocalBackend

    b = LocalBackend("lru", tiny_model_dir, grammar_cache_size=2)
    route, pricing, reqs = schema_for(Route), schema_for(_pricing(5.0)), schema_for(Requirements)
    for schema in (route, pricing, route, reqs, route):  # reqs evicts pricing, not the recently used route
        b.compiled_grammar(schema)
    assert b.cache_info()["entries"] == 2 and b.cache_info()["hits"] == 2
    b.compiled_grammar(pricing)
    assert b.cache_info()["misses"] == 4
    b.close()


@needs_stack
def test_property_order_is_part_of_the_cache_key(backend: Any) -> None:
    schema = schema_for(Route)
    flipped = {**schema, "properties": dict(reversed(list(schema["properties"].items())))}
    a = backend.generate(GenerationRequest(messages=MESSAGES, schema=schema, max_tokens=64))
    b = backend.generate(GenerationRequest(messages=MESSAGES, schema=flipped, max_tokens=64))
    assert list(json.loads(a.text, strict=False)) == list(schema["properties"])
    assert list(json.loads(b.text, strict=False)) == list(flipped["properties"])


@needs_stack
def test_tiny_max_tokens_is_truncation_then_retries_exhausted(backend: Any) -> None:
    raw = backend.generate(GenerationRequest(messages=MESSAGES, schema=schema_for(Route), max_tokens=3))
    assert raw.finish_reason == "length" and raw.completion_tokens == 3
    with pytest.raises(RetriesExhausted) as info:
        generate(backend, MESSAGES, Route, max_tokens=3, max_retries=1)
    assert [a["error_kind"] for a in info.value.attempts] == ["truncated", "truncated"]
    # The repair message reached the model: the second prompt is longer than the first.
    assert info.value.attempts[1]["prompt_tokens"] > info.value.attempts[0]["prompt_tokens"]


@needs_stack
async def test_concurrent_async_calls_are_serialised_and_valid(backend: Any) -> None:
    reqs = [GenerationRequest(messages=MESSAGES, schema=schema_for(Route), seed=s, temperature=1.0)
            for s in range(3)]
    outs = await asyncio.gather(*(backend.agenerate(r) for r in reqs))
    for out in outs:
        assert out.finish_reason == "stop"
        Route.model_validate(parse_json_lenient(out.text))


def test_missing_model_dir_is_backend_unavailable(tmp_path: Path) -> None:
    entry = ModelEntry(name="ghost", backend="local", path=str(tmp_path / "nowhere"))
    backend = get_backend(entry)  # building is cheap; loading waits for the first call
    assert backend.kind == "local"
    # Without the `local` extra the install hint comes first; with it, the missing folder is named.
    with pytest.raises(BackendUnavailable, match=r"no model at|sgr-agents\[local\]"):
        backend.generate(GenerationRequest(messages=MESSAGES, schema=schema_for(Route)))


@needs_stack
def test_dir_without_config_is_backend_unavailable(tmp_path: Path) -> None:
    (tmp_path / "tokenizer.json").write_text("{}", encoding="utf-8")
    backend = get_backend(ModelEntry(name="half", backend="local", path=str(tmp_path)))
    with pytest.raises(BackendUnavailable, match=r"config\.json is missing"):
        backend.load()


class RouteStep(SGRStep[dict[str, Any], Contract]):
    """Routes a message; the schema's route names come from context."""

    name = "route"

    def prompt(self, ctx: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"role": "user", "content": f"Route: {ctx['message']}"}]

    def schema(self, ctx: dict[str, Any]) -> type[Contract]:
        return make_contract("LiveRoute", {
            "reasoning": (str, bounded_str(16)),
            "route": (enum_of(ctx["routes"]), ...),
        })

    def fallback(self, ctx: dict[str, Any]) -> Contract:
        return self.schema(ctx)(reasoning="offline", route=ctx["routes"][0])


@needs_stack
def test_step_on_local_backend_returns_a_typed_object(tiny_model_dir: Path) -> None:
    backend = get_backend(ModelEntry(name="tiny", backend="local", path=str(tiny_model_dir), max_tokens=64))
    ctx = {"message": "where is my order?", "routes": ["fetch_user_features", "respond"]}
    try:
        result = RouteStep().run(ctx, backend, StepPolicy(on_failure="raise", seed=3, temperature=1.0))
    finally:
        backend.close()
    assert type(result.value).__name__ == "LiveRoute"
    assert result.value.route in ctx["routes"]  # type: ignore[attr-defined]
    assert not result.trace.fallback_used and result.trace.dialect == "xgrammar-local"
    assert result.trace.completion_tokens > 0


def test_missing_model_falls_back_in_a_step(tmp_path: Path) -> None:
    backend = get_backend(ModelEntry(name="ghost", backend="local", path=str(tmp_path / "none")))
    ctx = {"message": "hi", "routes": ["respond"]}
    result = RouteStep().run(ctx, backend)
    assert result.trace.fallback_used and "BackendUnavailable" in (result.trace.fallback_reason or "")
    assert result.value.route == "respond"  # type: ignore[attr-defined]


def test_importing_the_backend_does_not_import_torch() -> None:
    code = ("import sys, sgr, sgr.core.llm.local; "
            "print(sorted({'torch', 'transformers', 'xgrammar'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_missing_extra_names_the_install_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sgr.core.llm.local import LocalBackend

    monkeypatch.setitem(sys.modules, "xgrammar", None)  # what `import xgrammar` meets when it is absent
    with pytest.raises(BackendUnavailable, match=r"pip install 'sgr-agents\[local\]'"):
        LocalBackend("x", tmp_path).load()


@needs_stack
def test_uncompilable_schema_is_a_contract_error_in_one_line(backend: Any) -> None:
    bad = {"type": "object", "properties": {"a": {"type": "string", "pattern": "(("}},
           "required": ["a"], "additionalProperties": False}
    with pytest.raises(ContractError) as info:
        backend.generate(GenerationRequest(messages=MESSAGES, schema=bad))
    assert "\n" not in str(info.value) and ".cc:" not in str(info.value)


@needs_stack
def test_prompt_longer_than_the_context_is_unavailable_not_a_crash(tiny_model_dir: Path) -> None:
    from sgr.core.llm.local import LocalBackend

    small = LocalBackend("small", tiny_model_dir, max_model_len=16)
    long_prompt = [{"role": "user", "content": "order_date region_name " * 20}]
    with pytest.raises(BackendUnavailable, match="context holds 16"):
        small.generate(GenerationRequest(messages=long_prompt, schema=schema_for(Route)))
    small.close()


@needs_stack
def test_close_frees_the_model_and_a_later_call_reloads(tiny_model_dir: Path) -> None:
    from sgr.core.llm.local import LocalBackend

    b = LocalBackend("reload", tiny_model_dir, max_tokens=64)
    first = b.generate(GenerationRequest(messages=MESSAGES, schema=schema_for(Route)))
    b.close()
    assert b.cache_info() == {"entries": 0, "hits": 0, "misses": 1, "compiler_bytes": 0}
    assert b.generate(GenerationRequest(messages=MESSAGES, schema=schema_for(Route))).text == first.text
    b.close()
