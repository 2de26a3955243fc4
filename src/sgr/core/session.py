"""A session: the settings, one model entry, its backend, its step policy and an event bus, built once.

Why: every command used to load the settings and build a backend on its own, and each agent grew its own
way of doing so. A surface now opens one `Session` and hands it to an agent's facade; the agents' verbs
take what they need from it, and observers (run folder, audit, progress, call log) subscribe to its bus.

    with Session.open(config, model="phi-4-mini-vllm") as session:
        ...  # the bus is bound: steps run inside publish here; the backend closes on exit
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING

from sgr.core.config import ModelEntry, Settings, load_settings
from sgr.core.events import EventBus, bind, new_bus
from sgr.core.step import StepPolicy, policy_from_entry

if TYPE_CHECKING:
    from sgr.core.llm.base import Backend


class Session:
    """Settings + model entry + (lazily built) backend + step policy + event bus; closes what it opened.

    The backend is built on first use, so a command that fails on its input (a missing file) never
    starts a model, and so opening a session costs nothing until a decision is made.
    """

    def __init__(self, settings: Settings, entry: ModelEntry, *, bus: EventBus | None = None,
                 backend: Backend | None = None) -> None:
        self.settings = settings
        self.entry = entry
        self.bus = bus or new_bus()
        self._backend = backend
        self._owns_backend = backend is None
        self._bound: contextlib.ExitStack | None = None

    @classmethod
    def open(cls, config: str | os.PathLike[str] | Settings | None = None, model: str | None = None, *,
             bus: EventBus | None = None) -> Session:
        """A session for model entry `model` (the default when None) of `config`.

        Parameters
        ----------
        config:
            Loaded `Settings`, a config file path, or None ($SGR_CONFIG, ./config.yaml, the embedded default).
        model:
            The model entry's name.
        bus:
            An event bus to publish on (default: a new one with the call log attached).

        Raises
        ------
        ConfigError
            The config cannot be read, or names no such model entry.
        """
        settings = config if isinstance(config, Settings) else load_settings(config)
        return cls(settings, settings.entry(model), bus=bus)

    @property
    def backend(self) -> Backend:
        """The entry's backend, built on first use and reused for every later call of this session."""
        if self._backend is None:
            from sgr.core.llm import get_backend

            self._backend = get_backend(self.entry)
        return self._backend

    @property
    def built_backend(self) -> Backend | None:
        """The backend if it was built already (for closing without building one)."""
        return self._backend

    @property
    def policy(self) -> StepPolicy:
        """A fresh step policy from the entry (callers may adjust their copy: a run's seed, a deadline)."""
        return policy_from_entry(self.entry)

    def seeded_policy(self, seed: int) -> StepPolicy:
        """The policy with the run's `seed`, unless the entry turned seeding off (`seed: null`)."""
        policy = self.policy
        return dataclasses.replace(policy, seed=seed) if self.entry.seed is not None else policy

    @contextlib.contextmanager
    def bound(self) -> Iterator[Session]:
        """Bind the bus for a block without closing anything at its end (for a verb called on its own)."""
        with bind(self.bus):
            yield self

    def close(self) -> None:
        """Close the backend if this session built it (a borrowed one is its owner's to close)."""
        if self._backend is not None and self._owns_backend:
            self._backend.close()
        self._backend = None

    def __enter__(self) -> Session:
        self._bound = contextlib.ExitStack()
        self._bound.enter_context(bind(self.bus))
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if self._bound is not None:
                self._bound.close()
                self._bound = None
        finally:
            self.close()
