"""The backend for vLLM, llama.cpp, Ollama, SGLang, TGI and any OpenAI-compatible server: the engine's kind
(configured or detected), a negotiated dialect, retried transport.

Why negotiation verifies instead of trusting HTTP 200: every engine ignores request fields it does not know
(vLLM >= 0.12 accepts `guided_json` and silently ignores it; llama.cpp, Ollama, SGLang and TGI ignore vLLM's
fields), so a client that "works" can be getting unconstrained text. Each dialect of the kind is probed
with a schema whose only valid answer is an improbable token ("zq7-kappa") while the prompt asks for
something else; only a server that really constrains decoding returns exactly that. The result is cached
per (server, model, kind) for the life of the process, so the probe costs one round trip per dialect, once.

This module only moves text: parsing, validation and repair happen in `sgr.core.port`.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

import httpx

from sgr.core.config import ModelEntry
from sgr.core.errors import BackendUnavailable
from sgr.core.llm import dialects
from sgr.core.llm import server_kind as kinds
from sgr.core.llm.base import Backend, GenerationRequest, RawOutput
from sgr.core.llm.server_kind import Detection

PROBE_TOKEN = "zq7-kappa"
PROBE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"answer": {"type": "string", "enum": [PROBE_TOKEN]}},
    "required": ["answer"],
    "additionalProperties": False,
}
PROBE_MESSAGES: list[dict[str, Any]] = [{"role": "user", "content": "Say hello."}]
PROBE_MAX_TOKENS = 48
_PROBE_COMPACT = json.dumps({"answer": PROBE_TOKEN}, separators=(",", ":"))
#: a padded probe must reach into the key: `{"` alone is what any JSON-only (unconstrained-schema) mode emits
_PROBE_MIN_PREFIX = len('{"ans')


class ServerRejected(BackendUnavailable):
    """The server answered 4xx: the request itself is wrong (unknown model, unsupported field)."""

    def __init__(self, message: str, *, status: int, server_text: str) -> None:
        super().__init__(message)
        self.status = status
        self.server_text = server_text


@dataclass
class DialectProbe:
    """What one dialect did when probed: accepted (HTTP 2xx), constrained (verified), how fast, why."""

    dialect: str
    accepted: bool
    constrained: bool
    latency_s: float
    detail: str
    sample: str | None = None
    compact: bool | None = None
    #: constrained, but the model padded whitespace until max_tokens (grammar allows unbounded whitespace)
    padded: bool = False


@dataclass
class Negotiation:
    """The probes for one (server, model) and the dialect chosen from them (None: nothing verified)."""

    base_url: str
    model: str
    chosen: str | None
    probes: list[DialectProbe] = field(default_factory=list)
    forced: bool = False
    #: the server kind whose dialect order was probed
    kind: str = kinds.UNKNOWN
    #: `time.monotonic()` when probed; a failed negotiation is retried after FAILED_TTL_S
    at: float = field(default_factory=time.monotonic)

    def probe(self, dialect: str) -> DialectProbe | None:
        """The probe of `dialect`, if it was tried."""
        return next((p for p in self.probes if p.dialect == dialect), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (doctor's --json)."""
        return asdict(self)


#: how long "no dialect is enforced" is believed: long enough not to probe on every call, short enough
#: that a server restarted with the right flags is picked up by a long-running service
FAILED_TTL_S = 30.0
_CACHE_LOCK = threading.Lock()
#: keyed by (server, model, kind): two entries naming different kinds for one server probe different orders
_NEGOTIATED: dict[tuple[str, str, str], Negotiation] = {}
_SERVED_MODELS: dict[str, list[str]] = {}


def clear_negotiation_cache() -> None:
    """Forget every negotiated dialect, model list and detected kind (tests; a server restarted)."""
    with _CACHE_LOCK:
        _NEGOTIATED.clear()
        _SERVED_MODELS.clear()
    kinds.clear_detection_cache()


def cached_negotiation(base_url: str, model: str, kind: str | None = None) -> Negotiation | None:
    """The cached negotiation for a server and model (of `kind`, or of any kind), if any."""
    base = dialects.normalize_base_url(base_url)
    with _CACHE_LOCK:
        found = [n for (b, m, k), n in _NEGOTIATED.items() if b == base and m == model and kind in (None, k)]
    return found[0] if found else None


