"""Runs in the background: bounded worker processes, the registry, retention, and the run folders under
`serve.runs_dir`.

Processes rather than threads: a run spends much of its time in Python (planning, report writing), and
with threads that Python competes with the event loop for the GIL; measured on 2 cores with 50 queued
runs, `/healthz` then took up to ~170 ms. In worker processes the loop keeps its interpreter to itself.
`workers.WorkerPool` gives each run its own deadline (`serve.run_timeout`) and confines a crash, a kill or
an out-of-memory death to the run it hit; each worker's DuckDB gets a share of the machine's memory and
cores. Upload profiles run in a separate one-process pool with their own deadline, so a hostile file
cannot take the server process down and never waits behind long runs. The queue is bounded (a flood
gets 503 instead of memory growth) and counted from the pool itself, so no error path can leak a slot.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import shutil
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from sgr.autoviz.errors import DataError
from sgr.autoviz.pipeline import STAGES, run_autoviz
from sgr.autoviz.report import answer_lines
from sgr.autoviz.web.files import InputRejected, check_extension, contained
from sgr.autoviz.web.housekeeping import Sweeper, apply_limits, worker_limits
from sgr.autoviz.web.registry import ACTIVE, Registry, now
from sgr.autoviz.web.workers import JobFailed, JobTimeout, WorkerDied, WorkerPool
from sgr.core.config import Settings
from sgr.core.errors import SGRError

log = logging.getLogger(__name__)

#: runs allowed to wait for a worker; more answer 503
MAX_QUEUED = 500
SAMPLE_ROWS = 8
_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
UPLOADS = "uploads"


def new_id() -> str:
    """128 random bits, URL-safe: ids cannot be guessed or enumerated."""
    return secrets.token_urlsafe(16)


def valid_id(value: str) -> bool:
    """Shape check before any lookup, so odd ids never reach the disk or the database."""
    return bool(_ID.match(value))


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return str(value)


def describe(path: Path) -> dict[str, Any]:
    """The instant profile a person sees after an upload: columns with types and roles, a few rows."""
    from sgr.autoviz.data import load_table, qi
    from sgr.autoviz.profile import profile_table

    table = load_table(path)
    try:
        profile = profile_table(table)
        rows = table.con.execute(f"SELECT * FROM {qi(table.name)} LIMIT {SAMPLE_ROWS}").fetchall()
        return {"rows": profile.n_rows, "shape": profile.shape, "load_notes": table.load_notes,
                "columns": [{"name": c.name, "type": c.dtype, "role": c.role, "missing": c.missing,
                             "distinct": c.distinct} for c in profile.columns],
                "sample": {"columns": table.columns, "rows": [[_jsonable(v) for v in r] for r in rows]}}
    finally:
        table.con.close()


class AutoVizService:
    """Per-app state, created in the lifespan: registry, worker pools, sweeper, folders."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.runs_dir = Path(settings.serve.runs_dir).expanduser().resolve()
        self.data_dir = Path(settings.serve.data_dir).expanduser().resolve()
        self.uploads_dir = self.runs_dir / UPLOADS
        self.registry = Registry(self.runs_dir)
        self.pool: WorkerPool | None = None
        self.profiler: WorkerPool | None = None
        self.sweeper = Sweeper(self.registry, self.runs_dir, self.uploads_dir, settings)
        self._lock = threading.Lock()
        self._stopping = False

    def start(self) -> int:
        """Open the registry (failing runs a dead process left unfinished), start the pools and sweeper."""
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        interrupted = self.registry.open()
        if interrupted:
            log.warning("marked %d interrupted run(s) as failed", interrupted)
        limits = worker_limits(self.settings)
        log.info("workers: %d run + 1 profile, DuckDB memory_limit=%s threads=%d each", self.settings.serve.workers,
                 limits.memory_limit or "default", limits.threads)
        self.pool = WorkerPool(self.settings.serve.workers, name="run", initializer=apply_limits, initargs=(limits,))
        self.profiler = WorkerPool(1, name="profile", initializer=apply_limits, initargs=(limits,))
        self.sweeper.start()
        return interrupted

    def stop(self) -> None:
        """Stop taking work; queued and running runs are failed as interrupted by the next process to open
        or sweep the registry (this one's lease is given up last, once its workers are gone)."""
        self._stopping = True
        self.sweeper.stop()
        for pool in (self.pool, self.profiler):
            if pool is not None:
                pool.shutdown()
        self.pool = self.profiler = None
        self.registry.close()

    # -- datasets ------------------------------------------------------------------------------------

    def upload_path(self, dataset_id: str, name: str) -> Path:
        """Where an upload is stored: under its own id, with its own (sanitised) name and extension."""
        return self.uploads_dir / dataset_id / name

    def check_room(self, incoming: int = 0) -> None:
        """507 when runs and uploads already fill `serve.max_storage_bytes` even after a sweep."""
        quota = self.settings.serve.max_storage_bytes
        if self.sweeper.used_bytes() + incoming <= quota:
            return
        if self.sweeper.sweep().used_bytes + incoming > quota:
            raise InputRejected(f"storage is full: runs and uploads use more than serve.max_storage_bytes "
                                f"({quota} bytes) and nothing finished is left to delete", status=507)

    def register_upload(self, dataset_id: str, name: str, path: Path, size: int) -> None:
        """Remember an upload so runs can name it by id."""
        self.registry.add_dataset(dataset_id, name=name, path=str(path), size=size)

    def discard_upload(self, dataset_id: str) -> None:
        """Remove an upload that failed its checks (file and record)."""
        shutil.rmtree(self.uploads_dir / dataset_id, ignore_errors=True)
        self.registry.delete_dataset(dataset_id)

    def dataset_by_id(self, dataset_id: str) -> tuple[str, Path]:
        """(display name, file) of an upload, or 404."""
        row = self.registry.get_dataset(dataset_id) if valid_id(dataset_id) else None
        if row is None or not Path(row["path"]).is_file():
            raise InputRejected(f"no dataset with id {dataset_id!r}; upload it first", status=404)
        return row["name"], Path(row["path"])

    def dataset_by_path(self, relative: str) -> tuple[str, Path]:
        """A file under `serve.data_dir`, never outside it."""
        target = contained(self.data_dir, relative, what="dataset")
        check_extension(target.name)
        return target.name, target

    def profile(self, path: Path) -> dict[str, Any]:
        """The upload's instant profile, computed in the profiling worker under `serve.profile_timeout`."""
        if self.profiler is None:
            raise InputRejected("the service is shutting down", status=503)
        timeout = self.settings.serve.profile_timeout
        future = self.profiler.submit(describe_job, str(path), timeout=timeout, label=path.name)
        try:
            return future.result()  # type: ignore[no-any-return]
        except JobFailed as exc:
            raise UploadUnreadable(str(exc).partition(": ")[2] or str(exc)) from None
        except JobTimeout:
            raise InputRejected(f"profiling {path.name} took longer than serve.profile_timeout ({timeout:g} s)",
                                status=422) from None
        except WorkerDied as exc:
            raise InputRejected(f"profiling {path.name} crashed its worker ({exc}); the file may be malformed",
                                status=422) from None

    # -- runs ----------------------------------------------------------------------------------------

    def submit(self, *, data: Path, dataset_name: str, question: str, model: str | None) -> str:
        """Queue a run and return its id at once (503 when the queue is full or the service stops)."""
        pool = self.pool
        if pool is None or self._stopping:
            raise InputRejected("the service is shutting down", status=503)
        run_id = new_id()
        stages = [{"stage": s, "status": "pending", "summary": ""} for s in STAGES]
        with self._lock:  # check and enqueue together, so concurrent requests cannot overshoot the bound
            waiting = pool.pending()
            if waiting >= MAX_QUEUED:
                raise InputRejected(f"{waiting} runs are already waiting; try again later", status=503)
            self.registry.add_run(run_id, question=question, model=model, dataset_name=dataset_name,
                                  dataset_path=str(data), stages=stages)
            try:
                future = pool.submit(execute_run, self.settings, str(self.runs_dir), run_id, str(data), question,
                                     model, timeout=self.settings.serve.run_timeout, label=run_id)
            except RuntimeError:
                self.registry.update_run(run_id, status="failed", error_kind="Unavailable",
                                         error="the service is shutting down", finished_at=now())
                raise InputRejected("the service is shutting down", status=503) from None
        future.add_done_callback(lambda f: self._finished(run_id, f))
        return run_id

    def _finished(self, run_id: str, future: Future[None]) -> None:
        """When the worker itself failed (died, deadline), the run fails with that reason; only this run."""
        if future.cancelled():
            return  # cancelled at shutdown: still 'queued' on disk, failed by the next start
        exc = future.exception()
        if exc is None:
            return
        if self._stopping:
            kind, message = "Interrupted", "interrupted by a server shutdown"
        elif isinstance(exc, JobTimeout):
            kind = "Timeout"
            limit = self.settings.serve.run_timeout
            message = f"the run took longer than serve.run_timeout ({limit:g} s) and was stopped"
        elif isinstance(exc, WorkerDied):
            kind, message = "WorkerDied", f"the worker process running this run died ({exc}); other runs are unaffected"
        else:
            kind, message = "InternalError", f"internal error: {exc}"
        log.error("run %s: %s", run_id, message)
        try:
            row = self.registry.get_run(run_id)
            _fail(self.registry, run_id, (row or {}).get("stages") or [], kind, message)
        except Exception:  # the registry is gone with the process shutting down; the next start fails it
            log.exception("could not record the failure of run %s", run_id)

    def delete_run(self, run_id: str) -> None:
        """Delete a finished run's record and folder: 404 unknown, 409 still queued or running."""
        row = self.registry.get_run(run_id) if valid_id(run_id) else None
        if row is None:
            raise InputRejected(f"no run with id {run_id!r}", status=404)
        if row["status"] in ACTIVE:
            raise InputRejected(f"run {run_id} is {row['status']}; delete it once it has finished", status=409)
        self.registry.delete_run(run_id)
        shutil.rmtree(self.runs_dir / run_id, ignore_errors=True)

    def artifacts(self, run_id: str) -> list[str]:
        """Relative paths of every file in a run folder, sorted."""
        run_dir = self.runs_dir / run_id
        if not run_dir.is_dir():
            return []
        return sorted(p.relative_to(run_dir).as_posix() for p in run_dir.rglob("*")
                      if p.is_file() and not p.is_symlink())


