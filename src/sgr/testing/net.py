"""Loopback helpers shared by tests and benchmarks: a free port, and the real app served in a thread.

Tests talk to the service over a real socket (not an in-process transport) so that limits, lifespans and
concurrency behave as they do for a person running `sgr serve`.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # typing.Self is 3.11+; annotations are strings here, so 3.10 never imports it
    from typing import Self


def port_answers(port: int, host: str = "127.0.0.1", timeout: float = 1.0) -> bool:
    """Whether something accepts TCP connections on `host:port` now (a server's readiness, with its log line)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    """A port the kernel says is free on 127.0.0.1 now (tiny race window; the server reports a clash)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def free_ports(n: int) -> list[int]:
    """`n` different free ports: all held bound until the last is picked (two `free_port` calls in a row
    returned the same port about once in 13,000 tries)."""
    socks = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(n)]
    try:
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in socks]
    finally:
        for sock in socks:
            sock.close()


class FakeServer:
    """What every fake model server gives a test: `with` support, its URLs, and what it was asked.

    Subclasses implement `start`, `stop` and `port`, and keep the requests they saw in `self.state`
    (`counts` by route and constraint field, every chat body, every GET path).
    """

    state: Any

    def start(self) -> Self:
        """Bind and serve in a daemon thread."""
        raise NotImplementedError

    def stop(self) -> None:
        """Stop serving."""
        raise NotImplementedError

    @property
    def port(self) -> int:
        """The bound port."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        """Scheme, host and port, without `/v1` (where an engine's native routes live)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The OpenAI-compatible API base, `http://127.0.0.1:PORT/v1`."""
        return f"{self.root_url}/v1"

    @property
    def counts(self) -> Counter[str]:
        """Requests seen, by route (`models`, `chat`, ...) and by constraint field (the fake's doc names them)."""
        return self.state.counts

    @property
    def bodies(self) -> list[dict[str, Any]]:
        """Every chat request body, in arrival order."""
        return self.state.bodies

    @property
    def gets(self) -> list[str]:
        """Every GET path in arrival order (what server-kind detection asked)."""
        return self.state.gets


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
