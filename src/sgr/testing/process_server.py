"""The life of a real, throw-away server process for tests: a temp dir, a free port, a log, a clean end.

Why one base class: every real server the tests start (PostgreSQL, Spark Connect) needs the same fiddly
parts, and each copy of them drifted. Here they live once:

- the port race: `free_port()` only says a port was free a moment ago, so a server that lost it to another
  process is started again on a new port (up to `attempts` times), judged by the words the server logs
  for a failed bind, in the log of that attempt only (an earlier attempt's clash must not cause a retry);
- error messages that name the cause: a start that fails raises the subclass's error with the tail of the
  server's log, saying whether the server exited (and how) or never became ready within the deadline;
- cleanup that leaves nothing: the server runs in its own session (process group), is asked to stop and
  then its whole group is killed (`end_process_group`, which the vLLM server uses too), and its temp dir
  (data, log) is removed, at `stop()`, on a failed start and at interpreter exit.

A subclass supplies only what differs: how to fill the temp dir, the command and its spawn arguments, the
readiness check, the log words of a lost port, the polite stop signal and its grace, the error class and
how to name itself in a message.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, TypeVar

from sgr.testing.net import free_port

_Server = TypeVar("_Server", bound="ThrowAwayServer")


def exited(proc: subprocess.Popen[bytes]) -> bool:
    """Whether the process has exited, without reaping it: while it is an unreaped zombie its id, which is
    also its process group's id, cannot be handed to another process, so killing the group stays safe."""
    if proc.returncode is not None:
        return True
    try:
        return os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:  # reaped behind Popen's back
        return True