class UploadUnreadable(DataError):
    """The profiling worker could not read the upload (a DataError: 422 with the loader's own reason)."""


def describe_job(path: str) -> dict[str, Any]:
    """`describe` in the profiling worker; DataError and friends come back as their one-line message."""
    return describe(Path(path))


def execute_run(settings: Settings, runs_dir: str, run_id: str, data: str, question: str, model: str | None) -> None:
    """One run in a worker process; every outcome ends in the registry with a readable reason."""
    registry = Registry(Path(runs_dir))
    registry.update_run(run_id, status="running")
    stages = [{"stage": s, "status": "pending", "summary": ""} for s in STAGES]
    index = {s["stage"]: s for s in stages}

    def progress(stage: str, status: str, summary: str) -> None:
        rec = index.setdefault(stage, {"stage": stage, "status": "pending", "summary": ""})
        rec["status"] = "running" if status == "start" else status
        rec["summary"] = summary
        registry.update_run(run_id, stage=stage, stages=stages)

    run_dir = Path(runs_dir) / run_id
    try:
        result = run_autoviz(Path(data), question, settings=settings, model=model, out_dir=run_dir,
                             progress=progress)
    except SGRError as exc:
        _fail(registry, run_id, stages, type(exc).__name__, str(exc))
        return
    except Exception as exc:  # a bug must still end the run, with a reason, not leave it 'running'
        log.exception("run %s crashed", run_id)
        first = str(exc).splitlines()[0] if str(exc) else "no message"
        _fail(registry, run_id, stages, "InternalError", f"internal error ({type(exc).__name__}): {first}")
        return
    payload = result.to_json()
    for key in ("run_dir", "report"):
        payload.pop(key, None)
    payload["answer"] = answer_lines(run_dir / "report.md")
    registry.update_run(run_id, status=result.status, stages=stages, result=payload, finished_at=now(), stage=None)


def _fail(registry: Registry, run_id: str, stages: list[dict[str, str]], kind: str, message: str) -> None:
    """End a run as failed with its reason; the stage that was running is marked failed too."""
    for rec in stages:
        if rec["status"] == "running":
            rec["status"] = "failed"
    registry.update_run(run_id, status="failed", stages=stages, error_kind=kind, error=message, finished_at=now())
