"""Request bodies for the structured-output dialects of the model servers we speak to.

Pure functions, one per wire format, so the transport never needs to know which dialect it carries and
tests can check exactly what goes on the wire. Every engine ignores body fields it does not know (HTTP 200,
unconstrained text), so which dialect works depends on the engine (see `server_kind`):

- `structured_outputs`: vLLM's own field since 0.10.2 (also takes `choice`, `regex`, `grammar`).
- `response_format`: OpenAI's `{"type": "json_schema", "json_schema": {"schema": ...}}`; vLLM >= 0.6,
  llama.cpp (which reads the nested `json_schema.schema`; its README's flat form is silently dropped),
  Ollama's /v1 route, SGLang, OpenAI.
- `guided_json`: vLLM < 0.12 only; newer servers answer HTTP 200 and ignore it.
- `llamacpp_json_schema`: llama.cpp's top-level `json_schema` body field, read before `response_format`.
- `tgi_json`: TGI's `response_format: {"type": "json", "value": schema}` (its serde enum rejects OpenAI's
  shape with HTTP 422, and OpenAI-style servers reject this one with 400).
- `ollama_format`: Ollama's native `POST /api/chat` with `format: schema`; a different route and answer
  shape, see `route()` and `sgr.core.llm.openai_compat`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

Dialect = Literal[
    "structured_outputs", "response_format", "guided_json", "llamacpp_json_schema", "tgi_json", "ollama_format"
]
Route = Literal["chat_completions", "ollama_chat"]

STRUCTURED_OUTPUTS: Dialect = "structured_outputs"
RESPONSE_FORMAT: Dialect = "response_format"
GUIDED_JSON: Dialect = "guided_json"
LLAMACPP_JSON_SCHEMA: Dialect = "llamacpp_json_schema"
TGI_JSON: Dialect = "tgi_json"
OLLAMA_FORMAT: Dialect = "ollama_format"
ALL_DIALECTS: tuple[Dialect, ...] = (
    STRUCTURED_OUTPUTS, RESPONSE_FORMAT, GUIDED_JSON, LLAMACPP_JSON_SCHEMA, TGI_JSON, OLLAMA_FORMAT,
)

#: best first per server kind; only what that engine can honour, except the unknown kind, which gets every
#: dialect of the OpenAI route (a wrong guess costs one 400 or one ignored probe, once per process)
_ORDER: dict[str, tuple[Dialect, ...]] = {
    "vllm": (STRUCTURED_OUTPUTS, RESPONSE_FORMAT, GUIDED_JSON),
    "llamacpp": (LLAMACPP_JSON_SCHEMA, RESPONSE_FORMAT),
    "ollama": (RESPONSE_FORMAT, OLLAMA_FORMAT),
    "sglang": (RESPONSE_FORMAT,),
    "tgi": (TGI_JSON,),
    "openai": (RESPONSE_FORMAT, STRUCTURED_OUTPUTS, LLAMACPP_JSON_SCHEMA, TGI_JSON, GUIDED_JSON),
}

_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def dialect_order(backend_kind: str) -> tuple[Dialect, ...]:
    """Which dialects to try on a server kind, best first (an unknown kind gets the OpenAI-route ones)."""
    return _ORDER.get(backend_kind, _ORDER["openai"])


def route(dialect: str) -> Route:
    """Which endpoint carries `dialect`: OpenAI chat completions, or Ollama's native /api/chat."""
    return "ollama_chat" if dialect == OLLAMA_FORMAT else "chat_completions"


def normalize_base_url(url: str) -> str:
    """The API base ending in `/v1`: "http://h:8000", "http://h:8000/" and "http://h:8000/v1" are equal."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    if not path.endswith("/v1"):
        path = f"{path}/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def safe_schema_name(name: str) -> str:
    """OpenAI accepts `^[A-Za-z0-9_-]{1,64}$` as a schema name; anything else is a 400."""
    cleaned = _NAME_UNSAFE.sub("_", name).strip("_")[:64]
    return cleaned or "answer"


def base_body(
    *,
    model: str,
    messages: Sequence[dict[str, Any]],
    max_tokens: int,
    temperature: float,
    seed: int | None,
) -> dict[str, Any]:
    """The dialect-independent part of a chat-completions body."""
    body: dict[str, Any] = {
        "model": model,
        "messages": [dict(m) for m in messages],
        "max_tokens": max_tokens,
        "temperature": temperature,
        "stream": False,
    }
    if seed is not None:
        body["seed"] = seed
    return body


def response_format_fields(schema: dict[str, Any], name: str = "answer") -> dict[str, Any]:
    """OpenAI's `json_schema` response format, strict (vLLM >= 0.6, OpenAI, most compatible servers)."""
    return {
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": safe_schema_name(name), "schema": schema, "strict": True},
        }
    }


