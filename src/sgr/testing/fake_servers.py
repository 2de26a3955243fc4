"""Real HTTP servers on 127.0.0.1 that identify and constrain like llama.cpp, Ollama, SGLang or TGI.

`FakeOpenAIServer` imitates vLLM generations; these imitate the other engines, so server-kind detection,
dialect negotiation and doctor are tested against the routes and request fields each engine really has
(see `fake_engines` for what each one honours and rejects). Usage::

    with FakeEngineServer("llamacpp") as srv:
        srv.url                  # "http://127.0.0.1:PORT/v1"
        srv.counts["json_schema"]        # chat requests that carried that field
        srv.gets                 # every GET path, in order (detection's questions)

`constrain=False` makes a server that accepts every constraint field and ignores it (HTTP 200, prose),
like a build without grammar support: the case doctor must flag. `ollama_json_schema=False` is an Ollama
whose /v1 route predates `json_schema` (its native `format` still works).
"""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from sgr.testing import fake_engines
from sgr.testing.fake_engines import ANY_OBJECT, Constraint, Rejection
from sgr.testing.fake_openai import instance_of
from sgr.testing.net import FakeServer

EngineKind = Literal["llamacpp", "ollama", "sglang", "tgi"]
ENGINE_KINDS: tuple[EngineKind, ...] = ("llamacpp", "ollama", "sglang", "tgi")
_PROSE = "Hello! How can I help you today?"
_LOOSE_JSON = {"message": "hello there", "mood": "cheerful"}
#: the request fields counted in `counts` (which dialect reached the server)
_FIELDS = ("json_schema", "grammar", "response_format", "structured_outputs", "guided_json", "format", "regex",
           "ebnf")
Reply = tuple[int, Any, dict[str, str]]


@dataclass
class _State:
    kind: EngineKind
    models: list[str]
    constrain: bool
    ollama_json_schema: bool
    seed: int
    lock: threading.Lock = field(default_factory=threading.Lock)
    counts: Counter[str] = field(default_factory=Counter)
    gets: list[str] = field(default_factory=list)
    bodies: list[dict[str, Any]] = field(default_factory=list)


class FakeEngineServer(FakeServer):
    """A threaded HTTP server imitating one engine on a free 127.0.0.1 port.

    Parameters
    ----------
    kind:
        "llamacpp", "ollama", "sglang" or "tgi".
    models:
        Served model ids (TGI and llama.cpp serve one and ignore the request's `model`, as they do).
    constrain:
        False: accept every constraint field and ignore it (unconstrained prose with HTTP 200).
    ollama_json_schema:
        Ollama only: False imitates an Ollama whose /v1 route ignores `json_schema` response formats.

    `counts` has `chat` (the OpenAI route), `native_chat` (Ollama's /api/chat), and one key per constraint
    field.
    """

    def __init__(
        self,
        kind: EngineKind,
        *,
        models: Sequence[str] = ("fake-model",),
        constrain: bool = True,
        ollama_json_schema: bool = True,
        seed: int = 0,
    ) -> None:
        if kind not in ENGINE_KINDS:
            raise ValueError(f"unknown engine {kind!r}; choose one of {list(ENGINE_KINDS)}")
        self.state = _State(kind=kind, models=list(models), constrain=constrain,
                            ollama_json_schema=ollama_json_schema, seed=seed)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> FakeEngineServer:
        """Bind a free port on 127.0.0.1 and serve in a daemon thread."""
        state = self.state

        class Handler(_Handler):
            shared = state

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"fake-{self.state.kind}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def port(self) -> int:
        """The bound port (only while running)."""
        if self._server is None:
            raise RuntimeError("server is not running")
        return int(self._server.server_address[1])



# ---------------------------------------------------------------------------------------------------
# identification routes


def _models(st: _State, owned_by: Callable[[str], str]) -> dict[str, Any]:
    return {"object": "list",
            "data": [{"id": m, "object": "model", "created": 0, "owned_by": owned_by(m)} for m in st.models]}


def _get_routes(st: _State) -> dict[str, Callable[[], Reply]]:
    first = st.models[0] if st.models else "none"
    if st.kind == "llamacpp":
        return {
            "/v1/models": lambda: (200, _models(st, lambda _m: "llamacpp"), {}),
            "/props": lambda: (200, {"default_generation_settings": {"n_ctx": 4096}, "total_slots": 1,
                                     "model_path": f"/models/{first}.gguf", "build_info": "b0000-fake"}, {}),
            "/health": lambda: (200, {"status": "ok"}, {}),
        }
    if st.kind == "ollama":
        return {
            "/v1/models": lambda: (200, _models(st, lambda _m: "library"), {}),
            "/api/version": lambda: (200, {"version": "0.12.0"}, {}),
            "/api/tags": lambda: (200, {"models": [{"name": m, "model": m} for m in st.models]}, {}),
            "/": lambda: (200, "Ollama is running", {}),
        }
    if st.kind == "sglang":
        return {
            "/v1/models": lambda: (200, _models(st, lambda _m: "sglang"), {}),
            "/get_model_info": lambda: (200, {"model_path": first, "tokenizer_path": first,
                                              "is_generation": True}, {}),
            "/get_server_info": lambda: (200, {"model_path": first, "version": "0.5.0-fake"}, {}),
            "/health": lambda: (200, "", {}),
        }
    return {  # tgi: /v1/models repeats the model id as owner; /info is the router's own description
        "/v1/models": lambda: (200, _models(st, lambda m: m), {}),
        "/info": lambda: (200, {"model_id": first, "model_sha": None, "model_dtype": "torch.float16",
                                "model_device_type": "cuda", "max_input_tokens": 4095, "max_total_tokens": 4096,
                                "router": "text-generation-router", "version": "3.0.0-fake", "sha": None,
                                "docker_label": None}, {}),
        "/health": lambda: (200, "", {}),
    }


