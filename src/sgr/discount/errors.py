"""Discount-specific errors, each with its own exit code so scripts can tell the cases apart.

Exit codes 11-16, unique across both agents (`sgr.error_table` is the one table; a test keeps these equal):
 11  customer not found in either store
 12  a store file is missing (run `sgr discount setup-data`)
 13  a store file exists but is unreadable or lacks the expected tables
 14  the customer is in one store only (the stores are out of step)
 15  the pricing policy is refused: invalid, or some input could get an offer above a ceiling
 16  `sgr discount verify`: the offer code was not issued by this service
"""

from __future__ import annotations

from sgr.core.errors import SGRError


class DiscountError(SGRError):
    """Base for discount-manager errors a person may see."""


class CustomerNotFound(DiscountError):
    """Neither store knows the customer: we refuse to invent numbers for them."""

    exit_code = 11


class StoreMissing(DiscountError):
    """A store file does not exist yet."""

    exit_code = 12


class StoreCorrupt(DiscountError):
    """A store file exists but cannot be read as the expected database."""

    exit_code = 13


class CustomerIncomplete(DiscountError):
    """The customer exists in one store only, so the context would be half invented."""

    exit_code = 14


class PolicyRejected(DiscountError):
    """The pricing policy is malformed or could exceed a ceiling: nothing is priced with it."""

    exit_code = 15


class CodeNotIssued(DiscountError):
    """An offer code that no audited decision issued (unknown, altered, forged, or another secret)."""

    exit_code = 16
