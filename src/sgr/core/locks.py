"""Advisory file locks between processes on one machine: a critical section, and a lease that says "alive".

One module so every caller gets the same semantics: `flock` on POSIX (the lock belongs to the open file,
so even two handles in one process exclude each other, and the kernel drops it when the process dies,
however it dies), byte-range `msvcrt.locking` on Windows. A lease is how one server process tells another
sharing its folder that its queued and running work is still in hands: a dead holder's lease can be taken.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

_WINDOWS_RETRY_S = 0.05


def _try_lock(handle: IO[str]) -> bool:
    """Take the exclusive lock without waiting; False when another holder has it."""
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _unlock(handle: IO[str]) -> None:
    if fcntl is not None:
        fcntl.flock(handle, fcntl.LOCK_UN)
    else:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold `path`'s lock for the block, waiting for other holders (creates the file and its folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        else:
            while not _try_lock(handle):
                time.sleep(_WINDOWS_RETRY_S)
        try:
            yield
        finally:
            _unlock(handle)


class Lease:
    """A lock file held for as long as this object (or its process) lives; others can ask if it is held."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._handle: IO[str] | None = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release
        if not _try_lock(self._handle):
            self._handle.close()
            self._handle = None
            raise FileExistsError(f"{path} is held by another process")

    def release(self) -> None:
        """Drop the lease and remove its file (idempotent)."""
        if self._handle is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)  # before unlocking: nobody can take a lease on a file that is going away
        _unlock(self._handle)
        self._handle.close()
        self._handle = None


def held(path: Path) -> bool:
    """Whether a live process holds the lease at `path` (a missing file is nobody's)."""
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return False
    with handle:
        if not _try_lock(handle):
            return True
        _unlock(handle)
        return False
