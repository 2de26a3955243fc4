"""Load: two real `sgr serve` processes on two ports share one PostgreSQL hot store and audit log.

What replicas must never do, checked from the audit table after thousands of concurrent decisions:
lose one (an answered decision without its row), write one twice, hand two decisions one id or one offer
code, or record an offer above the cap the policy gives that customer's inputs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from sgr.discount.codes import offer_code
from sgr.discount.policy import compute_cap
from sgr.discount.policy_check import default_policy
from sgr.discount.setup_data import setup_data
from sgr.discount.stores import CustomerContext
from sgr.testing.net import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

DECISIONS = 2000
CLIENT_THREADS = 16
USERS = 300
TOKEN = "load-test-token-0123456789abcdef"
SECRET = "load-test-offer-secret-0123456789"
START_TIMEOUT_S = 90.0
#: mostly price questions (they reserve ids, mint codes, write two rows), some chit-chat (one row)
MESSAGES = ("too expensive, any discount?", "I'm going to cancel unless you do better on price", "coupon?",
            "any deals on my cart?", "where is my parcel?")


def start_replica(port: int, config: Path, database: str, home: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SGR_CONFIG": str(config), "SGR_SERVE_TOKEN": TOKEN, "SGR_DISCOUNT_SECRET": SECRET,
           "SGR_DISCOUNT_DATABASE": database, "SGR_LOGS_DB": str(home / f"logs-{port}.db"), "NO_COLOR": "1"}
    log = (home / f"serve-{port}.log").open("wb")
    try:
        return subprocess.Popen([sys.executable, "-m", "sgr.cli", "serve", "--port", str(port)], env=env,
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=home)
    finally:
        log.close()


def wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"replica {url} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"replica {url} did not answer /healthz in {START_TIMEOUT_S:.0f} s")


@pytest.fixture
def replicas(tmp_path: Path, pg_database: str) -> Iterator[list[str]]:
    """Two `sgr serve` processes over the same stores directory settings and the same PostgreSQL."""
    stores = tmp_path / "stores"
    setup_data(stores, users=USERS, seed=11, database=pg_database)
    config = tmp_path / "config.yaml"
    config.write_text(f"default_model: offline\nmodels:\n  offline: {{backend: offline}}\n"
                      f"discount:\n  dir: {stores}\n"
                      f"serve:\n  data_dir: {tmp_path / 'data'}\n  runs_dir: {tmp_path / 'runs'}\n", encoding="utf-8")
    ports = [free_port(), free_port()]
    procs = [start_replica(port, config, pg_database, tmp_path) for port in ports]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, proc, port in zip(urls, procs, ports, strict=True):
            wait_healthy(url, proc, tmp_path / f"serve-{port}.log")
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def audit_rows(dsn: str) -> list[dict[str, Any]]:
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(dsn) as conn, conn.cursor(row_factory=dict_row) as cur:
        return list(cur.execute("SELECT id, customer_id, message, route, inputs, decision, cap_percent "
                                "FROM audit ORDER BY id").fetchall())


def test_two_replicas_lose_and_duplicate_nothing(replicas: list[str], pg_database: str,
                                                 record_property: Any) -> None:
    local = threading.local()

    def client() -> httpx.Client:
        if not hasattr(local, "client"):
            local.client = httpx.Client(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
        return local.client  # type: ignore[no-any-return]

    def decide(i: int) -> tuple[int, str, int, dict[str, Any]]:
        url = replicas[i % 2]
        customer = f"C{1 + (i * 7919) % USERS:07d}"
        message = f"{MESSAGES[i % len(MESSAGES)]} (ticket {i})"  # unique, so every row names its request
        res = client().post(f"{url}/v1/discount/decisions", json={"customer_id": customer, "message": message})
        return i, url, res.status_code, res.json()

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        answers = list(pool.map(decide, range(DECISIONS)))
    wall = time.perf_counter() - started

    failed = [(i, status, body) for i, _, status, body in answers if status != 200]
    assert not failed, failed[:3]
    per_replica = Counter(url for _, url, _, _ in answers)
    assert sorted(per_replica.values()) == [DECISIONS // 2, DECISIONS // 2]
    answered = {body["audit_id"]: (i, body) for i, _, _, body in answers}
    assert len(answered) == DECISIONS, "two answers carry the same audit id"

    rows = audit_rows(pg_database)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == DECISIONS, "audit rows lost or duplicated"
    assert set(ids) == set(answered), "an answered decision has no audit row, or a row no answer"
    tickets = Counter(row["message"].rsplit("(ticket ", 1)[1].rstrip(")") for row in rows)
    assert len(tickets) == DECISIONS and set(tickets.values()) == {1}, "one request written twice"

    policy, key = default_policy(), SECRET.encode("utf-8")
    codes: list[str] = []
    for row in rows:
        i, body = answered[row["id"]]
        assert row["message"].endswith(f"(ticket {i})") and row["customer_id"] == body["customer_id"]
        if row["route"] != "fetch_user_features":
            assert row["cap_percent"] is None and body["decision"] is None
            continue
        percent = float(row["decision"]["max_discount_percent"])
        cap = compute_cap(CustomerContext(**row["inputs"]), policy)
        assert row["cap_percent"] == cap.max_percent, "the cap written is not the policy's cap for these inputs"
        assert 0 <= percent <= cap.max_percent, f"offer {percent}% above its cap {cap.max_percent}%"
        assert row["decision"]["offer_code"] == body["decision"]["offer_code"] == offer_code(
            row["customer_id"], percent, key=key, serial=row["id"])
        if row["decision"]["offer_code"]:
            codes.append(row["decision"]["offer_code"])
    assert len(codes) == len(set(codes)) > DECISIONS // 2, "two decisions share an offer code"

    import psycopg

    with psycopg.connect(pg_database) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT audit_id) FROM offer_codes").fetchone() == (
            len(codes), len(codes))
    rate = DECISIONS / wall
    record_property("decisions_per_s", round(rate, 1))
    print(f"\nload: {DECISIONS} decisions over 2 replicas, {CLIENT_THREADS} client threads: {wall:.1f} s, "
          f"{rate:.0f} decisions/s, {len(codes)} offer codes, 0 lost, 0 duplicated")
