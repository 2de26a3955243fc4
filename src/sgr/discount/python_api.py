"""The discount manager from Python: `DiscountManager(directory).decide(customer_id, message)`.

Why a class: a decision reuses open stores, the audit log, the backend and the proven pricing policy;
opening them per call would cost more than the decision. Same agent, same checks and same audit as
`sgr discount ask` and the service.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sgr.core.config import Settings
    from sgr.discount.agent import DiscountAgent, Outcome


class DiscountManager:
    """Decide policy-safe offers; use as a context manager (or call `close`) to release the stores."""

    def __init__(self, directory: str | Path | None = None, *, model: str | None = None,
                 config: str | Path | None = None, settings: Settings | None = None,
                 policy: str | Path | None = None) -> None:
        from sgr.core.config import load_settings
        from sgr.discount.service import open_agent

        settings = settings or load_settings(str(config) if config else None)
        self._agent: DiscountAgent = open_agent(settings, directory=directory, model=model, policy=policy)

    def decide(self, customer_id: str, message: str) -> Outcome:
        """Route the message, ground it in the stores, price within the cap, audit; `Outcome.to_dict()` for JSON.

        Raises the same errors as the CLI (unknown customer, missing stores, an unreachable model with
        on_failure: raise); `ValueError` for an empty or oversized message.
        """
        return self._agent.decide(customer_id, message)

    def audit(self, *, limit: int = 20, customer_id: str | None = None) -> list[dict[str, Any]]:
        """The latest audit rows, newest first."""
        return self._agent.audit.list(limit=limit, customer_id=customer_id)

    def close(self) -> None:
        """Release the stores, the audit log and the backend."""
        from sgr.discount.service import close_agent

        close_agent(self._agent)

    def __enter__(self) -> DiscountManager:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
