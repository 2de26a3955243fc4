"""Backend registry: model entries name a backend kind; `get_backend(entry)` builds it.

Built-in kinds register through the same `register_backend` call a plugin would use, so nothing in the
surfaces special-cases a backend. Heavy imports (httpx clients, torch, xgrammar) happen inside the
factories, never at import time.
"""

from __future__ import annotations

from collections.abc import Callable

from sgr.core.config import ModelEntry
from sgr.core.errors import UnknownBackendError
from sgr.core.llm.base import Backend, GenerationRequest, RawOutput

BackendFactory = Callable[[ModelEntry], Backend]
_REGISTRY: dict[str, BackendFactory] = {}


def register_backend(kind: str, factory: BackendFactory) -> None:
    """Make `backend: <kind>` usable in config files."""
    _REGISTRY[kind] = factory


def backend_kinds() -> list[str]:
    """Every registered kind, for help texts and errors."""
    _ensure_builtins()
    return sorted(_REGISTRY)


def get_backend(entry: ModelEntry) -> Backend:
    """Build the backend a model entry describes; UnknownBackendError names the missing kind."""
    _ensure_builtins()
    try:
        factory = _REGISTRY[entry.backend]
    except KeyError:
        raise UnknownBackendError(
            f"model {entry.name!r} uses backend {entry.backend!r}, which is not registered; "
            f"known: {sorted(_REGISTRY)}"
        ) from None
    return factory(entry)


def _offline(entry: ModelEntry) -> Backend:
    from sgr.core.llm.offline import OfflineBackend

    return OfflineBackend(entry.name)


def _openai(entry: ModelEntry) -> Backend:
    """One server, or the replicas of `urls:` behind one router (same backend kinds, same port)."""
    if len(entry.replica_urls) > 1:
        from sgr.core.llm.replicas import ReplicatedBackend

        return ReplicatedBackend.from_entry(entry)
    from sgr.core.llm.openai_compat import OpenAICompatBackend

    return OpenAICompatBackend.from_entry(entry)


def _local(entry: ModelEntry) -> Backend:
    from sgr.core.llm.local import LocalBackend

    return LocalBackend.from_entry(entry)


DEFAULT_BACKENDS: dict[str, BackendFactory] = {
    "offline": _offline,
    "vllm": _openai,
    "openai": _openai,
    "llamacpp": _openai,
    "ollama": _openai,
    "sglang": _openai,
    "tgi": _openai,
    "local": _local,
}


def _ensure_builtins() -> None:
    for kind, factory in DEFAULT_BACKENDS.items():
        _REGISTRY.setdefault(kind, factory)


__all__ = [
    "Backend",
    "GenerationRequest",
    "RawOutput",
    "backend_kinds",
    "get_backend",
    "register_backend",
]
