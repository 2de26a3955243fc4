"""The call log: every SGR step call in one SQLite database, like `llm logs`.

The log is a subscriber of the event bus (`sgr.core.events`): every step call ends in exactly one
`llm_response` or `fallback` event carrying its trace, and `attach(bus)` records each as one row. Every bus
made by `events.new_bus()` (the default one, every session's) has it attached. A call is grouped with the
others of its run or decision by a correlation id carried in a context variable
(`with correlate("autoviz:<run id>"):`), and tagged with the surface that made it (`set_surface("cli")`).

Where: `$SGR_LOGS_DB`, else `$XDG_DATA_HOME/sgr-agents/logs.db` (`~/.local/share/...`). `SGR_LOGS=0` turns
it off. Writing never breaks a decision and holds it up only for one short insert: WAL, one short transaction
per call, and any failure is logged once and swallowed. One connection per thread and process, so steps may
record from asyncio tasks, threads and worker processes at once. Writers of one process take turns on a
process lock before they touch the file, so they never meet SQLite's lock at all (a writer that waited on
SQLite's busy timeout could lose its call when the lock holder was starved of the GIL on a loaded machine);
only other processes are waited for, up to `WRITE_TIMEOUT_S`.

Schemas are stored once, keyed by the sha256 of their canonical JSON; calls reference them. Migrations are
named functions `m001_*`, applied once each, in order, and remembered in the `migrations` table.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import inspect
import json
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

# the correlation helpers live with the events (every event carries the id); the `calllog.*` names stay public
from sgr.core.events import Event, EventBus
from sgr.core.events import correlate as correlate
from sgr.core.events import current_correlation as current_correlation
from sgr.core.events import reset_correlation as reset_correlation
from sgr.core.events import set_correlation as set_correlation
from sgr.core.sqlite_wal import enable_wal
from sgr.core.trace import Trace

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])

#: seconds a step's write waits for another *process's* write lock before it gives up (the call goes unlogged,
#: with a warning). Each writer holds the lock for one short insert; the margin is for a holder the OS has
#: descheduled on a busy machine (0.25 s lost a call in CI), so only a stuck writer is ever given up on
WRITE_TIMEOUT_S = 2.0
#: seconds a reader or a migration waits
BUSY_TIMEOUT_S = 5.0
_OFF = {"0", "false", "no", "off"}

_local = threading.local()
_warned = False
#: writers of this process take turns here, not on SQLite's file lock (see the module docstring)
_write_lock = threading.Lock()


def _new_write_lock() -> None:
    """A forked child starts with a fresh lock: the parent's may have been held by a thread that is gone."""
    global _write_lock
    _write_lock = threading.Lock()


os.register_at_fork(after_in_child=_new_write_lock)


# -- where, whether, who ----------------------------------------------------------------------------

def enabled() -> bool:
    """False when `SGR_LOGS` is 0/false/no/off."""
    return os.environ.get("SGR_LOGS", "1").strip().lower() not in _OFF


def db_path() -> Path:
    """`$SGR_LOGS_DB`, else `$XDG_DATA_HOME/sgr-agents/logs.db` (XDG default `~/.local/share`)."""
    explicit = os.environ.get("SGR_LOGS_DB")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "sgr-agents" / "logs.db"


def set_surface(name: str, *, replace: bool = True) -> None:
    """Tag every later call of this process, and of processes it spawns, as made by `name` (cli, service);
    `replace=False` keeps a surface already set."""
    if replace or not os.environ.get("SGR_LOGS_SURFACE"):
        os.environ["SGR_LOGS_SURFACE"] = name  # the environment, so spawned AutoViz workers inherit it


def surface() -> str:
    """The surface calls are tagged with: what `set_surface` said, else "python" (a script or notebook)."""
    return os.environ.get("SGR_LOGS_SURFACE") or "python"


def correlated(prefix: str) -> Callable[[F], F]:
    """Decorator: each call of the function gets a fresh correlation `"<prefix>:<12 hex>"` (sync or async)."""

    def wrap(fn: F) -> F:
        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def arun(*args: Any, **kwargs: Any) -> Any:
                with correlate(f"{prefix}:{uuid.uuid4().hex[:12]}"):
                    return await fn(*args, **kwargs)

            return arun  # type: ignore[return-value]

        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            with correlate(f"{prefix}:{uuid.uuid4().hex[:12]}"):
                return fn(*args, **kwargs)

        return run  # type: ignore[return-value]

    return wrap


