"""setup-data: deterministic from the seed, safe to re-run, atomic, WAL hot store, read-only cold store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb
import pytest

from sgr.discount.errors import DiscountError
from sgr.discount.setup_data import STORE_FORMAT, read_manifest, setup_data
from sgr.discount.stores import AUDIT_FILE, COLD_FILE, HOT_FILE


def dump(directory: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every row of both stores, ordered, read with the database engines directly."""
    with sqlite3.connect(directory / HOT_FILE) as hot:
        hot_rows = hot.execute("SELECT * FROM sessions ORDER BY customer_id").fetchall()
    with duckdb.connect(str(directory / COLD_FILE), read_only=True) as cold:
        cold_rows = cold.execute("SELECT * FROM history ORDER BY customer_id").fetchall()
    return hot_rows, cold_rows


def test_same_seed_same_rows_in_different_dirs(tmp_path: Path) -> None:
    setup_data(tmp_path / "a", users=300, seed=11)
    setup_data(tmp_path / "b", users=300, seed=11)
    a, b = dump(tmp_path / "a"), dump(tmp_path / "b")
    assert a == b
    assert len(a[0]) == len(a[1]) == 300


def test_other_seed_other_rows(tmp_path: Path) -> None:
    setup_data(tmp_path / "a", users=100, seed=1)
    setup_data(tmp_path / "b", users=100, seed=2)
    hot_a, cold_a = dump(tmp_path / "a")
    hot_b, cold_b = dump(tmp_path / "b")
    assert [r[0] for r in hot_a] == [r[0] for r in hot_b]  # same ids
    assert hot_a != hot_b and cold_a != cold_b  # different values


def test_values_are_in_domain(tmp_path: Path) -> None:
    setup_data(tmp_path, users=2000, seed=3)
    hot, cold = dump(tmp_path)
    assert {r[3] for r in hot} == {"low", "normal", "overstock"}
    assert all(10 <= r[1] <= 1000 and 5 <= r[2] <= 60 for r in hot)
    assert all(0 <= r[2] <= 1 and 0 <= r[3] <= 365 and r[1] >= 50 for r in cold)
    churn = [r[2] for r in cold]
    assert any(c > 0.7 for c in churn) and any(c < 0.3 for c in churn) and any(0.3 <= c <= 0.7 for c in churn)


def test_rerun_is_idempotent_and_keeps_the_audit_log(tmp_path: Path) -> None:
    setup_data(tmp_path, users=50, seed=5)
    first = dump(tmp_path)
    (tmp_path / AUDIT_FILE).write_bytes(b"kept")  # the audit log is not the stores' to rebuild
    setup_data(tmp_path, users=50, seed=5)
    assert dump(tmp_path) == first
    assert (tmp_path / AUDIT_FILE).read_bytes() == b"kept"
    leftovers = sorted(p.name for p in tmp_path.iterdir() if ".tmp-" in p.name)
    assert leftovers == []
    assert read_manifest(tmp_path) == {"cold": COLD_FILE, "format": STORE_FORMAT, "hot": HOT_FILE,
                                       "seed": 5, "users": 50}


def test_rebuild_with_other_size_replaces_the_stores(tmp_path: Path) -> None:
    setup_data(tmp_path, users=50, seed=5)
    setup_data(tmp_path, users=20, seed=5)
    hot, cold = dump(tmp_path)
    assert len(hot) == len(cold) == 20


def test_hot_store_is_wal(tmp_path: Path) -> None:
    setup_data(tmp_path, users=5, seed=0)
    with sqlite3.connect(tmp_path / HOT_FILE) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_progress_reaches_the_total(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    setup_data(tmp_path, users=120_000, seed=0, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (120_000, 120_000)
    assert len(seen) >= 3  # batches, so a person sees it move
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.parametrize("users", [0, -3, 10_000_000])
def test_user_count_out_of_range(tmp_path: Path, users: int) -> None:
    with pytest.raises(DiscountError, match="--users"):
        setup_data(tmp_path, users=users, seed=0)


def test_unwritable_target_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a dir")
    with pytest.raises(DiscountError, match="cannot create store directory"):
        setup_data(blocker / "sub", users=5, seed=0)