def judge_probe(text: str, finish_reason: str | None) -> tuple[bool, str]:
    """Whether a probe answer proves constraint, and why, in words.

    Exact `{"answer": "zq7-kappa"}` proves it. An answer cut at max_tokens whose non-whitespace
    characters are a prefix of that object also does: a grammar that allows unbounded whitespace lets a
    weak model pad until max_tokens, but an unconstrained model would not spell that prefix.
    """
    try:
        value = json.loads(text.strip(), strict=False)
    except json.JSONDecodeError:
        value = None
    if value == {"answer": PROBE_TOKEN}:
        return True, "verified: the server returned the only answer the grammar allows"
    squeezed = "".join(text.split())
    if finish_reason == "length" and len(squeezed) >= _PROBE_MIN_PREFIX and _PROBE_COMPACT.startswith(squeezed):
        return True, "verified, but the answer was padded with whitespace until max_tokens"
    shown = text.strip().replace("\n", " ")[:80]
    return False, f"NOT constrained: asked for {PROBE_TOKEN!r} only, got {shown!r}"


def is_compact(text: str) -> bool:
    """True when JSON output carries no optional whitespace (no newline, no ": " or ", ")."""
    return "\n" not in text and ": " not in text and ", " not in text


class OpenAICompatBackend(Backend):
    """Chat completions against a model server, with a verified dialect.

    `backend_kind` names the engine (vllm, llamacpp, ollama, sglang, tgi) or is "openai": then the engine is
    detected on first use (`detection()`), which picks the dialects worth probing.

    One sync and one async httpx client per backend, created lazily and reused, so connection pools
    survive across calls and many async calls can be in flight for the server to batch.
    """

    kind: ClassVar[str] = "openai"

    def __init__(
        self,
        name: str,
        *,
        url: str,
        model: str = "auto",
        backend_kind: str = "openai",
        api_key: str | None = None,
        timeout: float = 60.0,
        connect_retries: int = 2,
        temperature: float = 0.0,
        max_tokens: int = 512,
        seed: int | None = 0,
        dialect: str = "auto",
        backoff_s: float = 0.5,
    ) -> None:
        super().__init__(name)
        if dialect != "auto" and dialect not in dialects.ALL_DIALECTS:
            raise ValueError(f"unknown dialect {dialect!r}; known: {list(dialects.ALL_DIALECTS)}")
        self.base_url = dialects.normalize_base_url(url)
        self.root_url = kinds.root_of(self.base_url)
        self.configured_model = model
        self.backend_kind = backend_kind
        self._detection: Detection | None = kinds.configured(backend_kind)
        self.timeout = timeout
        self.connect_retries = connect_retries
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.seed = seed
        self.forced_dialect = None if dialect == "auto" else dialect
        self.backoff_s = backoff_s
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._model: str | None = None if model == "auto" else model
        self._negotiation: Negotiation | None = None
        self._client: httpx.Client | None = None
        self._aclient: httpx.AsyncClient | None = None
        self._alock: asyncio.Lock | None = None
        self._alock_loop: asyncio.AbstractEventLoop | None = None
        self._aclient_loop: asyncio.AbstractEventLoop | None = None
        #: set after an outage: the server may have come back as another version, so probe its kind and
        #: dialects again instead of trusting the process-wide cache
        self._stale = False

    @classmethod
    def from_entry(cls, entry: ModelEntry, *, backoff_s: float = 0.5) -> OpenAICompatBackend:
        """Build from a config entry (`backend: vllm | llamacpp | ollama | sglang | tgi | openai`) naming one
        server; an entry with several `urls` is a `sgr.core.llm.replicas.ReplicatedBackend`."""
        urls = entry.replica_urls
        if not urls:
            raise BackendUnavailable(f"model {entry.name!r} has no `url`")
        if len(urls) > 1:
            raise BackendUnavailable(f"model {entry.name!r} lists {len(urls)} replicas: build it with "
                                     "`sgr.core.llm.get_backend(entry)`")
        return cls(
            entry.name,
            url=urls[0],
            model=entry.model,
            backend_kind=entry.backend,
            api_key=entry.resolved_api_key(),
            timeout=entry.timeout,
            connect_retries=entry.connect_retries,
            temperature=entry.temperature,
            max_tokens=entry.max_tokens,
            seed=entry.seed,
            dialect=entry.dialect,
            backoff_s=backoff_s,
        )

    # what traces show ------------------------------------------------------------------------------
    @property
    def model_name(self) -> str | None:
        """The served model (resolved from `auto` once known)."""
        return self._model or self.configured_model

    @property
    def dialect(self) -> str | None:
        """The dialect in use once negotiated."""
        return self._negotiation.chosen if self._negotiation else self.forced_dialect

    @property
    def server_kind(self) -> str:
        """The engine's kind as known now (configured, or detected once `detection()` ran; else "openai")."""
        return self._detection.kind if self._detection else kinds.UNKNOWN

    @property
    def server_label(self) -> str:
        """How messages name the server."""
        kind = self.server_kind
        return "the OpenAI-compatible server" if kind == kinds.UNKNOWN else kinds.kind_label(kind)

    def detection(self, *, refresh: bool = False) -> Detection:
        """The engine's kind: from `backend:` when the config names it, else detected (cached per server)."""
        if self._detection is not None and (not refresh or not self._detection.detected):
            return self._detection
        found = kinds.detect_server_kind(
            self.base_url, headers=self._headers, timeout=min(kinds.DETECT_TIMEOUT_S, self.timeout),
            refresh=refresh,
        )
        if found.reachable:
            self._detection = found
        return found

    # transport -------------------------------------------------------------------------------------
    def _sync_client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=self.timeout, headers=self._headers)
        return self._client

    def _async_client(self) -> httpx.AsyncClient:
        """The async client of the running loop (a pool cannot move between loops, e.g. two asyncio.run)."""
        loop = asyncio.get_running_loop()
        if self._aclient is None or self._aclient_loop is not loop:
            self._aclient = httpx.AsyncClient(timeout=self.timeout, headers=self._headers)
            self._aclient_loop = loop
        return self._aclient

    def backoff_delays(self) -> list[float]:
        """Sleeps between transport attempts: base, 2x base, 4x base... (one per retry)."""
        return [self.backoff_s * (2**i) for i in range(self.connect_retries)]

    def _unreachable(self, reason: str) -> BackendUnavailable:
        hint = _RUNNING_HINT.get(self.server_kind, "is the server running?")
        return BackendUnavailable(
            f"cannot reach {self.server_label} at {self.base_url}: {reason} — {hint} "
            f"try `sgr doctor --model {self.name}`"
        )

    def _check(self, response: httpx.Response) -> dict[str, Any]:
        """Decode a final (non-retryable) response, turning 4xx into ServerRejected."""
        if response.status_code >= 400:
            text = _error_text(response)
            raise ServerRejected(
                f"{self.server_label} at {self.base_url} rejected the request "
                f"(HTTP {response.status_code}): {text}",
                status=response.status_code,
                server_text=text,
            )
        try:
            data = response.json()
        except ValueError as exc:
            raise BackendUnavailable(
                f"{self.server_label} at {self.base_url} answered something that is not JSON: "
                f"{response.text[:200]!r}"
            ) from exc
        if not isinstance(data, dict):
            raise BackendUnavailable(f"{self.server_label} at {self.base_url} answered {type(data).__name__}")
        return data

    def _deadline_reason(self) -> str:
        return f"no complete answer within {self.timeout:g} s (the end-to-end deadline, `timeout`)"

    def _url(self, path: str, *, root: bool) -> str:
        """`path` under the API base (`.../v1`), or under the server root for native routes."""
        return (self.root_url if root else self.base_url) + path

    def _send(self, method: str, url: str, body: dict[str, Any] | None) -> httpx.Response:
        """One HTTP exchange under an end-to-end deadline of `timeout` seconds.

        httpx's timeout bounds each read, so a server that trickles a byte at a time could hold a call
        forever; the body is streamed and the deadline checked as it arrives.
        """
        deadline = time.monotonic() + self.timeout
        with self._sync_client().stream(method, url, json=body) as response:
            chunks: list[bytes] = []
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise DeadlineExceeded(self._deadline_reason())
            headers = [(k, v) for k, v in response.headers.multi_items()
                       if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
            return httpx.Response(response.status_code, headers=headers, content=b"".join(chunks),
                                  request=response.request)

    def _request(
        self, method: str, path: str, body: dict[str, Any] | None = None, *, root: bool = False
    ) -> dict[str, Any]:
        """One logical request with retries on connection errors, timeouts, 5xx and 429."""
        delays = self.backoff_delays()
        reason = "no attempt made"
        for attempt in range(self.connect_retries + 1):
            try:
                response = self._send(method, self._url(path, root=root), body)
            except httpx.TransportError as exc:
                reason = _transport_reason(exc, self.timeout)
            except DeadlineExceeded as exc:
                reason = str(exc)
            else:
                if not _retryable(response.status_code):
                    return self._check(response)
                reason = f"HTTP {response.status_code}: {_error_text(response)}"
            if attempt < len(delays):
                time.sleep(delays[attempt])
        raise self._unreachable(f"{reason} (after {self.connect_retries + 1} attempt(s))")

    async def _arequest(
        self, method: str, path: str, body: dict[str, Any] | None = None, *, root: bool = False
    ) -> dict[str, Any]:
        """Async form of `_request` (same retry policy)."""
        delays = self.backoff_delays()
        reason = "no attempt made"
        for attempt in range(self.connect_retries + 1):
            try:
                response = await asyncio.wait_for(
                    self._async_client().request(method, self._url(path, root=root), json=body), self.timeout)
            except httpx.TransportError as exc:
                reason = _transport_reason(exc, self.timeout)
            except TimeoutError:
                reason = self._deadline_reason()
            else:
                if not _retryable(response.status_code):
                    return self._check(response)
                reason = f"HTTP {response.status_code}: {_error_text(response)}"
            if attempt < len(delays):
                await asyncio.sleep(delays[attempt])
        raise self._unreachable(f"{reason} (after {self.connect_retries + 1} attempt(s))")

    # models and dialects ---------------------------------------------------------------------------
    def list_models(self, *, refresh: bool = False) -> list[str]:
        """Ids from GET /models (cached per server)."""
        with _CACHE_LOCK:
            cached = _SERVED_MODELS.get(self.base_url)
        if cached is not None and not refresh:
            return list(cached)
        data = self._request("GET", "/models")
        ids = [str(m.get("id")) for m in data.get("data", []) if isinstance(m, dict) and m.get("id")]
        with _CACHE_LOCK:
            _SERVED_MODELS[self.base_url] = ids
        return list(ids)

    def resolve_model(self) -> str:
        """The served model name: the configured one, or the first of GET /models for `auto`."""
        if self._model is None:
            ids = self.list_models()
            if not ids:
                raise BackendUnavailable(
                    f"{self.server_label} at {self.base_url} serves no models (GET /models is empty)"
                )
            self._model = ids[0]
        return self._model

    def probe_dialect(self, dialect: str) -> DialectProbe:
        """Send the improbable-token probe in `dialect` and judge the answer (4xx => not accepted)."""
        body = dialects.build_chat_body(
            dialect, model=self.resolve_model(), messages=PROBE_MESSAGES, schema=PROBE_SCHEMA,
            schema_name="probe", max_tokens=PROBE_MAX_TOKENS, temperature=0.0, seed=0,
        )
        t0 = time.perf_counter()
        try:
            data = self._chat(dialect, body)
        except ServerRejected as exc:
            return DialectProbe(dialect, False, False, time.perf_counter() - t0,
                                f"rejected (HTTP {exc.status}): {exc.server_text[:160]}")
        latency = time.perf_counter() - t0
        raw = _parse(data, dialect, self._model)
        constrained, detail = judge_probe(raw.text, raw.finish_reason)
        if not constrained:
            detail = f"ignored: the server answered HTTP 200 but did not apply {dialect} — {detail}"
        return DialectProbe(dialect, True, constrained, latency, detail, sample=raw.text[:200],
                            compact=is_compact(raw.text) if constrained else None,
                            padded=constrained and raw.finish_reason == "length")

    def negotiate(self, *, refresh: bool = False, probe_all: bool = False) -> Negotiation:
        """The dialect to use for this server and model, verified once and cached process-wide.

        Probes in `dialect_order(kind)` (the kind configured or detected) and stops at the first verified
        dialect unless `probe_all` (doctor wants every answer). A forced `entry.dialect` is used without
        probing.
        """
        model = self.resolve_model()
        if self._stale:  # back from an outage: maybe another version now, so ask again
            refresh, self._stale = True, False
            if self._detection is not None and self._detection.detected:
                self.detection(refresh=True)
        if self.forced_dialect and not probe_all:  # nothing to choose: the kind is not even asked
            self._negotiation = Negotiation(self.base_url, model, self.forced_dialect, forced=True,
                                            kind=self.server_kind)
            return self._negotiation
        kind = self.detection().kind
        order = dialects.dialect_order(kind)
        key = (self.base_url, model, kind)
        with _CACHE_LOCK:
            cached = _NEGOTIATED.get(key)
        if _reusable(cached, order, refresh=refresh, probe_all=probe_all):
            assert cached is not None
            self._negotiation = cached
            return cached
        with _NEGOTIATION_LOCKS[key]:
            with _CACHE_LOCK:
                cached = _NEGOTIATED.get(key)
            if _reusable(cached, order, refresh=refresh, probe_all=probe_all):
                assert cached is not None
                self._negotiation = cached
                return cached
            probes: list[DialectProbe] = []
            chosen: str | None = None
            for dialect in order:
                probe = self.probe_dialect(dialect)
                probes.append(probe)
                if probe.constrained and chosen is None:
                    chosen = dialect
                    if not probe_all:
                        break
            negotiation = Negotiation(self.base_url, model, chosen, probes, kind=kind)
            with _CACHE_LOCK:
                _NEGOTIATED[key] = negotiation
        if self.forced_dialect:
            negotiation = Negotiation(self.base_url, model, self.forced_dialect, negotiation.probes, forced=True,
                                      kind=kind)
        self._negotiation = negotiation
        return negotiation

    def ready(self) -> str:
        """The dialect requests use, negotiated first if needed; BackendUnavailable when none is verified.

        Split from `generate` so replica routing can tell a server that cannot serve (unreachable, unusable)
        from a request the server rejects (4xx on the chat call).
        """
        return self._dialect_for_request(self._current_negotiation() or self.negotiate())

    async def aready(self) -> str:
        """Async form of `ready`: negotiation (once) runs in a worker thread."""
        if self._current_negotiation() is None:
            await self._run_once(lambda: asyncio.to_thread(self.negotiate))
        assert self._negotiation is not None
        return self._dialect_for_request(self._negotiation)

    def check_health(self) -> list[str]:
        """GET /models once, the cheap proof a server is back; the next call probes its kind and dialects
        again (it may have been restarted as another version). Returns the served model ids."""
        ids = self.list_models(refresh=True)
        self._stale = True
        self._negotiation = None
        if self.configured_model == "auto":
            self._model = None
        return ids

    def _dialect_for_request(self, negotiation: Negotiation) -> str:
        if negotiation.chosen is None:
            tried = "; ".join(f"{p.dialect}: {p.detail}" for p in negotiation.probes)
            raise BackendUnavailable(
                f"{self.server_label} at {self.base_url} does not enforce any structured-output dialect "
                f"for model {negotiation.model!r}, so its output would be unconstrained ({tried}); start it "
                f"with structured output enabled — see `sgr doctor --model {self.name}`"
            )
        return negotiation.chosen

    # generation ------------------------------------------------------------------------------------
    def _body(self, request: GenerationRequest, dialect: str) -> dict[str, Any]:
        return dialects.build_chat_body(
            dialect,
            model=self.resolve_model(),
            messages=request.messages,
            schema=request.schema,
            schema_name=request.schema_name,
            max_tokens=request.max_tokens if request.max_tokens is not None else self.max_tokens,
            temperature=request.temperature if request.temperature is not None else self.temperature,
            seed=request.seed if request.seed is not None else self.seed,
        )

    def _chat(self, dialect: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST `body` to the route that carries `dialect`."""
        if dialects.route(dialect) == "ollama_chat":
            return self._request("POST", "/api/chat", body, root=True)
        return self._request("POST", "/chat/completions", body)

    async def _achat(self, dialect: str, body: dict[str, Any]) -> dict[str, Any]:
        """Async form of `_chat`."""
        if dialects.route(dialect) == "ollama_chat":
            return await self._arequest("POST", "/api/chat", body, root=True)
        return await self._arequest("POST", "/chat/completions", body)

    def generate(self, request: GenerationRequest) -> RawOutput:
        """One chat completion in the negotiated dialect; raw text back, unparsed."""
        dialect = self.ready()
        data = self._chat(dialect, self._body(request, dialect))
        return _parse(data, dialect, self._model)

    async def agenerate(self, request: GenerationRequest) -> RawOutput:
        """Async chat completion; negotiation (once) runs in a worker thread, calls then overlap."""
        dialect = await self.aready()
        data = await self._achat(dialect, self._body(request, dialect))
        return _parse(data, dialect, self._model)

    def _current_negotiation(self) -> Negotiation | None:
        """This backend's negotiation while it holds (a failed one expires after FAILED_TTL_S)."""
        neg = self._negotiation
        if neg is None or neg.chosen is not None or time.monotonic() - neg.at < FAILED_TTL_S:
            return neg
        return None

    async def _run_once(self, make: Callable[[], Awaitable[Any]]) -> None:
        """Run `make` once even when many calls arrive together (one lock per event loop)."""
        loop = asyncio.get_running_loop()
        if self._alock is None or self._alock_loop is not loop:
            self._alock, self._alock_loop = asyncio.Lock(), loop
        async with self._alock:
            if self._current_negotiation() is None:
                await make()

    def close(self) -> None:
        """Close the sync client (the async one needs `aclose`)."""
        if self._client is not None:
            self._client.close()
            self._client = None

    async def aclose(self) -> None:
        """Close both clients."""
        self.close()
        if self._aclient is not None:
            await self._aclient.aclose()
            self._aclient = None


class _KeyedLocks:
    """One lock per (server, model, kind), so two servers negotiate in parallel but one never twice."""

    def __init__(self) -> None:
        self._locks: dict[tuple[str, str, str], threading.Lock] = {}

    def __getitem__(self, key: tuple[str, str, str]) -> threading.Lock:
        with _CACHE_LOCK:
            return self._locks.setdefault(key, threading.Lock())


_NEGOTIATION_LOCKS = _KeyedLocks()


def _retryable(status: int) -> bool:
    """5xx (engine overloaded or restarting) and 429 (rate limited) may pass; other 4xx never will."""
    return status >= 500 or status == 429


#: what `_unreachable` suggests per kind
_RUNNING_HINT: dict[str, str] = {
    "vllm": "is `vllm serve` running?",
    "llamacpp": "is `llama-server` running?",
    "ollama": "is `ollama serve` running?",
    "sglang": "is `python -m sglang.launch_server` running?",
    "tgi": "is `text-generation-launcher` running?",
}


def _reusable(cached: Negotiation | None, order: tuple[str, ...], *, refresh: bool, probe_all: bool) -> bool:
    """Whether a cached negotiation answers this call without probing again."""
    if cached is None or refresh:
        return False
    if probe_all and not set(order) <= {p.dialect for p in cached.probes}:
        return False
    return cached.chosen is not None or time.monotonic() - cached.at < FAILED_TTL_S


def _parse(data: dict[str, Any], dialect: str, model: str | None) -> RawOutput:
    """The answer of the route that carried `dialect`, as RawOutput."""
    if dialects.route(dialect) == "ollama_chat":
        return _raw_ollama_output(data, dialect, model)
    return _raw_output(data, dialect, model)


def _raw_ollama_output(data: dict[str, Any], dialect: str, model: str | None) -> RawOutput:
    """Ollama's native answer: `message.content`, `done_reason` ("stop" / "length"), eval counts."""
    message = data.get("message")
    if not isinstance(message, dict):
        raise BackendUnavailable(f"malformed Ollama chat answer (no message): {json.dumps(data, default=str)[:200]}")
    return RawOutput(
        text=str(message.get("content") or ""),
        finish_reason=data.get("done_reason"),
        prompt_tokens=data.get("prompt_eval_count"),
        completion_tokens=data.get("eval_count"),
        dialect=dialect,
        model=str(data.get("model") or model or "") or None,
    )


def _raw_output(data: dict[str, Any], dialect: str, model: str | None) -> RawOutput:
    """The completion's text and usage; a reply not shaped like a chat completion is a server fault."""
    choices = data.get("choices") if isinstance(data, dict) else None
    first = choices[0] if isinstance(choices, list) and choices else None
    message = first.get("message") if isinstance(first, dict) else None
    if not isinstance(message, dict):
        raise BackendUnavailable(f"malformed chat completion from the server (no choices[0].message): "
                                 f"{json.dumps(data, default=str)[:200]}")
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    return RawOutput(
        text=str(message.get("content") or ""),
        finish_reason=first.get("finish_reason"),
        prompt_tokens=usage.get("prompt_tokens"),
        completion_tokens=usage.get("completion_tokens"),
        dialect=dialect,
        model=str(data.get("model") or model or "") or None,
    )


def _error_text(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:300] or response.reason_phrase
    if isinstance(data, dict):
        err = data.get("error", data.get("detail", data))
        if isinstance(err, dict):
            return str(err.get("message") or err)[:300]
        return str(err)[:300]
    return str(data)[:300]


class DeadlineExceeded(Exception):
    """A response still arriving when the end-to-end deadline passed (retried like a timeout)."""


def _transport_reason(exc: httpx.TransportError, timeout: float) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "connection refused" if _refused(exc) else f"cannot connect ({exc})"
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer within {timeout:g} s (timeout)"
    return f"{type(exc).__name__}: {exc}"


def _refused(exc: BaseException) -> bool:
    """Whether a ConnectionRefusedError hides in the chain (anyio words it "All connection attempts failed")."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, ConnectionRefusedError) or "refused" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False