# -- migrations -------------------------------------------------------------------------------------

def m001_initial(db: sqlite3.Connection) -> None:
    """Schemas by hash, and one row per call."""
    db.execute("""CREATE TABLE schemas (
        id TEXT PRIMARY KEY,            -- sha256 of the canonical JSON (sorted keys, no spaces)
        name TEXT,
        content TEXT NOT NULL)""")
    db.execute("""CREATE TABLE calls (
        id INTEGER PRIMARY KEY,
        datetime_utc TEXT NOT NULL,     -- ISO 8601, UTC, no offset: sorts and compares as text
        step TEXT NOT NULL,
        outcome TEXT NOT NULL,          -- ok | repaired | fallback | offline | error
        schema_id TEXT REFERENCES schemas(id),
        schema_name TEXT,
        backend TEXT, model TEXT, dialect TEXT,
        messages TEXT,                  -- JSON: the prompt as first sent
        attempts TEXT,                  -- JSON: each attempt's raw output, finish reason, error, tokens
        value TEXT,                     -- JSON: the parsed (and resolved) answer the step returned
        n_attempts INTEGER NOT NULL, retries INTEGER NOT NULL, repairs INTEGER NOT NULL,
        fallback_used INTEGER NOT NULL, fallback_reason TEXT, error TEXT,
        resolved_fields TEXT, budget TEXT,
        prompt_tokens INTEGER, completion_tokens INTEGER, latency_ms REAL,
        correlation TEXT, surface TEXT)""")


def m002_indexes(db: sqlite3.Connection) -> None:
    """Indexes for the filters `sgr logs` offers."""
    db.execute("CREATE INDEX calls_datetime ON calls (datetime_utc)")
    db.execute("CREATE INDEX calls_step ON calls (step, datetime_utc)")
    db.execute("CREATE INDEX calls_correlation ON calls (correlation)")


#: every migration, in the order applied; append only, never rename or edit a released one
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (m001_initial, m002_indexes)


def migrate(db: sqlite3.Connection, *, upto: int | None = None) -> list[str]:
    """Apply the migrations not yet applied (the first `upto` only, for tests); return their names.

    Runs inside one IMMEDIATE transaction, so two processes opening a new database never both migrate.
    """
    db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    wanted = MIGRATIONS[:upto]
    done = {r[0] for r in db.execute("SELECT name FROM migrations")}
    if all(m.__name__ in done for m in wanted):
        return []
    applied = []
    db.execute("BEGIN IMMEDIATE")
    try:
        done = {r[0] for r in db.execute("SELECT name FROM migrations")}  # another process may have won
        for m in wanted:
            if m.__name__ not in done:
                m(db)
                db.execute("INSERT INTO migrations VALUES (?, ?)", (m.__name__, _now()))
                applied.append(m.__name__)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return applied


def connect(path: Path | str | None = None, *, upto: int | None = None,
            timeout: float = BUSY_TIMEOUT_S) -> sqlite3.Connection:
    """A new connection to the log (created and migrated as needed), in autocommit mode with WAL."""
    target = Path(path) if path is not None else db_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    enable_wal(db, timeout=timeout)
    db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: no fsync per commit; a log may lose its tail
    migrate(db, upto=upto)
    db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    return db


@dataclass
class _Writer:
    db: sqlite3.Connection
    schemas: set[str]  # ids this connection has stored (or found stored): no insert for them again


def _writer() -> _Writer:
    """This thread's connection to the current database (new after a fork or when the path changes)."""
    key = (str(db_path()), os.getpid())
    writers: dict[tuple[str, int], _Writer] = getattr(_local, "writers", None) or {}
    _local.writers = writers
    w = writers.get(key)
    if w is None:
        for old_key in [k for k in writers if k[1] == key[1]]:  # the path changed (tests): close the old one
            writers.pop(old_key).db.close()
        w = writers[key] = _Writer(connect(Path(key[0]), timeout=WRITE_TIMEOUT_S), set())
    return w


