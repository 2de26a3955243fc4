"""Loopback helpers shared by tests and benchmarks: a free port, and the real app served in a thread.

Tests talk to the service over a real socket (not an in-process transport) so that limits, lifespans and
concurrency behave as they do for a person running `sgr serve`.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Any


def free_port() -> int:
    """A port the kernel says is free on 127.0.0.1 now (tiny race window; the server reports a clash)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """`with LiveServer(app) as srv: httpx.get(srv.url + "/healthz")` — uvicorn on loopback, lifespan included."""

    def __init__(self, app: Any, *, start_timeout: float = 30.0, stop_timeout: float = 30.0) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.start_timeout, self.stop_timeout = start_timeout, stop_timeout

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + self.start_timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start on {self.url}")
            time.sleep(0.02)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=self.stop_timeout)