# ---------------------------------------------------------------------------------------------------
# chat


def _openai_verdict(st: _State, body: dict[str, Any]) -> fake_engines.Verdict:
    if st.kind == "llamacpp":
        return fake_engines.llamacpp(body)
    if st.kind == "ollama":
        return fake_engines.ollama_openai(body, json_schema_supported=st.ollama_json_schema)
    if st.kind == "sglang":
        return fake_engines.sglang(body)
    return fake_engines.tgi(body)


def _content(st: _State, verdict: fake_engines.Verdict, body: dict[str, Any]) -> str:
    """What the "model" writes: a seeded instance of an enforced schema, else prose."""
    if not isinstance(verdict, Constraint) or not st.constrain:
        return _PROSE
    if verdict.schema is ANY_OBJECT:
        return json.dumps(_LOOSE_JSON, separators=(",", ":"))
    rng = random.Random(f"{st.seed}:{body.get('seed')}:{json.dumps(verdict.schema, sort_keys=True)}")
    return json.dumps(instance_of(verdict.schema, rng), separators=(",", ":"), ensure_ascii=False)


def _completion(st: _State, body: dict[str, Any], content: str) -> Reply:
    model = str(body.get("model") or (st.models[0] if st.models else ""))
    tokens = max(1, len(content) // 4)
    payload = {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 5, "completion_tokens": tokens, "total_tokens": 5 + tokens},
    }
    headers = {"x-compute-type": "gpu+optimized", "x-compute-time": "0.01"} if st.kind == "tgi" else {}
    return 200, payload, headers


def _openai_chat(st: _State, body: dict[str, Any]) -> Reply:
    if st.kind == "ollama" and body.get("model") not in st.models:
        return 404, {"error": {"message": f"model {body.get('model')!r} not found", "type": "not_found_error"}}, {}
    verdict = _openai_verdict(st, body)
    if isinstance(verdict, Rejection):
        if st.kind == "tgi":
            return verdict.status, {"error": verdict.message, "error_type": "validation"}, {}
        return verdict.status, {"error": {"code": verdict.status, "message": verdict.message,
                                          "type": "invalid_request_error"}}, {}
    return _completion(st, body, _content(st, verdict, body))


def _ollama_chat(st: _State, body: dict[str, Any]) -> Reply:
    if body.get("model") not in st.models:
        return 404, {"error": f"model '{body.get('model')}' not found"}, {}
    if body.get("stream", True) is not False:
        return 400, {"error": "fake Ollama server: streamed (NDJSON) answers are not implemented"}, {}
    content = _content(st, fake_engines.ollama_native(body), body)
    return 200, {"model": body["model"], "created_at": "2026-01-01T00:00:00Z",
                 "message": {"role": "assistant", "content": content}, "done": True, "done_reason": "stop",
                 "prompt_eval_count": 5, "eval_count": max(1, len(content) // 4)}, {}


class _Handler(BaseHTTPRequestHandler):
    shared: _State
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging (tests read counters instead)."""

    def do_GET(self) -> None:
        path = self.path.split("?")[0].rstrip("/") or "/"
        with self.shared.lock:
            self.shared.gets.append(path)
        route = _get_routes(self.shared).get(path)
        if route is None:
            self._send(404, {"error": f"no route {path}"}, {})
            return
        self._send(*route())

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path = self.path.split("?")[0].rstrip("/")
        native = self.shared.kind == "ollama" and path == "/api/chat"
        if path not in ("/v1/chat/completions", "/chat/completions") and not native:
            self._send(404, {"error": f"no route {path}"}, {})
            return
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError as exc:
            self._send(400, {"error": f"request body is not JSON: {exc}"}, {})
            return
        st = self.shared
        with st.lock:
            st.counts["native_chat" if native else "chat"] += 1
            for name in _FIELDS:
                if body.get(name) is not None:
                    st.counts[name] += 1
            st.bodies.append(body)
        self._send(*(_ollama_chat(st, body) if native else _openai_chat(st, body)))

    def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
        is_text = isinstance(payload, str)
        data = payload.encode() if is_text else json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain" if is_text else "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
