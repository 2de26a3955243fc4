"""Which serving engine is behind a URL: vLLM, llama.cpp, Ollama, SGLang, TGI, or an unknown OpenAI-compatible one.

Why it matters: each engine constrains output through its own request fields and silently ignores the
others (HTTP 200, unconstrained text), so the dialects worth trying, and the advice worth giving, depend on
the engine. Detection asks a few cheap GETs that each engine answers in its own way, in a fixed order, with
a short timeout; the first decisive answer wins and anything else falls back to "openai" (unknown), which
simply means "try every OpenAI-route dialect". What each engine says about itself (checked in its source):

- vLLM: `GET /v1/models` entries have `owned_by: "vllm"`; `GET /version` is `{"version": ...}`.
- llama.cpp (`llama-server`): `owned_by: "llamacpp"`; `GET /props` has `default_generation_settings`,
  `total_slots`, `model_path`.
- SGLang: `owned_by: "sglang"`; `GET /get_model_info` has `model_path`.
- Ollama: `GET /api/version` is `{"version": ...}` (its `/v1/models` says `owned_by: "library"`, not itself).
- TGI: `GET /info` has `model_id` plus router fields (`max_total_tokens`, `docker_label`...); its
  `/v1/models` repeats the model id as `owned_by`, and generation answers carry `x-compute-type`.

The classifiers are pure functions of one answer, so tests can check each rule without a server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

ServerKind = Literal["vllm", "llamacpp", "ollama", "sglang", "tgi", "openai"]
#: every kind; "openai" is the unknown OpenAI-compatible server (and the real OpenAI API)
SERVER_KINDS: tuple[ServerKind, ...] = ("vllm", "llamacpp", "ollama", "sglang", "tgi", "openai")
UNKNOWN: ServerKind = "openai"
#: how long one detection GET may take: these are metadata routes, answered at once by a live server
DETECT_TIMEOUT_S = 2.0

_LABELS: dict[str, str] = {
    "vllm": "vLLM",
    "llamacpp": "llama.cpp server",
    "ollama": "Ollama",
    "sglang": "SGLang",
    "tgi": "TGI (text-generation-inference)",
    "openai": "OpenAI-compatible server",
}
_OWNED_BY: dict[str, ServerKind] = {"vllm": "vllm", "llamacpp": "llamacpp", "sglang": "sglang"}


def kind_label(kind: str) -> str:
    """How messages name a kind ("llama.cpp server", "TGI (text-generation-inference)")."""
    return _LABELS.get(kind, _LABELS["openai"])


@dataclass(frozen=True)
class Detection:
    """The kind found, the answer that decided it, and every route asked (in order)."""

    kind: ServerKind
    evidence: str
    asked: tuple[str, ...] = field(default_factory=tuple)
    #: False when `backend:` named the kind in the config (nothing was asked)
    detected: bool = True
    #: False when the first GET could not connect (not cached: the server may be starting)
    reachable: bool = True

    @property
    def label(self) -> str:
        """The kind in words."""
        return kind_label(self.kind)


# ---------------------------------------------------------------------------------------------------
# pure classifiers: one answer in, a verdict (kind, why) or None out


Verdict = tuple[ServerKind, str] | None


def from_headers(headers: Mapping[str, str]) -> Verdict:
    """TGI stamps `x-compute-type` (default "gpu+optimized") on its answers."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if "x-compute-type" in lowered:
        return "tgi", f"the answer carries TGI's x-compute-type header ({lowered['x-compute-type']!r})"
    return None


def from_models(payload: Any) -> Verdict:
    """`GET /v1/models`: vLLM, llama.cpp and SGLang write their own name into `owned_by`."""
    entries = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(entries, list):
        return None
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        owner = str(entry.get("owned_by", "")).lower()
        if owner in _OWNED_BY:
            return _OWNED_BY[owner], f"GET /v1/models says owned_by={owner!r}"
    return None


def from_props(payload: Any) -> Verdict:
    """`GET /props`: only llama.cpp's server answers with its slot and generation settings."""
    if isinstance(payload, dict) and ("default_generation_settings" in payload or "total_slots" in payload):
        return "llamacpp", "GET /props answers with llama.cpp's default_generation_settings/total_slots"
    return None


