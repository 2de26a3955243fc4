"""The one table of known errors: for each, its exit code (CLI, unique across both agents), its HTTP status
(service) and what a person should do. The CLI, the HTTP service and `docs/cli.md` all read it.

Why one table: exit codes used to collide (5 meant bad data in AutoViz and an unknown customer in the
discount manager; 6 a partial answer and a missing store), and three HTTP mappings disagreed. Shared
codes 1-4 mean the same for every agent; AutoViz owns 5-6, the discount manager 11-16. Rows are matched
most specific first, so a subclass may have its own row.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class KnownError:
    """One row: the error class (dotted path, imported on first use) and what it means outside Python."""

    path: str
    exit_code: int
    http_status: int
    meaning: str

    @property
    def name(self) -> str:
        """The class name, as it appears in JSON error bodies (`"error": name`)."""
        return self.path.rsplit(".", 1)[1]


#: most specific first; `SGRError` (1 / 500) is the catch-all
ROWS: tuple[KnownError, ...] = (
    KnownError("sgr.discount.errors.CustomerNotFound", 11, 404, "the customer is in neither store"),
    KnownError("sgr.discount.errors.StoreMissing", 12, 503, "a store file is missing: run `sgr discount setup-data`"),
    KnownError("sgr.discount.errors.StoreCorrupt", 13, 503, "a store or the audit log exists but cannot be read"),
    KnownError("sgr.discount.errors.CustomerIncomplete", 14, 409, "the customer is in one store only (out of step)"),
    KnownError("sgr.discount.errors.PolicyRejected", 15, 500,
               "the pricing policy is malformed or could exceed a ceiling: nothing is priced with it"),
    KnownError("sgr.discount.errors.CodeNotIssued", 16, 404, "`verify`: no audited decision issued this code"),
    KnownError("sgr.autoviz.errors.DataError", 5, 422,
               "the data cannot be used: missing, empty, header-only, undecodable, unsupported"),
    KnownError("sgr.autoviz.errors.UsageError", 2, 400, "the call is wrong: empty question, output path is a file"),
    KnownError("sgr.core.errors.UnknownModelEntry", 2, 404, "a request names a model entry the config lacks"),
    KnownError("sgr.core.errors.ConfigError", 2, 400, "bad configuration or usage: unknown model entry, bad value"),
    KnownError("sgr.core.errors.UnknownBackendError", 2, 400, "a model entry names a backend that does not exist"),
    KnownError("sgr.core.errors.ContractError", 2, 500, "a contract is not bounded (a bug in a step)"),
    KnownError("sgr.core.errors.BackendUnavailable", 3, 502,
               "the model cannot be reached or ran out of time (with on_failure: raise)"),
    KnownError("sgr.core.errors.RetriesExhausted", 4, 502,
               "the model gave no valid answer after repairs (with on_failure: raise)"),
    KnownError("sgr.autoviz.errors.PlanError", 1, 500, "a plan cannot run"),
    KnownError("sgr.core.errors.SGRError", 1, 500, "any other known error"),
)
#: exit codes that are results, not errors
RESULT_CODES: dict[int, str] = {0: "success", 6: "AutoViz: partial answer, the question names columns the data lacks"}


@lru_cache(maxsize=1)
def _classes() -> tuple[tuple[type[BaseException], KnownError], ...]:
    import importlib

    out = []
    for row in ROWS:
        module, _, name = row.path.rpartition(".")
        out.append((getattr(importlib.import_module(module), name), row))
    return tuple(out)


def lookup(exc: BaseException) -> KnownError | None:
    """The most specific row for this error, or None when it is not a known (SGRError) error."""
    return next((row for cls, row in _classes() if isinstance(exc, cls)), None)


def exit_code(exc: BaseException) -> int:
    """The process exit code for an error (1 for anything not in the table)."""
    row = lookup(exc)
    return row.exit_code if row else 1


def http_status(exc: BaseException) -> int:
    """The HTTP status for an error (500 for anything not in the table)."""
    row = lookup(exc)
    return row.http_status if row else 500


def markdown() -> str:
    """The table for people (docs/cli.md)."""
    lines = ["| exit | HTTP | error | meaning |", "|---|---|---|---|"]
    lines += [f"| {code} | | (result) | {text} |" for code, text in sorted(RESULT_CODES.items())]
    lines += [f"| {r.exit_code} | {r.http_status} | `{r.name}` | {r.meaning} |"
              for r in sorted(ROWS, key=lambda r: (r.exit_code, r.name))]
    return "\n".join(lines)
