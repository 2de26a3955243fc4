"""The backend port: one abstract `generate(request) -> RawOutput` and declared capabilities.

Backends only move text: they do not parse or validate. Parsing, validation and repair live in
`sgr.core.port` so every backend gets exactly the same guarantees.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass
class GenerationRequest:
    """What to ask: chat messages plus the JSON schema the answer must fit."""

    messages: list[dict[str, Any]]
    schema: dict[str, Any]
    schema_name: str = "answer"
    max_tokens: int | None = None
    temperature: float | None = None
    seed: int | None = None


@dataclass
class RawOutput:
    """What came back, unparsed, with the usage numbers the trace needs."""

    text: str
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    dialect: str | None = None
    model: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Backend(ABC):
    """A way to get text that fits a schema.

    Capabilities are class attributes so the port can decide, before sending anything, whether the
    backend is able to enforce the grammar (`supports_schema`) at all.
    """

    kind: ClassVar[str] = "abstract"
    supports_schema: ClassVar[bool] = True
    #: True when the backend needs no model: steps go straight to their deterministic path.
    is_offline: ClassVar[bool] = False

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def model_name(self) -> str | None:
        """The model the backend talks to, for traces."""
        return None

    @property
    def dialect(self) -> str | None:
        """The structured-output dialect in use, for traces (None where it does not apply)."""
        return None

    @abstractmethod
    def generate(self, request: GenerationRequest) -> RawOutput:
        """Return the model's raw answer; raise BackendUnavailable on transport failure."""

    async def agenerate(self, request: GenerationRequest) -> RawOutput:
        """Async form; the default runs the sync path in a worker thread so the loop stays free."""
        return await asyncio.to_thread(self.generate, request)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections or model memory."""

    async def aclose(self) -> None:
        """Async form of `close`."""
        self.close()
