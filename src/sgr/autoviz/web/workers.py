"""Worker processes where one crash, kill or hang fails only the job it was running.

Why not `concurrent.futures.ProcessPoolExecutor`: when any of its workers dies it marks the whole pool
broken and fails every queued and running future (`BrokenProcessPool`), so one out-of-memory run took
every other run with it. Here each slot is a thread in the server that owns one spawned process and hands
it one job at a time over a pipe. The thread waits on the pipe *and* the process sentinel with the job's
deadline: a result resolves the job's future; a dead process fails only that job (the next job gets a
fresh process); a deadline passed kills the process and fails the job with `JobTimeout`.

Jobs wait in one in-memory queue, so "how many are waiting" is the queue plus the busy slots, never a
separate counter that an error path can forget to decrement.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

log = logging.getLogger(__name__)


class WorkerDied(RuntimeError):
    """The process running a job exited (killed, out of memory, a native crash) before answering."""


class JobTimeout(RuntimeError):
    """A job ran past its deadline; its process was killed."""


class JobFailed(RuntimeError):
    """The job raised in the worker; the message is `Kind: first line`, since tracebacks stay there."""


@dataclass
class _Job:
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    timeout: float | None
    label: str
    future: Future[Any] = field(default_factory=Future)


def _worker_main(conn: Connection, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """The child: run jobs until the parent closes the pipe or sends None."""
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        fn, args = message
        try:
            result = fn(*args)
        except BaseException as exc:  # report, keep serving: the parent decides what a failure means
            first = str(exc).splitlines()[0] if str(exc) else "no message"
            conn.send((False, f"{type(exc).__name__}: {first}"))
        else:
            conn.send((True, result))


class WorkerPool:
    """`size` slots, each one spawned process at a time; `submit` returns a future at once."""

    def __init__(self, size: int, *, name: str = "worker", initializer: Callable[..., None] | None = None,
                 initargs: tuple[Any, ...] = ()) -> None:
        self.size = size
        self.name = name
        self._initializer, self._initargs = initializer, initargs
        self._ctx = multiprocessing.get_context("spawn")  # the server has threads: never fork it
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._busy: dict[int, tuple[int | None, str]] = {}  # slot -> (pid, job label)
        self._procs: dict[int, multiprocessing.process.BaseProcess] = {}
        self._closed = False
        self._threads = [threading.Thread(target=self._slot, args=(i,), name=f"{name}-slot-{i}", daemon=True)
                         for i in range(size)]
        for t in self._threads:
            t.start()

    # -- public --------------------------------------------------------------------------------------

    def submit(self, fn: Callable[..., Any], *args: Any, timeout: float | None = None, label: str = "") -> Future[Any]:
        """Queue `fn(*args)` (both must pickle) with a deadline in seconds counted from when it starts."""
        if self._closed:
            raise RuntimeError(f"{self.name} pool is shut down")
        job = _Job(fn=fn, args=args, timeout=timeout, label=label)
        self._queue.put(job)
        return job.future

    def pending(self) -> int:
        """Jobs waiting or running."""
        with self._lock:
            return self._queue.qsize() + len(self._busy)

    def running(self) -> dict[str, int | None]:
        """Job label -> pid of the process running it (for operators and the worker-kill test)."""
        with self._lock:
            return {label: pid for pid, label in self._busy.values()}

    def shutdown(self) -> None:
        """Cancel waiting jobs, stop idle processes and kill busy ones; returns without waiting for them."""
        self._closed = True
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job.future.cancel()
        for _ in self._threads:
            self._queue.put(None)
        with self._lock:
            busy = set(self._busy)
            procs = dict(self._procs)
        for slot, proc in procs.items():
            if slot in busy and proc.is_alive():
                proc.kill()

    # -- slots ---------------------------------------------------------------------------------------

    def _spawn(self, slot: int) -> tuple[multiprocessing.process.BaseProcess, Connection]:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker_main, args=(child, self._initializer, self._initargs),
                                 name=f"sgr-{self.name}-{slot}", daemon=True)
        proc.start()
        child.close()
        with self._lock:
            self._procs[slot] = proc
        return proc, parent

    def _slot(self, slot: int) -> None:
        proc: multiprocessing.process.BaseProcess | None = None
        conn: Connection | None = None
        while True:
            job = self._queue.get()
            if job is None or self._closed:
                if job is not None:
                    job.future.cancel()
                break
            if not job.future.set_running_or_notify_cancel():
                continue
            try:
                if proc is None or conn is None or not proc.is_alive():
                    proc, conn = self._spawn(slot)
                with self._lock:
                    self._busy[slot] = (proc.pid, job.label)
                keep = self._run(job, proc, conn)
            except BaseException as exc:  # a pickling error, a failed spawn: this job fails, the slot goes on
                keep = False
                if not job.future.done():
                    job.future.set_exception(exc)
            finally:
                with self._lock:
                    self._busy.pop(slot, None)
            if not keep and proc is not None:
                _stop(proc)
                proc, conn = None, None
        if proc is not None and conn is not None:
            with contextlib.suppress(OSError):
                conn.send(None)
            _stop(proc, grace=2.0)

    def _run(self, job: _Job, proc: multiprocessing.process.BaseProcess, conn: Connection) -> bool:
        """Run one job; True when the process can take the next one."""
        conn.send((job.fn, job.args))
        ready = wait([conn, proc.sentinel], timeout=job.timeout)
        if conn in ready:
            try:
                ok, value = conn.recv()
            except (EOFError, OSError):
                ready = [proc.sentinel]
            else:
                if ok:
                    job.future.set_result(value)
                else:
                    job.future.set_exception(JobFailed(value))
                return True
        if proc.sentinel in ready:
            proc.join(1.0)
            log.error("%s %s: worker pid %s died (exit code %s)", self.name, job.label, proc.pid, proc.exitcode)
            job.future.set_exception(WorkerDied(f"the worker process died (exit code {proc.exitcode})"))
            return False
        log.error("%s %s: past its %.0f s deadline; killing pid %s", self.name, job.label, job.timeout or 0,
                  proc.pid)
        job.future.set_exception(JobTimeout(f"ran past its deadline of {job.timeout:g} s"))
        return False


def _stop(proc: multiprocessing.process.BaseProcess, grace: float = 0.0) -> None:
    if grace:
        proc.join(grace)
    if proc.is_alive():
        proc.kill()
    proc.join(5.0)