def structured_outputs_fields(schema: dict[str, Any], name: str = "answer") -> dict[str, Any]:
    """vLLM's native body field (>= 0.10.2); the name is not part of this wire format."""
    del name
    return {"structured_outputs": {"json": schema}}


def guided_json_fields(schema: dict[str, Any], name: str = "answer") -> dict[str, Any]:
    """The legacy vLLM field (< 0.12 only; newer servers silently ignore it)."""
    del name
    return {"guided_json": schema}


def llamacpp_json_schema_fields(schema: dict[str, Any], name: str = "answer") -> dict[str, Any]:
    """llama.cpp's top-level `json_schema` field (converted to a GBNF grammar by the server)."""
    del name
    return {"json_schema": schema}


def tgi_json_fields(schema: dict[str, Any], name: str = "answer") -> dict[str, Any]:
    """TGI's grammar-typed response format: `{"type": "json", "value": schema}` (TGI >= 1.4.3)."""
    del name
    return {"response_format": {"type": "json", "value": schema}}


def ollama_format_fields(schema: dict[str, Any], name: str = "answer") -> dict[str, Any]:
    """Ollama's native `format` field (a JSON schema since Ollama 0.5)."""
    del name
    return {"format": schema}


_JSON_FIELDS: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {
    RESPONSE_FORMAT: response_format_fields,
    STRUCTURED_OUTPUTS: structured_outputs_fields,
    GUIDED_JSON: guided_json_fields,
    LLAMACPP_JSON_SCHEMA: llamacpp_json_schema_fields,
    TGI_JSON: tgi_json_fields,
    OLLAMA_FORMAT: ollama_format_fields,
}


def constraint_fields(dialect: str, schema: dict[str, Any], name: str = "answer") -> dict[str, Any]:
    """The body fields that carry a JSON schema in `dialect`; ValueError names the known dialects."""
    try:
        build = _JSON_FIELDS[dialect]
    except KeyError:
        raise ValueError(f"unknown dialect {dialect!r}; known: {list(ALL_DIALECTS)}") from None
    return build(schema, name)


def choice_fields(dialect: str, choices: Sequence[str]) -> dict[str, Any]:
    """Body fields that restrict the answer to one of `choices` (only vLLM's fields have a choice form;
    the others get the equivalent JSON-string enum schema)."""
    options = list(choices)
    if not options:
        raise ValueError("choice needs at least one option")
    if dialect == STRUCTURED_OUTPUTS:
        return {"structured_outputs": {"choice": options}}
    if dialect == GUIDED_JSON:
        return {"guided_choice": options}
    return constraint_fields(dialect, {"type": "string", "enum": options}, "choice")


def build_chat_body(
    dialect: str,
    *,
    model: str,
    messages: Sequence[dict[str, Any]],
    schema: dict[str, Any],
    schema_name: str = "answer",
    max_tokens: int,
    temperature: float,
    seed: int | None = None,
) -> dict[str, Any]:
    """A complete body for `route(dialect)` asking for an answer that fits `schema` in `dialect`."""
    if route(dialect) == "ollama_chat":
        body = ollama_base_body(model=model, messages=messages, max_tokens=max_tokens, temperature=temperature,
                                seed=seed)
    else:
        body = base_body(model=model, messages=messages, max_tokens=max_tokens, temperature=temperature, seed=seed)
    body.update(constraint_fields(dialect, schema, schema_name))
    return body


def ollama_base_body(
    *,
    model: str,
    messages: Sequence[dict[str, Any]],
    max_tokens: int,
    temperature: float,
    seed: int | None,
) -> dict[str, Any]:
    """The dialect-independent part of an Ollama `/api/chat` body: sampling settings go under `options`
    (`num_predict` is Ollama's max_tokens), and `stream` must be false or the answer is NDJSON."""
    options: dict[str, Any] = {"num_predict": max_tokens, "temperature": temperature}
    if seed is not None:
        options["seed"] = seed
    return {"model": model, "messages": [dict(m) for m in messages], "stream": False, "options": options}
