"""Runs in the background: a bounded process pool, the registry, and the run folders under `serve.runs_dir`.

Processes rather than threads: a run spends much of its time in Python (planning, report writing), and
with threads that Python competes with the event loop for the GIL; measured on 2 cores with 50 queued
runs, `/healthz` then took up to ~170 ms. In worker processes the loop keeps its interpreter to itself.
Workers are spawned (not forked: the server has threads) and reused; each writes its run's progress
straight into the SQLite registry. The pool's size (`serve.workers`) bounds CPU use; requests beyond it
wait in the queue (also bounded, so a flood gets 503 instead of memory growth), and the event loop only
ever enqueues. A worker that dies (killed, out of memory) fails its run with that reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import re
import secrets
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from sgr.autoviz.pipeline import STAGES, run_autoviz
from sgr.autoviz.web.files import InputRejected, check_extension, contained
from sgr.autoviz.web.registry import Registry, now
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


def answer_lines(report_md: Path) -> list[str]:
    """The bullet points under '## Answer' in report.md: the report's own words, not a re-summary."""
    try:
        text = report_md.read_text(encoding="utf-8")
    except OSError:
        return []
    out: list[str] = []
    inside = False
    for line in text.splitlines():
        if line.startswith("## "):
            inside = line.strip() == "## Answer"
            continue
        if inside and line.startswith("- "):
            out.append(line[2:].strip())
    return out


class AutoVizService:
    """Per-app state, created in the lifespan: registry, pool, folders."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.runs_dir = Path(settings.serve.runs_dir).expanduser().resolve()
        self.data_dir = Path(settings.serve.data_dir).expanduser().resolve()
        self.uploads_dir = self.runs_dir / UPLOADS
        self.registry = Registry(self.runs_dir)
        self.pool: ProcessPoolExecutor | None = None
        self._waiting = 0
        self._lock = threading.Lock()

    def start(self) -> int:
        """Open the registry (failing runs a previous process left unfinished) and start the pool."""
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        interrupted = self.registry.open()
        if interrupted:
            log.warning("marked %d interrupted run(s) as failed", interrupted)
        self.pool = self._new_pool()
        return interrupted

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.settings.serve.workers,
                                   mp_context=multiprocessing.get_context("spawn"))

    def stop(self) -> None:
        """Stop taking work; queued runs stay 'queued' on disk and the next start fails them."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    # -- datasets ------------------------------------------------------------------------------------

    def upload_path(self, dataset_id: str, name: str) -> Path:
        """Where an upload is stored: under its own id, with its own (sanitised) name and extension."""
        return self.uploads_dir / dataset_id / name

    def register_upload(self, dataset_id: str, name: str, path: Path, size: int) -> None:
        """Remember an upload so runs can name it by id."""
        self.registry.add_dataset(dataset_id, name=name, path=str(path), size=size)

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

    # -- runs ----------------------------------------------------------------------------------------

    def submit(self, *, data: Path, dataset_name: str, question: str, model: str | None) -> str:
        """Queue a run and return its id at once."""
        if self.pool is None:
            raise InputRejected("the service is shutting down", status=503)
        with self._lock:
            if self._waiting >= MAX_QUEUED:
                raise InputRejected(f"{MAX_QUEUED} runs are already waiting; try again later", status=503)
            self._waiting += 1
        run_id = new_id()
        stages = [{"stage": s, "status": "pending", "summary": ""} for s in STAGES]
        self.registry.add_run(run_id, question=question, model=model, dataset_name=dataset_name,
                              dataset_path=str(data), stages=stages)
        args = (self.settings, str(self.runs_dir), run_id, str(data), question, model)
        try:
            try:
                future = self.pool.submit(execute_run, *args)
            except BrokenProcessPool:  # a worker died earlier: the old pool is unusable, start a new one
                with self._lock:
                    old, self.pool = self.pool, self._new_pool()
                old.shutdown(wait=False, cancel_futures=True)
                future = self.pool.submit(execute_run, *args)
        except RuntimeError:
            self._finished(run_id, None)
            self.registry.update_run(run_id, status="failed", error_kind="Unavailable",
                                     error="the service is shutting down", finished_at=now())
            raise InputRejected("the service is shutting down", status=503) from None
        future.add_done_callback(lambda f: self._finished(run_id, f))
        return run_id

    def _finished(self, run_id: str, future: Future[None] | None) -> None:
        """Free a queue slot; if the worker itself died, the run fails with that reason."""
        with self._lock:
            self._waiting -= 1
        if future is None or future.cancelled():
            return  # cancelled at shutdown: still 'queued' on disk, failed by the next start
        exc = future.exception()
        if exc is not None:
            log.error("run %s: worker failed: %r", run_id, exc)
            try:
                self.registry.update_run(run_id, status="failed", error_kind="WorkerDied", finished_at=now(),
                                         error=f"a worker process died before this run finished ({type(exc).__name__})")
            except Exception:  # the registry is gone with the process shutting down; the next start fails it
                log.exception("could not record the failure of run %s", run_id)

    def artifacts(self, run_id: str) -> list[str]:
        """Relative paths of every file in a run folder, sorted."""
        run_dir = self.runs_dir / run_id
        if not run_dir.is_dir():
            return []
        return sorted(p.relative_to(run_dir).as_posix() for p in run_dir.rglob("*")
                      if p.is_file() and not p.is_symlink())


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
    for rec in stages:
        if rec["status"] == "running":
            rec["status"] = "failed"
    registry.update_run(run_id, status="failed", stages=stages, error_kind=kind, error=message, finished_at=now())
