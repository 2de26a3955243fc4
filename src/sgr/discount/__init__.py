"""Discount manager: a customer's message in, a routed, grounded, policy-safe and audited offer out.

Flow: `route` (price talk or not) -> `stores` (hot SQLite + cold DuckDB context) -> `policy` (the cap, as
code) -> `price` (SGR step bounded by the cap, then `finalize`: clamps, derived offer code, vetted
message) -> `audit`. Surfaces: `cli` (`sgr discount ...`) and `api` (router mounted by `sgr.api`).
"""
