"""Provenance of one structured call: which backend answered, how, at what cost, after how many repairs.

A trace is plain data (JSON-serialisable) so agents can write it into their run folders and audit tables.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Attempt:
    """One request/response exchange inside a structured call."""

    index: int
    raw: str | None
    finish_reason: str | None
    error: str | None
    error_kind: str | None
    latency_s: float
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    #: the server that answered, when the model has several replicas (`urls:`)
    replica: str | None = None


@dataclass
class Trace:
    """What happened during one structured call (or one SGR step)."""

    step: str
    backend: str
    model: str | None = None
    dialect: str | None = None
    schema_name: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    retries: int = 0
    repairs: int = 0
    fallback_used: bool = False
    fallback_reason: str | None = None
    resolved_fields: list[str] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    schema: dict[str, Any] | None = None
    #: the contract's worst-case size against the entry's max_tokens, and what was done about it
    budget: dict[str, Any] | None = None

    def add_attempt(self, attempt: Attempt) -> None:
        """Record an attempt and keep the token totals in step with it."""
        self.attempts.append(attempt)
        self.prompt_tokens += attempt.prompt_tokens or 0
        self.completion_tokens += attempt.completion_tokens or 0

    def to_dict(self, *, include_exchange: bool = True) -> dict[str, Any]:
        """JSON-ready form; `include_exchange=False` drops prompts and schema for compact summaries."""
        data = asdict(self)
        if not include_exchange:
            data.pop("messages", None)
            data.pop("schema", None)
        data["latency_s"] = round(self.latency_s, 6)
        for a in data["attempts"]:
            a["latency_s"] = round(a["latency_s"], 6)
        return data
