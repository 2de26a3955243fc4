"""Which replica of a served model takes the next request, and which ones are down: routing state only.

Why a separate, HTTP-free module: the rules (least in flight, ties in configured order, a failed replica
skipped until its backoff passes, then tried by one request at a time) are easiest to trust when they can
be read and tested without a server, and the clock is injected so tests move time instead of sleeping.

Every method takes one short `threading.Lock` and never blocks inside it, so the same pool serves threads
(the sync path) and asyncio tasks (the async path) at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Literal

Clock = Callable[[], float]
#: a request's end on a replica: it answered (ok), it failed as a server (down), or neither (busy: 429, a
#: cancelled call, a request the server rejected)
Outcome = Literal["ok", "down", "neutral"]
ReplicaState = Literal["up", "down", "retrying"]
#: a replica that keeps failing its retries waits at most this many times `retry_after_s`
MAX_BACKOFF_FACTOR = 8


@dataclass
class Replica:
    """One server of the pool and what the router knows about it."""

    index: int
    url: str
    in_flight: int = 0
    #: None while healthy; else the clock time from which one request may try it again
    down_until: float | None = None
    #: failed retries in a row since it went down (doubles the wait, up to MAX_BACKOFF_FACTOR)
    failures: int = 0
    #: a request is trying it after its backoff; others keep skipping it until that one ends
    probing: bool = False
    last_error: str | None = None
    served: int = 0


@dataclass(frozen=True)
class Lease:
    """A request's hold on one replica; `check` asks the caller to prove the server is back first."""

    index: int
    url: str
    check: bool = False


@dataclass(frozen=True)
class ReplicaStatus:
    """A replica as `status()` shows it (for doctor, logs and a service's health page)."""

    url: str
    state: ReplicaState
    in_flight: int
    served: int
    retry_in_s: float | None
    last_error: str | None


class ReplicaPool:
    """Least-in-flight routing with failover state for the replicas of one model.

    Parameters
    ----------
    urls:
        The replicas, in configured order (the order breaks ties, so routing is deterministic).
    retry_after_s:
        How long a failed replica is skipped; each failed retry doubles it, up to MAX_BACKOFF_FACTOR times.
    clock:
        Monotonic seconds (`time.monotonic`); tests pass a fake to move time.
    """

    def __init__(self, urls: Sequence[str], *, retry_after_s: float = 10.0, clock: Clock = time.monotonic) -> None:
        if not urls:
            raise ValueError("a replica pool needs at least one URL")
        self.replicas = [Replica(i, url) for i, url in enumerate(urls)]
        self.retry_after_s = retry_after_s
        self.clock = clock
        self._lock = threading.Lock()

    def acquire(self, avoid: Collection[int] = ()) -> Lease | None:
        """Take the eligible replica with the fewest requests in flight, skipping `avoid`; None if none is.

        Eligible: healthy, or down with its backoff passed and no other request already trying it.
        """
        with self._lock:
            now = self.clock()
            candidates = [r for r in self.replicas if r.index not in avoid and self._eligible(r, now)]
            if not candidates:
                return None
            chosen = min(candidates, key=lambda r: (r.in_flight, r.index))
            chosen.in_flight += 1
            check = chosen.down_until is not None
            if check:
                chosen.probing = True
            return Lease(chosen.index, chosen.url, check)

    def release(self, lease: Lease, outcome: Outcome, reason: str | None = None) -> str | None:
        """End a request on its replica; returns "down" or "recovered" when the replica changed state."""
        with self._lock:
            replica = self.replicas[lease.index]
            replica.in_flight -= 1
            if lease.check:
                replica.probing = False
            if outcome == "ok":
                replica.served += 1
                was_down = replica.down_until is not None
                replica.down_until, replica.failures, replica.last_error = None, 0, None
                return "recovered" if was_down else None
            if outcome == "neutral":
                return None
            replica.last_error = reason
            now = self.clock()
            if replica.down_until is None:
                replica.failures = 0
                replica.down_until = now + self.retry_after_s
                return "down"
            if lease.check:  # its retry failed: wait longer
                replica.failures += 1
                factor = min(2**replica.failures, MAX_BACKOFF_FACTOR)
                replica.down_until = now + self.retry_after_s * factor
            # else: a request sent before it was marked down failed too; the backoff already runs
            return None

    def status(self) -> list[ReplicaStatus]:
        """Every replica's state now, in configured order."""
        with self._lock:
            now = self.clock()
            return [self._status(r, now) for r in self.replicas]

    def retry_in(self, index: int) -> float | None:
        """Seconds until a down replica may be tried again (0 when due); None while it is up."""
        with self._lock:
            until = self.replicas[index].down_until
            return None if until is None else max(0.0, until - self.clock())

    @staticmethod
    def _eligible(replica: Replica, now: float) -> bool:
        if replica.down_until is None:
            return True
        return now >= replica.down_until and not replica.probing

    @staticmethod
    def _status(replica: Replica, now: float) -> ReplicaStatus:
        if replica.down_until is None:
            state: ReplicaState = "up"
            retry_in = None
        else:
            state = "retrying" if replica.probing else "down"
            retry_in = max(0.0, replica.down_until - now)
        return ReplicaStatus(replica.url, state, replica.in_flight, replica.served, retry_in, replica.last_error)
