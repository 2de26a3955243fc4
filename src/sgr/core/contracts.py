"""Contracts: schemas built from live context, checked to be bounded and engine-compatible.

Why bounded: under xgrammar an unbounded string or array lets a weak model emit whitespace or text until
max_tokens (measured: 0-10 of 50 valid); with maxLength/maxItems/ranges/closed objects it terminated
50 of 50 times. So every schema a step sends passes `check_bounded` first.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from sgr.core.errors import ContractError

AUTO = "auto"


class Contract(BaseModel):
    """Base for step schemas: closed objects, so the grammar never allows unknown keys."""

    model_config = ConfigDict(extra="forbid")


def enum_of(values: Iterable[str], *, allow_auto: bool = False) -> Any:
    """A `Literal[...]` type over the given values (deduplicated, order kept); optionally with "auto".

    Used to put real column names, tool names or route names into the grammar so a model cannot spell
    anything else. Raises ContractError for an empty set, since an empty enum matches nothing.
    """
    seen: list[str] = []
    for v in values:
        if v not in seen:
            seen.append(v)
    if allow_auto and AUTO not in seen:
        seen.append(AUTO)
    if not seen:
        raise ContractError("an enum needs at least one allowed value")
    return Literal[tuple(seen)]  # type: ignore[valid-type]


def bounded_str(max_length: int, *, min_length: int = 0, description: str | None = None) -> Any:
    """A pydantic field for a string with a hard length bound (grammar-enforced)."""
    return Field(..., max_length=max_length, min_length=min_length, description=description)


def number_between(low: float, high: float, *, description: str | None = None) -> Any:
    """A pydantic field for a number in [low, high], with bounds computed at run time (e.g. a cap)."""
    if high < low:
        raise ContractError(f"empty numeric range [{low}, {high}]")
    return Field(..., ge=low, le=high, description=description)


def make_contract(name: str, fields: dict[str, tuple[Any, Any]], *, doc: str | None = None) -> type[Contract]:
    """Build a closed pydantic model from (type, Field) pairs; order is kept (reasoning first)."""
    model = create_model(name, __base__=Contract, **fields)  # type: ignore[call-overload]
    if doc:
        model.__doc__ = doc
    return model


def _close_objects(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _close_objects(v) for k, v in node.items()}
        if "discriminator" in out and "oneOf" in out:
            # a tagged union: its branches exclude each other by their tag, so anyOf accepts the same answers,
            # and it is what grammar engines compile; `discriminator` is OpenAPI, not JSON Schema validation
            out["anyOf"] = out.pop("oneOf")
            out.pop("discriminator")
        if out.get("type") == "object" and "properties" in out:
            out.setdefault("additionalProperties", False)
            out.setdefault("required", list(out["properties"]))
        out.pop("title", None) if isinstance(out.get("title"), str) and "properties" not in out else None
        return out
    if isinstance(node, list):
        return [_close_objects(v) for v in node]
    return node


def _inline_refs(node: Any, defs: dict[str, Any], depth: int = 0) -> Any:
    if depth > 32:
        raise ContractError("schema nests $ref deeper than 32 levels (recursive schemas are not bounded)")
    if isinstance(node, dict):
        if "$ref" in node and isinstance(node["$ref"], str) and node["$ref"].startswith("#/$defs/"):
            target = defs[node["$ref"].split("/")[-1]]
            merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            return _inline_refs(merged, defs, depth + 1)
        return {k: _inline_refs(v, defs, depth) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(v, defs, depth) for v in node]
    return node


def schema_for(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema sent to engines: refs inlined, every object closed, every property required.

    Inlining keeps the schema self-contained for every dialect and engine (some ignore $defs).
    """
    return copy.deepcopy(_schema_for_cached(model))


@lru_cache(maxsize=512)
def _schema_for_cached(model: type[BaseModel]) -> dict[str, Any]:
    raw = model.model_json_schema()
    defs = raw.get("$defs", {})
    return _close_objects(_inline_refs(raw, defs))


