"""Request bodies for the three structured-output dialects of OpenAI-compatible servers.

Pure functions, one per wire format, so the transport never needs to know which dialect it carries and
tests can check exactly what goes on the wire. Why three: `response_format` works on every vLLM >= 0.6
and on OpenAI; `structured_outputs` is vLLM's own field since 0.10.2 (and also takes `choice`, `regex`,
`grammar`); `guided_json` only works before vLLM 0.12 — newer servers answer HTTP 200 and ignore it, so a
client that sends it gets unconstrained text without any error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

Dialect = Literal["structured_outputs", "response_format", "guided_json"]

STRUCTURED_OUTPUTS: Dialect = "structured_outputs"
RESPONSE_FORMAT: Dialect = "response_format"
GUIDED_JSON: Dialect = "guided_json"
ALL_DIALECTS: tuple[Dialect, ...] = (STRUCTURED_OUTPUTS, RESPONSE_FORMAT, GUIDED_JSON)

_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def dialect_order(backend_kind: str) -> tuple[Dialect, ...]:
    """Which dialects to try, best first: vLLM's native field first on vLLM, the OpenAI field elsewhere."""
    if backend_kind == "vllm":
        return (STRUCTURED_OUTPUTS, RESPONSE_FORMAT, GUIDED_JSON)
    return (RESPONSE_FORMAT, STRUCTURED_OUTPUTS, GUIDED_JSON)


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


_JSON_FIELDS: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {
    RESPONSE_FORMAT: response_format_fields,
    STRUCTURED_OUTPUTS: structured_outputs_fields,
    GUIDED_JSON: guided_json_fields,
}


def constraint_fields(dialect: str, schema: dict[str, Any], name: str = "answer") -> dict[str, Any]:
    """The body fields that carry a JSON schema in `dialect`; ValueError names the known dialects."""
    try:
        build = _JSON_FIELDS[dialect]
    except KeyError:
        raise ValueError(f"unknown dialect {dialect!r}; known: {list(ALL_DIALECTS)}") from None
    return build(schema, name)


def choice_fields(dialect: str, choices: Sequence[str]) -> dict[str, Any]:
    """Body fields that restrict the answer to one of `choices` (response_format has no choice form,
    so it gets the equivalent JSON-string enum schema)."""
    options = list(choices)
    if not options:
        raise ValueError("choice needs at least one option")
    if dialect == STRUCTURED_OUTPUTS:
        return {"structured_outputs": {"choice": options}}
    if dialect == GUIDED_JSON:
        return {"guided_choice": options}
    if dialect == RESPONSE_FORMAT:
        return response_format_fields({"type": "string", "enum": options}, "choice")
    raise ValueError(f"unknown dialect {dialect!r}; known: {list(ALL_DIALECTS)}")


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
    """A complete `/chat/completions` body asking for an answer that fits `schema` in `dialect`."""
    body = base_body(model=model, messages=messages, max_tokens=max_tokens, temperature=temperature, seed=seed)
    body.update(constraint_fields(dialect, schema, schema_name))
    return body
