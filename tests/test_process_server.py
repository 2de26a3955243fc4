"""`sgr.testing.process_server.ThrowAwayServer` on a stand-in server: the lifecycle PostgreSQL and Spark Connect share.

A real server takes seconds to start (Spark ~20 s), too dear for each failure path, so a few lines of Python stand
in: a real process that binds a real port on 127.0.0.1, logs a ready line, and on request dies, hangs, ignores
SIGTERM or leaves a child behind. Lost ports are real too: a socket of the test holds the port the server is given.
"""

from __future__ import annotations

import atexit
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sgr.testing.process_server as process_server
from sgr.testing.net import port_answers
from sgr.testing.process_server import ServerStartError, ThrowAwayServer, alive

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="platform: process groups are Linux only")

_STAND_IN = """
import os, signal, socket, subprocess, sys, time
port, mode, pids = int(sys.argv[1]), sys.argv[2], sys.argv[3]
if mode == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
try:
    server = socket.create_server(("127.0.0.1", port))
except OSError as exc:
    print(f"bind failed: {exc}", flush=True)  # "[Errno 98] Address already in use"
    sys.exit(2)
if mode == "die":
    print("Fatal: the stand-in gave up", flush=True)
    sys.exit(3)
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open(pids, "w") as f:
    f.write(f"{os.getpid()} {child.pid}")
if mode == "hang":
    time.sleep(600)
print("stand-in ready", flush=True)
while True:
    server.accept()[0].close()
"""


class StandIn(ThrowAwayServer):
    root_prefix = "sgr-stand-in-"
    port_lost_words = ("Address already in use",)
    stop_grace = 1.0
    poll_interval = 0.02

    def __init__(self, mode: str, tmp: Path, *, start_timeout: float = 20.0) -> None:
        super().__init__(base_dir=tmp, start_timeout=start_timeout)
        self.mode = mode
        self.pids = tmp / "pids"
        self.spawned = 0

    def _command(self) -> list[str]:
        return [sys.executable, "-c", _STAND_IN, str(self.port), self.mode, str(self.pids)]

    def _spawn(self) -> Any:
        self.spawned += 1
        return super()._spawn()

    def _ready(self) -> bool:
        return "stand-in ready" in self.attempt_log() and port_answers(self.port)


@pytest.fixture
def held_port() -> Iterator[int]:
    """A port some other process holds (here: the test), as a lost race leaves it."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        yield int(sock.getsockname()[1])


def _hand_out(monkeypatch: pytest.MonkeyPatch, *first: int) -> None:
    """`free_port()` hands out `first` ports, then really free ones."""
    queue, real = list(first), process_server.free_port
    monkeypatch.setattr(process_server, "free_port", lambda: queue.pop(0) if queue else real())


def test_a_server_starts_answers_and_leaves_nothing(tmp_path: Path) -> None:
    with StandIn("ok", tmp_path) as server:
        root = server.root
        assert root is not None and root.parent == tmp_path and server.log_path.parent == root
        front, child = (int(p) for p in server.pids.read_text().split())
        assert alive(front) and alive(child) and server.start_seconds > 0
        socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
        assert "stand-in ready" in server.log_tail()
    assert server.root is None and not root.exists() and not alive(front)
    assert server.log_tail() == "(no server log)"
    server.stop()  # safe twice


def test_a_port_lost_to_a_race_is_retried_on_another_one(
    tmp_path: Path, held_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hand_out(monkeypatch, held_port, held_port)
    with StandIn("ok", tmp_path) as server:
        assert server.spawned == 3 and server.port != held_port
        assert server.log_tail(10_000).count("Address already in use") == 2  # one log, every attempt
        assert "Address already in use" not in server.attempt_log()


def test_a_port_lost_every_time_is_an_error_that_says_so(
    tmp_path: Path, held_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(process_server, "free_port", lambda: held_port)
    server = StandIn("ok", tmp_path)
    with pytest.raises(ServerStartError, match="StandIn lost its port to another process 3 times") as info:
        server.start()
    assert "Address already in use" in str(info.value) and server.spawned == 3
    assert server.root is None and list(tmp_path.iterdir()) == []


def test_an_earlier_attempts_lost_port_does_not_hide_a_later_failure(
    tmp_path: Path, held_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second attempt dies for its own reason: that is the error, not a third try on an old clash."""
    _hand_out(monkeypatch, held_port)
    server = StandIn("die", tmp_path)
    with pytest.raises(ServerStartError, match="StandIn exited with status 3; log tail:") as info:
        server.start()
    assert server.spawned == 2 and "the stand-in gave up" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_a_server_that_never_gets_ready_is_killed_with_its_group(tmp_path: Path) -> None:
    server = StandIn("hang", tmp_path, start_timeout=5.0)
    with pytest.raises(ServerStartError, match=r"StandIn was not ready within 5 s"):
        server.start()
    front, child = (int(p) for p in server.pids.read_text().split())
    assert not alive(front) and not alive(child)
    assert [p.name for p in tmp_path.iterdir()] == ["pids"]


def test_a_server_that_ignores_the_polite_signal_is_killed_with_its_group(tmp_path: Path) -> None:
    server = StandIn("stubborn", tmp_path).start()
    front, child = (int(p) for p in server.pids.read_text().split())
    server.stop()
    assert not alive(front) and not alive(child) and server.proc is None


def test_stop_is_registered_for_interpreter_exit_only_while_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registered: list[Any] = []
    monkeypatch.setattr(atexit, "register", registered.append)
    monkeypatch.setattr(atexit, "unregister", registered.remove)
    with StandIn("ok", tmp_path) as server:
        assert registered == [server.stop]
    assert registered == []
