"""Discount fixtures: real stores built by `setup_data` in tmp dirs (small, so each test builds its own)."""

from __future__ import annotations

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
