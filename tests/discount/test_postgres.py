"""The hot store and audit log on a real PostgreSQL: the same decisions as SQLite, idempotent migrations,
COPY loads, unique ids and codes under concurrent writers, and clear errors when the server is not there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from sgr.core.config import ModelEntry, parse_settings
from sgr.core.errors import ConfigError
from sgr.core.llm import get_backend
from sgr.discount.agent import DiscountAgent
from sgr.discount.audit import Audit, AuditRecord, open_audit
from sgr.discount.codes import SECRET_ENV, lookup_key, verify
from sgr.discount.errors import DiscountError, StoreCorrupt, StoreMissing
from sgr.discount.postgres.migrate import applied_migrations, migrate
from sgr.discount.service import DATABASE_ENV, database_dsn
from sgr.discount.setup_data import read_manifest, setup_data
from sgr.discount.sql import migrations
from sgr.discount.stores import HOT_FILE, Stores
from sgr.testing.net import free_port

from .conftest import SEED, USERS

pytestmark = pytest.mark.postgres

KEY = b"a fixed test secret, 32 bytes ok"
#: price questions and chit-chat, for many customers, so both routes and many tiers are exercised
ASKS = [(f"C{n:07d}", msg) for n in range(1, USERS + 1) for msg in (
    "too expensive, any discount? I might cancel",
    "where is my parcel?",
)] + [("C0000005", "coupon?"), ("C0000006", "any deals on this cart please"), ("C0000007", "hi there")]
COMPARED = ("customer_id", "route", "context", "cap", "decision", "customer_message", "clamps", "backend",
            "fallback_used", "audit_id")


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    monkeypatch.delenv(DATABASE_ENV, raising=False)


def connect(dsn: str) -> Any:
    import psycopg

    return psycopg.connect(dsn, autocommit=True)


def agent_for(directory: Path, database: str | None) -> DiscountAgent:
    backend = get_backend(ModelEntry(name="offline", backend="offline"))
    return DiscountAgent(Stores(directory, database=database), open_audit(directory, database=database), backend,
                         secret=KEY)


def run_all(agent: DiscountAgent) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every ask's outcome, and the audit log afterwards (both without timings)."""
    try:
        outcomes = [agent.decide(cid, msg) for cid, msg in ASKS]
        rows = agent.audit.list(limit=1000)
    finally:
        agent.audit.close()
        agent.stores.close()
    shown = [{k: v for k, v in out.to_dict().items() if k in COMPARED} for out in outcomes]
    return shown, [{k: v for k, v in row.items() if k not in ("ts", "latency_s")} for row in rows]


# --- same answers as SQLite ----------------------------------------------------------------------------

def test_postgres_gives_the_same_decisions_and_audit_as_sqlite(tmp_path: Path, pg_database: str) -> None:
    lite, pg = tmp_path / "lite", tmp_path / "pg"
    setup_data(lite, users=USERS, seed=SEED)
    setup_data(pg, users=USERS, seed=SEED, database=pg_database)
    assert not (pg / HOT_FILE).exists()  # the hot rows went to PostgreSQL only
    lite_out, lite_rows = run_all(agent_for(lite, None))
    pg_out, pg_rows = run_all(agent_for(pg, pg_database))
    assert pg_out == lite_out
    assert pg_rows == lite_rows
    codes = [o["decision"]["offer_code"] for o in pg_out if o["decision"] and o["decision"]["offer_code"]]
    assert len(codes) >= USERS // 2 and len(set(codes)) == len(codes)


def test_setup_data_copies_the_same_rows_as_sqlite(tmp_path: Path, pg_database: str) -> None:
    import sqlite3

    setup_data(tmp_path / "lite", users=500, seed=3)
    seen: list[tuple[int, int]] = []
    result = setup_data(tmp_path / "pg", users=500, seed=3, database=pg_database,
                        progress=lambda done, total: seen.append((done, total)))
    with sqlite3.connect(tmp_path / "lite" / HOT_FILE) as lite:
        expected = lite.execute("SELECT * FROM sessions ORDER BY customer_id").fetchall()
    with connect(pg_database) as conn:
        got = conn.execute("SELECT * FROM sessions ORDER BY customer_id").fetchall()
    assert got == expected and len(got) == 500
    assert seen[-1] == (500, 500)
    assert result.hot_path is None and result.hot.startswith("postgresql://") and "password" not in result.hot
    assert read_manifest(tmp_path / "pg")["hot"] == result.hot  # type: ignore[index]
    assert not [p.name for p in (tmp_path / "pg").iterdir() if ".tmp-" in p.name]


def test_setup_data_rerun_replaces_rows_and_keeps_the_audit(tmp_path: Path, pg_database: str) -> None:
    setup_data(tmp_path, users=50, seed=1, database=pg_database)
    agent = agent_for(tmp_path, pg_database)
    try:
        first = agent.decide("C0000003", "too expensive, any discount?")
    finally:
        agent.audit.close()
        agent.stores.close()
    setup_data(tmp_path, users=20, seed=2, database=pg_database)
    with connect(pg_database) as conn:
        assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 20
        assert conn.execute("SELECT id FROM audit").fetchall() == [(first.audit_id,)]


