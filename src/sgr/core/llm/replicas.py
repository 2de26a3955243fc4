"""One model served by several OpenAI-compatible servers (`urls:`): route, fail over, recover.

Why: a service that keeps many decisions in flight outgrows one vLLM, and a replica that dies must not
cost a decision. Each replica is its own `OpenAICompatBackend` (its own engine kind, dialect negotiation
and connection pools: replicas may run different versions); `ReplicaPool` picks the one with the fewest
requests in flight. A replica that cannot serve (refused, reset, timed out, 5xx, or no verified dialect) is
marked down and the request moves on at once to the next replica; after its backoff one request first
checks it with `GET /v1/models`, re-probes its kind and dialects, and brings it back. A 4xx answer to the
chat call is the request's fault and is raised as it is (another replica would reject it too). A 429 is
treated like a 5xx: the replica asks to be left alone for a while, and the backoff does exactly that.

Retries are bounded: `connect_retries + 1` attempts per call, at least one per replica; each attempt keeps
the entry's end-to-end `timeout`. When no replica is left the call raises BackendUnavailable naming every
replica and why, and the step's `on_failure` decides (fallback or raise), as with one server.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sgr.core.config import ModelEntry
from sgr.core.errors import BackendUnavailable
from sgr.core.llm.base import Backend, GenerationRequest, RawOutput
from sgr.core.llm.openai_compat import OpenAICompatBackend, ServerRejected
from sgr.core.llm.replica_pool import Clock, Lease, Outcome, ReplicaPool, ReplicaStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReplicaView:
    """A replica as doctor and a health page show it: routing state plus the server facts known now."""

    url: str
    state: str
    in_flight: int
    served: int
    retry_in_s: float | None
    last_error: str | None
    server_kind: str
    dialect: str | None


class ReplicatedBackend(Backend):
    """A backend over the replicas of one served model (see the module docstring for the policy).

    Parameters
    ----------
    name:
        The model entry's name.
    replicas:
        One single-server backend per replica, in configured order; build them with one transport attempt
        each (`connect_retries=0`): failing over beats retrying a dead server.
    attempts:
        Attempts per call across replicas (raised to the number of replicas, so each gets a chance).
    retry_after_s:
        How long a failed replica is skipped before one request tries it again.
    backoff_s:
        Sleep before re-sending to a replica this call already tried (only when every other one is out).
    clock:
        Monotonic seconds for the backoff (tests inject a fake).
    """

    kind: ClassVar[str] = "openai"

    def __init__(
        self,
        name: str,
        replicas: Sequence[OpenAICompatBackend],
        *,
        attempts: int = 3,
        retry_after_s: float = 10.0,
        backoff_s: float = 0.5,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__(name)
        if not replicas:
            raise ValueError("a replicated backend needs at least one replica")
        self.replicas = tuple(replicas)
        self.pool = ReplicaPool([r.base_url for r in replicas], retry_after_s=retry_after_s, clock=clock)
        self.attempts = max(attempts, len(replicas))
        self.backoff_s = backoff_s
        self._last: OpenAICompatBackend = self.replicas[0]

    @classmethod
    def from_entry(
        cls, entry: ModelEntry, *, backoff_s: float = 0.5, clock: Clock = time.monotonic
    ) -> ReplicatedBackend:
        """One `OpenAICompatBackend` per URL of `entry.urls`, each with a single transport attempt."""
        replicas = [
            OpenAICompatBackend.from_entry(
                entry.model_copy(update={"url": url, "urls": None, "connect_retries": 0}), backoff_s=backoff_s
            )
            for url in entry.replica_urls
        ]
        return cls(entry.name, replicas, attempts=entry.connect_retries + 1, retry_after_s=entry.replica_retry_s,
                   backoff_s=backoff_s, clock=clock)

    # what traces show ------------------------------------------------------------------------------
    @property
    def model_name(self) -> str | None:
        """The served model of the replica that answered last."""
        return self._last.model_name

    @property
    def dialect(self) -> str | None:
        """The dialect of the replica that answered last (each replica negotiates its own)."""
        return self._last.dialect

    def status(self) -> list[ReplicaView]:
        """Every replica: up / down / retrying, load, and its server kind and dialect as known now."""
        return [_view(s, r) for s, r in zip(self.pool.status(), self.replicas, strict=True)]

    # generation ------------------------------------------------------------------------------------
    def generate(self, request: GenerationRequest) -> RawOutput:
        """Send `request` to the least busy healthy replica; fail over to the others on a server failure."""
        tried: list[int] = []
        failures: list[str] = []
        while (lease := self._next(tried)) is not None:
            if lease.index in tried:
                time.sleep(self.backoff_s)
            tried.append(lease.index)
            replica = self.replicas[lease.index]
            with _Hold(self, lease) as hold:
                if lease.check:
                    replica.check_health()
                replica.ready()
                hold.chatting = True
                return self._served(replica.generate(request), replica, failures)
            failures.append(f"{lease.url}: {hold.reason}")
        raise self._exhausted(tried, failures)

    async def agenerate(self, request: GenerationRequest) -> RawOutput:
        """Async form of `generate`: the pool is shared with threads; a cancelled call frees its replica."""
        tried: list[int] = []
        failures: list[str] = []
        while (lease := self._next(tried)) is not None:
            if lease.index in tried:
                await asyncio.sleep(self.backoff_s)
            tried.append(lease.index)
            replica = self.replicas[lease.index]
            with _Hold(self, lease) as hold:
                if lease.check:
                    await asyncio.to_thread(replica.check_health)
                await replica.aready()
                hold.chatting = True
                return self._served(await replica.agenerate(request), replica, failures)
            failures.append(f"{lease.url}: {hold.reason}")
        raise self._exhausted(tried, failures)

    def _next(self, tried: list[int]) -> Lease | None:
        """The next replica for a call that has tried `tried`: an untried one; failing that, a tried one that is
        up again (it failed this call but answered another since); None when out of attempts or replicas."""
        if len(tried) >= self.attempts:
            return None
        return self.pool.acquire(avoid=tried) or self.pool.acquire()

    def _release(self, lease: Lease, outcome: Outcome, reason: str | None) -> None:
        change = self.pool.release(lease, outcome, reason)
        if change == "down":
            log.warning("model %s: replica %s failed (%s); skipping it for %g s", self.name, lease.url, reason,
                        self.pool.retry_after_s)
        elif change == "recovered":
            log.info("model %s: replica %s is back", self.name, lease.url)

    def _served(self, raw: RawOutput, replica: OpenAICompatBackend, failures: list[str]) -> RawOutput:
        """Stamp which replica answered (the trace records it per attempt) and which failed first."""
        self._last = replica
        raw.extra["replica"] = replica.base_url
        if failures:
            raw.extra["failed_over"] = list(failures)
        return raw

    def _exhausted(self, tried: list[int], failures: list[str]) -> BackendUnavailable:
        """Every replica failed or is waiting out its backoff: say which and why, and where to look."""
        waiting = [f"{v.url}: skipped, down after an earlier failure ({v.last_error or 'unknown'}), next try in "
                   f"{v.retry_in_s or 0:.0f} s" for i, v in enumerate(self.status()) if i not in tried]
        detail = "; ".join(failures + waiting)
        return BackendUnavailable(
            f"no replica of model {self.name!r} could answer ({len(self.replicas)} configured): {detail} — "
            f"try `sgr doctor --model {self.name}`"
        )

    def close(self) -> None:
        """Close every replica's sync client."""
        for replica in self.replicas:
            replica.close()

    async def aclose(self) -> None:
        """Close every replica's clients."""
        for replica in self.replicas:
            await replica.aclose()


