"""Jobs the worker-pool tests send to real spawned processes (importable by the children, so top-level)."""

from __future__ import annotations

import os
import signal
import time


def square(x: int) -> int:
    """A job that succeeds."""
    return x * x


def crash() -> None:
    """A job whose process dies without answering, like an out-of-memory kill."""
    os.kill(os.getpid(), signal.SIGKILL)


def hang(seconds: float) -> str:
    """A job that outlives any sane deadline."""
    time.sleep(seconds)
    return "woke up"


def boom() -> None:
    """A job that raises: a failure, not a death."""
    raise ValueError("bad input\nsecond line stays in the worker")


def pid() -> int:
    """Which process ran the job."""
    return os.getpid()
