"""The OpenAI-compatible backend against real HTTP servers on 127.0.0.1 (sgr.testing.fake_openai).

The fakes imitate vLLM generations: legacy (< 0.10.2: guided_json works), modern (>= 0.12: guided_json is
accepted and ignored), a server that ignores every constraint, and one with injected faults.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import Field

from sgr.core.config import ModelEntry
from sgr.core.contracts import Contract, schema_for
from sgr.core.errors import BackendUnavailable, RetriesExhausted
from sgr.core.llm import get_backend, openai_compat
from sgr.core.llm.base import GenerationRequest
from sgr.core.llm.openai_compat import (
    OpenAICompatBackend,
    cached_negotiation,
    clear_negotiation_cache,
    judge_probe,
)
from sgr.core.port import agenerate, generate
from sgr.testing.fake_openai import FakeOpenAIServer, Faults, unused_url


class Offer(Contract):
    reasoning: str = Field(..., max_length=60)
    discount_percent: int = Field(..., ge=0, le=15)
    tier: str = Field(..., max_length=8)
    approve: bool


MESSAGES = [{"role": "user", "content": "Offer a discount to customer 7."}]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_negotiation_cache()
    yield
    clear_negotiation_cache()


def make_backend(url: str, **overrides: Any) -> OpenAICompatBackend:
    # generous: a test about timeouts sets its own; 2 s once met a fake server slowed by a loaded CI machine
    fields: dict[str, Any] = {"name": "fake", "backend": "vllm", "url": url, "timeout": 30.0, "connect_retries": 2}
    fields.update(overrides)
    return OpenAICompatBackend.from_entry(ModelEntry(**fields), backoff_s=0.02)


def request(schema: dict[str, Any] | None = None, **kw: Any) -> GenerationRequest:
    return GenerationRequest(messages=MESSAGES, schema=schema or schema_for(Offer), schema_name="offer", **kw)


# --- negotiation -------------------------------------------------------------------------------------


def test_modern_server_negotiates_structured_outputs_with_one_probe() -> None:
    with FakeOpenAIServer("modern") as srv:
        backend = make_backend(srv.url)
        negotiation = backend.negotiate()
        backend.close()
        assert negotiation.chosen == "structured_outputs"
        assert [(p.dialect, p.accepted, p.constrained) for p in negotiation.probes] == [
            ("structured_outputs", True, True)
        ]
        assert srv.counts["structured_outputs"] == 1
        assert srv.counts["response_format"] == srv.counts["guided_json"] == 0


def test_legacy_server_skips_ignored_structured_outputs_and_uses_response_format() -> None:
    with FakeOpenAIServer("legacy") as srv:
        backend = make_backend(srv.url)
        negotiation = backend.negotiate()
        raw = backend.generate(request())
        backend.close()
        first = negotiation.probe("structured_outputs")
        assert first is not None and first.accepted and not first.constrained
        assert "NOT constrained" in first.detail
        assert negotiation.chosen == "response_format"
        assert raw.dialect == "response_format"
        assert Offer.model_validate_json(raw.text).discount_percent <= 15
        assert "response_format" in srv.bodies[-1]


def test_openai_backend_tries_response_format_first() -> None:
    with FakeOpenAIServer("legacy") as srv:
        backend = make_backend(srv.url, backend="openai")
        assert backend.negotiate().chosen == "response_format"
        backend.close()
        assert srv.counts["chat"] == 1


def test_probe_all_reports_every_dialect_on_each_fake() -> None:
    expected = {
        "legacy": {"structured_outputs": False, "response_format": True, "guided_json": True},
        "modern": {"structured_outputs": True, "response_format": True, "guided_json": False},
        "ignore_all": {"structured_outputs": False, "response_format": False, "guided_json": False},
    }
    for behavior, verified in expected.items():
        with FakeOpenAIServer(behavior) as srv:  # type: ignore[arg-type]
            backend = make_backend(srv.url)
            negotiation = backend.negotiate(probe_all=True)
            backend.close()
            assert {p.dialect: p.constrained for p in negotiation.probes} == verified, behavior
            assert all(p.accepted for p in negotiation.probes)
            assert srv.counts["chat"] == 3


def test_ignore_all_server_is_unusable_with_a_readable_error() -> None:
    with FakeOpenAIServer("ignore_all") as srv:
        backend = make_backend(srv.url)
        with pytest.raises(BackendUnavailable, match="does not enforce any structured-output dialect") as err:
            backend.generate(request())
        backend.close()
        assert "sgr doctor --model fake" in str(err.value)
        assert srv.counts["chat"] == 3  # the three probes; no real request was sent


def test_failed_negotiation_is_remembered_for_a_while_then_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAIServer("ignore_all") as srv:
        backend = make_backend(srv.url)
        for _ in range(2):
            with pytest.raises(BackendUnavailable):
                backend.generate(request())
        assert srv.counts["chat"] == 3, "within the TTL the verdict is reused"
        monkeypatch.setattr(openai_compat, "FAILED_TTL_S", 0.0)
        with pytest.raises(BackendUnavailable):
            backend.generate(request())
        backend.close()
        assert srv.counts["chat"] == 6, "after it, the server is probed again (it may have been fixed)"


def test_negotiation_is_cached_per_server_and_model() -> None:
    with FakeOpenAIServer("modern") as srv:
        first = make_backend(srv.root_url)  # spelled without /v1: the same server
        first.generate(request())
        seen = dict(srv.counts)
        second = make_backend(srv.url + "/")
        raw = second.generate(request())
        first.close()
        second.close()
        assert raw.dialect == "structured_outputs"
        assert seen == {"models": 1, "chat": 2, "structured_outputs": 2}
        assert srv.counts["models"] == 1, "served models are cached too"
        assert srv.counts["chat"] == 3, "the second backend sent its request and no probe"
        assert cached_negotiation(srv.url, "fake-model") is not None


def test_forced_dialect_skips_negotiation() -> None:
    with FakeOpenAIServer("legacy") as srv:
        backend = make_backend(srv.url, dialect="guided_json")
        raw = backend.generate(request())
        backend.close()
        assert raw.dialect == "guided_json"
        assert srv.counts["chat"] == 1 and srv.counts["guided_json"] == 1
        Offer.model_validate_json(raw.text)


def test_guided_json_client_against_modern_server_is_unconstrained() -> None:
    """What the old pricing demo did: vLLM >= 0.12 says 200 OK and ignores the schema."""
    with FakeOpenAIServer("modern") as srv:
        backend = make_backend(srv.url, dialect="guided_json")
        probe = backend.probe_dialect("guided_json")
        assert probe.accepted and not probe.constrained
        with pytest.raises(RetriesExhausted) as err:
            generate(backend, MESSAGES, Offer, max_retries=1)
        backend.close()
        assert all(a["error"] for a in err.value.attempts)
        assert srv.counts["guided_json"] == 3


def test_judge_probe_accepts_only_the_forced_answer() -> None:
    assert judge_probe('{"answer":"zq7-kappa"}', "stop")[0]
    assert judge_probe('{\n  "answer": "zq7-kappa"\n}', "stop")[0]
    assert judge_probe('{\n\n  "ans\n   \n', "length")[0], "grammar allowed whitespace padding"
    assert not judge_probe("{\n\n\n", "length")[0], "a lone brace proves nothing"
    assert not judge_probe('{"' + " " * 40, "length")[0], "any JSON mode can open a key"
    assert not judge_probe("{", "stop")[0]
    assert not judge_probe('{"answer":"hello"}', "stop")[0]
    assert not judge_probe("Hello!", "length")[0]


def test_model_auto_takes_first_served_model() -> None:
    with FakeOpenAIServer("modern", models=("first-model", "second-model")) as srv:
        backend = make_backend(srv.url)
        raw = backend.generate(request())
        backend.close()
        assert backend.model_name == "first-model" and raw.model == "first-model"
        assert {b["model"] for b in srv.bodies} == {"first-model"}


def test_registry_builds_this_backend_for_vllm_and_openai_entries() -> None:
    for kind in ("vllm", "openai"):
        backend = get_backend(ModelEntry(name="x", backend=kind, url="http://127.0.0.1:9/"))
        assert isinstance(backend, OpenAICompatBackend)
        assert backend.base_url == "http://127.0.0.1:9/v1"


# --- request contents ---------------------------------------------------------------------------------


def test_request_settings_override_entry_defaults_and_api_key_is_bearer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SGR_TEST_KEY", "sk-local-123")
    with FakeOpenAIServer("modern") as srv:
        backend = make_backend(srv.url, temperature=0.3, max_tokens=200, seed=11, api_key_env="SGR_TEST_KEY",
                               dialect="structured_outputs")
        backend.generate(request())
        backend.generate(request(max_tokens=50, temperature=0.0, seed=3))
        backend.close()
        defaults, explicit = srv.bodies
        assert (defaults["max_tokens"], defaults["temperature"], defaults["seed"]) == (200, 0.3, 11)
        assert (explicit["max_tokens"], explicit["temperature"], explicit["seed"]) == (50, 0.0, 3)
        assert all(h["authorization"] == "Bearer sk-local-123" for h in srv.headers)


def test_usage_and_finish_reason_come_back() -> None:
    with FakeOpenAIServer("modern") as srv:
        backend = make_backend(srv.url)
        raw = backend.generate(request())
        backend.close()
    assert raw.finish_reason == "stop"
    assert raw.prompt_tokens == len(MESSAGES[0]["content"].split())
    assert raw.completion_tokens is not None and raw.completion_tokens > 0


def test_custom_responder_hook() -> None:
    def responder(body: dict[str, Any]) -> dict[str, Any]:
        return {"content": '{"note":"' + body["messages"][-1]["content"][:5] + '"}', "finish_reason": "stop"}

    with FakeOpenAIServer("modern", responder=responder) as srv:
        backend = make_backend(srv.url, dialect="response_format")
        raw = backend.generate(request())
        backend.close()
    assert raw.text == '{"note":"Offer"}'


def test_clients_are_reused_and_closed() -> None:
    with FakeOpenAIServer("modern") as srv:
        backend = make_backend(srv.url)
        backend.generate(request())
        client = backend._client
        backend.generate(request())
        assert backend._client is client
        backend.close()
        assert backend._client is None


# --- repair through the port -----------------------------------------------------------------------


def test_repair_loop_recovers_from_truncation_invalid_json_and_schema_violation() -> None:
    with FakeOpenAIServer("failing") as srv:
        backend = make_backend(srv.url)
        backend.negotiate()
        srv.set_faults(Faults(script=["truncated", "invalid_json", "schema_violation"], then="ok"))
        result = generate(backend, MESSAGES, Offer, max_retries=3, step="price")
        backend.close()
    assert isinstance(result.value, Offer)
    trace = result.trace
    assert [a.error_kind for a in trace.attempts] == ["truncated", "json", "schema", None]
    assert trace.attempts[0].finish_reason == "length"
    assert trace.retries == trace.repairs == 3
    assert trace.dialect == "structured_outputs" and trace.model == "fake-model"
    assert trace.prompt_tokens > 0 and trace.completion_tokens > 0
    # the repair messages went to the server: the last request shows the previous rejection
    assert "rejected" in srv.bodies[-1]["messages"][-1]["content"]


def test_retries_exhausted_when_never_valid() -> None:
    with FakeOpenAIServer("failing", faults=Faults(then="schema_violation")) as srv:
        backend = make_backend(srv.url, dialect="structured_outputs")
        with pytest.raises(RetriesExhausted) as err:
            generate(backend, MESSAGES, Offer, max_retries=2)
        backend.close()
    assert len(err.value.attempts) == 3
    assert all(a["error_kind"] == "schema" for a in err.value.attempts)


# --- transport -----------------------------------------------------------------------------------------


def test_initial_500s_are_retried_with_growing_backoff() -> None:
    with FakeOpenAIServer("failing", faults=Faults(errors_first=2)) as srv:
        backend = make_backend(srv.url, dialect="structured_outputs", connect_retries=2)
        raw = backend.generate(request())
        backend.close()
        Offer.model_validate_json(raw.text)
        times = srv.request_times
    assert len(times) == 3
    delays = backend.backoff_delays()
    assert delays == [0.02, 0.04]
    assert times[1] - times[0] >= delays[0] and times[2] - times[1] >= delays[1]


def test_rate_limit_429_is_retried_but_other_4xx_are_not() -> None:
    with FakeOpenAIServer("failing", faults=Faults(errors_first=1, error_status=429)) as srv:
        backend = make_backend(srv.url, dialect="structured_outputs")
        backend.generate(request())
        backend.close()
        assert srv.counts["chat"] == 2
    with FakeOpenAIServer("failing", faults=Faults(errors_first=1, error_status=400)) as srv:
        backend = make_backend(srv.url, dialect="structured_outputs")
        with pytest.raises(BackendUnavailable, match="HTTP 400"):
            backend.generate(request())
        backend.close()
        assert srv.counts["chat"] == 1


def test_always_500_becomes_backend_unavailable() -> None:
    with FakeOpenAIServer("failing", faults=Faults(always_error=True)) as srv:
        backend = make_backend(srv.url, dialect="structured_outputs", connect_retries=2)
        with pytest.raises(BackendUnavailable) as err:
            backend.generate(request())
        backend.close()
        assert srv.counts["chat"] == 3
    message = str(err.value)
    assert "HTTP 500" in message and "after 3 attempt(s)" in message and "sgr doctor --model fake" in message


def test_server_down_message_says_what_to_do() -> None:
    url = unused_url()
    backend = make_backend(url, connect_retries=1)
    with pytest.raises(BackendUnavailable) as err:
        backend.generate(request())
    backend.close()
    message = str(err.value)
    assert message.startswith(f"cannot reach vLLM at {url}: connection refused")
    assert "vllm serve" in message and "sgr doctor --model fake" in message
    assert "\n" not in message


def test_hang_longer_than_timeout_becomes_backend_unavailable() -> None:
    with FakeOpenAIServer("failing", faults=Faults(hang_s=30)) as srv:
        backend = make_backend(srv.url, dialect="structured_outputs", timeout=1.0, connect_retries=1)
        with pytest.raises(BackendUnavailable, match="timeout"):
            backend.generate(request())
        backend.close()
        deadline = time.monotonic() + 10  # the server's handler thread counts the second request on its own time
        while srv.counts["chat"] < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert srv.counts["chat"] == 2


def test_4xx_is_not_retried_and_shows_the_server_text() -> None:
    with FakeOpenAIServer("modern") as srv:
        backend = make_backend(srv.url, model="no-such-model", dialect="structured_outputs")
        with pytest.raises(BackendUnavailable, match="does not exist") as err:
            backend.generate(request())
        backend.close()
        assert srv.counts["chat"] == 1
    assert "HTTP 404" in str(err.value)


# --- async ----------------------------------------------------------------------------------------------


async def test_twenty_concurrent_agenerate_calls_overlap_and_are_valid() -> None:
    with FakeOpenAIServer("modern", latency_s=0.2) as srv:
        backend = make_backend(srv.url)
        results = await asyncio.gather(*[
            agenerate(backend, [{"role": "user", "content": f"customer {i}"}], Offer, seed=i) for i in range(20)
        ])
        await backend.aclose()
        assert all(isinstance(r.value, Offer) for r in results)
        assert all(r.trace.dialect == "structured_outputs" for r in results)
        assert srv.counts["chat"] == 21, "one probe, then the 20 calls"
        assert srv.max_in_flight > 1, "the calls were in flight together"
    assert backend._aclient is None


async def test_async_server_down_raises_backend_unavailable() -> None:
    backend = make_backend(unused_url(), connect_retries=1, dialect="structured_outputs", model="m")
    with pytest.raises(BackendUnavailable, match="connection refused"):
        await backend.agenerate(request())
    await backend.aclose()


def test_one_backend_serves_two_event_loops() -> None:
    """A sync surface may call asyncio.run more than once; the async pool must follow the loop."""
    with FakeOpenAIServer("modern") as srv:
        backend = make_backend(srv.url)
        first = asyncio.run(agenerate(backend, MESSAGES, Offer))
        second = asyncio.run(agenerate(backend, MESSAGES, Offer))
        backend.close()
        assert isinstance(first.value, Offer) and isinstance(second.value, Offer)
        assert srv.counts["chat"] == 3


# --- the real vLLM server of the tier (tests/vllm_tier.py) ----------------------------------------------------------


@pytest.mark.vllm
def test_real_vllm_negotiation_and_concurrent_calls(vllm_url: str) -> None:
    """Against the tier's real vLLM (or SGR_VLLM_URL): every dialect probed, two verified, calls overlap."""
    backend = make_backend(vllm_url, timeout=120)
    negotiation = backend.negotiate(probe_all=True)
    verified = {p.dialect: p.constrained for p in negotiation.probes}
    assert verified["structured_outputs"] and verified["response_format"], negotiation.probes
    assert negotiation.chosen == "structured_outputs"

    async def many() -> list[Any]:
        try:
            return await asyncio.gather(*[
                agenerate(backend, [{"role": "user", "content": f"customer {i}"}], Offer, seed=i, max_retries=3)
                for i in range(8)
            ])
        finally:
            await backend.aclose()

    results = asyncio.run(many())
    assert all(isinstance(r.value, Offer) for r in results)


