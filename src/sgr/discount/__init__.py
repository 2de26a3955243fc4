"""Discount manager: a customer's message in, a routed, grounded, policy-safe and audited offer out.

Flow: `route` (price talk or not) -> `stores` (hot SQLite + cold DuckDB context) -> `policy` (the cap, from
the YAML pricing policy that `policy_check` proved safe when it was loaded) -> `price` (SGR step bounded by
the cap, then `finalize`: clamps, keyed offer code from `codes`, vetted message) -> `audit` (committed
before the answer). Surfaces: `cli` (`sgr discount ...`, `policy_cli`), `api` (router mounted by `sgr.api`)
and `python_api` (`DiscountManager`).
"""

from sgr.discount.python_api import DiscountManager

__all__ = ["DiscountManager"]
