"""Discount fixtures: real stores built by `setup_data` in tmp dirs (small, so each test builds its own)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from sgr.discount.setup_data import setup_data

USERS = 40
SEED = 7


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """Fresh stores with USERS customers from SEED."""
    out = tmp_path / "stores"
    setup_data(out, users=USERS, seed=SEED)
    return out


_DATABASES = itertools.count(1)


@pytest.fixture
def pg_database(postgres_dsn: str, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database on the session's PostgreSQL, so each test starts from nothing."""
    from sgr.testing.postgres_server import create_database

    name = re.sub(r"\W", "_", request.node.name.lower())[:40]
    return create_database(postgres_dsn, f"t{next(_DATABASES)}_{name}")