# -- writing ----------------------------------------------------------------------------------------

def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds")


def _json(obj: Any) -> str | None:
    if obj is None:
        return None
    if hasattr(obj, "model_dump"):
        obj = obj.model_dump(mode="json")
    return json.dumps(obj, ensure_ascii=False, default=str)


def schema_id(schema: dict[str, Any]) -> tuple[str, str]:
    """(sha256 hex, canonical JSON) of a JSON schema: the same contract always gets the same id."""
    canonical = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest(), canonical


def outcome_of(trace: Trace, error: BaseException | None = None) -> str:
    """ok, repaired (valid after feedback), fallback (the model failed), offline (no model) or error."""
    if error is not None:
        return "error"
    if trace.fallback_used:
        return "offline" if not trace.attempts and trace.fallback_reason == "offline backend" else "fallback"
    return "repaired" if trace.repairs else "ok"


def record(trace: Trace, value: Any = None, *, schema: dict[str, Any] | None = None,
           messages: list[dict[str, Any]] | None = None, error: BaseException | None = None,
           correlation: str | None = None) -> int | None:
    """Write one call; return its id, or None when logging is off or the write failed (never raises).

    Parameters
    ----------
    trace:
        The step's trace (attempts with raw output, tokens, latency, fallback reason, dialect...).
    value:
        The answer the step returned (a pydantic model or plain data); None when it raised.
    schema, messages:
        The contract and prompt when the trace does not carry them (a fallback after the model failed).
    error:
        The exception the step raised (on_failure: raise).
    correlation:
        Overrides the id from the enclosing `correlate` block.
    """
    if not enabled():
        return None
    try:
        schema = schema if schema is not None else trace.schema
        sid, canonical = schema_id(schema) if schema is not None else (None, None)
        row = (
            _now(), trace.step, outcome_of(trace, error), sid, trace.schema_name, trace.backend, trace.model,
            trace.dialect, _json(messages if messages is not None else trace.messages or None),
            _json([a.__dict__ for a in trace.attempts]), _json(value), len(trace.attempts), trace.retries,
            trace.repairs, int(trace.fallback_used), trace.fallback_reason,
            f"{type(error).__name__}: {error}" if error is not None else None,
            _json(trace.resolved_fields), _json(trace.budget), trace.prompt_tokens, trace.completion_tokens,
            round(trace.latency_s * 1000, 3), correlation or current_correlation(), surface(),
        )
        with _write_lock:
            return _insert(_writer(), row, sid, trace.schema_name, canonical)
    except Exception as exc:  # a log must never cost a decision
        _warn(exc)
        return None


def _insert(w: _Writer, row: tuple[Any, ...], sid: str | None, schema_name: str | None,
            canonical: str | None) -> int | None:
    """One call's row (and its schema the first time) in one transaction; the caller holds `_write_lock`."""
    with w.db:  # autocommit connection: BEGIN here, `with` commits (or rolls back on an error)
        # take the write lock at BEGIN, where the busy timeout waits for it; a deferred transaction takes it at its
        # first write and may then fail at once (SQLITE_BUSY_SNAPSHOT) instead of waiting
        w.db.execute("BEGIN IMMEDIATE")
        if sid is not None and sid not in w.schemas:
            w.db.execute("INSERT OR IGNORE INTO schemas (id, name, content) VALUES (?, ?, ?)",
                         (sid, schema_name, canonical))
        cur = w.db.execute(_INSERT, row)
    if sid is not None:
        w.schemas.add(sid)
    return cur.lastrowid


#: the events that end a step call (exactly one per call): the call log writes one row for each
CALL_EVENTS = ("llm_response", "fallback")


def record_event(event: Event) -> None:
    """Write the call an `llm_response`/`fallback` event closes (its data: trace, value, schema, messages,
    error)."""
    data = event.data
    record(data["trace"], data.get("value"), schema=data.get("schema"), messages=data.get("messages"),
           error=data.get("error"), correlation=event.correlation)