def check_bounded(schema: dict[str, Any], *, path: str = "$") -> list[str]:
    """Every reason the schema might let constrained decoding run forever (empty list = bounded).

    Rules: strings need maxLength (or enum/const/pattern-free format such as date), arrays need
    maxItems, numbers need both bounds, objects need `additionalProperties: false`.
    """
    problems: list[str] = []

    def walk(node: Any, where: str) -> None:
        if not isinstance(node, dict):
            return
        if "enum" in node or "const" in node:
            return
        for key in ("anyOf", "oneOf", "allOf"):
            for i, sub in enumerate(node.get(key, []) or []):
                walk(sub, f"{where}.{key}[{i}]")
        types = node.get("type")
        types = types if isinstance(types, list) else [types] if types else []
        if "string" in types:
            pattern = node.get("pattern")
            if pattern is not None and ("maxLength" in node or "minLength" in node):
                # vLLM's xgrammar backend answers HTTP 400 to this pair (mlc-ai/xgrammar#966)
                problems.append(f"{where}: string with both pattern and min/maxLength (engines reject the pair; "
                                "bound the pattern itself, e.g. [a-z]{1,31})")
            elif pattern is not None:
                if not pattern_is_bounded(pattern):
                    problems.append(f"{where}: string pattern without a bounded length ({pattern!r})")
            elif "maxLength" not in node and node.get("format") not in ("date", "date-time"):
                problems.append(f"{where}: string without maxLength")
        if "array" in types:
            if "maxItems" not in node:
                problems.append(f"{where}: array without maxItems")
            walk(node.get("items"), f"{where}[]")
        for t in ("integer", "number"):
            if t in types and not (
                ("minimum" in node or "exclusiveMinimum" in node)
                and ("maximum" in node or "exclusiveMaximum" in node)
            ):
                problems.append(f"{where}: {t} without both minimum and maximum")
        if "object" in types or "properties" in node:
            if node.get("additionalProperties", True) is not False:
                problems.append(f"{where}: object without additionalProperties: false")
            for name, sub in (node.get("properties") or {}).items():
                walk(sub, f"{where}.{name}")

    walk(schema, path)
    return problems


#: characters per token assumed when sizing a contract's budget: compact JSON of keys, enums and short values
#: tokenizes at about 3 characters a token on the BPE vocabularies of common instruct models; the tiny test
#: tokenizer is byte-level and coarser, which is why the estimate is a floor for the budget, never a cap
CHARS_PER_TOKEN = 3.0
_NUMBER_CHARS = 24  # a JSON number without known bounds: sign, 17 digits, point, exponent