def from_api_version(payload: Any) -> Verdict:
    """`GET /api/version`: Ollama's `{"version": "0.x.y"}`."""
    if isinstance(payload, dict) and isinstance(payload.get("version"), str) and len(payload) <= 2:
        return "ollama", f"GET /api/version answers like Ollama (version {payload['version']})"
    return None


def from_model_info(payload: Any) -> Verdict:
    """`GET /get_model_info`: SGLang's `{"model_path": ..., ...}`."""
    if isinstance(payload, dict) and "model_path" in payload:
        return "sglang", "GET /get_model_info answers like SGLang (model_path)"
    return None


def from_info(payload: Any) -> Verdict:
    """`GET /info`: TGI's router info, `model_id` next to its batching limits."""
    tgi_fields = ("max_total_tokens", "max_input_tokens", "max_input_length", "docker_label", "model_dtype")
    if isinstance(payload, dict) and "model_id" in payload and any(k in payload for k in tgi_fields):
        return "tgi", f"GET /info answers like TGI (model_id {payload['model_id']!r})"
    return None


def from_version(payload: Any) -> Verdict:
    """`GET /version`: vLLM's `{"version": ...}` (asked last: the least specific route)."""
    if isinstance(payload, dict) and set(payload) == {"version"} and isinstance(payload["version"], str):
        return "vllm", f"GET /version answers like vLLM (version {payload['version']})"
    return None


#: (route relative to the server root, classifier), asked in this order
ROUTES: tuple[tuple[str, Callable[[Any], Verdict]], ...] = (
    ("/v1/models", from_models),
    ("/props", from_props),
    ("/api/version", from_api_version),
    ("/get_model_info", from_model_info),
    ("/info", from_info),
    ("/version", from_version),
)


def root_of(base_url: str) -> str:
    """The server root of a normalised `.../v1` API base (where /props, /info... live)."""
    return base_url[: -len("/v1")] if base_url.endswith("/v1") else base_url.rstrip("/")


def configured(backend: str) -> Detection | None:
    """The kind a config's `backend:` names, or None when it says `openai` (detect it) or no engine."""
    for kind in SERVER_KINDS:
        if kind == backend and kind != UNKNOWN:
            return Detection(kind, f"set by `backend: {backend}` in the config", detected=False)
    return None


# ---------------------------------------------------------------------------------------------------
# live detection, cached per server


_LOCK = threading.Lock()
_DETECTED: dict[str, Detection] = {}


def clear_detection_cache() -> None:
    """Forget every detected kind (tests; a port now served by another engine)."""
    with _LOCK:
        _DETECTED.clear()


def detect_server_kind(
    base_url: str,
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float = DETECT_TIMEOUT_S,
    refresh: bool = False,
) -> Detection:
    """Ask the identification routes of the server at `base_url` (a normalised `.../v1`) in order.

    Parameters
    ----------
    base_url:
        The API base, ending in `/v1`.
    headers:
        Sent with every GET (the API key).
    timeout:
        Seconds per GET.
    refresh:
        Ask again even if this server was detected before in this process.

    Returns
    -------
    Detection
        The first decisive answer; `openai` (unknown) when none was, or when the server is unreachable
        (the caller's own request then reports that, with its retries and hints).
    """
    with _LOCK:
        cached = _DETECTED.get(base_url)
    if cached is not None and not refresh:
        return cached
    detection = _ask(root_of(base_url), dict(headers or {}), timeout)
    if detection.reachable:
        with _LOCK:
            _DETECTED[base_url] = detection
    return detection


def _ask(root: str, headers: dict[str, str], timeout: float) -> Detection:
    asked: list[str] = []
    with httpx.Client(timeout=timeout, headers=headers) as client:
        for route, classify in ROUTES:
            asked.append(route)
            try:
                response = client.get(root + route)
            except httpx.TransportError as exc:
                if len(asked) == 1:
                    return Detection(UNKNOWN, f"unreachable ({type(exc).__name__}); kind not detected",
                                     tuple(asked), reachable=False)
                continue
            verdict = from_headers(response.headers) or _classify(response, classify)
            if verdict is not None:
                return Detection(verdict[0], verdict[1], tuple(asked))
    return Detection(UNKNOWN, "no identification route answered like a known engine", tuple(asked))


def _classify(response: httpx.Response, classify: Callable[[Any], Verdict]) -> Verdict:
    if response.status_code != 200:
        return None
    try:
        payload = response.json()
    except ValueError:
        return None
    return classify(payload)
