"""Opening what a decision needs (settings -> stores, audit log, backend, step policy, pricing policy,
offer-code secret) in one place.

The CLI, the HTTP app, MCP and the benchmark all build their agent here (`build_agent`, from a `Session`), so
they cannot drift apart.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sgr.core.config import Settings
from sgr.core.errors import ConfigError
from sgr.core.session import Session
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


def build_agent(session: Session, stores: Stores, audit: Audit, *, pricing: PolicySpec, secret: bytes) -> DiscountAgent:
    """The one place an agent is assembled: the session's backend, step policy, decision timeout and bus."""
    return DiscountAgent(stores, audit, session.backend, session.policy, pricing=pricing, secret=secret,
                         decision_timeout=session.settings.discount.decision_timeout, bus=session.bus)


def open_agent(session: Session | Settings, *, directory: str | Path | None = None, model: str | None = None,
               policy: str | Path | None = None, on_secret: Callable[[Secret], None] | None = None) -> DiscountAgent:
    """An agent over the stores in `directory`, deciding with the session's model.

    Given `Settings` instead of a session (older callers), a session for entry `model` is opened and
    `close_agent` closes it. The pricing policy is loaded (and proven) first, so a bad policy fails before
    any store is opened; `on_secret` hears where the offer-code key came from (the CLI says so when it was
    just generated).
    """
    owned = not isinstance(session, Session)
    if isinstance(session, Session):
        if model is not None and model != session.entry.name:
            raise ConfigError(f"open_agent: model {model!r} differs from the session's entry {session.entry.name!r}")
    else:
        session = Session.open(session, model)
    settings = session.settings
    pricing = pricing_policy(settings, policy)
    database = database_dsn(settings)
    stores = Stores(store_dir(settings, directory), database=database)
    audit: Audit | None = None
    try:
        audit = open_audit(stores.dir, database=database)
        secret = offer_secret(settings, stores.dir)
        agent = build_agent(session, stores, audit, pricing=pricing, secret=secret.key)
    except Exception:
        if audit is not None:
            audit.close()
        stores.close()
        if owned:
            session.close()
        raise
    if owned:
        agent.owned_session = session
    if on_secret is not None:
        on_secret(secret)
    return agent


def close_agent(agent: DiscountAgent) -> None:
    """Release stores and audit log, and the session (backend) if `open_agent` opened it."""
    owned, agent.owned_session = agent.owned_session, None
    try:
        if owned is not None:
            owned.close()
    finally:
        agent.audit.close()
        agent.stores.close()
