"""Stores: merged context, and a specific error for every way the data can be missing or broken."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import duckdb
import pytest

from sgr.discount.errors import CustomerIncomplete, CustomerNotFound, StoreCorrupt, StoreMissing
from sgr.discount.sql import queries
from sgr.discount.stores import COLD_FILE, HOT_FILE, Stores


def test_context_merges_hot_and_cold(store_dir: Path) -> None:
    with sqlite3.connect(store_dir / HOT_FILE) as hot:
        expected_hot = hot.execute("SELECT * FROM sessions WHERE customer_id = 'C0000003'").fetchone()
    with duckdb.connect(str(store_dir / COLD_FILE), read_only=True) as cold:
        expected_cold = cold.execute("SELECT * FROM history WHERE customer_id = 'C0000003'").fetchone()
    with Stores(store_dir) as stores:
        ctx = stores.context("C0000003")
    assert (ctx.customer_id, ctx.cart_value, ctx.profit_margin, ctx.inventory_status) == expected_hot
    assert (ctx.customer_id, ctx.lifetime_value, ctx.churn_probability,
            ctx.days_since_last_order) == expected_cold


def test_unknown_customer(store_dir: Path) -> None:
    with Stores(store_dir) as stores, pytest.raises(CustomerNotFound, match="C9999999"):
        stores.context("C9999999")


def test_queries_are_parameterised(store_dir: Path) -> None:
    assert all("?" in queries("sqlite")[name] for name in ("hot_lookup", "hot_insert", "audit_insert"))
    assert "?" in queries("duckdb")["cold_lookup"]
    assert all("%s" in queries("postgres")[name] for name in ("hot_lookup", "audit_code_insert", "audit_by_code"))
    with Stores(store_dir) as stores, pytest.raises(CustomerNotFound):
        stores.context("C0000001' OR '1'='1")


def test_missing_directory_says_to_run_setup(tmp_path: Path) -> None:
    with pytest.raises(StoreMissing, match="sgr discount setup-data"):
        Stores(tmp_path / "nothing")


def test_missing_cold_store(store_dir: Path) -> None:
    (store_dir / COLD_FILE).unlink()
    with pytest.raises(StoreMissing, match="cold store"):
        Stores(store_dir)


@pytest.mark.parametrize("name", [HOT_FILE, COLD_FILE])
def test_garbage_file_is_corrupt(store_dir: Path, name: str) -> None:
    (store_dir / name).write_bytes(b"this is not a database at all" * 100)
    for side in store_dir.glob(f"{name}*"):
        if side.name != name:
            side.unlink()
    with pytest.raises(StoreCorrupt, match="not a readable"):
        Stores(store_dir)


def test_hot_store_without_table_is_corrupt(store_dir: Path) -> None:
    with sqlite3.connect(store_dir / HOT_FILE) as conn:
        conn.execute("DROP TABLE sessions")
    with pytest.raises(StoreCorrupt, match="hot store"):
        Stores(store_dir)


def test_customer_in_cold_store_only(store_dir: Path) -> None:
    with sqlite3.connect(store_dir / HOT_FILE) as conn:
        conn.execute("DELETE FROM sessions WHERE customer_id = 'C0000002'")
    with Stores(store_dir) as stores, pytest.raises(CustomerIncomplete, match="not the hot"):
        stores.context("C0000002")


def test_customer_in_hot_store_only(store_dir: Path) -> None:
    with duckdb.connect(str(store_dir / COLD_FILE)) as conn:
        conn.execute("DELETE FROM history WHERE customer_id = 'C0000004'")
    with Stores(store_dir) as stores, pytest.raises(CustomerIncomplete, match="not the cold"):
        stores.context("C0000004")


def test_cold_store_is_read_only(store_dir: Path) -> None:
    with Stores(store_dir) as stores, pytest.raises(duckdb.Error, match="read-only"):
        stores.cold._cursor().execute("DELETE FROM history")


def test_hot_store_connection_refuses_writes(store_dir: Path) -> None:
    with Stores(store_dir) as stores, pytest.raises(sqlite3.OperationalError):
        stores.hot._conn().execute("DELETE FROM sessions")


def test_threads_share_the_stores(store_dir: Path) -> None:
    """One Stores object serves many threads (one connection/cursor each), as the service does."""
    errors: list[BaseException] = []
    results: dict[int, float] = {}
    with Stores(store_dir) as stores:
        expected = {i: stores.context(f"C{i:07d}").churn_probability for i in range(1, 21)}

        def work(i: int) -> None:
            try:
                for _ in range(20):
                    results[i] = stores.context(f"C{i:07d}").churn_probability
            except BaseException as exc:  # collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(1, 21)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(stores.hot._all) >= 2
    assert errors == []
    assert results == expected
