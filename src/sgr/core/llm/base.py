"""The backend port: one abstract `generate(request) -> RawOutput` and declared capabilities.

Backends only move text: they do not parse or validate. Parsing, validation and repair live in
`sgr.core.port` so every backend gets exactly the same guarantees.
"""

from __future__ import annotations

import asyncio
import threading
from abc import ABC, abstractmethod
from concurrent.futures import ThreadPoolExecutor
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


_EXECUTOR: ThreadPoolExecutor | None = None
_EXECUTOR_LOCK = threading.Lock()


def model_executor() -> ThreadPoolExecutor:
    """The threads that run blocking model calls (created on first use, shared by every backend)."""
    global _EXECUTOR
    with _EXECUTOR_LOCK:
        if _EXECUTOR is None:
            _EXECUTOR = ThreadPoolExecutor(max_workers=16, thread_name_prefix="sgr-model")
        return _EXECUTOR


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
        """Async form; the default runs the sync path on the model executor so the loop stays free.

        Its own executor, not asyncio's default one: store reads and audit writes use the default, and a
        slow model must not queue them (nor they the model).
        """
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(model_executor(), self.generate, request)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections or model memory."""

    async def aclose(self) -> None:
        """Async form of `close`."""
        self.close()
