"""Wire formats: what each dialect puts on the wire, URL normalisation, and the fake's schema instances."""

from __future__ import annotations

import random
from typing import Any

import jsonschema
import pytest

from sgr.core.llm import dialects
from sgr.testing.fake_openai import instance_of

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"city": {"type": "string", "maxLength": 20}},
    "required": ["city"],
    "additionalProperties": False,
}
MESSAGES = [{"role": "user", "content": "Where?"}]


def _body(dialect: str, **kw: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "model": "m", "messages": MESSAGES, "schema": SCHEMA, "schema_name": "where", "max_tokens": 64,
        "temperature": 0.2, "seed": 7,
    }
    args.update(kw)
    return dialects.build_chat_body(dialect, **args)


def test_response_format_body_is_strict_json_schema() -> None:
    body = _body("response_format")
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "where", "schema": SCHEMA, "strict": True},
    }
    assert "structured_outputs" not in body and "guided_json" not in body


def test_structured_outputs_body_carries_schema_under_json() -> None:
    body = _body("structured_outputs")
    assert body["structured_outputs"] == {"json": SCHEMA}
    assert "response_format" not in body and "guided_json" not in body


def test_guided_json_body_uses_legacy_field() -> None:
    body = _body("guided_json")
    assert body["guided_json"] == SCHEMA
    assert "response_format" not in body and "structured_outputs" not in body


def test_llamacpp_body_uses_the_top_level_json_schema_field() -> None:
    body = _body("llamacpp_json_schema")
    assert body["json_schema"] == SCHEMA
    assert "response_format" not in body and "grammar" not in body


def test_tgi_body_uses_the_grammar_typed_response_format() -> None:
    body = _body("tgi_json")
    assert body["response_format"] == {"type": "json", "value": SCHEMA}


def test_ollama_native_body_puts_sampling_under_options() -> None:
    body = _body("ollama_format")
    assert body == {
        "model": "m", "messages": MESSAGES, "stream": False, "format": SCHEMA,
        "options": {"num_predict": 64, "temperature": 0.2, "seed": 7},
    }
    assert "seed" not in _body("ollama_format", seed=None)["options"]


def test_only_ollama_format_leaves_the_openai_route() -> None:
    assert {d: dialects.route(d) for d in dialects.ALL_DIALECTS if dialects.route(d) != "chat_completions"} == {
        "ollama_format": "ollama_chat"}


@pytest.mark.parametrize("dialect", [d for d in dialects.ALL_DIALECTS if dialects.route(d) == "chat_completions"])
def test_common_fields_pass_through_and_messages_are_copied(dialect: str) -> None:
    body = _body(dialect)
    assert (body["model"], body["max_tokens"], body["temperature"], body["seed"]) == ("m", 64, 0.2, 7)
    assert body["stream"] is False
    assert body["messages"] == MESSAGES
    body["messages"][0]["content"] = "changed"
    assert MESSAGES[0]["content"] == "Where?"


def test_seed_none_is_left_out() -> None:
    assert "seed" not in _body("response_format", seed=None)


def test_unknown_dialect_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="structured_outputs"):
        dialects.constraint_fields("grammar_v9", SCHEMA)


def test_schema_name_is_made_safe_for_openai() -> None:
    name = dialects.safe_schema_name("Pricing decision (v2)!")
    assert name == "Pricing_decision_v2"
    assert dialects.safe_schema_name("§§§") == "answer"
    assert len(dialects.safe_schema_name("x" * 200)) == 64


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        ("structured_outputs", {"structured_outputs": {"choice": ["a", "b"]}}),
        ("guided_json", {"guided_choice": ["a", "b"]}),
    ],
)
def test_choice_fields(dialect: str, expected: dict[str, Any]) -> None:
    assert dialects.choice_fields(dialect, ["a", "b"]) == expected


def test_choice_in_response_format_is_an_enum_schema() -> None:
    fields = dialects.choice_fields("response_format", ["a", "b"])
    assert fields["response_format"]["json_schema"]["schema"] == {"type": "string", "enum": ["a", "b"]}
    with pytest.raises(ValueError):
        dialects.choice_fields("response_format", [])


