"""Opening what a decision needs (settings -> stores, audit log, backend, step policy, pricing policy,
offer-code secret) in one place.

The CLI, the HTTP app and the benchmark all build their agent here, so they cannot drift apart.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sgr.core.config import Settings
from sgr.core.errors import ConfigError
from sgr.core.llm import get_backend
from sgr.core.step import policy_from_entry
from sgr.discount.agent import DiscountAgent
from sgr.discount.audit import Audit, open_audit
from sgr.discount.codes import Secret, load_secret
from sgr.discount.policy_check import load_policy
from sgr.discount.policy_spec import PolicySpec
from sgr.discount.postgres.pool import is_postgres
from sgr.discount.stores import Stores

DATABASE_ENV = "SGR_DISCOUNT_DATABASE"


def database_dsn(settings: Settings, override: str | None = None) -> str | None:
    """The PostgreSQL DSN for the hot store and audit log (`--database` > $SGR_DISCOUNT_DATABASE >
    `discount.database`), or None for the SQLite files in the store directory.

    The environment can carry the password so the config file need not.
    """
    dsn = override or os.environ.get(DATABASE_ENV) or settings.discount.database
    if dsn and not is_postgres(dsn):
        raise ConfigError(f"discount database {dsn.split('://')[0]}://... is not a PostgreSQL DSN "
                          "(expected postgresql://USER@HOST:PORT/DBNAME)")
    return dsn or None


def store_dir(settings: Settings, override: str | Path | None) -> Path:
    """`--dir` when given, else `discount.dir` from the config."""
    return Path(override or settings.discount.dir).expanduser()


def pricing_policy(settings: Settings, override: str | Path | None = None) -> PolicySpec:
    """`--policy` when given, else `discount.policy`, else the packaged default; proven before it is used."""
    return load_policy(override or settings.discount.policy)


def offer_secret(settings: Settings, directory: Path) -> Secret:
    """The offer-code key for the stores in `directory` ($SGR_DISCOUNT_SECRET > config > generated file)."""
    return load_secret(directory, configured=settings.discount.secret)


def open_agent(settings: Settings, *, directory: str | Path | None = None, model: str | None = None,
               policy: str | Path | None = None, on_secret: Callable[[Secret], None] | None = None) -> DiscountAgent:
    """An agent over the stores in `directory` with the backend of model entry `model`.

    The pricing policy is loaded (and proven) first, so a bad policy fails before any store is opened;
    `on_secret` hears where the offer-code key came from (the CLI says so when it was just generated).
    """
    entry = settings.entry(model)
    pricing = pricing_policy(settings, policy)
    database = database_dsn(settings)
    stores = Stores(store_dir(settings, directory), database=database)
    audit: Audit | None = None
    try:
        audit = open_audit(stores.dir, database=database)
        secret = offer_secret(settings, stores.dir)
        backend = get_backend(entry)
    except Exception:
        if audit is not None:
            audit.close()
        stores.close()
        raise
    if on_secret is not None:
        on_secret(secret)
    return DiscountAgent(stores, audit, backend, policy_from_entry(entry), pricing=pricing, secret=secret.key,
                         decision_timeout=settings.discount.decision_timeout)


def close_agent(agent: DiscountAgent) -> None:
    """Release stores, audit log and backend."""
    agent.backend.close()
    agent.audit.close()
    agent.stores.close()