def alive(pid: int) -> bool:
    """Whether a process runs and is not a zombie (an orphan's zombie may linger where PID 1 does not reap)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes of a process group, read from /proc (empty where there is none)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and fields[0] not in ("Z", "X") and int(fields[2]) == pgid:
            members.append(int(stat.parent.name))
    return members


def end_process_group(proc: subprocess.Popen[bytes], *, stop_signal: signal.Signals = signal.SIGTERM,
                      grace: float = 30.0, signal_group: bool = False) -> None:
    """Stop a process started with `start_new_session=True` and everything in its group; returns once all
    of them are gone (their memory and ports free). Safe on a process that already exited.

    1. `stop_signal` to the process (`signal_group`: to every process of the group), unless it has exited;
    2. up to `grace` seconds for it to exit, without reaping it (see `exited`);
    3. SIGKILL to the group: children that outlived it (a server killed by the signal before it could stop
       its workers), or all of it when it ignored the signal;
    4. reap it, then wait (10 s at most) until no member of the group is left alive.
    """
    if not exited(proc):
        with contextlib.suppress(ProcessLookupError):
            if signal_group:
                os.killpg(proc.pid, stop_signal)
            else:
                os.kill(proc.pid, stop_signal)  # not proc.send_signal: that would reap an exited process
        deadline = time.monotonic() + grace
        while not exited(proc) and time.monotonic() < deadline:
            time.sleep(0.02)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
    deadline = time.monotonic() + 10.0
    while group_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.02)


class ServerStartError(RuntimeError):
    """A throw-away server exited or was not ready in time; the message carries the tail of its log."""


class ThrowAwayServer:
    """One server process in a fresh temp dir: `with Sub() as s: s.port`; `stop()` removes everything.

    Attributes a test may read: `root` (the temp dir, None when stopped), `port`, `proc`, `start_seconds`
    (spawn to ready, last attempt), `log_path` and `log_tail()`.
    """

    #: name prefix of the temp dir (shows whose dir a stray one is)
    root_prefix: ClassVar[str] = "sgr-server-"
    #: what the server logs when its port was taken between `free_port()` and its bind
    port_lost_words: ClassVar[tuple[str, ...]] = ("Address already in use",)
    #: the signal that asks the server to shut down cleanly (sent to the server process only: it stops its
    #: own children in order, and to them the same signal may mean something else)
    stop_signal: ClassVar[signal.Signals] = signal.SIGTERM
    #: seconds a clean shutdown may take before the whole process group is killed
    stop_grace: ClassVar[float] = 30.0
    #: seconds between two readiness checks
    poll_interval: ClassVar[float] = 0.1
    #: how many ports to try when each one is lost to a race
    attempts: ClassVar[int] = 3
    #: raised, with the log tail, when the server does not start
    start_error: ClassVar[type[ServerStartError]] = ServerStartError

    def __init__(self, *, base_dir: str | Path | None, start_timeout: float) -> None:
        self.base_dir = base_dir
        self.start_timeout = start_timeout
        self.root: Path | None = None
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        #: seconds from spawning the server to its first ready answer (the last attempt)
        self.start_seconds = 0.0
        self._log_start = 0  # where the current attempt's lines begin in the log

    # --- what a subclass supplies ------------------------------------------------------------------------

    def describe(self) -> str:
        """How error messages name the server (e.g. with the binary it ran)."""
        return type(self).__name__

    def _temp_parent(self) -> Path | None:
        """The directory the temp dir is made in (None: the system's temp dir)."""
        return Path(self.base_dir) if self.base_dir is not None else None

    def _prepare_root(self) -> None:
        """Fill the fresh temp dir `self.root` before the first spawn (a data dir, sub-directories)."""

    def _command(self) -> list[str]:
        """The server's command line for `self.port` and `self.root`."""
        raise NotImplementedError

    def _popen_kwargs(self) -> dict[str, Any]:
        """Extra `subprocess.Popen` arguments (env, user, group)."""
        return {}

    def _ready(self) -> bool:
        """Whether the server (of this attempt: see `attempt_log`) answers on `self.port`."""
        raise NotImplementedError

    # --- the shared lifecycle ----------------------------------------------------------------------------

    @property
    def log_path(self) -> Path:
        """The server's stdout and stderr, all attempts (inside `root`, so removed at `stop()`)."""
        assert self.root is not None, "the server is not started"
        return self.root / "server.log"

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the server's log (what a failure message shows)."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except (OSError, AssertionError):
            return "(no server log)"

    def attempt_log(self) -> str:
        """What the server logged since the current attempt's spawn (an earlier attempt's lines excluded)."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(self._log_start)
                return log.read().decode("utf-8", errors="replace")
        except (OSError, AssertionError):
            return ""

    def _spawn(self) -> subprocess.Popen[bytes]:
        """Start the server in its own session, stdout and stderr appended to the log."""
        assert self.root is not None
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps writing after we return
        try:
            self._log_start = log.tell()
            return subprocess.Popen(self._command(), stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, cwd=self.root, start_new_session=True,
                                    **self._popen_kwargs())
        finally:
            log.close()

    def _lost_port(self) -> bool:
        log = self.attempt_log()
        lowered = log.lower()  # uvicorn 0.54 says "address already in use", older ones "Address ..."
        return any(word.lower() in lowered for word in self.port_lost_words)

    def start(self: _Server) -> _Server:
        """Make the temp dir and start the server on a free port, retrying on a port lost to a race.

        Raises `start_error` (with the log tail) when the server exits or is not ready within
        `start_timeout`; nothing is left behind then.
        """
        self.root = Path(tempfile.mkdtemp(prefix=self.root_prefix, dir=self._temp_parent()))
        atexit.register(self.stop)
        try:
            self._prepare_root()
            for _attempt in range(self.attempts):
                self.port = free_port()
                started = time.monotonic()
                proc = self.proc = self._spawn()
                deadline = started + self.start_timeout
                while not exited(proc) and time.monotonic() < deadline:
                    if self._ready():
                        self.start_seconds = time.monotonic() - started
                        return self
                    time.sleep(self.poll_interval)
                died = exited(proc)
                lost_port = self._lost_port()
                self._kill()
                if not lost_port:
                    why = (f"exited with status {proc.returncode}" if died
                           else f"was not ready within {self.start_timeout:.0f} s")
                    raise self.start_error(f"{self.describe()} {why}; log tail:\n{self.log_tail()}")
            raise self.start_error(f"{self.describe()} lost its port to another process {self.attempts} times; "
                                   f"log tail:\n{self.log_tail()}")
        except BaseException:
            self.stop()
            raise

    def _kill(self) -> None:
        """`stop_signal` to the server, `stop_grace` seconds, then SIGKILL to whatever is left of its group."""
        proc, self.proc = self.proc, None
        if proc is not None:
            end_process_group(proc, stop_signal=self.stop_signal, grace=self.stop_grace)

    def stop(self) -> None:
        """Stop the server and delete its temp dir (log included); safe to call twice."""
        self._kill()
        root, self.root = self.root, None
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)
        atexit.unregister(self.stop)

    def __enter__(self: _Server) -> _Server:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
