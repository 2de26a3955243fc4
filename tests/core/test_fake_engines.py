"""The engine fakes read request bodies the way the engines do (see `sgr.testing.fake_engines`): the
fidelity the server-kind tests rely on, including each engine's silent drops and its errors."""

from __future__ import annotations

from typing import Any

from sgr.core.llm import dialects
from sgr.testing import fake_engines
from sgr.testing.fake_engines import ANY_OBJECT, Constraint, Rejection

SCHEMA: dict[str, Any] = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}


def fields(dialect: str) -> dict[str, Any]:
    return dialects.constraint_fields(dialect, SCHEMA, "x")


def test_llamacpp_reads_the_nested_openai_form_and_its_own_field_but_drops_the_flat_one() -> None:
    assert fake_engines.llamacpp(fields("response_format")) == Constraint(SCHEMA)
    assert fake_engines.llamacpp(fields("llamacpp_json_schema")) == Constraint(SCHEMA)
    flat = {"response_format": {"type": "json_schema", "schema": SCHEMA}}  # the README's form
    assert fake_engines.llamacpp(flat) == Constraint(ANY_OBJECT)
    assert fake_engines.llamacpp({"response_format": {"type": "json_object", "schema": SCHEMA}}) == Constraint(SCHEMA)
    rejected = fake_engines.llamacpp(fields("tgi_json"))
    assert isinstance(rejected, Rejection) and rejected.status == 400
    assert fake_engines.llamacpp(fields("structured_outputs")) is None


def test_ollama_openai_route_and_native_route() -> None:
    assert fake_engines.ollama_openai(fields("response_format")) == Constraint(SCHEMA)
    assert fake_engines.ollama_openai(fields("response_format"), json_schema_supported=False) is None
    assert fake_engines.ollama_openai({"response_format": {"type": "json_object"}}) == Constraint(ANY_OBJECT)
    assert fake_engines.ollama_openai(fields("tgi_json")) is None, "unknown types are ignored, not rejected"
    assert fake_engines.ollama_native(fields("ollama_format")) == Constraint(SCHEMA)
    assert fake_engines.ollama_native({"format": "json"}) == Constraint(ANY_OBJECT)
    assert fake_engines.ollama_native({"json_schema": SCHEMA}) is None


def test_sglang_takes_one_constraint_and_validates_the_type() -> None:
    assert fake_engines.sglang(fields("response_format")) == Constraint(SCHEMA)
    assert fake_engines.sglang(fields("guided_json")) is None
    wrong = fake_engines.sglang(fields("tgi_json"))
    assert isinstance(wrong, Rejection) and wrong.status == 400
    both = fake_engines.sglang({**fields("response_format"), "regex": "a+"})
    assert isinstance(both, Rejection) and "Only one" in both.message


def test_tgi_needs_its_own_adjacently_tagged_shape() -> None:
    assert fake_engines.tgi(fields("tgi_json")) == Constraint(SCHEMA)
    assert fake_engines.tgi({"response_format": {"type": "json_object", "value": SCHEMA}}) == Constraint(SCHEMA)
    assert fake_engines.tgi({"response_format": {"type": "json_schema", "value": {"schema": SCHEMA}}}) == Constraint(
        SCHEMA)
    openai_shape = fake_engines.tgi(fields("response_format"))
    assert isinstance(openai_shape, Rejection) and openai_shape.status == 422
    assert "missing field `value`" in openai_shape.message  # OpenAI nests the schema under `json_schema`
    assert fake_engines.tgi(fields("llamacpp_json_schema")) is None