def test_dialect_order_prefers_native_field_on_vllm_and_openai_field_elsewhere() -> None:
    assert dialects.dialect_order("vllm") == ("structured_outputs", "response_format", "guided_json")
    assert dialects.dialect_order("openai")[0] == "response_format"
    assert dialects.dialect_order("openai")[-1] == "guided_json"
    assert "ollama_format" not in dialects.dialect_order("openai"), "an unknown server gets the OpenAI route only"


@pytest.mark.parametrize(
    ("kind", "order"),
    [
        ("llamacpp", ("llamacpp_json_schema", "response_format")),
        ("ollama", ("response_format", "ollama_format")),
        ("sglang", ("response_format",)),
        ("tgi", ("tgi_json",)),
        ("some-future-engine", dialects.dialect_order("openai")),
    ],
)
def test_each_kind_tries_only_what_it_can_honour(kind: str, order: tuple[str, ...]) -> None:
    assert dialects.dialect_order(kind) == order


@pytest.mark.parametrize("dialect", ["llamacpp_json_schema", "tgi_json", "ollama_format"])
def test_choice_in_the_other_dialects_is_an_enum_schema(dialect: str) -> None:
    fields = dialects.choice_fields(dialect, ["a", "b"])
    assert fields == dialects.constraint_fields(dialect, {"type": "string", "enum": ["a", "b"]})


@pytest.mark.parametrize(
    "url",
    ["http://h:8000", "http://h:8000/", "http://h:8000/v1", "http://h:8000/v1/", " http://h:8000/v1 "],
)
def test_base_url_normalisation(url: str) -> None:
    assert dialects.normalize_base_url(url) == "http://h:8000/v1"


def test_base_url_keeps_a_path_prefix() -> None:
    assert dialects.normalize_base_url("https://gw.example/llm/") == "https://gw.example/llm/v1"


# --- the fake server's instance generator: "honouring" a schema must give valid instances -----------

BOUNDED: list[dict[str, Any]] = [
    SCHEMA,
    {
        "type": "object",
        "properties": {
            "reasoning": {"type": "string", "minLength": 3, "maxLength": 40},
            "pct": {"type": "number", "minimum": 0, "maximum": 12.5},
            "qty": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 5},
            "ok": {"type": "boolean"},
            "tier": {"enum": ["low", "mid", "high"]},
            "kind": {"const": "offer"},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 5}, "minItems": 1, "maxItems": 4},
            "note": {"anyOf": [{"type": "string", "maxLength": 8}, {"type": "null"}]},
            "when": {"type": "string", "format": "date"},
            "alt": {"oneOf": [{"type": "integer", "minimum": 1, "maximum": 2}, {"type": "boolean"}]},
            "nested": {
                "type": "object",
                "properties": {"x": {"type": ["integer", "null"], "minimum": -3, "maximum": 3}},
                "required": ["x"],
                "additionalProperties": False,
            },
        },
        "required": ["reasoning", "pct", "qty", "ok", "tier", "kind", "tags", "note", "when", "alt", "nested"],
        "additionalProperties": False,
    },
    {"type": "array", "items": {"type": "integer", "minimum": 5, "maximum": 5}, "minItems": 2, "maxItems": 2},
    {"type": "null"},
]


@pytest.mark.parametrize("index", range(len(BOUNDED)))
def test_instances_are_valid_against_their_schema(index: int) -> None:
    schema = BOUNDED[index]
    for seed in range(200):
        jsonschema.validate(instance_of(schema, random.Random(seed)), schema)


def test_instances_are_deterministic_for_a_seed() -> None:
    first = [instance_of(BOUNDED[1], random.Random(s)) for s in range(5)]
    again = [instance_of(BOUNDED[1], random.Random(s)) for s in range(5)]
    assert first == again
    assert len({repr(v) for v in first}) > 1, "different seeds should explore different instances"
