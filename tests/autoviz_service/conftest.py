"""A real uvicorn server on 127.0.0.1 in a thread, over settings that point into a tmp folder."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sgr.api import create_app
from sgr.core.config import Settings, parse_settings
from sgr.testing.net import LiveServer
from sgr.testing.process_server import ThrowAwayServer

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sales.csv"
DONE = {"answered", "partial", "failed"}
#: the service never runs open: every test server has this token and every test client sends it
TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def settings_yaml(root: Path, *, upload_bytes: int = 100 * 1024 * 1024, workers: int = 2, **serve: Any) -> str:
    """Offline model; data, runs and discount stores all under `root`; `serve` adds serve.* keys."""
    extra = "".join(f"  {k}: {json.dumps(v)}\n" for k, v in serve.items())
    return ("default_model: offline\nmodels:\n  offline: {backend: offline}\n"
            f"discount:\n  dir: {root / 'discount'}\n"
            f"serve:\n  token: {TOKEN}\n  data_dir: {root / 'data'}\n  runs_dir: {root / 'runs'}\n"
            f"  max_upload_bytes: {upload_bytes}\n  workers: {workers}\n" + extra)


def make_settings(root: Path, **kwargs: Any) -> Settings:
    """`settings_yaml` parsed, for a server in this process."""
    return parse_settings(settings_yaml(root, **kwargs))


class ServiceProcess(ThrowAwayServer):
    """`sgr serve` as its own process over `settings_yaml(root, ...)`: what a timing test measures.

    Why not `Server` for that: a server in a thread shares the test process's interpreter, so a full garbage
    collection of the whole test session's heap (torch and all), or 50 client threads holding the GIL, stalls
    its event loop for seconds (a 1.96 s `/healthz` in CI), which says nothing about the service.
    """

    root_prefix = "sgr-service-"
    stop_grace = 10.0

    def __init__(self, root: Path, **settings: Any) -> None:
        super().__init__(base_dir=None, start_timeout=60.0)
        self.config = settings_yaml(root, **settings)

    def _prepare_root(self) -> None:
        assert self.root is not None
        (self.root / "config.yaml").write_text(self.config)

    def _command(self) -> list[str]:
        return [sys.executable, "-m", "sgr.cli", "serve", "--config", "config.yaml", "--port", str(self.port)]

    def _ready(self) -> bool:
        try:
            return httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    @property
    def url(self) -> str:
        """Scheme, host and port."""
        return f"http://127.0.0.1:{self.port}"


class Server(LiveServer):
    """`with Server(settings) as srv:` runs the whole app (lifespan included) on a free loopback port."""

    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)
        super().__init__(self.app)


def wait_done(client: httpx.Client, run_id: str, *, timeout: float = 120) -> dict[str, Any]:
    """Poll a run until it ends; returns every distinct status seen in `seen` too."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        body = client.get(f"/v1/autoviz/runs/{run_id}").json()
        if not seen or seen[-1] != body["status"]:
            seen.append(body["status"])
        if body["status"] in DONE:
            body["seen"] = seen
            return body
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not finish in {timeout}s (statuses seen: {seen})")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    return tmp_path


@pytest.fixture
def server(root: Path) -> Iterator[Server]:
    with Server(make_settings(root, upload_bytes=2 * 1024 * 1024)) as srv:
        yield srv


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, headers=AUTH, timeout=60) as c:
        yield c
