"""What keeps a long-running service inside its machine: DuckDB's share per worker, and the sweeper that
deletes old runs and uploads (by age, `serve.retention`, and by bytes, `serve.max_storage_bytes`).

Why a sweeper and not "delete when read": nobody reads an abandoned upload again, and a disk that fills up
fails every later request. Only finished runs and uploads no active run uses are ever deleted, oldest first.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sgr.core.config import Settings

if TYPE_CHECKING:
    from sgr.autoviz.web.registry import Registry

log = logging.getLogger(__name__)
_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
#: the share of physical memory all DuckDB workers together may use (the server and Python need the rest)
MEMORY_SHARE = 0.6


def parse_duration(text: str) -> float | None:
    """"7d" -> 604800.0 seconds; "0" -> None (keep forever). The config validates the shape."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if m is None:
        raise ValueError(f"not a duration: {text!r} (use e.g. 7d, 12h, 30m, 0)")
    value = float(m.group(1)) * _UNITS.get(m.group(2) or "s", 1.0)
    return value or None


def physical_memory() -> int | None:
    """Bytes of RAM, or None where the OS does not say (then DuckDB keeps its own default)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, OSError, ValueError):
        return None


@dataclass(frozen=True)
class WorkerLimits:
    """DuckDB settings for each worker process."""

    memory_limit: str | None
    threads: int


def worker_limits(settings: Settings, *, extra_workers: int = 1) -> WorkerLimits:
    """A fair share of memory and cores for each of `serve.workers` run workers plus the profiling one."""
    serve = settings.serve
    workers = serve.workers + extra_workers
    threads = serve.worker_threads or max(1, (os.cpu_count() or 1) // max(1, serve.workers))
    if serve.worker_memory != "auto":
        return WorkerLimits(serve.worker_memory, threads)
    total = physical_memory()
    if total is None:
        return WorkerLimits(None, threads)
    share_mb = max(256, int(total * MEMORY_SHARE / workers) >> 20)
    return WorkerLimits(f"{share_mb}MB", threads)


def apply_limits(limits: WorkerLimits) -> None:
    """Worker-process initializer: bound every DuckDB connection this process opens."""
    from sgr.autoviz.data import set_engine_limits

    set_engine_limits(memory_limit=limits.memory_limit, threads=limits.threads)


def tree_size(path: Path) -> int:
    """Bytes of regular files under `path` (symlinks not followed)."""
    if path.is_file():
        return path.stat().st_size
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += (Path(root) / name).lstat().st_size
            except OSError:
                continue
    return total


@dataclass
class SweepResult:
    """What one sweep removed."""

    runs: int = 0
    uploads: int = 0
    freed_bytes: int = 0
    #: bytes runs and uploads still use after the sweep
    used_bytes: int = 0


class Sweeper:
    """Deletes finished runs and unused uploads past the retention age, then oldest-first past the quota."""

    def __init__(self, registry: Registry, runs_dir: Path, uploads_dir: Path, settings: Settings) -> None:
        self.registry = registry
        self.runs_dir, self.uploads_dir = runs_dir, uploads_dir
        self.max_age = parse_duration(settings.serve.retention)
        self.quota = settings.serve.max_storage_bytes
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self, interval: float | None = None) -> None:
        """Sweep now and then every `interval` seconds (default: a tenth of the retention, 10 s to 10 min)."""
        every = interval or min(600.0, max(10.0, (self.max_age or 6000.0) / 10))
        self._thread = threading.Thread(target=self._loop, args=(every,), name="sgr-sweeper", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the background loop (a sweep in progress finishes)."""
        self._stop.set()

    def _loop(self, every: float) -> None:
        while not self._stop.is_set():
            try:
                reaped = self.registry.reap()  # a replica sharing the runs folder died: its runs end here
                if reaped:
                    log.warning("marked %d run(s) of a stopped server process as failed", reaped)
            except Exception:  # never in the way of the retention sweep below
                log.exception("failing the runs of stopped server processes failed")
            try:
                self.sweep()
            except Exception:  # a sweep must never take the service down; the next one tries again
                log.exception("retention sweep failed")
            self._stop.wait(every)

    def used_bytes(self) -> int:
        """Bytes under the runs folder (run folders, uploads, registry)."""
        return tree_size(self.runs_dir) if self.runs_dir.exists() else 0

    def sweep(self, *, now: float | None = None) -> SweepResult:
        """One pass: by age, then by quota. Safe to call from any thread."""
        with self._lock:
            result = SweepResult()
            stamp = time.time() if now is None else now
            candidates = self.registry.removable()  # oldest first: ("run"|"dataset", id, created_at epoch)
            if self.max_age is not None:
                for kind, item_id, created in candidates:
                    if stamp - created > self.max_age:
                        self._remove(kind, item_id, result)
                candidates = self.registry.removable()
            used = self.used_bytes()
            for kind, item_id, _created in candidates:
                if used <= self.quota:
                    break
                used -= self._remove(kind, item_id, result)
            result.used_bytes = used
            if result.runs or result.uploads:
                log.info("retention: removed %d run(s) and %d upload(s), %d bytes", result.runs, result.uploads,
                         result.freed_bytes)
            return result

    def _remove(self, kind: str, item_id: str, result: SweepResult) -> int:
        folder = (self.runs_dir if kind == "run" else self.uploads_dir) / item_id
        size = tree_size(folder) if folder.exists() else 0
        shutil.rmtree(folder, ignore_errors=True)
        if kind == "run":
            self.registry.delete_run(item_id)
            result.runs += 1
        else:
            self.registry.delete_dataset(item_id)
            result.uploads += 1
        result.freed_bytes += size
        return size