def worst_case_chars(schema: dict[str, Any]) -> int:
    """The longest compact JSON (separators "," and ":") a bounded schema admits, in characters.

    Why: a bounded contract can still be longer than the model entry's `max_tokens`; then every answer is
    cut off (finish_reason=length) and the step falls back without ever having had a chance. Strings count
    their maxLength (escapes aside), arrays maxItems items, objects every property. Raises ContractError for a
    schema that `check_bounded` would refuse.
    """

    def size(node: Any) -> int:
        if not isinstance(node, dict):
            return _NUMBER_CHARS
        if "const" in node:
            return len(json.dumps(node["const"], ensure_ascii=False))
        if "enum" in node:
            return max(len(json.dumps(v, ensure_ascii=False)) for v in node["enum"])
        subs = [*(node.get("anyOf") or []), *(node.get("oneOf") or [])]
        if subs:
            return max(size(s) for s in subs)
        types = node.get("type")
        types = types if isinstance(types, list) else [types] if types else []
        best = 0
        for t in types:
            if t == "string":
                if "maxLength" in node:
                    best = max(best, int(node["maxLength"]) + 2)
                elif "pattern" in node:
                    best = max(best, _pattern_max_length(node["pattern"]) + 2)
                elif node.get("format") in ("date", "date-time"):
                    best = max(best, 27)
                else:
                    raise ContractError("worst case of an unbounded string")
            elif t == "array":
                if "maxItems" not in node:
                    raise ContractError("worst case of an unbounded array")
                n = int(node["maxItems"])
                best = max(best, 2 + n * size(node.get("items", {})) + max(0, n - 1))
            elif t == "object":
                props = node.get("properties") or {}
                inner = sum(len(json.dumps(k)) + 1 + size(v) for k, v in props.items()) + max(0, len(props) - 1)
                best = max(best, 2 + inner)
            elif t in ("integer", "number"):
                bounds = [node.get(k) for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")]
                known = [len(json.dumps(b)) for b in bounds if b is not None]
                best = max(best, max(known) if t == "integer" and known else _NUMBER_CHARS)
            elif t == "boolean":
                best = max(best, 5)
            elif t == "null":
                best = max(best, 4)
        return best

    return size(schema)


_PATTERN_ATOM = re.compile(r"\\.|\[(?:\\.|[^\]])*\]|[^\\\[]")
_PATTERN_REPEAT = re.compile(r"\{(\d+)(?:,(\d+))?\}|\?")


def _pattern_max_length(pattern: str) -> int:
    """Longest string a simple bounded pattern (atoms, classes, {m,n}, ?) matches; groups count generously."""
    body = pattern.removeprefix("^").removesuffix("$")
    if not pattern_is_bounded(pattern):
        raise ContractError(f"worst case of an unbounded pattern {pattern!r}")
    if any(c in body for c in "(|"):
        return len(body)  # alternations and groups: never longer than spelling every branch out
    total, i = 0, 0
    while i < len(body):
        atom = _PATTERN_ATOM.match(body, i)
        if atom is None:
            return len(body)
        i = atom.end()
        rep = _PATTERN_REPEAT.match(body, i)
        if rep is None:
            total += 1
            continue
        i = rep.end()
        total += 1 if rep.group(0) == "?" else int(rep.group(2) or rep.group(1))
    return total


def token_budget(schema: dict[str, Any], *, chars_per_token: float = CHARS_PER_TOKEN) -> int:
    """Tokens the longest valid answer needs, estimated from `worst_case_chars`, with a little slack."""
    return math.ceil(worst_case_chars(schema) / chars_per_token) + 8


_UNBOUNDED_QUANTIFIER = re.compile(r"(?<!\\)[*+]|(?<!\\)\{\d+,\}")


def pattern_is_bounded(pattern: str) -> bool:
    """True when a regex can only match strings of bounded length (no `*`, `+` or `{n,}`).

    Conservative: an escaped `\\*` is fine, and anything unusual counts as unbounded.
    """
    return _UNBOUNDED_QUANTIFIER.search(pattern) is None


def require_bounded(schema: dict[str, Any], *, name: str = "schema") -> None:
    """Raise ContractError listing every unbounded spot; steps call this before sending a schema."""
    problems = check_bounded(schema)
    if problems:
        raise ContractError(f"{name} is not bounded: " + "; ".join(problems))


def xgrammar_compat(schema: dict[str, Any], *, any_whitespace: bool = False) -> list[str]:
    """Compile the schema with xgrammar (when installed) and say what it rejects or would ignore.

    Returns a list of problems; `["xgrammar not installed"]`-style notes are informational, so callers
    should treat a missing engine as "unknown", not "incompatible".
    """
    import json

    notes: list[str] = []
    unsupported = _unsupported_keywords(schema)
    notes.extend(f"keyword {k!r} is not enforced by xgrammar (validated after decoding instead)" for k in unsupported)
    try:
        import xgrammar as xgr
    except ImportError:
        return [*notes, "xgrammar is not installed: compile check skipped (pip install 'sgr-agents[local]')"]
    try:
        xgr.Grammar.from_json_schema(json.dumps(schema), any_whitespace=any_whitespace, strict_mode=True)
    except Exception as exc:  # xgrammar raises RuntimeError/ValueError variants
        notes.append(f"xgrammar cannot compile the schema: {exc}")
    return notes


_XGR_UNSUPPORTED: Sequence[str] = ("multipleOf", "uniqueItems", "contains", "not", "if", "then", "else",
                                   "dependentSchemas", "patternProperties", "propertyNames")


def _unsupported_keywords(schema: Any) -> list[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in _XGR_UNSUPPORTED:
                    found.add(k)
                if k not in ("enum", "const", "default", "examples"):
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    return sorted(found)
