"""The offline backend: no model at all. Steps see `is_offline` and answer with their deterministic path.

It is a registered backend like any other (not an `if offline:` branch) so surfaces treat every model
entry the same way.
"""

from __future__ import annotations

from typing import ClassVar

from sgr.core.errors import NoModelError
from sgr.core.llm.base import Backend, GenerationRequest, RawOutput


class OfflineBackend(Backend):
    """Answers nothing; its presence tells steps to use their deterministic fallback."""

    kind: ClassVar[str] = "offline"
    supports_schema: ClassVar[bool] = False
    is_offline: ClassVar[bool] = True

    def generate(self, request: GenerationRequest) -> RawOutput:
        raise NoModelError(
            f"model entry {self.name!r} is offline: it has no model to ask; use the step's deterministic path"
        )
