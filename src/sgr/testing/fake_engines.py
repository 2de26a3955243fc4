"""What llama.cpp, Ollama, SGLang and TGI do with a chat request: pure functions, one per engine.

Each takes a parsed request body and returns either the constraint the engine would enforce, or the
HTTP error it would answer. They follow each engine's own request parsing (checked in its source):

- llama.cpp (`tools/server`): top-level `json_schema` first; `response_format` `json_object` reads a flat
  `schema`, `json_schema` reads the nested `json_schema.schema` (a flat one is dropped: empty schema = any
  object); another non-"text" type is HTTP 400. Unknown fields are ignored.
- Ollama: `/v1` maps `response_format` `json_schema` -> the nested schema, `json_object` -> any JSON, other
  types ignored; native `/api/chat` takes `format` (a schema, or "json").
- SGLang: `response_format` types text/json_object/json_schema/structural_tag (others: HTTP 400), plus
  `regex` and `ebnf`; only one constraint per request (else HTTP 400).
- TGI: `response_format` is `{"type": "json"|"json_object"|"regex"|"json_schema", "value": ...}`; OpenAI's
  shape has no `value`, so serde answers HTTP 422. Unknown top-level fields are ignored.

None of them looks at vLLM's `structured_outputs` or `guided_json`: that is the trap the probe catches.
The fakes cannot interpret GBNF, EBNF or regex; such requests get an honest HTTP 400 saying so (sgr never
sends them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: "any JSON object": what json_object / format "json" / an empty schema allow
ANY_OBJECT: dict[str, Any] = {"type": "object"}


@dataclass(frozen=True)
class Constraint:
    """The schema the engine would enforce (ANY_OBJECT for plain JSON mode)."""

    schema: dict[str, Any]


@dataclass(frozen=True)
class Rejection:
    """The error the engine would answer instead of generating."""

    status: int
    message: str


Verdict = Constraint | Rejection | None


def _schema(value: Any) -> dict[str, Any]:
    """An engine-side schema: a dict as is, anything empty or odd as "any object"."""
    return value if isinstance(value, dict) and value else ANY_OBJECT


def llamacpp(body: dict[str, Any]) -> Verdict:
    """llama.cpp's `oaicompat_chat_params_parse`: json_schema, grammar, response_format."""
    if body.get("grammar"):
        return Rejection(400, "fake llama.cpp server: GBNF grammars are not interpreted here")
    json_schema = body.get("json_schema")
    rf = body.get("response_format")
    if isinstance(rf, dict):
        kind = str(rf.get("type") or "")
        if kind == "json_object":
            if "schema" in rf or not json_schema:
                json_schema = rf.get("schema") or {}
        elif kind == "json_schema":
            wrapper = rf.get("json_schema") if isinstance(rf.get("json_schema"), dict) else {}
            json_schema = wrapper.get("schema") or {}
        elif kind and kind != "text":
            return Rejection(400, f'response_format type must be one of "text" or "json_object", but got: {kind}')
    if json_schema is None:
        return None
    return Constraint(_schema(json_schema))


def ollama_openai(body: dict[str, Any], *, json_schema_supported: bool = True) -> Verdict:
    """Ollama's `/v1/chat/completions` (`FromChatRequest`); old versions only knew `json_object`."""
    rf = body.get("response_format")
    if not isinstance(rf, dict):
        return None
    kind = str(rf.get("type") or "").strip().lower()
    if kind == "json_object":
        return Constraint(ANY_OBJECT)
    if kind == "json_schema" and json_schema_supported and isinstance(rf.get("json_schema"), dict):
        return Constraint(_schema(rf["json_schema"].get("schema")))
    return None


def ollama_native(body: dict[str, Any]) -> Verdict:
    """Ollama's `/api/chat`: `format` is a JSON schema, or "json" for any JSON."""
    fmt = body.get("format")
    if fmt == "json":
        return Constraint(ANY_OBJECT)
    if isinstance(fmt, dict):
        return Constraint(_schema(fmt))
    return None


_SGLANG_TYPES = ("text", "json_object", "json_schema", "structural_tag")


def sglang(body: dict[str, Any]) -> Verdict:
    """SGLang's ChatCompletionRequest: one of response_format / regex / ebnf."""
    rf = body.get("response_format")
    given = [k for k in ("regex", "ebnf") if body.get(k)]
    if isinstance(rf, dict) and rf.get("type") not in (None, "text"):
        given.append("response_format")
    if len(given) > 1:
        return Rejection(400, "Only one of json_schema, regex, or ebnf can be specified for a request")
    if "regex" in given or "ebnf" in given:
        return Rejection(400, "fake SGLang server: regex/ebnf constraints are not interpreted here")
    if not isinstance(rf, dict):
        return None
    kind = rf.get("type")
    if kind not in _SGLANG_TYPES:
        return Rejection(400, f"response_format.type: Input should be 'text', 'json_object' or 'json_schema' "
                              f"(got {kind!r})")
    if kind == "json_object":
        return Constraint(ANY_OBJECT)
    if kind == "json_schema":
        wrapper = rf.get("json_schema")
        if not isinstance(wrapper, dict) or "schema" not in wrapper:
            return Rejection(400, "response_format.json_schema.schema: Field required")
        return Constraint(_schema(wrapper["schema"]))
    return None


def tgi(body: dict[str, Any]) -> Verdict:
    """TGI's serde `GrammarType` (`tag = "type", content = "value"`)."""
    rf = body.get("response_format")
    if rf is None:
        return None
    if not isinstance(rf, dict) or "type" not in rf:
        return Rejection(422, "Failed to deserialize the JSON body into the target type: response_format: "
                              "missing field `type`")
    kind = rf["type"]
    if kind not in ("json", "json_object", "regex", "json_schema"):
        return Rejection(422, f"Failed to deserialize the JSON body into the target type: response_format: "
                              f"unknown variant `{kind}`, expected one of `json`, `json_object`, `regex`, "
                              f"`json_schema`")
    if "value" not in rf:
        return Rejection(422, "Failed to deserialize the JSON body into the target type: response_format: "
                              "missing field `value`")
    if kind == "regex":
        return Rejection(400, "fake TGI server: regex grammars are not interpreted here")
    if kind == "json_schema":
        value = rf["value"] if isinstance(rf["value"], dict) else {}
        return Constraint(_schema(value.get("schema")))
    return Constraint(_schema(rf["value"]))
