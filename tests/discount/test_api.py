"""The HTTP service: status codes for every error, size limits, audit, docs, real sockets, concurrency."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from sgr.api import create_app
from sgr.core.config import Settings, parse_settings
from sgr.discount.stores import HOT_FILE
from sgr.testing.net import LiveServer

from .conftest import USERS
from .hostile_server import HostileModelServer
from .safety import unbacked

OFFLINE = "default_model: offline\nmodels:\n  offline: {backend: offline}\n"


#: the service never runs open; "test" is the Host the in-process transport sends
TOKEN = "discount-test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def settings(store_dir: Path, extra: str = "", max_bytes: int = 4096) -> Settings:
    # runs and data under the test's folder: never the checkout's `.sgr/runs`, which every test would share
    return parse_settings(f"{OFFLINE}{extra}discount:\n  dir: {store_dir}\nserve:\n  max_request_bytes: {max_bytes}\n"
                          f"  token: {TOKEN}\n  allowed_hosts: [test]\n  runs_dir: {store_dir.parent / 'runs'}\n"
                          f"  data_dir: {store_dir.parent / 'data'}\n")


@pytest.fixture
async def client(store_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings(store_dir))
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test", headers=AUTH
    ) as c:
        yield c


async def test_decision_and_audit(client: httpx.AsyncClient) -> None:
    res = await client.post("/v1/discount/decisions", json={"customer_id": "C0000003", "message": "any deals?"})
    assert res.status_code == 200, res.text
    body = res.json()
    d, ctx = body["decision"], body["context"]
    assert 0 <= d["max_discount_percent"] <= body["cap"]["max_percent"]
    assert unbacked(body["customer_message"], percent=d["max_discount_percent"], cart=ctx["cart_value"],
                    offer_code=d["offer_code"]) == []
    assert "messages" not in body["trace"]["price"]  # compact trace over HTTP
    audit = await client.get("/v1/discount/audit", params={"customer_id": "C0000003"})
    assert audit.status_code == 200
    assert [r["id"] for r in audit.json()] == [body["audit_id"]]


async def test_health_and_openapi(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json()["status"] == "ok"
    spec = (await client.get("/openapi.json")).json()
    assert "/v1/discount/decisions" in spec["paths"] and "/v1/discount/audit" in spec["paths"]
    assert (await client.get("/docs")).status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({"customer_id": "C9999999", "message": "any deals?"}, 404, "not in the stores"),
        ({"customer_id": "C0000001"}, 422, "message: Field required"),
        ({"customer_id": "", "message": "deal"}, 422, "customer_id"),
        ({"customer_id": "C0000001", "message": "deal", "extra": 1}, 422, "extra"),
        ({"customer_id": "C0000001", "message": "x" * 2001}, 422, "message"),
        # refused by the declared schema (a pattern), so a client generated from /openapi.json never sends them
        ({"customer_id": "C 1", "message": "deal"}, 422, "customer_id: must be 1-64 printable characters without"),
        ({"customer_id": "C\u0002", "message": "deal"}, 422, "without spaces"),
        ({"customer_id": "C0000001", "message": "   "}, 422, "message: must not be empty"),
        # the model entry is the resource asked for
        ({"customer_id": "C0000001", "message": "deal", "model": "gpt-9"}, 404, "no model entry named 'gpt-9'"),
    ],
)
async def test_request_errors(client: httpx.AsyncClient, body: dict[str, object], status: int, needle: str) -> None:
    res = await client.post("/v1/discount/decisions", json=body)
    assert res.status_code == status, res.text
    assert needle in res.json()["detail"]


async def test_not_json_is_422(client: httpx.AsyncClient) -> None:
    res = await client.post("/v1/discount/decisions", content=b"{nope", headers={"content-type": "application/json"})
    assert res.status_code == 422 and res.json()["error"] == "ValidationError"


async def test_oversized_body_is_413(client: httpx.AsyncClient) -> None:
    res = await client.post("/v1/discount/decisions", json={"customer_id": "C0000001", "message": "d" * 5000})
    assert res.status_code == 413 and "max_request_bytes" in res.json()["detail"]


async def test_oversized_chunked_body_is_413(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"customer_id": "C0000001", "message": "'
        for _ in range(10):
            yield b"d" * 1000
        yield b'"}'

    res = await client.post("/v1/discount/decisions", content=chunks(), headers={"content-type": "application/json"})
    assert res.status_code == 413


async def test_customer_in_one_store_is_409(store_dir: Path, client: httpx.AsyncClient) -> None:
    with sqlite3.connect(store_dir / HOT_FILE) as conn:
        conn.execute("DELETE FROM sessions WHERE customer_id = 'C0000006'")
    res = await client.post("/v1/discount/decisions", json={"customer_id": "C0000006", "message": "deal?"})
    assert res.status_code == 409 and res.json()["error"] == "CustomerIncomplete"


async def test_missing_store_is_503_then_recovers(tmp_path: Path) -> None:
    from sgr.discount.setup_data import setup_data

    target = tmp_path / "later"
    app = create_app(settings(target))
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test", headers=AUTH
    ) as c:
        res = await c.post("/v1/discount/decisions", json={"customer_id": "C0000001", "message": "deal?"})
        assert res.status_code == 503 and "sgr discount setup-data" in res.json()["detail"]
        setup_data(target, users=3, seed=0)
        res = await c.post("/v1/discount/decisions", json={"customer_id": "C0000001", "message": "deal?"})
        assert res.status_code == 200


async def test_rebuilt_stores_are_picked_up(store_dir: Path) -> None:
    from sgr.discount.setup_data import setup_data

    app = create_app(settings(store_dir))
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test", headers=AUTH
    ) as c:
        body = {"customer_id": "C0000001", "message": "deal?"}
        before = (await c.post("/v1/discount/decisions", json=body)).json()["context"]
        setup_data(store_dir, users=5, seed=12345)
        after = (await c.post("/v1/discount/decisions", json=body)).json()["context"]
        gone = await c.post("/v1/discount/decisions", json={"customer_id": "C0000009", "message": "deal?"})
    assert before != after
    assert gone.status_code == 404  # the rebuild has 5 customers only


def test_real_socket_round_trip(store_dir: Path) -> None:
    with LiveServer(create_app(settings(store_dir))) as srv, httpx.Client(base_url=srv.url, headers=AUTH) as c:
        assert c.get("/healthz").status_code == 200
        res = c.post("/v1/discount/decisions", json={"customer_id": "C0000002", "message": "too expensive"})
        assert res.status_code == 200 and res.json()["route"]["route"] == "fetch_user_features"
        big = c.post("/v1/discount/decisions", content=b"x" * 10_000, headers={"content-type": "application/json"})
        assert big.status_code == 413
        assert c.get("/v1/discount/audit", params={"limit": 0}).status_code == 422


def test_many_requests_in_flight_through_real_sockets(store_dir: Path) -> None:
    """64 concurrent customers against a model server: all answered, all within policy, all audited."""
    with HostileModelServer() as model:
        extra = (f"  hostile: {{backend: openai, url: '{model.url}', model: hostile, dialect: response_format, "
                 "connect_retries: 0}\n")
        app = create_app(settings(store_dir, extra=extra, max_bytes=4096))
        with LiveServer(app) as srv:

            async def burst() -> list[httpx.Response]:
                async with httpx.AsyncClient(base_url=srv.url, headers=AUTH, timeout=60) as c:
                    return await asyncio.gather(*(
                        c.post("/v1/discount/decisions", json={"customer_id": f"C{(i % USERS) + 1:07d}",
                                                               "message": "any deals? give me 100%",
                                                               "model": "hostile"})
                        for i in range(64)))

            responses = asyncio.run(burst())
            audit = httpx.get(srv.url + "/v1/discount/audit", params={"limit": 1000}, headers=AUTH).json()
    assert [r.status_code for r in responses] == [200] * 64
    bodies = [r.json() for r in responses]
    for b in bodies:
        if b["decision"] is not None:
            assert b["decision"]["max_discount_percent"] <= b["cap"]["max_percent"]
    assert sorted(r["id"] for r in audit) == sorted(b["audit_id"] for b in bodies)
    assert sum(model.counts.values()) >= 64


def test_sgr_serve_starts_on_localhost(store_dir: Path) -> None:
    """`sgr serve` as a person runs it: a child process bound to 127.0.0.1, stopped by the test."""
    import os
    import subprocess
    import sys
    import time

    from sgr.testing.net import free_port

    port = free_port()
    env = {**os.environ, "SGR_CONFIG": "", "SGR_SERVE_TOKEN": TOKEN}
    proc = subprocess.Popen([sys.executable, "-m", "sgr.cli", "serve", "--port", str(port), "--dir", str(store_dir)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            cwd=store_dir.parent)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "sgr serve did not come up"
                time.sleep(0.2)
        assert health.json()["status"] == "ok"
        res = httpx.post(f"http://127.0.0.1:{port}/v1/discount/decisions",
                         json={"customer_id": "C0000001", "message": "descuento?"}, headers=AUTH, timeout=30)
        assert res.status_code == 200 and res.json()["route"]["route"] == "fetch_user_features"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_sgr_serve_rejects_unknown_model(store_dir: Path) -> None:
    import os
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-m", "sgr.cli", "serve", "--model", "nope", "--dir", str(store_dir)],
                         capture_output=True, text=True, timeout=60, env={**os.environ, "SGR_CONFIG": ""},
                         cwd=store_dir.parent)
    assert res.returncode == 2 and "no model entry named 'nope'" in res.stderr and "Traceback" not in res.stderr


def test_event_loop_stays_free_while_the_model_thinks(store_dir: Path) -> None:
    """A decision waiting on a slow model must not stop the service from answering others."""
    with HostileModelServer(delay_s=2.0) as model:
        extra = f"  slow: {{backend: openai, url: '{model.url}', model: hostile, dialect: response_format}}\n"
        with LiveServer(create_app(settings(store_dir, extra=extra))) as srv:

            async def scenario() -> tuple[bool, int, int, int]:
                async with httpx.AsyncClient(base_url=srv.url, headers=AUTH, timeout=60) as c:
                    slow = asyncio.create_task(c.post("/v1/discount/decisions", json={
                        "customer_id": "C0000001", "message": "any deals?", "model": "slow"}))
                    while not model.in_flight.is_set():
                        await asyncio.sleep(0.01)
                    health = await c.get("/healthz")
                    offline = await c.post("/v1/discount/decisions",
                                           json={"customer_id": "C0000002", "message": "any deals?"})
                    others_first = not slow.done()
                    return others_first, health.status_code, offline.status_code, (await slow).status_code

            others_first, health, offline, slow_status = asyncio.run(scenario())
    assert others_first, "healthz and an offline decision were answered while the slow one was in flight"
    assert (health, offline, slow_status) == (200, 200, 200)


async def test_offer_code_lookup(client: httpx.AsyncClient) -> None:
    """GET /v1/discount/codes/{code}: 200 with who/what/when for an issued code, 404 for anything else."""
    res = await client.post("/v1/discount/decisions",
                            json={"customer_id": "C0000005", "message": "too expensive, any discount? I'll cancel"})
    body = res.json()
    code = body["decision"]["offer_code"]
    assert code, body["customer_message"]
    found = await client.get(f"/v1/discount/codes/{code.lower()}")
    assert found.status_code == 200, found.text
    info = found.json()
    assert info["issued"] and info["code"] == code and info["customer_id"] == "C0000005"
    assert info["percent"] == body["decision"]["max_discount_percent"] and info["audit_id"] == body["audit_id"]
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")
    for fake in (altered, code.replace(code.split("-")[0], "SAVE50", 1), "VIPDEAL"):
        miss = await client.get(f"/v1/discount/codes/{fake}")
        assert miss.status_code == 404 and miss.json()["issued"] is False and miss.json()["error"] == "CodeNotIssued"
        assert "customer_id" not in miss.json() or miss.json()["customer_id"] is None
    assert (await client.get("/v1/discount/codes/" + "X" * 65)).status_code == 422
    spec = (await client.get("/openapi.json")).json()
    assert "/v1/discount/codes/{code}" in spec["paths"]
    anonymous = await client.get(f"/v1/discount/codes/{code}", headers={"Authorization": ""})
    assert anonymous.status_code == 401  # who got which offer is not public


def test_a_decision_past_its_deadline_gets_the_policy_offer(store_dir: Path) -> None:
    """A model slower than discount.decision_timeout: the customer still gets a capped, audited offer, and the
    trace says the deadline is why the model's answer was not used."""
    with HostileModelServer(delay_s=3.0) as model:
        extra = f"  slow: {{backend: openai, url: '{model.url}', model: hostile, dialect: response_format}}\n"
        cfg = settings(store_dir, extra=extra).model_copy(deep=True)
        cfg.discount.decision_timeout = 0.5
        with LiveServer(create_app(cfg)) as srv, httpx.Client(base_url=srv.url, headers=AUTH, timeout=60) as c:
            res = c.post("/v1/discount/decisions", json={"customer_id": "C0000004", "message": "too expensive, any "
                                                         "discount?", "model": "slow"})
            assert res.status_code == 200, res.text
            body = res.json()
            audit = c.get("/v1/discount/audit", params={"limit": 10}).json()
    reasons = [t.get("fallback_reason") or "" for t in body["trace"].values()]
    # the message gives what is left of the deadline (0.5 s, or a hair under it on a loaded machine)
    assert any(re.search(r"deadline of 0\.[45]\d* s", r) for r in reasons), reasons
    assert body["fallback_used"]
    if body["decision"] is not None:
        assert body["decision"]["max_discount_percent"] <= body["cap"]["max_percent"]
    assert [r["id"] for r in audit] == [body["audit_id"]]
