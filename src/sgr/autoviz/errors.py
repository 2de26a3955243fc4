"""Errors the AutoViz agent raises on purpose, each with an exit code a person can act on.

Bad data and bad plans are different failures: the first is the user's file (fix the file, exit 5),
the second is a plan the agent cannot execute (exit 1). Both print one line, never a traceback.
"""

from __future__ import annotations

from sgr.core.errors import SGRError


class DataError(SGRError):
    """The data cannot be used: missing, empty, header-only, undecodable or of an unsupported format."""

    exit_code = 5


class PlanError(SGRError):
    """A plan cannot run: unknown tool, unresolvable or invalid parameter, unfixable coverage gap."""

    exit_code = 1


class UnknownToolError(PlanError):
    """A plan names a tool the registry does not know; the message lists the known ones."""


class UsageError(SGRError):
    """The call itself is wrong (empty question, output path is a file)."""

    exit_code = 2