class _Hold:
    """One attempt's hold on a replica: releases it however the attempt ends, and sorts the ending.

    Success, or a 4xx to the chat call (`chatting`: the request is at fault and is raised), count as the
    replica answering. Any other BackendUnavailable (before or during the chat call) is a failure of this
    replica: it is recorded in `reason` and swallowed so the caller moves on. Anything else (a cancelled
    task, a bug) frees the replica without judging it and propagates.
    """

    def __init__(self, owner: ReplicatedBackend, lease: Lease) -> None:
        self.owner, self.lease = owner, lease
        self.chatting = False
        self.reason: str | None = None

    def __enter__(self) -> _Hold:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> bool:
        if exc is None or (self.chatting and isinstance(exc, ServerRejected)):
            self.owner._release(self.lease, "ok", None)
            return False
        if isinstance(exc, BackendUnavailable):
            self.reason = _reason(exc)
            self.owner._release(self.lease, "down", self.reason)
            return True
        self.owner._release(self.lease, "neutral", None)
        return False


def _reason(exc: BaseException) -> str:
    """The error without the per-server hint (the final message gives one hint for the whole model)."""
    return str(exc).split(" — ")[0]


def _view(status: ReplicaStatus, replica: OpenAICompatBackend) -> ReplicaView:
    return ReplicaView(status.url, status.state, status.in_flight, status.served, status.retry_in_s,
                       status.last_error, replica.server_kind, replica.dialect)