def test_verify_reads_codes_from_postgres(tmp_path: Path, pg_database: str) -> None:
    setup_data(tmp_path, users=USERS, seed=SEED, database=pg_database)
    agent = agent_for(tmp_path, pg_database)
    try:
        out = agent.decide("C0000003", "too expensive, any discount? I might cancel")
        assert out.decision is not None and out.decision.offer_code
        verdict = verify(out.decision.offer_code.lower(), key=KEY, audit=agent.audit)
        forged = verify(out.decision.offer_code[:-1] + ("X" if out.decision.offer_code[-1] != "X" else "Y"),
                        key=KEY, audit=agent.audit)
    finally:
        agent.audit.close()
        agent.stores.close()
    assert verdict.issued and verdict.audit_id == out.audit_id and verdict.customer_id == "C0000003"
    assert not forged.issued


# --- migrations ------------------------------------------------------------------------------------------

def test_migrations_apply_once_in_order(pg_database: str) -> None:
    names = [name for name, _ in migrations("postgres")]
    assert names == sorted(names) and all(n[:1] == "m" and n[1:4].isdigit() for n in names)
    with connect(pg_database) as conn:
        assert applied_migrations(conn) == []
        assert migrate(conn, upto=1) == names[:1]
        assert migrate(conn) == names[1:]
        assert migrate(conn) == []
        assert applied_migrations(conn) == names


def test_replicas_starting_together_migrate_exactly_once(pg_database: str) -> None:
    barrier = threading.Barrier(6)

    def start() -> list[str]:
        with connect(pg_database) as conn:
            barrier.wait()
            return migrate(conn)

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: start(), range(6)))
    applied = [name for result in results for name in result]
    assert sorted(applied) == [name for name, _ in migrations("postgres")]


def test_a_failing_migration_changes_nothing(pg_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from sgr.discount.postgres import migrate as migrate_module

    broken = (*migrations("postgres"), ("m999_broken", "CREATE TABLE audit (x int);"))
    monkeypatch.setattr(migrate_module, "migrations", lambda _dialect: broken)
    with connect(pg_database) as conn:
        with pytest.raises(StoreCorrupt, match="migrating"):
            migrate_module.migrate(conn)
        assert applied_migrations(conn) == []
        assert conn.execute("SELECT to_regclass('sessions')").fetchone()[0] is None


# --- the audit log with many writers --------------------------------------------------------------------

def record_for(customer: str, percent: float, cap: float | None = 10.0) -> AuditRecord:
    return AuditRecord(ts="2026-01-01T00:00:00.000+00:00", customer_id=customer, message="deal?",
                       route="fetch_user_features", inputs={}, reasoning={},
                       decision={"max_discount_percent": percent}, cap_percent=cap, cap_rules=[], clamps=[],
                       backend="test", fallback_used=False, latency_s=0.0)


def test_concurrent_writers_on_two_pools_never_share_an_id_or_a_code(tmp_path: Path, pg_database: str) -> None:
    logs: list[Audit] = [open_audit(tmp_path, database=pg_database), open_audit(tmp_path, database=pg_database)]

    def write(i: int) -> int:
        log = logs[i % 2]
        audit_id = log.reserve()
        return log.record(record_for(f"C{i:07d}", 5.0), audit_id=audit_id, code_lookup=lookup_key(f"CODE-{audit_id}"))

    try:
        with ThreadPoolExecutor(12) as pool:
            ids = list(pool.map(write, range(600)))
    finally:
        for log in logs:
            log.close()
    assert len(set(ids)) == 600
    with connect(pg_database) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT id) FROM audit").fetchone() == (600, 600)
        assert conn.execute("SELECT count(*), count(DISTINCT audit_id) FROM offer_codes").fetchone() == (600, 600)


def test_a_retried_write_is_not_duplicated(tmp_path: Path, pg_database: str) -> None:
    log = open_audit(tmp_path, database=pg_database)
    try:
        rec = record_for("C0000001", 5.0)
        audit_id = log.reserve()
        assert log.record(rec, audit_id=audit_id, code_lookup="k1") == audit_id
        # the same decision again: what a retry sends after a commit whose acknowledgement was lost
        assert log.record(rec, audit_id=audit_id, code_lookup="k1") == audit_id
        with pytest.raises(StoreCorrupt, match="another decision"):
            log.record(replace(rec, customer_id="C0000002"), audit_id=audit_id)
        assert [r["id"] for r in log.list()] == [audit_id]
    finally:
        log.close()


def test_the_database_refuses_an_offer_above_its_cap(tmp_path: Path, pg_database: str) -> None:
    log = open_audit(tmp_path, database=pg_database)
    try:
        with pytest.raises(StoreCorrupt, match="audit_offer_within_cap"):
            log.record(record_for("C0000001", 12.5, cap=10.0), audit_id=log.reserve(), code_lookup="k")
        assert log.find_code("k") is None and log.list() == []  # neither the row nor its code
    finally:
        log.close()


