"""The port: messages + a pydantic model (or JSON schema) in, a validated object and a trace out.

This is the one place where model text becomes data. Every backend gets the same treatment: lenient
JSON parsing (xgrammar may emit raw control characters inside bounded strings, mlc-ai/xgrammar#800),
validation, and a bounded repair loop that feeds the error back. Only `SchemaViolation` is retried;
transport errors propagate at once. Each rejected answer publishes `parse_error`, each re-ask `repair`, on
the current event bus (`sgr.core.events`).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from sgr.core.contracts import schema_for
from sgr.core.errors import RetriesExhausted, SchemaViolation
from sgr.core.events import emit
from sgr.core.llm.base import Backend, GenerationRequest, RawOutput
from sgr.core.trace import Attempt, Trace

T = TypeVar("T")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)

#: extra semantic check run after schema validation; returns human-readable problems
Checker = Callable[[Any], Sequence[str]]


@dataclass
class StructuredResult(Generic[T]):
    """A validated value with the trace of how it was obtained."""

    value: T
    trace: Trace


def parse_json_lenient(text: str) -> Any:
    """Parse model output as JSON, tolerating control characters and a Markdown fence.

    Raises SchemaViolation(kind="json") with the decoder's message when it is not JSON at all.
    """
    candidate = text.strip()
    fenced = _FENCE.match(candidate)
    if fenced:
        candidate = fenced.group(1)
    try:
        return json.loads(candidate, strict=False)
    except json.JSONDecodeError:
        try:
            return json.loads(_CONTROL.sub(" ", candidate), strict=False)
        except json.JSONDecodeError as exc:
            raise SchemaViolation(f"answer is not valid JSON: {exc}", raw=text, kind="json") from exc


def _sanitise(value: Any) -> Any:
    """Replace raw control characters in strings, which no caller ever wants."""
    if isinstance(value, str):
        return _CONTROL.sub(" ", value)
    if isinstance(value, list):
        return [_sanitise(v) for v in value]
    if isinstance(value, dict):
        return {k: _sanitise(v) for k, v in value.items()}
    return value


def validate_answer(raw: RawOutput, target: type[BaseModel] | dict[str, Any]) -> Any:
    """Turn raw output into a validated value or raise SchemaViolation saying precisely why."""
    if raw.finish_reason == "length":
        raise SchemaViolation(
            "answer was cut off at max_tokens (finish_reason=length); give a shorter answer",
            raw=raw.text,
            kind="truncated",
        )
    data = _sanitise(parse_json_lenient(raw.text))
    if isinstance(target, dict):
        import jsonschema  # only raw-schema targets need it; 80 ms of imports every run would otherwise pay

        try:
            jsonschema.validate(data, target)
        except jsonschema.ValidationError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "<root>"
            raise SchemaViolation(f"answer breaks the schema at {where}: {exc.message}", raw=raw.text) from exc
        return data
    try:
        return target.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in exc.errors()[:8]
        )
        raise SchemaViolation(f"answer breaks the schema: {problems}", raw=raw.text) from exc


def reask(messages: Sequence[dict[str, Any]], raw: str | None, error: str) -> list[dict[str, Any]]:
    """A new message list that shows the model its last answer and what was wrong (input untouched)."""
    out = [dict(m) for m in messages]
    if raw is not None:
        out.append({"role": "assistant", "content": raw[:4000]})
    out.append(
        {
            "role": "user",
            "content": f"That answer was rejected: {error}\nReply again with only a JSON object that fits the schema.",
        }
    )
    return out


def _schema_name(target: type[BaseModel] | dict[str, Any], name: str | None) -> str:
    if name:
        return name
    if isinstance(target, dict):
        return str(target.get("title") or "answer")
    return target.__name__


class _Loop:
    """State shared by the sync and async repair loops (one attempt at a time)."""

    def __init__(
        self,
        backend: Backend,
        messages: Sequence[dict[str, Any]],
        target: type[BaseModel] | dict[str, Any],
        *,
        max_retries: int,
        step: str,
        schema_name: str | None,
        check: Checker | None,
        max_tokens: int | None,
        temperature: float | None,
        seed: int | None,
    ) -> None:
        self.backend = backend
        self.target = target
        self.schema = target if isinstance(target, dict) else schema_for(target)
        self.max_retries = max_retries
        self.check = check
        self.messages = list(messages)
        self.max_tokens, self.temperature, self.seed = max_tokens, temperature, seed
        name = _schema_name(target, schema_name)
        self.trace = Trace(
            step=step,
            backend=backend.name,
            model=backend.model_name,
            schema_name=name,
            messages=[dict(m) for m in messages],
            schema=self.schema,
        )
        self.started = time.perf_counter()

    def request(self) -> GenerationRequest:
        return GenerationRequest(
            messages=self.messages,
            schema=self.schema,
            schema_name=self.trace.schema_name or "answer",
            max_tokens=self.max_tokens,
            temperature=self.temperature,
            seed=self.seed,
        )

    def handle(self, raw: RawOutput, latency: float) -> tuple[bool, Any]:
        """Record one answer; return (done, value). Raises RetriesExhausted when out of attempts."""
        index = len(self.trace.attempts)
        self.trace.dialect = raw.dialect or self.trace.dialect
        self.trace.model = raw.model or self.trace.model
        error: SchemaViolation | None = None
        value: Any = None
        try:
            value = validate_answer(raw, self.target)
            problems = list(self.check(value)) if self.check else []
            if problems:
                raise SchemaViolation("; ".join(problems), raw=raw.text, kind="semantic")
        except SchemaViolation as exc:
            error = exc
        self.trace.add_attempt(
            Attempt(
                index=index,
                raw=raw.text,
                finish_reason=raw.finish_reason,
                error=str(error) if error else None,
                error_kind=error.kind if error else None,
                latency_s=latency,
                prompt_tokens=raw.prompt_tokens,
                completion_tokens=raw.completion_tokens,
                replica=raw.extra.get("replica"),
            )
        )
        self.trace.latency_s = time.perf_counter() - self.started
        if error is None:
            return True, value
        emit("parse_error", self.trace.step, attempt=index, error=str(error), error_kind=error.kind)
        if index >= self.max_retries:
            raise RetriesExhausted(
                f"{self.trace.step}: no valid answer after {index + 1} attempt(s); last error: {error}",
                attempts=[a.__dict__ for a in self.trace.attempts],
                last_raw=raw.text,
            )
        self.trace.retries += 1
        self.trace.repairs += 1
        self.messages = reask(self.messages, raw.text, str(error))
        emit("repair", self.trace.step, attempt=index + 1, error=str(error))
        return False, None


def generate(
    backend: Backend,
    messages: Sequence[dict[str, Any]],
    target: type[BaseModel] | dict[str, Any],
    *,
    max_retries: int = 2,
    step: str = "generate",
    schema_name: str | None = None,
    check: Checker | None = None,
    max_tokens: int | None = None,
    temperature: float | None = None,
    seed: int | None = None,
) -> StructuredResult[Any]:
    """Ask `backend` for an answer that fits `target`; repair up to `max_retries` times.

    Parameters
    ----------
    backend:
        Any registered backend (the offline one raises NoModelError: steps handle that).
    messages:
        OpenAI-style chat messages; never mutated.
    target:
        A pydantic model class (returns an instance) or a JSON schema dict (returns plain data).
    check:
        Optional semantic check whose problems are fed back like schema errors.

    Returns
    -------
    StructuredResult with the value and a Trace (attempts, tokens, latency, repairs, dialect).

    Raises
    ------
    RetriesExhausted
        Every attempt violated the contract; `.attempts` holds each one.
    BackendUnavailable
        Transport failure; not retried here (the backend already retried with backoff).
    """
    loop = _Loop(
        backend, messages, target, max_retries=max_retries, step=step, schema_name=schema_name,
        check=check, max_tokens=max_tokens, temperature=temperature, seed=seed,
    )
    while True:
        t0 = time.perf_counter()
        raw = backend.generate(loop.request())
        done, value = loop.handle(raw, time.perf_counter() - t0)
        if done:
            return StructuredResult(value=value, trace=loop.trace)


async def agenerate(
    backend: Backend,
    messages: Sequence[dict[str, Any]],
    target: type[BaseModel] | dict[str, Any],
    *,
    max_retries: int = 2,
    step: str = "generate",
    schema_name: str | None = None,
    check: Checker | None = None,
    max_tokens: int | None = None,
    temperature: float | None = None,
    seed: int | None = None,
) -> StructuredResult[Any]:
    """Async form of `generate`: many calls can be in flight so the server can batch them."""
    loop = _Loop(
        backend, messages, target, max_retries=max_retries, step=step, schema_name=schema_name,
        check=check, max_tokens=max_tokens, temperature=temperature, seed=seed,
    )
    while True:
        t0 = time.perf_counter()
        raw = await backend.agenerate(loop.request())
        done, value = loop.handle(raw, time.perf_counter() - t0)
        if done:
            return StructuredResult(value=value, trace=loop.trace)
