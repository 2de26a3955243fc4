"""An SGR step: prompt builder, schema builder, resolver, validator and deterministic fallback in one.

Both agents are made of these. `run(ctx, backend)` returns the same typed object whatever answered:

1. offline backend -> `fallback(ctx)` directly (recorded as fallback_used, reason "offline");
2. otherwise the model proposes inside the grammar of `schema(ctx)`; `resolve` fills "auto" fields from
   data; `validate` checks meaning; problems go back to the model through the repair loop;
3. when the model cannot produce a valid answer (retries exhausted, server down) the step falls back to
   its deterministic path if `on_failure == "fallback"`, recording why; otherwise the error propagates.

Every call publishes on the current event bus (`sgr.core.events`): `llm_request` before the model is asked,
`parse_error`/`repair` per rejected answer (from the port's repair loop), and exactly one closing event:
`llm_response` (the model's answer was used, or the step raised: `error` set) or `fallback` (the
deterministic path answered: offline, or after the model failed). The closing event carries the trace, the
value, the contract and the prompt; the call log (`sgr logs`) and run folders subscribe to it.
"""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel

from sgr.core.contracts import require_bounded, schema_for, token_budget, worst_case_chars
from sgr.core.errors import BackendUnavailable, NoModelError, RetriesExhausted
from sgr.core.events import emit
from sgr.core.llm.base import Backend
from sgr.core.port import agenerate, generate
from sgr.core.trace import Attempt, Trace

Ctx = TypeVar("Ctx")
Out = TypeVar("Out", bound=BaseModel)


class StepDeadline(BackendUnavailable):
    """A step ran out of its end-to-end time (`StepPolicy.deadline_s`); handled like an unreachable model."""


@dataclass
class StepResult(Generic[Out]):
    """A step's typed answer plus its trace."""

    value: Out
    trace: Trace


@dataclass
class StepPolicy:
    """How hard a step tries before falling back."""

    max_retries: int = 2
    on_failure: Literal["fallback", "raise"] = "fallback"
    max_tokens: int | None = None
    temperature: float | None = None
    seed: int | None = None
    #: seconds the whole step may take in `arun`, every retry and repair included (None: no limit); past it
    #: the step falls back (or raises `StepDeadline` with on_failure: raise)
    deadline_s: float | None = None


class SGRStep(ABC, Generic[Ctx, Out]):
    """One decision of an agent. Subclasses implement the five parts; `run` wires them together."""

    #: stable name used in traces, logs and run folders
    name: str = "step"

    @abstractmethod
    def prompt(self, ctx: Ctx) -> list[dict[str, Any]]:
        """Chat messages for this decision, built from context (not from a fixed string)."""

    @abstractmethod
    def schema(self, ctx: Ctx) -> type[Out]:
        """The bounded contract for this context (e.g. enums of real column names)."""

    def resolve(self, ctx: Ctx, value: Out) -> tuple[Out, list[str]]:
        """Fill "auto" fields from data; returns the new value and the names of fields it filled."""
        return value, []

    def validate(self, ctx: Ctx, value: Out) -> Sequence[str]:
        """Meaning checks the grammar cannot express; each returned string is a problem."""
        return []

    @abstractmethod
    def fallback(self, ctx: Ctx) -> Out:
        """The deterministic answer: no model, same contract. Must always succeed for valid context."""

    # -- running ---------------------------------------------------------------------------------

    def _fallback_result(self, ctx: Ctx, backend: Backend, model: type[Out], reason: str,
                         started: float) -> StepResult[Out]:
        value = self.fallback(ctx)
        value, filled = self.resolve(ctx, value)
        trace = Trace(step=self.name, backend=backend.name, model=backend.model_name, dialect=None,
                      schema_name=model.__name__, fallback_used=True, fallback_reason=reason,
                      resolved_fields=filled)
        trace.latency_s = time.perf_counter() - started
        return StepResult(value=value, trace=trace)

    def _offline(self, ctx: Ctx, backend: Backend, started: float) -> StepResult[Out]:
        model = self.schema(ctx)
        result = self._fallback_result(ctx, backend, model, "offline backend", started)
        emit("fallback", self.name, trace=result.trace, value=result.value, schema=schema_for(model),
             reason="offline backend")
        return result

    def _prepare(self, ctx: Ctx, policy: StepPolicy) -> tuple[type[Out], list[dict[str, Any]], dict[str, Any]]:
        model = self.schema(ctx)
        schema = schema_for(model)
        require_bounded(schema, name=f"{self.name} contract {model.__name__}")
        messages, budget = self.prompt(ctx), fit_budget(schema, policy.max_tokens)
        emit("llm_request", self.name, schema_name=model.__name__, messages=messages, budget=budget)
        return model, messages, budget

    def _checker(self, ctx: Ctx) -> Any:
        def check(value: Any) -> Sequence[str]:
            resolved, _ = self.resolve(ctx, value)
            return self.validate(ctx, resolved)

        return check

    def _finish(self, ctx: Ctx, value: Out, trace: Trace, budget: dict[str, Any]) -> StepResult[Out]:
        trace.budget = budget
        value, filled = self.resolve(ctx, value)
        trace.resolved_fields = filled
        emit("llm_response", self.name, trace=trace, value=value)
        return StepResult(value=value, trace=trace)

    def _failed(self, ctx: Ctx, backend: Backend, exc: Exception, policy: StepPolicy, started: float,
                sent: tuple[type[Out], list[dict[str, Any]], dict[str, Any]]) -> StepResult[Out]:
        """Fall back (or re-raise with on_failure: raise) after the model failed; log the call either way."""
        model, messages, budget = sent
        if policy.on_failure == "raise":
            trace = Trace(step=self.name, backend=backend.name, model=backend.model_name, schema_name=model.__name__,
                          latency_s=time.perf_counter() - started)
            _failed_attempts(trace, exc, backend, budget)
            emit("llm_response", self.name, trace=trace, value=None, schema=schema_for(model), messages=messages,
                 error=exc)
            raise exc
        result = self._fallback_result(ctx, backend, model, f"{type(exc).__name__}: {exc}", started)
        _failed_attempts(result.trace, exc, backend, budget)
        emit("fallback", self.name, trace=result.trace, value=result.value, schema=schema_for(model),
             messages=messages, reason=result.trace.fallback_reason)
        return result

    def run(self, ctx: Ctx, backend: Backend, policy: StepPolicy | None = None) -> StepResult[Out]:
        """Decide synchronously on any backend."""
        policy = policy or StepPolicy()
        started = time.perf_counter()
        if backend.is_offline:
            return self._offline(ctx, backend, started)
        model, messages, budget = self._prepare(ctx, policy)
        try:
            res = generate(backend, messages, model, max_retries=policy.max_retries, step=self.name,
                           check=self._checker(ctx), max_tokens=budget["max_tokens"],
                           temperature=policy.temperature, seed=policy.seed)
        except (RetriesExhausted, BackendUnavailable, NoModelError) as exc:
            return self._failed(ctx, backend, exc, policy, started, (model, messages, budget))
        return self._finish(ctx, res.value, res.trace, budget)

    async def arun(self, ctx: Ctx, backend: Backend, policy: StepPolicy | None = None) -> StepResult[Out]:
        """Decide asynchronously, so a service can keep many decisions in flight."""
        policy = policy or StepPolicy()
        started = time.perf_counter()
        if backend.is_offline:
            return self._offline(ctx, backend, started)
        model, messages, budget = self._prepare(ctx, policy)
        try:
            call = agenerate(backend, messages, model, max_retries=policy.max_retries, step=self.name,
                             check=self._checker(ctx), max_tokens=budget["max_tokens"],
                             temperature=policy.temperature, seed=policy.seed)
            if policy.deadline_s is None:
                res = await call
            else:
                try:
                    res = await asyncio.wait_for(call, max(0.0, policy.deadline_s))
                except TimeoutError:
                    raise StepDeadline(f"{self.name} did not finish within its deadline of "
                                       f"{policy.deadline_s:.3g} s (retries included)") from None
        except (RetriesExhausted, BackendUnavailable, NoModelError) as exc:
            return self._failed(ctx, backend, exc, policy, started, (model, messages, budget))
        return self._finish(ctx, res.value, res.trace, budget)