# --- configuration and errors ----------------------------------------------------------------------------

def test_database_dsn_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = parse_settings("discount:\n  database: postgresql://cfg@127.0.0.1:1/db\n")
    assert database_dsn(parse_settings("")) is None
    assert database_dsn(settings) == "postgresql://cfg@127.0.0.1:1/db"
    monkeypatch.setenv(DATABASE_ENV, "postgresql://env@127.0.0.1:1/db")
    assert database_dsn(settings) == "postgresql://env@127.0.0.1:1/db"
    assert database_dsn(settings, "postgres://flag@h/db") == "postgres://flag@h/db"
    with pytest.raises(ConfigError, match=r"discount\.database"):
        parse_settings("discount:\n  database: mysql://x/y\n")
    monkeypatch.setenv(DATABASE_ENV, "sqlite:///tmp/x.db")
    with pytest.raises(ConfigError, match="not a PostgreSQL DSN"):
        database_dsn(settings)


def test_unreachable_server_is_store_missing_without_the_password(tmp_path: Path) -> None:
    dsn = f"postgresql://app:hunter2secret@127.0.0.1:{free_port()}/shop"
    with pytest.raises(StoreMissing, match="unreachable") as info:
        open_audit(tmp_path, database=dsn)
    assert "hunter2secret" not in str(info.value) and "127.0.0.1" in str(info.value)


def test_hot_store_before_setup_data_says_what_to_run(tmp_path: Path, pg_database: str) -> None:
    with pytest.raises(StoreMissing, match="setup-data"):
        Stores(tmp_path, database=pg_database)


def test_listing_an_audit_that_was_never_created(tmp_path: Path, pg_database: str) -> None:
    with pytest.raises(DiscountError, match="no audit log"):
        open_audit(tmp_path, database=pg_database, create=False)


def test_cli_round_trip_on_postgres(tmp_path: Path, pg_database: str) -> None:
    env = {**os.environ, "SGR_CONFIG": "", "NO_COLOR": "1", DATABASE_ENV: pg_database}
    env.pop(SECRET_ENV, None)

    def sgr(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "sgr.cli", *args], capture_output=True, text=True, timeout=120,
                              env=env)

    d = str(tmp_path / "s")
    built = sgr("discount", "setup-data", "--users", "25", "--seed", "3", "--dir", d)
    assert built.returncode == 0, built.stderr
    assert "hot postgresql://postgres@127.0.0.1" in built.stdout
    asked = sgr("discount", "ask", "C0000007", "too expensive, any coupon?", "--dir", d, "--json")
    assert asked.returncode == 0, asked.stderr
    out = json.loads(asked.stdout)
    listed = sgr("discount", "audit", "--dir", d, "--json")
    assert listed.returncode == 0, listed.stderr
    assert [r["id"] for r in json.loads(listed.stdout)] == [out["audit_id"]]
    checked = sgr("discount", "verify", out["decision"]["offer_code"], "--dir", d, "--json")
    assert checked.returncode == 0 and json.loads(checked.stdout)["issued"], checked.stderr



def test_lookups_and_writes_survive_dropped_connections(tmp_path: Path, pg_database: str) -> None:
    setup_data(tmp_path, users=USERS, seed=SEED, database=pg_database)
    agent = agent_for(tmp_path, pg_database)
    try:
        before = [agent.decide(f"C{n:07d}", "any discount?").audit_id for n in range(1, 6)]
        with connect(pg_database) as admin:  # what a server restart or failover does to every pooled connection
            killed = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                   "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]
        assert killed >= 2  # at least the hot store's and the audit log's
        after = [agent.decide(f"C{n:07d}", "any discount?").audit_id for n in range(1, 6)]
        rows = agent.audit.list(limit=100)
    finally:
        agent.audit.close()
        agent.stores.close()
    assert sorted(r["id"] for r in rows) == sorted(before + after) and len(set(before + after)) == 10


# --- the throw-away server the tests use (sgr.testing.postgres_server) -----------------------------------

def test_the_test_server_is_loopback_only_not_root_and_leaves_nothing(postgres_dsn: str) -> None:
    from sgr.testing.postgres_server import PostgresServer, create_database, with_database

    with PostgresServer() as server:
        root = server.root
        assert root is not None and root.is_dir()
        with connect(server.dsn) as conn:
            listen, socket_dir = (conn.execute(f"SHOW {name}").fetchone()[0]
                                  for name in ("listen_addresses", "unix_socket_directories"))
            owner = conn.execute("SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_database "
                                 "WHERE datname = 'postgres'").fetchone()[0]
        assert listen == "127.0.0.1" and socket_dir == str(root) and owner == "postgres"
        assert root.stat().st_uid != 0 or os.geteuid() != 0  # as root, the cluster belongs to `postgres`
        assert create_database(server.dsn, "extra") == with_database(server.dsn, "extra")
        port = server.port
    assert not root.exists()
    import psycopg

    with pytest.raises(psycopg.OperationalError):  # nothing listens there any more
        connect(f"postgresql://postgres@127.0.0.1:{port}/postgres").close()
