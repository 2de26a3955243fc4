"""A scripted backend: returns queued answers in order. It replaces the *model*, not an HTTP client,
so the port's parsing, validation and repair loop run for real; HTTP behaviour is tested against real
servers in test_openai_compat.py."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, ClassVar

from sgr.core.errors import BackendUnavailable
from sgr.core.llm.base import Backend, GenerationRequest, RawOutput


class ScriptedBackend(Backend):
    kind: ClassVar[str] = "scripted"

    def __init__(self, answers: Iterable[str | dict[str, Any] | RawOutput | Exception], name: str = "scripted") -> None:
        super().__init__(name)
        self.queue = list(answers)
        self.requests: list[GenerationRequest] = []

    def generate(self, request: GenerationRequest) -> RawOutput:
        self.requests.append(request)
        if not self.queue:
            raise BackendUnavailable("scripted backend ran out of answers")
        item = self.queue.pop(0)
        if isinstance(item, Exception):
            raise item
        if isinstance(item, RawOutput):
            return item
        if isinstance(item, dict):  # an answer object, sent as the JSON a model would write
            item = json.dumps(item)
        return RawOutput(text=item, finish_reason="stop", prompt_tokens=10, completion_tokens=5, dialect="scripted")
