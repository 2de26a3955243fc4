"""Server kinds over real HTTP on 127.0.0.1: detection, per-kind negotiation, end-to-end structured calls.

The engine fakes (`sgr.testing.fake_servers`) answer each engine's own identification routes and honour only
the request fields that engine honours; everything else is accepted and ignored with HTTP 200, which is the
trap the improbable-token probe exists to catch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any, Literal

import jsonschema
import pytest
from pydantic import Field

from sgr.core.config import ModelEntry, parse_settings
from sgr.core.contracts import Contract, schema_for
from sgr.core.errors import BackendUnavailable, ConfigError
from sgr.core.llm import get_backend, server_kind
from sgr.core.llm.base import GenerationRequest
from sgr.core.llm.openai_compat import OpenAICompatBackend, cached_negotiation, clear_negotiation_cache
from sgr.core.port import agenerate, generate
from sgr.testing.fake_openai import FakeOpenAIServer, unused_url
from sgr.testing.fake_servers import FakeEngineServer

MESSAGES = [{"role": "user", "content": "Describe the chart to draw."}]


class Chart(Contract):
    reasoning: str = Field(..., max_length=40)
    mark: Literal["bar", "line", "point"]
    bins: int = Field(..., ge=1, le=30)
    stacked: bool


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_negotiation_cache()
    yield
    clear_negotiation_cache()


def make_backend(url: str, backend: str = "openai", **overrides: Any) -> OpenAICompatBackend:
    # generous: a test about timeouts sets its own; 2 s once met a fake server slowed by a loaded CI machine
    fields: dict[str, Any] = {"name": "m", "backend": backend, "url": url, "timeout": 30.0, "connect_retries": 0}
    fields.update(overrides)
    return OpenAICompatBackend.from_entry(ModelEntry(**fields), backoff_s=0.01)


# what each engine's negotiation should pick: its first dialect that really constrains
ENGINES: list[tuple[str, str]] = [
    ("llamacpp", "llamacpp_json_schema"),
    ("ollama", "response_format"),
    ("sglang", "response_format"),
    ("tgi", "tgi_json"),
]


# --- detection ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "dialect"), ENGINES)
def test_detection_names_each_engine(kind: str, dialect: str) -> None:
    with FakeEngineServer(kind) as srv:  # type: ignore[arg-type]
        found = server_kind.detect_server_kind(srv.url)
    assert found.kind == kind and found.detected
    assert found.evidence and found.asked[0] == "/v1/models"


def test_detection_names_vllm_by_its_owner_and_an_anonymous_server_as_unknown() -> None:
    with FakeOpenAIServer("modern", owned_by="vllm") as srv:
        found = server_kind.detect_server_kind(srv.root_url + "/v1")
        assert found.kind == "vllm" and "owned_by='vllm'" in found.evidence
        assert srv.gets == ["/v1/models"], "the first decisive answer wins: nothing else is asked"
    with FakeOpenAIServer("modern") as srv:
        found = server_kind.detect_server_kind(srv.url)
        assert found.kind == "openai" and found.reachable
        assert srv.gets == ["/v1/models", "/props", "/api/version", "/get_model_info", "/info", "/version"]


def test_detection_of_a_server_that_is_down_is_unknown_and_not_cached() -> None:
    url = unused_url()
    found = server_kind.detect_server_kind(url, timeout=0.5)
    assert found.kind == "openai" and not found.reachable and "unreachable" in found.evidence
    with FakeEngineServer("tgi") as srv:  # the port may be reused later: a verdict for a dead port is not kept
        assert server_kind.detect_server_kind(srv.url).kind == "tgi"


def test_detection_is_cached_per_server() -> None:
    with FakeEngineServer("sglang") as srv:
        server_kind.detect_server_kind(srv.url)
        asked = len(srv.gets)
        server_kind.detect_server_kind(srv.url)
        assert len(srv.gets) == asked
        server_kind.detect_server_kind(srv.url, refresh=True)
        assert len(srv.gets) == 2 * asked


@pytest.mark.parametrize(
    ("classify", "payload", "kind"),
    [
        (server_kind.from_models, {"data": [{"id": "m", "owned_by": "vllm"}]}, "vllm"),
        (server_kind.from_models, {"data": [{"id": "m", "owned_by": "llamacpp", "meta": None}]}, "llamacpp"),
        (server_kind.from_models, {"data": [{"id": "m", "owned_by": "sglang"}]}, "sglang"),
        (server_kind.from_models, {"data": [{"id": "llama3.2:latest", "owned_by": "library"}]}, None),
        (server_kind.from_models, {"data": [{"id": "m", "owned_by": "openai"}]}, None),
        (server_kind.from_props, {"default_generation_settings": {}, "total_slots": 1}, "llamacpp"),
        (server_kind.from_props, {"detail": "Not Found"}, None),
        (server_kind.from_api_version, {"version": "0.5.1"}, "ollama"),
        (server_kind.from_model_info, {"model_path": "Qwen/Qwen2.5-0.5B", "is_generation": True}, "sglang"),
        (server_kind.from_info, {"model_id": "bigscience/bloom-560m", "max_total_tokens": 2048}, "tgi"),
        (server_kind.from_info, {"model_id": "x"}, None),
        (server_kind.from_version, {"version": "0.12.0"}, "vllm"),
        (server_kind.from_version, {"version": "1", "build": "x"}, None),
    ],
)
def test_each_identification_answer_is_classified(classify: Any, payload: Any, kind: str | None) -> None:
    verdict = classify(payload)
    assert (verdict[0] if verdict else None) == kind


def test_tgi_is_recognised_by_its_compute_type_header() -> None:
    assert server_kind.from_headers({"X-Compute-Type": "gpu+optimized"}) is not None
    assert server_kind.from_headers({"content-type": "application/json"}) is None


# --- negotiation and structured calls per kind ---------------------------------------------------------


@pytest.mark.parametrize(("kind", "dialect"), ENGINES)
def test_each_engine_negotiates_a_verified_dialect_and_answers_schema_valid(kind: str, dialect: str) -> None:
    with FakeEngineServer(kind) as srv:  # type: ignore[arg-type]
        backend = make_backend(srv.url)
        negotiation = backend.negotiate()
        result = generate(backend, MESSAGES, Chart, max_retries=0, step="chart")
        backend.close()
        last_body = srv.bodies[-1]
    assert negotiation.kind == kind and negotiation.chosen == dialect
    assert negotiation.probes[-1].constrained and negotiation.probes[-1].dialect == dialect
    assert isinstance(result.value, Chart) and result.trace.dialect == dialect
    jsonschema.validate(result.value.model_dump(), schema_for(Chart))
    assert backend.server_label == server_kind.kind_label(kind)
    if dialect == "llamacpp_json_schema":
        assert last_body["json_schema"] == schema_for(Chart)
    elif dialect == "tgi_json":
        assert last_body["response_format"] == {"type": "json", "value": schema_for(Chart)}


def test_vllm_detected_from_an_openai_entry_gets_vllms_order() -> None:
    with FakeOpenAIServer("modern", owned_by="vllm") as srv:
        backend = make_backend(srv.url)
        assert backend.negotiate().chosen == "structured_outputs"
        backend.close()


def test_an_old_ollama_falls_back_to_the_native_route() -> None:
    """Its /v1 route ignores `json_schema` (HTTP 200, prose); its own /api/chat `format` constrains."""
    with FakeEngineServer("ollama", ollama_json_schema=False) as srv:
        backend = make_backend(srv.url)
        negotiation = backend.negotiate()
        first = negotiation.probe("response_format")
        result = generate(backend, MESSAGES, Chart, max_retries=0, step="chart")
        backend.close()
        assert first is not None and first.accepted and not first.constrained
        assert first.detail.startswith("ignored: the server answered HTTP 200 but did not apply response_format")
        assert negotiation.chosen == "ollama_format"
        assert srv.counts["native_chat"] == 2 and srv.bodies[-1]["format"] == schema_for(Chart)
        assert srv.bodies[-1]["options"]["num_predict"] > 0 and srv.bodies[-1]["stream"] is False
    assert isinstance(result.value, Chart) and result.trace.dialect == "ollama_format"
    assert result.trace.completion_tokens and result.trace.completion_tokens > 0


async def test_async_calls_use_the_kinds_dialect_too() -> None:
    with FakeEngineServer("ollama", ollama_json_schema=False) as srv:
        backend = make_backend(srv.url)
        results = await asyncio.gather(*(agenerate(backend, MESSAGES, Chart, max_retries=0) for _ in range(4)))
        await backend.aclose()
        assert srv.counts["native_chat"] == 1 + 4  # one probe, then the four calls
    assert all(isinstance(r.value, Chart) for r in results)


@pytest.mark.parametrize("kind", ["llamacpp", "ollama", "sglang", "tgi"])
def test_every_engine_silently_ignores_vllms_fields(kind: str) -> None:
    """The trap: HTTP 200 for `structured_outputs` and `guided_json`, and unconstrained text."""
    with FakeEngineServer(kind) as srv:  # type: ignore[arg-type]
        backend = make_backend(srv.url, backend="vllm")
        probes = [backend.probe_dialect(d) for d in ("structured_outputs", "guided_json")]
        backend.close()
    for probe in probes:
        assert probe.accepted and not probe.constrained
        assert "ignored: the server answered HTTP 200" in probe.detail


def test_an_explicit_backend_skips_detection() -> None:
    with FakeEngineServer("llamacpp") as srv:
        backend = make_backend(srv.url, backend="llamacpp")
        result = generate(backend, MESSAGES, Chart, max_retries=0)
        backend.close()
        assert isinstance(result.value, Chart)
        assert srv.gets == ["/v1/models"], "only the model list was asked; no identification route"


def test_an_explicit_wrong_backend_is_believed_and_fails_clearly() -> None:
    """`backend: tgi` on a llama.cpp server: TGI's dialect is rejected (400), so nothing is verified."""
    with FakeEngineServer("llamacpp") as srv:
        backend = make_backend(srv.url, backend="tgi")
        with pytest.raises(BackendUnavailable) as err:
            generate(backend, MESSAGES, Chart, max_retries=0)
        backend.close()
        assert "/props" not in srv.gets
    message = str(err.value)
    assert message.startswith("TGI (text-generation-inference) at")
    assert "tgi_json: rejected (HTTP 400)" in message and "would be unconstrained" in message