@pytest.mark.parametrize("reply", [{"choices": [{"message": "hi"}]}, {"choices": {"a": 1}}, {"choices": []}, {}])
def test_a_malformed_completion_is_a_server_fault_not_a_traceback(reply: dict[str, Any]) -> None:
    """A reply not shaped like a chat completion raises BackendUnavailable, so steps fall back."""
    from sgr.core.llm.openai_compat import _raw_output

    with pytest.raises(BackendUnavailable, match="malformed chat completion"):
        _raw_output(reply, "structured_outputs", "m")


class _Trickle:
    """A server that answers 200 and then sends its body one byte every `gap` seconds: every read is quick,
    the whole answer never is (the shape a per-read timeout cannot catch)."""

    def __init__(self, gap: float = 0.1, size: int = 400) -> None:
        import socket
        import threading

        self.gap, self.size = gap, size
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"
        self.stop = threading.Event()
        self.completed = 0  # bodies sent to the end
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        import threading

        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: Any) -> None:
        import time

        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                         + f"content-length: {self.size}\r\n\r\n".encode())
            try:
                for _ in range(self.size):
                    if self.stop.is_set():
                        return
                    conn.sendall(b" ")
                    time.sleep(self.gap)
            except OSError:
                return
            self.completed += 1

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def test_a_trickling_server_hits_the_end_to_end_deadline_sync_and_async() -> None:
    # 400 bytes, one per 0.1 s: 40 s to send, every read well within the 3 s timeout (1 s was within reach of a
    # stall of the sending thread on a loaded machine, which made it a per-read timeout instead)
    server = _Trickle()
    backend = OpenAICompatBackend("t", url=server.url, model="m", timeout=3.0, connect_retries=0,
                                  dialect="response_format")
    try:
        with pytest.raises(BackendUnavailable, match="end-to-end deadline"):
            backend._request("GET", "/models")
        assert server.completed == 0  # the call gave up while the body was still arriving
        with pytest.raises(BackendUnavailable, match="end-to-end deadline"):
            asyncio.run(backend._arequest("GET", "/models"))
        assert server.completed == 0
    finally:
        backend.close()
        server.close()
