"""Real OpenAI-compatible HTTP servers on 127.0.0.1 that behave like different vLLM versions.

Tests and benchmarks need a server whose behaviour they control, spoken to over real HTTP so the client's
transport, retries and timeouts are exercised for real. Usage::

    with FakeOpenAIServer(behavior="modern") as srv:
        srv.url                      # "http://127.0.0.1:PORT/v1"
        srv.counts["structured_outputs"]   # chat requests that carried that dialect

Behaviours (which constraint fields the server honours; the others are ignored with HTTP 200, as vLLM
does with unknown body fields):

- ``"legacy"``: vLLM < 0.10.2 — ``guided_json`` / ``guided_choice`` and ``response_format``.
- ``"modern"``: vLLM >= 0.12 — ``structured_outputs`` and ``response_format``; ``guided_json`` ignored.
- ``"ignore_all"``: honours nothing; answers prose or JSON of the wrong shape.
- ``"failing"``: like modern, plus the faults in ``Faults`` (500s, hangs, truncation, bad JSON...).

Identity: ``owned_by`` is what `GET /v1/models` says; ``owned_by="vllm"`` also serves vLLM's `GET /version`,
so server-kind detection names it vLLM (the default, "fake", stays anonymous: an unknown OpenAI-compatible
server). Every GET is recorded in ``gets``.

Custom behaviour: pass ``responder(body) -> str | dict``. It receives the parsed request body and returns
the assistant content, or ``{"content": str, "finish_reason": str}``; it replaces the behaviour for chat
requests (faults still apply first). "Honouring" a schema means answering a seeded instance of it from
`instance_of`, so the same request always gets the same answer.
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from sgr.testing.net import FakeServer, free_port, free_ports

Behavior = Literal["legacy", "modern", "ignore_all", "failing"]
#: what a scripted answer of the failing server looks like
AnswerKind = Literal["ok", "truncated", "invalid_json", "schema_violation"]
Responder = Callable[[dict[str, Any]], "str | dict[str, Any]"]

_HONOURS: dict[str, frozenset[str]] = {
    "legacy": frozenset({"guided_json", "guided_choice", "response_format"}),
    "modern": frozenset({"structured_outputs", "response_format"}),
    "ignore_all": frozenset(),
    "failing": frozenset({"structured_outputs", "response_format"}),
}
_UNCONSTRAINED = (
    "Hello! How can I help you today?",
    '{"message": "hello there", "mood": "cheerful"}',
    "Sure. Here is a greeting: hello, world.",
)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Faults:
    """What goes wrong on the ``"failing"`` server (every field also works with other behaviours).

    ``script`` lists the kind of each successive chat answer; once it runs out, ``then`` is used for the
    rest, so ``Faults(script=["truncated"], then="ok")`` repairs once and
    ``Faults(then="schema_violation")`` never becomes valid.
    """

    errors_first: int = 0
    always_error: bool = False
    #: the HTTP status of injected errors (500 overloaded engine, 429 rate limit, 503 restarting...)
    error_status: int = 500
    hang_s: float = 0.0
    script: Sequence[AnswerKind] = ()
    then: AnswerKind = "ok"


# ---------------------------------------------------------------------------------------------------
# schema instances


def instance_of(schema: Any, rng: random.Random, *, depth: int = 0) -> Any:
    """A value valid against `schema`, chosen with `rng` (deterministic for a seeded rng).

    Handles what bounded contracts use: object/properties, enum/const, string lengths, integer/number
    bounds, boolean, null, arrays with item counts, anyOf/oneOf and type lists.
    """
    if not isinstance(schema, dict) or depth > 24:
        return None
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return rng.choice(list(schema["enum"]))
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return instance_of(rng.choice(schema[key]), rng, depth=depth + 1)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for sub in schema["allOf"]:
            merged.update(sub)
        return instance_of(merged, rng, depth=depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = rng.choice(kind) if kind else None
    if kind is None:
        kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
    if kind == "object":
        props = schema.get("properties") or {}
        return {name: instance_of(sub, rng, depth=depth + 1) for name, sub in props.items()}
    if kind == "array":
        low = int(schema.get("minItems", 0))
        high = int(schema.get("maxItems", low + 3))
        count = rng.randint(low, max(low, min(high, low + 3)))
        return [instance_of(schema.get("items", {}), rng, depth=depth + 1) for _ in range(count)]
    if kind == "string":
        return _string(schema, rng)
    if kind == "integer":
        low, high = _bounds(schema, integer=True)
        return rng.randint(int(low), int(high))
    if kind == "number":
        low, high = _bounds(schema, integer=False)
        value = round(rng.uniform(low, high), 2)
        return min(max(value, low), high)
    if kind == "boolean":
        return rng.random() < 0.5
    return None


def _string(schema: dict[str, Any], rng: random.Random) -> str:
    fmt = schema.get("format")
    if fmt == "date":
        return f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if fmt == "date-time":
        return f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T12:00:00Z"
    low = int(schema.get("minLength", 0))
    high = int(schema.get("maxLength", low + 12))
    length = rng.randint(low, max(low, min(high, low + 12)))
    return "".join(rng.choice(_LETTERS) for _ in range(length))


def _bounds(schema: dict[str, Any], *, integer: bool) -> tuple[float, float]:
    step = 1 if integer else 0.01
    low = schema.get("minimum", schema["exclusiveMinimum"] + step if "exclusiveMinimum" in schema else 0)
    high = schema.get("maximum", schema["exclusiveMaximum"] - step if "exclusiveMaximum" in schema else low + 100)
    if integer:
        import math

        return float(math.ceil(low)), float(math.floor(high))
    return float(low), float(high)


def _violating(schema: dict[str, Any]) -> Any:
    """JSON that parses but breaks the schema (an unknown key and no required ones, or a wrong type)."""
    if schema.get("type") == "object" or "properties" in schema:
        return {"zz_not_in_schema": True}
    return {"unexpected": "object"}


# ---------------------------------------------------------------------------------------------------
# server


@dataclass
class _State:
    behavior: str
    models: list[str]
    seed: int
    compact: bool
    faults: Faults
    responder: Responder | None
    latency_s: float
    owned_by: str = "fake"
    gets: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counts: Counter[str] = field(default_factory=Counter)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    request_times: list[float] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    chat_requests: int = 0
    fault_base: int = 0
    answers: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    #: open client connections, so `stop()` can drop them like a killed process would
    connections: set[socket.socket] = field(default_factory=set)
    #: `go_down()`: every new connection is closed unanswered, while the port stays ours
    down: bool = False


class _Server(ThreadingHTTPServer):
    """The HTTP server, able to play dead without giving its port away (see `FakeOpenAIServer.go_down`)."""

    shared: _State

    def verify_request(self, request: Any, client_address: Any) -> bool:
        return not self.shared.down


class FakeOpenAIServer(FakeServer):
    """A threaded HTTP server speaking `/v1/models` and `/v1/chat/completions` on a free local port.

    Parameters
    ----------
    behavior:
        Which vLLM generation to imitate (see the module docstring).
    models:
        Served model ids; chat requests naming another model get vLLM's 404.
    responder:
        Optional ``responder(body) -> str | {"content", "finish_reason"}`` replacing the behaviour.
    faults:
        Failures to inject (used by ``"failing"``, honoured by every behaviour).
    compact:
        Honoured answers without whitespace (like ``disable_any_whitespace``); False indents them.
    latency_s:
        Sleep before answering each chat request, so concurrent clients visibly overlap.
    owned_by:
        What `GET /v1/models` names as owner; "vllm" also answers `GET /version` like vLLM.
    port:
        Bind this port (0: a free one). A new server on a stopped one's port is that server restarted.

    `counts` has `models`, `chat`, and one key per constraint field (`structured_outputs`,
    `response_format`, `guided_json`, `guided_choice`, `unconstrained`).
    """

    def __init__(
        self,
        behavior: Behavior = "modern",
        *,
        models: Sequence[str] = ("fake-model",),
        responder: Responder | None = None,
        faults: Faults | None = None,
        seed: int = 0,
        compact: bool = True,
        latency_s: float = 0.0,
        owned_by: str = "fake",
        port: int = 0,
    ) -> None:
        if behavior not in _HONOURS:
            raise ValueError(f"unknown behavior {behavior!r}; choose one of {sorted(_HONOURS)}")
        self.state = _State(
            behavior=behavior, models=list(models), seed=seed, compact=compact,
            faults=faults or Faults(), responder=responder, latency_s=latency_s, owned_by=owned_by,
        )
        self._bind_port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle -------------------------------------------------------------------------------------
    def start(self) -> FakeOpenAIServer:
        """Bind a free port on 127.0.0.1 and serve in a daemon thread."""
        state = self.state

        class Handler(_Handler):
            shared = state

        self._server = _Server(("127.0.0.1", self._bind_port), Handler)
        self._server.shared = state
        self._server.daemon_threads = True
        self._bind_port = int(self._server.server_address[1])  # a restart (`start()` again) keeps the port
        self.state.stop.clear()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake hanging handlers, stop serving, drop open connections and release the port.

        Dropping the connections makes a stop look like a killed process to clients: requests in flight
        end with "server disconnected" at once, and pooled keep-alive connections get no more answers.
        """
        self.state.stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self.state.lock:
            connections = list(self.state.connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def go_down(self) -> None:
        """Play a dead server without releasing the port: open connections are dropped and new ones closed
        unanswered. Tests that bring a server "back" use this with `come_back()`, because a restart on the
        same port could find it taken by another socket in between (a race no test may depend on)."""
        self.state.down = True
        with self.state.lock:
            connections = list(self.state.connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def come_back(self, behavior: Behavior | None = None) -> None:
        """Answer again after `go_down()`, optionally as another vLLM generation (an upgraded server)."""
        if behavior is not None:
            if behavior not in _HONOURS:
                raise ValueError(f"unknown behavior {behavior!r}; choose one of {sorted(_HONOURS)}")
            self.state.behavior = behavior
        self.state.down = False

    def set_faults(self, faults: Faults) -> None:
        """Replace the faults and restart their counters, e.g. after a client has negotiated."""
        with self.state.lock:
            self.state.faults = faults
            self.state.fault_base = self.state.chat_requests
            self.state.answers = 0

    # what tests look at ----------------------------------------------------------------------------
    @property
    def port(self) -> int:
        """The bound port; after `stop()` still the port it had, so tests can name the dead server."""
        if not self._bind_port:
            raise RuntimeError("server was never started")
        return self._bind_port

    @property
    def headers(self) -> list[dict[str, str]]:
        """The (lower-cased) headers of every chat request, in arrival order."""
        return self.state.headers

    @property
    def request_times(self) -> list[float]:
        """`time.monotonic()` at the arrival of each chat request (for backoff checks)."""
        return self.state.request_times

    @property
    def max_in_flight(self) -> int:
        """The most chat requests handled at the same moment."""
        return self.state.max_in_flight


def unused_url() -> str:
    """A `http://127.0.0.1:PORT/v1` where nothing listens (a port just bound and released)."""
    return f"http://127.0.0.1:{free_port()}/v1"


def unused_urls(n: int) -> list[str]:
    """`n` different such URLs (replica lists refuse a URL listed twice)."""
    return [f"http://127.0.0.1:{port}/v1" for port in free_ports(n)]


class _Handler(BaseHTTPRequestHandler):
    shared: _State
    protocol_version = "HTTP/1.1"
    #: headers and body go out in separate writes; without this, Nagle + delayed ACK add ~40 ms each
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging (tests read counters instead)."""

    def setup(self) -> None:
        super().setup()
        with self.shared.lock:
            self.shared.connections.add(self.connection)

    def finish(self) -> None:
        with self.shared.lock:
            self.shared.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    # routing ---------------------------------------------------------------------------------------
    def do_GET(self) -> None:
        path = self.path.rstrip("/")
        with self.shared.lock:
            self.shared.gets.append(path)
        if path in ("/v1/models", "/models"):
            with self.shared.lock:
                self.shared.counts["models"] += 1
            data = [{"id": m, "object": "model", "owned_by": self.shared.owned_by} for m in self.shared.models]
            self._send(200, {"object": "list", "data": data})
        elif path in ("/health", "/v1/health"):
            self._send(200, {})
        elif path == "/version" and self.shared.owned_by == "vllm":
            self._send(200, {"version": "0.12.0"})
        else:
            self._send(404, _error(f"no route {self.path}", "NotFoundError", 404))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
            self._send(404, _error(f"no route {self.path}", "NotFoundError", 404))
            return
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError as exc:
            self._send(400, _error(f"request body is not JSON: {exc}", "BadRequestError", 400))
            return
        st = self.shared
        with st.lock:
            st.chat_requests += 1
            number = st.chat_requests
            st.counts["chat"] += 1
            st.counts[_constraint_field(body)] += 1
            st.bodies.append(body)
            st.headers.append({k.lower(): v for k, v in self.headers.items()})
            st.request_times.append(time.monotonic())
            st.in_flight += 1
            st.max_in_flight = max(st.max_in_flight, st.in_flight)
        try:
            self._chat(body, number)
        finally:
            with st.lock:
                st.in_flight -= 1

    # chat ------------------------------------------------------------------------------------------
    def _chat(self, body: dict[str, Any], number: int) -> None:
        st = self.shared
        faults = st.faults
        if faults.hang_s > 0 and st.stop.wait(faults.hang_s):
            return
        if st.latency_s > 0 and st.stop.wait(st.latency_s):
            return
        if faults.always_error or number - st.fault_base <= faults.errors_first:
            code = faults.error_status
            self._send(code, _error("injected failure: the engine is overloaded", "InternalServerError", code))
            return
        model = body.get("model")
        if model not in st.models:
            self._send(404, _error(f"The model `{model}` does not exist.", "NotFoundError", 404))
            return
        with st.lock:
            index = st.answers
            st.answers += 1
        content, finish = self._answer(body, index)
        prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
        completion_tokens = max(1, len(content) // 4)
        self._send(
            200,
            {
                "id": f"chatcmpl-fake-{number}",
                "object": "chat.completion",
                "created": 0,
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": finish,
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
            },
        )

    def _answer(self, body: dict[str, Any], index: int) -> tuple[str, str]:
        st = self.shared
        faults = st.faults
        kind: AnswerKind = faults.script[index] if index < len(faults.script) else faults.then
        if st.responder is not None and kind == "ok":
            out = st.responder(body)
            if isinstance(out, dict):
                return str(out.get("content", "")), str(out.get("finish_reason") or "stop")
            return str(out), "stop"
        honoured = _honoured_constraint(body, _HONOURS[st.behavior])
        if honoured is None:
            return _UNCONSTRAINED[index % len(_UNCONSTRAINED)], "stop"
        rng = random.Random(f"{st.seed}:{body.get('seed')}:{json.dumps(honoured, sort_keys=True)}")
        value = _value_for(honoured, rng)
        if kind == "invalid_json":
            return '{"answer": this is not json', "stop"
        schema = honoured[1] if honoured[0] == "json" else {}
        if kind == "schema_violation":
            value = _violating(schema)
        text = _dump(value, compact=st.compact)
        if kind == "truncated":
            return text[: max(1, len(text) // 2)], "length"
        return text, "stop"

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client gave up (timeout tests), or stop() dropped the connection


def _constraint_field(body: dict[str, Any]) -> str:
    for key in ("structured_outputs", "guided_json", "guided_choice", "response_format"):
        if body.get(key) is not None:
            return key
    return "unconstrained"


def _honoured_constraint(body: dict[str, Any], honours: frozenset[str]) -> tuple[str, Any] | None:
    """("json", schema) or ("choice", options) for the first constraint this server enforces."""
    so = body.get("structured_outputs")
    if "structured_outputs" in honours and isinstance(so, dict):
        if "json" in so:
            schema = so["json"]
            return "json", json.loads(schema) if isinstance(schema, str) else schema
        if "choice" in so:
            return "choice", list(so["choice"])
    if "guided_json" in honours and body.get("guided_json") is not None:
        schema = body["guided_json"]
        return "json", json.loads(schema) if isinstance(schema, str) else schema
    if "guided_choice" in honours and body.get("guided_choice"):
        return "choice", list(body["guided_choice"])
    rf = body.get("response_format")
    if "response_format" in honours and isinstance(rf, dict) and rf.get("type") == "json_schema":
        return "json", (rf.get("json_schema") or {}).get("schema") or {}
    return None


def _value_for(constraint: tuple[str, Any], rng: random.Random) -> Any:
    kind, spec = constraint
    if kind == "choice":
        return _ChoiceText(rng.choice(spec))
    return instance_of(spec, rng)


class _ChoiceText(str):
    """A choice answer is bare text, not JSON."""


def _dump(value: Any, *, compact: bool) -> str:
    if isinstance(value, _ChoiceText):
        return str(value)
    if compact:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return json.dumps(value, indent=2, ensure_ascii=False)


def _error(message: str, kind: str, code: int) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": code}, "object": "error"}


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m sgr.testing.fake_openai --behavior modern`: serve until Ctrl-C (try `sgr doctor` on it)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m sgr.testing.fake_openai", description=main.__doc__)
    parser.add_argument("--behavior", choices=sorted(_HONOURS), default="modern")
    parser.add_argument("--model", action="append", help="served model id (repeatable)")
    parser.add_argument("--indent", action="store_true", help="answer with whitespace (not compact)")
    args = parser.parse_args(argv)
    server = FakeOpenAIServer(args.behavior, models=args.model or ("fake-model",), compact=not args.indent)
    with server:
        print(f"fake {args.behavior} server at {server.url} (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.state.stop.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
