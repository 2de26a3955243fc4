"""The session's event bus: what happened during a run, published once, heard by whoever cares.

Why a bus: the run folder, the audit log, the progress display and the call log all want to know about
the same moments (a stage began, a model was asked, an answer was rejected, a step fell back). Threading
each of them through every call made the pipeline one long function; instead, code *emits* and the
writers *subscribe*. Core knows nothing about either agent: stage names and data are the agent's business.

Deep code (`sgr.core.step`, tools) calls `emit(...)`; it goes to the bus bound to the current context
(`with bind(bus):`, a context variable, so asyncio tasks and `asyncio.to_thread` inherit it), or to the
process default bus, which has the call log attached, so `sgr logs` sees steps run outside any session.

A subscriber that raises is logged and skipped: an observer must never cost a decision.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

log = logging.getLogger(__name__)

EventKind = Literal["stage_started", "stage_progress", "llm_request", "llm_response", "parse_error", "repair",
                    "fallback", "tool_call", "stage_finished"]
#: every kind, in the order a run meets them; `stage_progress` (a long stage saying how far it got) is ours,
#: the others are the issue's list
KINDS: tuple[str, ...] = get_args(EventKind)


@dataclass(frozen=True)
class Event:
    """One thing that happened: its kind, what it happened to (a stage, step or tool), and its run.

    `correlation` groups the events of one run or decision (the same id the call log stores); `data` is
    kind-specific (a step's trace, a stage's summary, a tool call's record) and read-only by convention.
    """

    kind: EventKind
    name: str
    correlation: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


Subscriber = Callable[[Event], None]


class EventBus:
    """Subscribers per kind, called in subscription order, synchronously, in the publisher's thread."""

    def __init__(self) -> None:
        self._subscribers: list[tuple[frozenset[str] | None, Subscriber]] = []
        self._lock = threading.Lock()  # subscribe/unsubscribe may race a publish from a worker thread

    def subscribe(self, subscriber: Subscriber, *kinds: EventKind) -> Callable[[], None]:
        """Call `subscriber` for events of `kinds` (all kinds when none); returns the unsubscribe function."""
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise ValueError(f"unknown event kind(s) {unknown}; known: {', '.join(KINDS)}")
        entry = (frozenset(kinds) if kinds else None, subscriber)
        with self._lock:
            self._subscribers.append(entry)

        def unsubscribe() -> None:
            with self._lock:
                if entry in self._subscribers:
                    self._subscribers.remove(entry)

        return unsubscribe

    def has_subscribers(self, kind: EventKind) -> bool:
        """Whether anyone listens for `kind` (so costly reporting, e.g. load progress, can be skipped)."""
        with self._lock:
            return any(kinds is None or kind in kinds for kinds, _ in self._subscribers)

    def publish(self, event: Event) -> None:
        """Deliver `event` to every matching subscriber; one that raises is logged, the rest still hear it."""
        with self._lock:
            targets = [fn for kinds, fn in self._subscribers if kinds is None or event.kind in kinds]
        for fn in targets:
            try:
                fn(event)
            except Exception:
                log.exception("event subscriber %r failed on %s %s; the run goes on", fn, event.kind, event.name)

    def emit(self, kind: EventKind, name: str, **data: Any) -> Event:
        """Build an event under the current correlation id and publish it."""
        event = Event(kind=kind, name=name, correlation=current_correlation(), data=data)
        self.publish(event)
        return event


# -- correlation: which run or decision the current code works for ---------------------------------------

_correlation: contextvars.ContextVar[str | None] = contextvars.ContextVar("sgr_correlation", default=None)


@contextlib.contextmanager
def correlate(correlation: str) -> Iterator[str]:
    """Tag every event (and logged call) made inside the block, in this task or thread, with `correlation`."""
    token = _correlation.set(correlation)
    try:
        yield correlation
    finally:
        _correlation.reset(token)


def set_correlation(correlation: str) -> contextvars.Token[str | None]:
    """`correlate` without a block: pass the returned token to `reset_correlation` in a `finally`."""
    return _correlation.set(correlation)


def reset_correlation(token: contextvars.Token[str | None]) -> None:
    """End what `set_correlation` began."""
    _correlation.reset(token)


def current_correlation() -> str | None:
    """The correlation id events are tagged with right now, if any."""
    return _correlation.get()


# -- the current bus --------------------------------------------------------------------------------------

_current: contextvars.ContextVar[EventBus | None] = contextvars.ContextVar("sgr_event_bus", default=None)
_default: EventBus | None = None
_default_lock = threading.Lock()


def new_bus() -> EventBus:
    """A bus with the standard subscribers attached (today: the call log), as every session starts with."""
    from sgr.core import calllog  # here: the call log imports this module for its correlation ids

    bus = EventBus()
    calllog.attach(bus)
    return bus


def default_bus() -> EventBus:
    """The process-wide bus used when no session bound one (scripts, tests, code that runs a bare step)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = new_bus()
        return _default


def current_bus() -> EventBus:
    """The bus bound to this context, else the default bus."""
    return _current.get() or default_bus()


@contextlib.contextmanager
def bind(bus: EventBus) -> Iterator[EventBus]:
    """Make `bus` the current bus inside the block (this task or thread, and tasks started from it)."""
    token = _current.set(bus)
    try:
        yield bus
    finally:
        _current.reset(token)


def emit(kind: EventKind, name: str, **data: Any) -> Event:
    """Publish on the current bus: what deep code calls instead of taking a bus argument."""
    return current_bus().emit(kind, name, **data)


@contextlib.contextmanager
def listen(subscriber: Subscriber, *kinds: EventKind, bus: EventBus | None = None) -> Iterator[None]:
    """Subscribe for the duration of a block (to the current bus unless `bus` is given)."""
    unsubscribe = (bus or current_bus()).subscribe(subscriber, *kinds)
    try:
        yield
    finally:
        unsubscribe()


# -- stages: a named part of a run, timed, with its outcome ------------------------------------------------

@dataclass
class StageRecord:
    """What a stage says about itself: a one-line summary, and results its subscribers lay out."""

    name: str
    summary: str = ""
    #: stage outputs for subscribers (e.g. a selected plan for a run folder); published only on success
    results: dict[str, Any] = field(default_factory=dict)


@contextlib.contextmanager
def stage(name: str, **started: Any) -> Iterator[StageRecord]:
    """Publish `stage_started` (with `started` as data), run the block, publish `stage_finished`.

    `stage_finished` carries status ("ok"/"failed"), the summary (on failure the error's first line),
    `duration_s` and, on success, the record's results. The error itself propagates.
    """
    bus = current_bus()
    rec = StageRecord(name)
    bus.emit("stage_started", name, **started)
    began = time.perf_counter()
    status = "ok"
    try:
        yield rec
    except BaseException as exc:
        status, rec.summary = "failed", str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise
    finally:
        bus.emit("stage_finished", name, status=status, summary=rec.summary,
                 duration_s=round(time.perf_counter() - began, 6), results=rec.results if status == "ok" else {})


def stage_progress(name: str) -> Callable[[str], None] | None:
    """A callback that publishes `stage_progress` for `name` (callable from any thread: the bus and the
    correlation are captured now), or None when nobody listens, so the work can skip its reporting."""
    bus, correlation = current_bus(), current_correlation()
    if not bus.has_subscribers("stage_progress"):
        return None

    def report(summary: str) -> None:
        bus.publish(Event("stage_progress", name, correlation, {"summary": summary}))

    return report