def attach(bus: EventBus) -> None:
    """Subscribe the call log to `bus`, so every step call published there lands in `sgr logs`."""
    bus.subscribe(record_event, *CALL_EVENTS)


_COLUMNS = ("datetime_utc", "step", "outcome", "schema_id", "schema_name", "backend", "model", "dialect", "messages",
            "attempts", "value", "n_attempts", "retries", "repairs", "fallback_used", "fallback_reason", "error",
            "resolved_fields", "budget", "prompt_tokens", "completion_tokens", "latency_ms", "correlation",
            "surface")
_INSERT = f"INSERT INTO calls ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


def _warn(exc: Exception) -> None:
    """Say once per process that calls are not being logged, then keep quiet (debug level)."""
    global _warned
    if _warned:
        log.debug("call log write failed: %s", exc)
        return
    _warned = True
    log.warning("the call log at %s cannot be written (%s: %s); calls are not logged. Set SGR_LOGS=0 to turn "
                "it off or SGR_LOGS_DB to move it.", db_path(), type(exc).__name__, exc)


# -- reading ----------------------------------------------------------------------------------------

_JSON_FIELDS = ("messages", "attempts", "value", "resolved_fields", "budget")
#: outcomes `--failed` lists: the model was asked and needed feedback, failed, or raised
FAILED_OUTCOMES = ("repaired", "fallback", "error")


@dataclass
class CallQuery:
    """Filters for `calls`: all optional; newest first."""

    step: str | None = None
    since: str | None = None  # ISO 8601 UTC without offset, as stored
    failed: bool = False
    correlation: str | None = None  # exact id, or a prefix ending in ':' or '*'
    limit: int | None = 20


def _row(r: sqlite3.Row) -> dict[str, Any]:
    out = dict(r)
    for k in _JSON_FIELDS:
        if out.get(k) is not None:
            out[k] = json.loads(out[k])
    out["fallback_used"] = bool(out["fallback_used"])
    return out


def calls(db: sqlite3.Connection, query: CallQuery | None = None) -> list[dict[str, Any]]:
    """Logged calls matching `query`, newest first, each a dict (JSON columns decoded)."""
    q = query or CallQuery()
    where, args = [], []
    if q.step:
        where.append("step = ?")
        args.append(q.step)
    if q.since:
        where.append("datetime_utc >= ?")
        args.append(q.since)
    if q.failed:
        where.append(f"outcome IN ({', '.join('?' * len(FAILED_OUTCOMES))})")
        args.extend(FAILED_OUTCOMES)
    if q.correlation:
        if q.correlation.endswith(("*", ":")):
            where.append("correlation LIKE ? ESCAPE '\\'")
            prefix = q.correlation.rstrip("*")
            args.append(prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        else:
            where.append("correlation = ?")
            args.append(q.correlation)
    sql = "SELECT * FROM calls" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC"
    if q.limit:
        sql += " LIMIT ?"
        args.append(q.limit)
    return [_row(r) for r in db.execute(sql, args)]


def get_call(db: sqlite3.Connection, call_id: int) -> dict[str, Any] | None:
    """One call with its schema (`schema`: the JSON schema, or None), or None if there is no such id."""
    r = db.execute("SELECT * FROM calls WHERE id = ?", (call_id,)).fetchone()
    if r is None:
        return None
    out = _row(r)
    s = db.execute("SELECT content FROM schemas WHERE id = ?", (out["schema_id"],)).fetchone()
    out["schema"] = json.loads(s[0]) if s else None
    return out


def parse_since(text: str, *, now: dt.datetime | None = None) -> str:
    """`2h`, `30m`, `3d`, `1w` ago, or an ISO date/datetime (naive = UTC), as the stored text form.

    Raises ValueError with the accepted forms when `text` is neither.
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    t = text.strip().lower()
    units = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
    if len(t) > 1 and t[-1] in units and t[:-1].isdigit():
        when = now - dt.timedelta(**{units[t[-1]]: int(t[:-1])})
    else:
        try:
            when = dt.datetime.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(f"--since {text!r}: give an ISO date or datetime (2026-11-03, 2026-11-03T14:00) "
                             "or an age such as 30m, 2h, 3d, 1w") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds")
