"""Every refusal that makes the service safe to expose, over a real server on loopback."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from sgr.api import create_app
from sgr.core.errors import ConfigError
from sgr.serve_security import COOKIE, check_bind, is_loopback, resolve_token
from sgr.testing.net import free_port

from .conftest import AUTH, EXAMPLE, TOKEN, Server, make_settings

PROTECTED = [("GET", "/v1/autoviz/runs"), ("GET", "/v1/discount/audit"), ("GET", "/v1/autoviz/formats"),
             ("POST", "/v1/autoviz/runs"), ("POST", "/v1/discount/decisions"), ("DELETE", "/v1/autoviz/runs/x")]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_every_v1_route_needs_the_token(server: Server, method: str, path: str) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as anon:
        for headers in ({}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": f"Basic {TOKEN}"},
                        {"Cookie": f"{COOKIE}=forged"}):
            res = anon.request(method, path, headers=headers)
            assert res.status_code == 401, (headers, res.text)
            assert res.json()["error"] == "Unauthorized" and res.headers["www-authenticate"].startswith("Bearer")


def test_the_right_token_opens_listing_and_audit(client: httpx.Client) -> None:
    assert client.get("/v1/autoviz/runs").status_code == 200
    audit = client.get("/v1/discount/audit")  # no stores in this folder: 503 from the agent, not the guard
    assert audit.status_code != 401 and audit.json()["error"] != "Unauthorized"


def test_page_health_and_docs_are_public_and_docs_declare_the_bearer_scheme(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as anon:
        for path in ("/", "/static/app.js", "/healthz", "/docs", "/openapi.json"):
            assert anon.get(path).status_code == 200, path
        spec = anon.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert spec["security"] == [{"bearer": []}]


def test_session_cookie_is_httponly_strict_and_not_the_token(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        assert c.post("/v1/session").status_code == 401
        assert c.post("/v1/session", headers={"Authorization": "Bearer nope-nope-nope-nope"}).status_code == 401
        res = c.post("/v1/session", headers=AUTH)
        assert res.status_code == 200
        header = res.headers["set-cookie"].lower()
        assert "httponly" in header and "samesite=strict" in header and TOKEN.lower() not in header
        assert c.get("/v1/autoviz/runs").status_code == 200  # the cookie alone now works
        c.delete("/v1/session")
        c.cookies.clear()
        assert c.get("/v1/autoviz/runs").status_code == 401


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.nip.io", "attacker.localhost.com"])
def test_unknown_host_headers_are_refused_even_with_the_token(server: Server, host: str) -> None:
    with httpx.Client(base_url=server.url, headers={**AUTH, "Host": host}, timeout=30) as c:
        for path in ("/", "/healthz", "/v1/autoviz/runs"):
            res = c.get(path)
            assert res.status_code == 400 and res.json()["error"] == "InvalidHost", (host, path)


def test_loopback_names_and_configured_hosts_are_answered(root: Path) -> None:
    with Server(make_settings(root, allowed_hosts=["analytics.internal"])) as srv:
        for host in (f"localhost:{srv.port}", f"127.0.0.1:{srv.port}", "[::1]", "analytics.internal:8443"):
            with httpx.Client(base_url=srv.url, headers={**AUTH, "Host": host}, timeout=30) as c:
                assert c.get("/v1/autoviz/runs").status_code == 200, host


def test_cross_site_writes_are_refused_and_same_origin_or_configured_ones_pass(root: Path) -> None:
    form = {"path": "sales.csv", "question": "revenue by region"}
    (root / "data" / "sales.csv").write_bytes(EXAMPLE.read_bytes())
    with Server(make_settings(root, allowed_origins=["https://dash.example"])) as srv, \
            httpx.Client(base_url=srv.url, headers=AUTH, timeout=30) as c:
        for origin in ("http://evil.example", "null", f"http://localhost:{srv.port + 1}"):
            res = c.post("/v1/autoviz/runs", data=form, headers={"Origin": origin})
            assert res.status_code == 403 and res.json()["error"] == "ForbiddenOrigin", origin
        res = c.post("/v1/autoviz/runs", data=form, headers={"Sec-Fetch-Site": "cross-site"})
        assert res.status_code == 403
        assert c.get("/v1/autoviz/runs", headers={"Origin": "http://evil.example"}).status_code == 200  # reads ok
        for origin in (srv.url, "https://dash.example"):
            assert c.post("/v1/autoviz/runs", data=form, headers={"Origin": origin}).status_code == 202, origin
        assert c.post("/v1/autoviz/runs", data=form).status_code == 202  # no Origin: curl, the CLI


def test_create_app_without_any_token_refuses(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SGR_SERVE_TOKEN", raising=False)
    settings = make_settings(root, token_file=str(root / "none.token")).model_copy(deep=True)
    settings.serve.token = None
    with pytest.raises(ConfigError, match="needs an access token"):
        create_app(settings)


def test_token_resolution_order_and_generated_file_mode(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SGR_SERVE_TOKEN", raising=False)
    settings = make_settings(root, token_file=str(root / "serve.token"))
    settings.serve.token = None
    assert resolve_token(settings, generate=False) is None
    made = resolve_token(settings, generate=True)
    assert made is not None and made.source == "generated" and len(made.value) >= 32
    assert stat.S_IMODE((root / "serve.token").stat().st_mode) == 0o600
    again = resolve_token(settings, generate=True)
    assert again is not None and (again.source, again.value) == ("file", made.value)
    settings.serve.token = "from-config-0123456789"
    assert resolve_token(settings, generate=True).source == "config"  # type: ignore[union-attr]
    monkeypatch.setenv("SGR_SERVE_TOKEN", "from-env-0123456789abc")
    assert resolve_token(settings, generate=True).value == "from-env-0123456789abc"  # type: ignore[union-attr]
    monkeypatch.setenv("SGR_SERVE_TOKEN", "short")
    with pytest.raises(ConfigError, match="shorter than 16"):
        resolve_token(settings, generate=True)


def test_bind_rules() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.5", "example.com"))
    check_bind("127.0.0.1", None)
    with pytest.raises(ConfigError, match=r"refusing to serve on 0\.0\.0\.0"):
        check_bind("0.0.0.0", None)


def _lan_address() -> str | None:
    """This machine's address on its default route, if it has one that is not loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET: nothing is sent for UDP connect
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def _sgr(*args: str, env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "sgr.cli", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_sgr_serve_refuses_a_public_bind_without_a_token_and_binds_loopback_only(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SGR_SERVE_TOKEN", "SGR_CONFIG")}
    port = free_port()
    refused = _sgr("serve", "--host", "0.0.0.0", "--port", str(port), env=env, cwd=tmp_path)
    out, _ = refused.communicate(timeout=120)
    assert refused.returncode == 2 and "refusing to serve on 0.0.0.0" in out
    assert not (tmp_path / ".sgr" / "serve.token").exists()  # nothing generated for a refused public bind

    proc = _sgr("serve", "--port", str(port), env=env, cwd=tmp_path)
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 120
        while not any("#token=" in line for line in lines) and time.monotonic() < deadline:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            if not line:
                break
            lines.append(line)
        link = next(line for line in lines if "#token=" in line)
        token = link.rsplit("#token=", 1)[1].strip()
        assert token == (tmp_path / ".sgr" / "serve.token").read_text().strip()
        url = f"http://127.0.0.1:{port}"
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        assert httpx.get(url + "/v1/autoviz/runs", timeout=10).status_code == 401
        ok = httpx.get(url + "/v1/autoviz/runs", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert ok.status_code == 200
        lan = _lan_address()
        if lan is not None:  # the default bind is loopback: the LAN address must not answer
            with pytest.raises(httpx.TransportError):
                httpx.get(f"http://{lan}:{port}/healthz", timeout=5)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
