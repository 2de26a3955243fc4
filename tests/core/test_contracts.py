"""Contracts: live-context enums, bounds, closed objects, and the bounded/compat checks."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, Field, ValidationError

from sgr.core.contracts import (
    Contract,
    bounded_str,
    check_bounded,
    enum_of,
    make_contract,
    number_between,
    require_bounded,
    schema_for,
    xgrammar_compat,
)
from sgr.core.errors import ContractError


def _columns_contract(columns: list[str], cap: float) -> type[Contract]:
    return make_contract(
        "Pick",
        {
            "reasoning": (str, bounded_str(200)),
            "column": (enum_of(columns, allow_auto=True), ...),
            "discount": (float, number_between(0, cap)),
            "tags": (list[enum_of(["a", "b"])], Field(..., max_length=3)),
        },
    )


def test_schema_from_live_context_is_closed_and_bounded() -> None:
    model = _columns_contract(["revenue", "region"], 12.5)
    schema = schema_for(model)
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["reasoning", "column", "discount", "tags"], "reasoning stays first"
    assert schema["properties"]["column"]["enum"] == ["revenue", "region", "auto"]
    assert schema["properties"]["discount"]["maximum"] == 12.5
    assert check_bounded(schema) == []


def test_enum_rejects_values_outside_live_context() -> None:
    model = _columns_contract(["revenue"], 5)
    with pytest.raises(ValidationError):
        model.model_validate({"reasoning": "x", "column": "profit", "discount": 1, "tags": []})
    with pytest.raises(ValidationError):
        model.model_validate({"reasoning": "x", "column": "revenue", "discount": 6, "tags": []})
    ok = model.model_validate({"reasoning": "x", "column": "auto", "discount": 5, "tags": ["a"]})
    assert ok.column == "auto"


def test_empty_enum_and_empty_range_are_contract_errors() -> None:
    with pytest.raises(ContractError):
        enum_of([])
    with pytest.raises(ContractError):
        number_between(5, 1)


def test_unbounded_spots_are_each_named() -> None:
    class Loose(BaseModel):
        text: str
        items: list[int]
        score: float = Field(ge=0)
        nested: dict[str, int]

    problems = check_bounded(schema_for(Loose))
    joined = "\n".join(problems)
    assert "$.text: string without maxLength" in joined
    assert "$.items: array without maxItems" in joined
    assert "$.items[]: integer without both minimum and maximum" in joined
    assert "$.score: number without both minimum and maximum" in joined
    with pytest.raises(ContractError, match="not bounded"):
        require_bounded(schema_for(Loose), name="Loose")


def test_nested_models_are_inlined_and_closed() -> None:
    class Inner(BaseModel):
        kind: Literal["x", "y"]

    class Outer(Contract):
        inner: Inner
        many: list[Inner] = Field(..., max_length=2)

    schema = schema_for(Outer)
    assert "$defs" not in schema and "$ref" not in str(schema)
    assert schema["properties"]["inner"]["additionalProperties"] is False
    assert check_bounded(schema) == []


def test_xgrammar_compiles_bounded_contract() -> None:
    pytest.importorskip("xgrammar", reason="xgrammar not installed (the `local` extra)")
    notes = xgrammar_compat(schema_for(_columns_contract(["a b", "c\"d"], 3)))
    assert not [n for n in notes if "cannot compile" in n], notes


def test_xgrammar_reports_unenforced_keywords() -> None:
    notes = xgrammar_compat({"type": "array", "items": {"type": "integer"}, "uniqueItems": True, "maxItems": 3})
    assert any("uniqueItems" in n for n in notes)


def test_pattern_with_length_bounds_is_refused_and_bounded_patterns_pass() -> None:
    """vLLM's xgrammar backend answers HTTP 400 to pattern + min/maxLength, so the check catches it first."""
    both = {"type": "object", "additionalProperties": False, "required": ["id"],
            "properties": {"id": {"type": "string", "pattern": "^[a-z]{1,8}$", "maxLength": 8}}}
    assert any("both pattern and min/maxLength" in p for p in check_bounded(both))
    both["properties"]["id"].pop("maxLength")
    assert check_bounded(both) == []
    both["properties"]["id"]["pattern"] = "^[a-z]+$"
    assert any("pattern without a bounded length" in p for p in check_bounded(both))
