"""A real uvicorn server on 127.0.0.1 in a thread, over settings that point into a tmp folder."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import pytest
import uvicorn

from sgr.api import create_app
from sgr.core.config import Settings, parse_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sales.csv"
DONE = {"answered", "partial", "failed"}


def make_settings(root: Path, *, upload_bytes: int = 100 * 1024 * 1024, workers: int = 2) -> Settings:
    """Offline model; data, runs and discount stores all under `root`."""
    return parse_settings(
        "default_model: offline\nmodels:\n  offline: {backend: offline}\n"
        f"discount:\n  dir: {root / 'discount'}\n"
        f"serve:\n  data_dir: {root / 'data'}\n  runs_dir: {root / 'runs'}\n"
        f"  max_upload_bytes: {upload_bytes}\n  workers: {workers}\n")


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`with Server(settings) as srv:` runs the whole app (lifespan included) on a free loopback port."""

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


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
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c