@pytest.mark.parametrize("kind", ["llamacpp", "ollama", "sglang", "tgi"])
def test_an_engine_that_ignores_every_constraint_is_unusable(kind: str) -> None:
    with FakeEngineServer(kind, constrain=False) as srv:  # type: ignore[arg-type]
        backend = make_backend(srv.url)
        with pytest.raises(BackendUnavailable, match="does not enforce any structured-output dialect"):
            generate(backend, MESSAGES, Chart, max_retries=0)
        backend.close()


def test_an_unknown_server_is_probed_with_every_openai_route_dialect() -> None:
    with FakeOpenAIServer("ignore_all") as srv:
        backend = make_backend(srv.url)
        negotiation = backend.negotiate(probe_all=True)
        backend.close()
    assert negotiation.kind == "openai" and negotiation.chosen is None
    assert [p.dialect for p in negotiation.probes] == [
        "response_format", "structured_outputs", "llamacpp_json_schema", "tgi_json", "guided_json"]


# --- config and registry -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["llamacpp", "ollama", "sglang", "tgi"])
def test_config_accepts_the_engine_kinds_and_the_registry_builds_the_http_backend(kind: str) -> None:
    settings = parse_settings(f"models:\n  m: {{backend: {kind}, url: 'http://127.0.0.1:9/v1'}}\n")
    backend = get_backend(settings.entry("m"))
    assert isinstance(backend, OpenAICompatBackend)
    assert backend.server_kind == kind and not backend.detection().detected
    with pytest.raises(ConfigError, match="needs a `url`"):
        parse_settings(f"models:\n  m: {{backend: {kind}}}\n")


def test_config_accepts_the_new_dialect_names() -> None:
    settings = parse_settings("models:\n  m: {backend: llamacpp, url: 'http://h:1', dialect: llamacpp_json_schema}\n")
    assert settings.entry("m").dialect == "llamacpp_json_schema"


def test_a_failed_negotiation_for_one_kind_does_not_stick_to_another() -> None:
    """Two entries for one server naming different kinds negotiate separately (the cache key has the kind)."""
    with FakeEngineServer("llamacpp") as srv:
        wrong = make_backend(srv.url, backend="tgi")
        with pytest.raises(BackendUnavailable):
            wrong.generate(GenerationRequest(messages=MESSAGES, schema=schema_for(Chart)))
        right = make_backend(srv.url)
        raw = right.generate(GenerationRequest(messages=MESSAGES, schema=schema_for(Chart)))
        wrong.close()
        right.close()
        url = srv.url
    assert raw.dialect == "llamacpp_json_schema"
    failed, verified = cached_negotiation(url, "fake-model", "tgi"), cached_negotiation(url, "fake-model", "llamacpp")
    assert failed is not None and failed.chosen is None
    assert verified is not None and verified.chosen == "llamacpp_json_schema"
