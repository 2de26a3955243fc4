"""Errors the core raises, so surfaces can turn each into a readable message and exit code.

Every error a person may see derives from `SGRError`; the CLI prints `str(err)` and exits non-zero
instead of showing a traceback (set SGR_RAISE_ERRORS=1 to see the traceback).
"""

from __future__ import annotations

from typing import Any


class SGRError(Exception):
    """Base of every error the project raises on purpose."""

    exit_code: int = 1


class ConfigError(SGRError):
    """The config file is missing, malformed, or names something that does not exist."""

    exit_code = 2


class UnknownModelEntry(ConfigError):
    """A request names a model entry the config does not have: over HTTP a 404 (the entry is the resource
    asked for), on the command line a usage error like any other bad option."""


class UnknownBackendError(SGRError, KeyError):
    """A model entry names a backend kind nobody registered."""

    exit_code = 2

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "unknown backend"


class BackendUnavailable(SGRError):
    """The model cannot be reached (server down, timeouts, repeated 5xx, model dir missing).

    Transport problems are not repairable by re-asking, so they propagate at once; the step then uses
    its deterministic fallback when the entry allows it.
    """

    exit_code = 3


class NoModelError(SGRError):
    """The offline backend was asked to generate: the caller must use its deterministic path."""


class SchemaViolation(SGRError):
    """The model's answer does not parse, is truncated, or breaks the schema or a semantic check.

    This is the only error the repair loop retries on.
    """

    def __init__(self, message: str, *, raw: str | None = None, kind: str = "schema") -> None:
        super().__init__(message)
        self.raw = raw
        self.kind = kind  # "json" | "schema" | "truncated" | "semantic"


class RetriesExhausted(SGRError):
    """Every attempt violated the contract; carries each attempt so the caller can show them."""

    exit_code = 4

    def __init__(self, message: str, *, attempts: list[dict[str, Any]], last_raw: str | None) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.last_raw = last_raw


class ContractError(SGRError):
    """A schema is not bounded or not compilable, so constrained decoding may never terminate."""

    exit_code = 2