def _failed_attempts(trace: Trace, exc: Exception, backend: Backend, budget: dict[str, Any]) -> None:
    """What a failed model call leaves in its trace: the dialect asked through, every attempt, the budget."""
    trace.dialect = backend.dialect  # the model was asked; say through which dialect
    if isinstance(exc, RetriesExhausted):
        for a in exc.attempts:
            trace.add_attempt(Attempt(**a))
        trace.retries = max(0, len(exc.attempts) - 1)
        trace.repairs = trace.retries
    trace.budget = budget


#: the most tokens a step raises a too-small budget to; a contract that needs more must itself shrink
MAX_RAISED_TOKENS = 4096


def fit_budget(schema: dict[str, Any], max_tokens: int | None) -> dict[str, Any]:
    """The max_tokens a request uses, sized to the contract's longest valid answer, and the decision taken.

    Why: with the entry's max_tokens below what a valid answer can need, a model that fills the bounds is cut
    off on every attempt (seen on the tiny local model: adapt_plan hit finish_reason=length three times and
    fell back). The budget is raised to fit, up to MAX_RAISED_TOKENS; past that the trace says the contract
    must shrink. Without a configured max_tokens the server's own limit applies.
    """
    need = token_budget(schema)
    out: dict[str, Any] = {"worst_case_chars": worst_case_chars(schema), "worst_case_tokens": need,
                           "configured_max_tokens": max_tokens, "max_tokens": max_tokens}
    if max_tokens is None:
        out["action"] = "server default"
    elif need <= max_tokens:
        out["action"] = "fits"
    elif need <= MAX_RAISED_TOKENS:
        out.update(max_tokens=need, action=f"raised from {max_tokens} to {need}: the contract's longest answer")
    else:
        out.update(max_tokens=MAX_RAISED_TOKENS, action=f"contract too large ({need} tokens worst case); raised "
                                                        f"to {MAX_RAISED_TOKENS}: shrink its bounds")
    return out


def policy_from_entry(entry: Any) -> StepPolicy:
    """Step policy from a config ModelEntry (max_retries, on_failure, max_tokens, temperature, seed)."""
    return StepPolicy(max_retries=entry.max_retries, on_failure=entry.on_failure,
                      max_tokens=entry.max_tokens, temperature=entry.temperature, seed=entry.seed)
