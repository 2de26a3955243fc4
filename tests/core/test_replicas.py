"""Model replicas (`urls:`): least-in-flight routing, failover, recovery, per-replica dialects.

Every server is a real HTTP fake on 127.0.0.1. Nothing here waits on the wall clock: requests are held in a
server by a gate the test opens, a replica is killed after the test saw its requests arrive (or between two
batches), and the backoff clock is a fake the test moves.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from pydantic import Field

from sgr.core import calllog
from sgr.core.config import ModelEntry, parse_settings
from sgr.core.contracts import Contract, schema_for
from sgr.core.errors import BackendUnavailable, ConfigError
from sgr.core.llm import get_backend
from sgr.core.llm.base import GenerationRequest, RawOutput
from sgr.core.llm.openai_compat import OpenAICompatBackend, ServerRejected, clear_negotiation_cache
from sgr.core.llm.replica_pool import ReplicaPool
from sgr.core.llm.replicas import ReplicatedBackend
from sgr.core.port import generate
from sgr.core.step import SGRStep, StepPolicy
from sgr.testing.fake_openai import FakeOpenAIServer, Faults, unused_url, unused_urls

SAFETY_S = 30.0  # only a bound on waits for events the test itself causes; never reached when things work


class Offer(Contract):
    reasoning: str = Field(..., max_length=60)
    discount_percent: int = Field(..., ge=0, le=15)
    approve: bool


OFFER_SCHEMA = schema_for(Offer)
GATED_ANSWER = json.dumps({"reasoning": "gate", "discount_percent": 5, "approve": True})


class FakeClock:
    """Monotonic time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Gate:
    """A responder that holds every chat request in the server until `open()`; counts arrivals."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.arrived = 0
        self._open = threading.Event()

    def __call__(self, body: dict[str, Any]) -> str:
        with self._cond:
            self.arrived += 1
            self._cond.notify_all()
        self._open.wait(SAFETY_S)
        return GATED_ANSWER

    def wait_for(self, count: int) -> None:
        with self._cond:
            assert self._cond.wait_for(lambda: self.arrived >= count, SAFETY_S), f"{count} requests never arrived"

    def open(self) -> None:
        self._open.set()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_negotiation_cache()
    yield
    clear_negotiation_cache()


def entry(*urls: str, **overrides: Any) -> ModelEntry:
    fields: dict[str, Any] = {"name": "pair", "backend": "openai", "urls": list(urls), "timeout": 10.0,
                              "connect_retries": 2, "replica_retry_s": 10.0}
    fields.update(overrides)
    return ModelEntry(**fields)


def replicated(*urls: str, clock: FakeClock | None = None, **overrides: Any) -> ReplicatedBackend:
    return ReplicatedBackend.from_entry(entry(*urls, **overrides), backoff_s=0.01, clock=clock or FakeClock())


def gated(*urls: str, clock: FakeClock | None = None) -> ReplicatedBackend:
    """Forced dialect and a named model: no probe or GET reaches a gated server, only the calls themselves."""
    return replicated(*urls, clock=clock, model="fake-model", dialect="response_format")


def request() -> GenerationRequest:
    return GenerationRequest(messages=[{"role": "user", "content": "Offer a discount."}], schema=OFFER_SCHEMA,
                             schema_name="offer")


def valid(raw: RawOutput) -> Offer:
    return Offer.model_validate_json(raw.text)


def states(backend: ReplicatedBackend) -> list[str]:
    return [v.state for v in backend.status()]


# --- config ------------------------------------------------------------------------------------------


def test_urls_lists_replicas_normalised_and_url_alone_is_unchanged() -> None:
    settings = parse_settings(
        "models:\n"
        "  pair: {backend: vllm, urls: ['http://127.0.0.1:8000', 'http://127.0.0.1:8001/v1/']}\n"
        "  one: {backend: vllm, url: 'http://127.0.0.1:8000'}\n"
    )
    pair, one = settings.models["pair"], settings.models["one"]
    assert pair.replica_urls == ("http://127.0.0.1:8000/v1", "http://127.0.0.1:8001/v1")
    assert pair.url is None and pair.replica_retry_s == 10.0
    assert one.url == "http://127.0.0.1:8000" and one.replica_urls == ("http://127.0.0.1:8000/v1",)
    assert type(get_backend(pair)) is ReplicatedBackend
    assert type(get_backend(one)) is OpenAICompatBackend
    # one replica is just a server: no router in the way
    single = parse_settings("models:\n  a: {backend: vllm, urls: ['http://127.0.0.1:8000']}\n").models["a"]
    assert type(get_backend(single)) is OpenAICompatBackend


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("urls: []", "`urls` is empty"),
        ("urls: 'http://127.0.0.1:8000'", "`urls` is a list of replica URLs (for one server use `url:`)"),
        ("urls: ['http://127.0.0.1:8000', 'http://127.0.0.1:8000/v1']", "listed twice"),
        ("url: 'http://127.0.0.1:1', urls: ['http://127.0.0.1:2']", "either `url` (one server) or `urls`"),
        ("urls: ['http://127.0.0.1:8000', '127.0.0.1:8001']", "must look like http://HOST:PORT/v1"),
        ("urls: ['http://127.0.0.1:99999']", "out of range"),
        ("urls: ['']", "empty entry"),
        ("urls: [8000]", "models.a.urls.0"),
        ("urls: ['http://127.0.0.1:1', 'http://127.0.0.1:2'], replica_retry_s: 0", "replica_retry_s"),
    ],
)
def test_bad_replica_lists_are_config_errors(fields: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_settings(f"models:\n  a: {{backend: vllm, {fields}}}\n")
    assert message in str(info.value)


def test_urls_on_a_backend_without_a_server_is_an_error() -> None:
    with pytest.raises(ConfigError, match="backend 'offline' has no server"):
        parse_settings("models:\n  a: {backend: offline, urls: ['http://127.0.0.1:1']}\n")


# --- the pool's rules, without servers ---------------------------------------------------------------


def test_pool_picks_fewest_in_flight_and_breaks_ties_in_configured_order() -> None:
    pool = ReplicaPool(["a", "b", "c"], clock=FakeClock())
    leases = [pool.acquire() for _ in range(5)]
    assert [lease.url for lease in leases if lease] == ["a", "b", "c", "a", "b"]
    pool.release(leases[1], "ok")  # b now has 1 in flight, a 2, c 1: b and c tie, b is listed first
    assert (lease := pool.acquire()) is not None and lease.url == "b"


def test_pool_skips_a_failed_replica_until_its_backoff_then_lets_one_request_check_it() -> None:
    clock = FakeClock()
    pool = ReplicaPool(["a", "b"], retry_after_s=10.0, clock=clock)
    lease = pool.acquire()
    assert lease is not None
    assert pool.release(lease, "down", "refused") == "down"
    assert pool.acquire(avoid=[1]) is None  # a is down, b avoided
    clock.advance(9.0)
    assert pool.acquire(avoid=[1]) is None
    clock.advance(1.0)
    probe = pool.acquire(avoid=[1])
    assert probe is not None and probe.url == "a" and probe.check
    assert pool.acquire(avoid=[1]) is None  # one request checks it; the others keep skipping it
    assert [s.state for s in pool.status()] == ["retrying", "up"]
    pool.release(probe, "down", "still refused")  # its retry failed: the wait doubles
    clock.advance(10.0)
    assert pool.acquire(avoid=[1]) is None
    clock.advance(10.0)
    probe = pool.acquire(avoid=[1])
    assert probe is not None and pool.release(probe, "ok") == "recovered"
    assert [s.state for s in pool.status()] == ["up", "up"]


def test_pool_neutral_outcome_neither_marks_down_nor_counts_as_served() -> None:
    pool = ReplicaPool(["a"], clock=FakeClock())
    lease = pool.acquire()
    assert lease is not None and pool.release(lease, "neutral", "HTTP 429") is None
    [status] = pool.status()
    assert status.state == "up" and status.in_flight == 0 and status.served == 0


# --- routing on real servers -------------------------------------------------------------------------


def test_requests_go_to_the_replica_with_fewest_in_flight() -> None:
    gate_a, gate_b = Gate(), Gate()
    with FakeOpenAIServer(responder=gate_a) as a, FakeOpenAIServer(responder=gate_b) as b, \
            ThreadPoolExecutor(4) as pool:
        backend = gated(a.url, b.url)
        futures: list[Future[RawOutput]] = []
        try:
            # each call is sent only once the previous one is held in its server, so the counts are exact
            for gate, held in ((gate_a, 1), (gate_b, 1), (gate_a, 2), (gate_b, 2)):
                futures.append(pool.submit(backend.generate, request()))
                gate.wait_for(held)
            assert [v.in_flight for v in backend.status()] == [2, 2]
        finally:
            gate_a.open()
            gate_b.open()
        served = [f.result(SAFETY_S).extra["replica"] for f in futures]
        backend.close()
    assert served == [a.url, b.url, a.url, b.url]
    assert [v.in_flight for v in backend.status()] == [0, 0]


def test_sequential_calls_stay_on_the_first_listed_replica() -> None:
    with FakeOpenAIServer() as a, FakeOpenAIServer() as b:
        backend = replicated(a.url, b.url)
        for _ in range(3):
            valid(backend.generate(request()))
        backend.close()
    assert a.counts["chat"] >= 3 and b.counts["chat"] == 0


async def test_a_replica_killed_between_two_batches_costs_no_call() -> None:
    a, b = FakeOpenAIServer(owned_by="vllm").start(), FakeOpenAIServer(owned_by="vllm").start()
    backend = replicated(a.url, b.url, backend="vllm")
    try:
        first = await asyncio.gather(*(backend.agenerate(request()) for _ in range(8)))
        assert all(valid(raw) for raw in first)
        assert {raw.extra["replica"] for raw in first} <= {a.url, b.url}
        a.stop()
        second = await asyncio.gather(*(backend.agenerate(request()) for _ in range(8)))
        assert all(valid(raw) for raw in second)
        assert {raw.extra["replica"] for raw in second} == {b.url}
        assert states(backend) == ["down", "up"]
        assert "cannot reach" in (backend.status()[0].last_error or "")
    finally:
        await backend.aclose()
        a.stop()
        b.stop()


def test_a_replica_killed_with_calls_in_flight_hands_them_to_the_other_sync() -> None:
    gate_a, gate_b = Gate(), Gate()
    a, b = FakeOpenAIServer(responder=gate_a).start(), FakeOpenAIServer(responder=gate_b).start()
    backend = gated(a.url, b.url)
    try:
        with ThreadPoolExecutor(2) as pool:
            on_a = pool.submit(backend.generate, request())
            gate_a.wait_for(1)
            on_b = pool.submit(backend.generate, request())
            gate_b.wait_for(1)
            a.stop()  # the call held in A loses its connection, like a killed process would drop it
            gate_b.wait_for(2)  # ...and is sent again, to B
            gate_b.open()
            moved, stayed = on_a.result(SAFETY_S), on_b.result(SAFETY_S)
    finally:
        gate_a.open()
        gate_b.open()
        backend.close()
        a.stop()
        b.stop()
    assert valid(moved) and valid(stayed)
    assert moved.extra["replica"] == stayed.extra["replica"] == b.url
    assert moved.extra["failed_over"][0].startswith(f"{a.url}: ")
    assert states(backend) == ["down", "up"]


async def test_a_replica_killed_with_calls_in_flight_hands_them_to_the_other_async() -> None:
    gate_a, gate_b = Gate(), Gate()
    a, b = FakeOpenAIServer(responder=gate_a).start(), FakeOpenAIServer(responder=gate_b).start()
    backend = gated(a.url, b.url)
    try:
        on_a = asyncio.create_task(backend.agenerate(request()))
        await asyncio.to_thread(gate_a.wait_for, 1)
        on_b = asyncio.create_task(backend.agenerate(request()))
        await asyncio.to_thread(gate_b.wait_for, 1)
        a.stop()
        await asyncio.to_thread(gate_b.wait_for, 2)
        gate_b.open()
        moved, stayed = await asyncio.gather(on_a, on_b)
    finally:
        gate_a.open()
        gate_b.open()
        await backend.aclose()
        a.stop()
        b.stop()
    assert valid(moved) and valid(stayed)
    assert moved.extra["replica"] == stayed.extra["replica"] == b.url
    assert states(backend) == ["down", "up"]


def test_a_dead_replica_is_skipped_then_used_again_after_it_returns_and_its_backoff_passes() -> None:
    clock = FakeClock()
    a, b = FakeOpenAIServer(owned_by="vllm").start(), FakeOpenAIServer(owned_by="vllm").start()
    backend = replicated(a.url, b.url, clock=clock)
    try:
        assert backend.generate(request()).extra["replica"] == a.url
        a.go_down()  # dead to clients, but the port stays A's (no restart race)
        assert backend.generate(request()).extra["replica"] == b.url  # failed over, A marked down
        # A comes back, but its backoff has not passed: nothing is sent to it
        a.come_back()
        chats, gets = a.counts["chat"], len(a.gets)
        for _ in range(3):
            assert backend.generate(request()).extra["replica"] == b.url
        assert a.counts["chat"] == chats and len(a.gets) == gets
        clock.advance(10.0)
        raw = backend.generate(request())
        assert raw.extra["replica"] == a.url and valid(raw)
        assert a.gets[gets] == "/v1/models"  # the health check came first
        assert states(backend) == ["up", "up"]
        assert backend.generate(request()).extra["replica"] == a.url  # first listed and idle again
    finally:
        backend.close()
        a.stop()
        b.stop()


def test_a_replica_that_returns_as_another_version_is_negotiated_again() -> None:
    clock = FakeClock()
    a, b = FakeOpenAIServer("modern", owned_by="vllm").start(), FakeOpenAIServer("modern", owned_by="vllm").start()
    backend = replicated(a.url, b.url, clock=clock)
    try:
        assert backend.generate(request()).dialect == "structured_outputs"
        a.go_down()
        backend.generate(request())
        a.come_back("legacy")  # an older vLLM now
        probes = a.counts["structured_outputs"]
        clock.advance(10.0)
        raw = backend.generate(request())
        assert raw.extra["replica"] == a.url and raw.dialect == "response_format" and valid(raw)
        assert a.counts["structured_outputs"] == probes + 1  # the probe it ignored, then response_format
    finally:
        backend.close()
        a.stop()
        b.stop()


def test_each_replica_negotiates_its_own_dialect() -> None:
    legacy, modern = FakeOpenAIServer("legacy", owned_by="vllm").start(), FakeOpenAIServer("modern").start()
    backend = replicated(legacy.url, modern.url)
    try:
        first = backend.generate(request())
        legacy.stop()
        second = backend.generate(request())
    finally:
        backend.close()
        legacy.stop()
        modern.stop()
    assert (first.extra["replica"], first.dialect) == (legacy.url, "response_format")
    # the modern one is not detected as vLLM (owned_by "fake"), so the unknown kind's order applies
    assert (second.extra["replica"], second.dialect) == (modern.url, "response_format")
    views = backend.status()
    assert [v.server_kind for v in views] == ["vllm", "openai"]
    assert legacy.counts["structured_outputs"] == 1 and modern.counts["structured_outputs"] == 0


def test_replicas_of_different_versions_use_their_best_dialect() -> None:
    legacy, modern = FakeOpenAIServer("legacy", owned_by="vllm").start(), FakeOpenAIServer("modern").start()
    backend = replicated(legacy.url, modern.url, backend="vllm")
    try:
        first = backend.generate(request())
        legacy.stop()
        second = backend.generate(request())
    finally:
        backend.close()
        legacy.stop()
        modern.stop()
    assert first.dialect == "response_format" and second.dialect == "structured_outputs"
    assert [v.dialect for v in backend.status()] == ["response_format", "structured_outputs"]
    assert modern.bodies[-1].get("structured_outputs") is not None


def test_5xx_marks_a_replica_down_and_the_call_moves_on() -> None:
    with FakeOpenAIServer(faults=Faults(always_error=True, error_status=503)) as a, FakeOpenAIServer() as b:
        backend = replicated(a.url, b.url, dialect="response_format", model="fake-model")
        raw = backend.generate(request())
        backend.close()
    assert raw.extra["replica"] == b.url and "HTTP 503" in raw.extra["failed_over"][0]
    assert states(backend) == ["down", "up"] and a.counts["chat"] == 1


def test_429_is_backed_off_like_a_5xx() -> None:
    with FakeOpenAIServer(faults=Faults(always_error=True, error_status=429)) as a, FakeOpenAIServer() as b:
        backend = replicated(a.url, b.url, dialect="response_format", model="fake-model")
        raw = backend.generate(request())
        assert raw.extra["replica"] == b.url and states(backend) == ["down", "up"]
        assert backend.generate(request()).extra["replica"] == b.url and a.counts["chat"] == 1
        backend.close()


def test_a_4xx_answer_is_the_requests_fault_not_the_replicas() -> None:
    with FakeOpenAIServer(models=("other-model",)) as a, FakeOpenAIServer(models=("other-model",)) as b:
        backend = replicated(a.url, b.url, dialect="response_format", model="fake-model")
        with pytest.raises(ServerRejected, match="HTTP 404"):
            backend.generate(request())
        backend.close()
    assert states(backend) == ["up", "up"] and b.counts["chat"] == 0


def test_a_replica_that_enforces_no_dialect_is_skipped() -> None:
    with FakeOpenAIServer("ignore_all") as a, FakeOpenAIServer("modern") as b:
        backend = replicated(a.url, b.url)
        raw = backend.generate(request())
        backend.close()
    assert raw.extra["replica"] == b.url and valid(raw)
    assert "does not enforce any structured-output dialect" in (backend.status()[0].last_error or "")


def test_every_replica_dead_is_one_clear_error_sync_and_async() -> None:
    backend = replicated(*unused_urls(2))
    urls = [r.base_url for r in backend.replicas]
    with pytest.raises(BackendUnavailable) as info:
        backend.generate(request())
    text = str(info.value)
    assert "no replica of model 'pair' could answer (2 configured)" in text
    assert all(f"{u}: " in text for u in urls) and "connection refused" in text
    assert "sgr doctor --model pair" in text
    # both are now waiting out their backoff: the next call fails at once, naming them
    with pytest.raises(BackendUnavailable, match="skipped, down after an earlier failure"):
        asyncio.run(backend.agenerate(request()))


class OfferStep(SGRStep[dict[str, Any], Offer]):
    """The smallest step: a fixed prompt and a deterministic offer of 0 %."""

    name = "offer"

    def prompt(self, ctx: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"role": "user", "content": "Offer a discount."}]

    def schema(self, ctx: dict[str, Any]) -> type[Offer]:
        return Offer

    def fallback(self, ctx: dict[str, Any]) -> Offer:
        return Offer(reasoning="policy default", discount_percent=0, approve=False)


def test_a_step_falls_back_or_raises_per_on_failure_when_every_replica_is_dead() -> None:
    backend = replicated(*unused_urls(2))
    result = OfferStep().run({}, backend, StepPolicy(on_failure="fallback"))
    assert result.trace.fallback_used and result.value.discount_percent == 0
    assert "no replica of model 'pair' could answer" in (result.trace.fallback_reason or "")
    with pytest.raises(BackendUnavailable):
        OfferStep().run({}, backend, StepPolicy(on_failure="raise"))


def test_the_trace_and_the_call_log_name_the_replica_that_answered(_call_log_in_tmp: Path) -> None:
    with FakeOpenAIServer() as a, FakeOpenAIServer() as b:
        backend = replicated(a.url, b.url)
        result = generate(backend, request().messages, Offer)
        a.stop()
        step = OfferStep().run({}, backend)
        backend.close()
    assert [x.replica for x in result.trace.attempts] == [a.url]
    assert not step.trace.fallback_used and step.trace.attempts[0].replica == b.url
    [row] = calllog.calls(calllog.connect(_call_log_in_tmp))
    assert [x["replica"] for x in row["attempts"]] == [b.url]


def test_doctor_lists_each_replica_with_its_state_and_verified_dialect(capsys: pytest.CaptureFixture[str]) -> None:
    from sgr.core.doctor import diagnose, render

    dead = unused_url()
    with FakeOpenAIServer("legacy", owned_by="vllm") as legacy, FakeOpenAIServer("modern", owned_by="vllm") as modern:
        report = diagnose(entry(legacy.url, modern.url, dead, backend="vllm"), backoff_s=0.01)
        render(report)
    out = capsys.readouterr().out
    assert report.usable
    assert [(r["state"], r["dialect"]) for r in report.replicas] == [
        ("ok", "response_format"), ("ok", "structured_outputs"), ("down", None)]
    assert "replicas: 3 configured, 2 usable" in out
    assert f"replica 3 {dead}: DOWN (not reachable)" in out
    assert "dialect structured_outputs (constraint verified)" in out
    assert any(p.severity == "warning" and "only 2 of 3 replicas" in p.problem for p in report.problems)


def test_doctor_fails_an_entry_whose_replicas_are_all_down() -> None:
    from sgr.core.doctor import diagnose

    report = diagnose(entry(*unused_urls(2)), backoff_s=0.01)
    assert not report.usable and [r["state"] for r in report.replicas] == ["down", "down"]
