"""Opening what a decision needs (settings -> stores, audit log, backend, step policy) in one place.

The CLI, the HTTP app and the benchmark all build their agent here, so they cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path

from sgr.core.config import Settings
from sgr.core.llm import get_backend
from sgr.core.step import policy_from_entry
from sgr.discount.agent import DiscountAgent
from sgr.discount.audit import AuditLog
from sgr.discount.stores import Stores


def store_dir(settings: Settings, override: str | Path | None) -> Path:
    """`--dir` when given, else `discount.dir` from the config."""
    return Path(override or settings.discount.dir).expanduser()


def open_agent(settings: Settings, *, directory: str | Path | None = None, model: str | None = None) -> DiscountAgent:
    """An agent over the stores in `directory` with the backend of model entry `model`."""
    entry = settings.entry(model)
    stores = Stores(store_dir(settings, directory))
    try:
        audit = AuditLog(stores.dir)
        backend = get_backend(entry)
    except Exception:
        stores.close()
        raise
    return DiscountAgent(stores, audit, backend, policy_from_entry(entry))


def close_agent(agent: DiscountAgent) -> None:
    """Release stores, audit log and backend."""
    agent.backend.close()
    agent.audit.close()
    agent.stores.close()
