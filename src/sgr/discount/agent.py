"""The discount agent: a facade of verbs, route -> context -> price (cap, offer, clamps) -> audit, sync or async.

The async path (`adecide`) keeps the event loop free: store lookups and audit writes run in worker
threads, model calls go through `SGRStep.arun`, so a service can hold many decisions in flight and let
vLLM batch them. Both paths share every piece of logic except the awaiting.

A priced decision reserves its audit id before the model is asked (its offer code is keyed by that id,
so the model's answer and the fallback name the same code), and a decision is returned only after its
audit row is committed (durably: the log syncs on commit). If the write fails, no offer leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sgr.core import calllog
from sgr.core.events import EventBus, bind, stage
from sgr.core.llm.base import Backend
from sgr.core.step import StepPolicy, StepResult
from sgr.core.trace import Trace
from sgr.discount.audit import Audit, AuditRecord
from sgr.discount.codes import CodeIssuer, load_secret, lookup_key
from sgr.discount.message import message_problems
from sgr.discount.policy import Cap, compute_cap
from sgr.discount.policy_check import default_policy
from sgr.discount.policy_spec import PolicySpec
from sgr.discount.price import REASONING_FIELDS, Clamp, Decision, PriceContext, PriceStep, finalize
from sgr.discount.route import GENERIC_REPLY, RouteAnswer, RouteContext, RouteStep, score_message
from sgr.discount.stores import CustomerContext, Stores

if TYPE_CHECKING:
    from sgr.core.session import Session

_DIGIT = re.compile(r"\d")
MAX_MESSAGE_CHARS = 2000
MAX_ID_CHARS = 64


@dataclass
class Outcome:
    """Everything one `ask` produced: what the CLI prints, the service returns and the audit stores."""

    customer_id: str
    message: str
    route: RouteAnswer
    context: CustomerContext | None
    cap: Cap | None
    decision: Decision | None
    customer_message: str
    clamps: list[Clamp]
    backend: str
    latency_s: float
    traces: dict[str, Trace] = field(default_factory=dict)
    audit_id: int | None = None

    @property
    def fallback_used(self) -> bool:
        """True when any step answered from its deterministic path."""
        return any(t.fallback_used for t in self.traces.values())

    def to_dict(self, *, include_exchange: bool = True) -> dict[str, Any]:
        """JSON-ready form (`--json`, HTTP body)."""
        return {
            "customer_id": self.customer_id,
            "route": self.route.model_dump(),
            "context": self.context.to_dict() if self.context else None,
            "cap": self.cap.to_dict() if self.cap else None,
            "decision": self.decision.to_dict() if self.decision else None,
            "customer_message": self.customer_message,
            "clamps": [c.to_dict() for c in self.clamps],
            "backend": self.backend,
            "fallback_used": self.fallback_used,
            "latency_s": round(self.latency_s, 6),
            "audit_id": self.audit_id,
            "trace": {k: t.to_dict(include_exchange=include_exchange) for k, t in self.traces.items()},
        }

    def audit_record(self) -> AuditRecord:
        """The audit row for this outcome."""
        decision = self.decision.to_dict() if self.decision else {"reply": self.customer_message}
        reasoning = {k: decision.pop(k) for k in REASONING_FIELDS if k in decision}
        reasoning["route_reason"] = self.route.reason
        return AuditRecord(
            ts=datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            customer_id=self.customer_id,
            message=self.message,
            route=self.route.route,
            inputs=self.context.to_dict() if self.context else {},
            reasoning=reasoning,
            decision=decision,
            cap_percent=self.cap.max_percent if self.cap else None,
            cap_rules=list(self.cap.rules) if self.cap else [],
            clamps=[c.to_dict() for c in self.clamps],
            backend=self.backend,
            fallback_used=self.fallback_used,
            latency_s=self.latency_s,
        )


def normalise_customer_id(customer_id: str) -> str:
    """"3" and "0003" mean C0000003 (the generator's id format), so people can type short numbers."""
    cid = customer_id.strip()
    if cid.isascii() and cid.isdigit() and 0 < int(cid) <= 9_999_999:
        return f"C{int(cid):07d}"
    return cid


#: a customer id: no blanks, no control characters (the HTTP schema declares the same pattern, so a client
#: generated from /openapi.json never sends an id the service refuses)
CUSTOMER_ID_PATTERN = r"^\s*[^\s\x00-\x1f\x7f-\x9f]+\s*$"
#: a message: at least one character that is not a blank
MESSAGE_PATTERN = r"\S"
_CUSTOMER_ID = re.compile(CUSTOMER_ID_PATTERN)
#: what CUSTOMER_ID_PATTERN and MAX_ID_CHARS require, in words (the CLI's and the HTTP 422's explanation)
CUSTOMER_ID_RULE = f"must be 1-{MAX_ID_CHARS} printable characters without spaces"


def check_request(customer_id: str, message: str) -> tuple[str, str]:
    """Normalise and bound the inputs; ValueError with a readable reason when they are unusable."""
    cid = normalise_customer_id(customer_id)
    if not cid or len(cid) > MAX_ID_CHARS or not _CUSTOMER_ID.match(cid):
        raise ValueError(f"customer id {CUSTOMER_ID_RULE}")
    text = message.strip()
    if not text:
        raise ValueError("message must not be empty")
    if len(text) > MAX_MESSAGE_CHARS:
        raise ValueError(f"message is longer than {MAX_MESSAGE_CHARS} characters")
    return cid, text


def _safe_reply(route: RouteAnswer) -> tuple[str, list[Clamp]]:
    """A `respond` reply may not state numbers or talk price (that would be an offer without a cap)."""
    text = route.reply.strip()
    if not text or text == GENERIC_REPLY:
        return GENERIC_REPLY, []
    if (_DIGIT.search(text) or score_message(text).score > 0
            or message_problems(text, percent=0.0, cart_value=0.0, offer_code=None)):
        return GENERIC_REPLY, [Clamp("reply", text, GENERIC_REPLY, "reply states numbers or price terms")]
    return text, []


@dataclass(frozen=True)
class Routed:
    """A checked request and the route decision: `respond` ends here, `fetch_user_features` goes on."""

    customer_id: str
    message: str
    route: StepResult[RouteAnswer]
    started: float  # perf_counter when the decision began: latency and the decision's deadline count from it

    @property
    def priced(self) -> bool:
        """True when the message asks about price, so the customer's context and an offer follow."""
        return self.route.value.route != "respond"


@dataclass(frozen=True)
class Grounded:
    """The customer's facts from both stores, and the audit id the offer will be recorded (and coded) under."""

    routed: Routed
    customer: CustomerContext
    audit_id: int


@dataclass(frozen=True)
class Priced:
    """The offer: the cap computed from policy, the model's (or policy's) proposal, finalized and clamped."""

    grounded: Grounded
    context: PriceContext  # holds the cap
    price: StepResult[Any]
    decision: Decision
    clamps: list[Clamp]


class DiscountAgent:
    """Decide offers for customers with one backend, one pair of stores, one audit log and one pricing policy.

    A facade of verbs, each taking and returning typed values, no state kept between them:
    `route` (price question or not) -> `context` (the customer's facts) -> `price` (**the cap is computed
    here**, then the offer) -> `commit` (the audit verb: the committed record, and the Outcome).
    `decide`/`adecide` compose them; `agent.audit` is the audit log the `commit` verb writes to.

    `pricing` defaults to the packaged policy; `secret` (the offer-code key) to `codes.load_secret` for
    the audit log's directory ($SGR_DISCOUNT_SECRET, else the generated file there). `bus`, when given (a
    session's), is bound while a verb runs, so its subscribers hear the steps' events.
    """

    #: a session `service.open_agent` opened for this agent alone; `service.close_agent` closes it
    owned_session: Session | None = None

    def __init__(self, stores: Stores, audit: Audit, backend: Backend, policy: StepPolicy | None = None, *,
                 pricing: PolicySpec | None = None, secret: bytes | None = None,
                 decision_timeout: float | None = None, bus: EventBus | None = None) -> None:
        self.decision_timeout = decision_timeout
        self.stores = stores
        self.audit = audit
        self.backend = backend
        self.policy = policy or StepPolicy()
        self.pricing = pricing or default_policy()
        self.secret = secret if secret is not None else load_secret(audit.dir).key
        self.bus = bus
        self.route_step = RouteStep()
        self.price_step = PriceStep()

    @contextlib.contextmanager
    def _bound(self) -> Iterator[None]:
        with bind(self.bus) if self.bus is not None else contextlib.nullcontext():
            yield

    def _remaining(self, started: float) -> StepPolicy:
        """The step policy with what is left of the decision's deadline: a slow model makes the step fall
        back to the policy's own offer (still capped and audited) instead of holding the customer."""
        if self.decision_timeout is None:
            return self.policy
        left = self.decision_timeout - (time.perf_counter() - started)
        return dataclasses.replace(self.policy, deadline_s=max(0.0, left))

    # -- the verbs (sync) --------------------------------------------------------------------------------

    def route(self, customer_id: str, message: str, *, started: float | None = None) -> Routed:
        """Check the request and decide whether it is about price (ValueError for unusable input)."""
        started = time.perf_counter() if started is None else started
        cid, text = check_request(customer_id, message)
        with self._bound(), stage("route") as rec:
            route = self.route_step.run(RouteContext(text), self.backend, self.policy)
            rec.summary = route.value.route
        return Routed(cid, text, route, started)

    def context(self, routed: Routed) -> Grounded:
        """Look the customer up in both stores and reserve the audit id its offer code is keyed by."""
        with self._bound(), stage("context"):
            customer = self.stores.context(routed.customer_id)
            audit_id = self.audit.reserve()
        return Grounded(routed, customer, audit_id)

    def _price_context(self, grounded: Grounded) -> PriceContext:
        """The cap is computed here, from the customer's margin and churn tier, before the model is asked."""
        return PriceContext(grounded.customer, compute_cap(grounded.customer, self.pricing), grounded.routed.message,
                            CodeIssuer(self.secret, grounded.audit_id))

    def price(self, grounded: Grounded) -> Priced:
        """Compute the cap, ask for an offer inside it, then finalize (re-check and clamp) the decision."""
        with self._bound(), stage("price") as rec:
            ctx = self._price_context(grounded)
            price = self.price_step.run(ctx, self.backend, self.policy)
            decision, clamps = finalize(ctx, price.value)
            rec.summary = f"{decision.max_discount_percent}% (cap {ctx.cap.max_percent}%)"
        return Priced(grounded, ctx, price, decision, clamps)

    def commit(self, result: Routed | Priced) -> Outcome:
        """The audit verb: commit the audit row (and the code's lookup entry), then return the Outcome; nothing
        leaves unaudited. (Named `commit` because `agent.audit` is the audit log itself.)"""
        outcome, audit_id = self._outcome(result)
        with self._bound(), stage("audit"):
            return self._write(outcome, audit_id)

    # -- the verbs (async: the loop never waits on a store or the audit file) ---------------------------

    async def aroute(self, customer_id: str, message: str, *, started: float | None = None) -> Routed:
        """Async `route`, within the decision's deadline."""
        started = time.perf_counter() if started is None else started
        cid, text = check_request(customer_id, message)
        with self._bound(), stage("route") as rec:
            route = await self.route_step.arun(RouteContext(text), self.backend, self._remaining(started))
            rec.summary = route.value.route
        return Routed(cid, text, route, started)

    async def acontext(self, routed: Routed) -> Grounded:
        """Async `context`: store lookups and the reservation run in worker threads."""
        with self._bound(), stage("context"):
            customer = await asyncio.to_thread(self.stores.context, routed.customer_id)
            audit_id = await asyncio.to_thread(self.audit.reserve)
        return Grounded(routed, customer, audit_id)

    async def aprice(self, grounded: Grounded) -> Priced:
        """Async `price`, within what is left of the decision's deadline."""
        with self._bound(), stage("price") as rec:
            ctx = self._price_context(grounded)
            price = await self.price_step.arun(ctx, self.backend, self._remaining(grounded.routed.started))
            decision, clamps = finalize(ctx, price.value)
            rec.summary = f"{decision.max_discount_percent}% (cap {ctx.cap.max_percent}%)"
        return Priced(grounded, ctx, price, decision, clamps)

    async def acommit(self, result: Routed | Priced) -> Outcome:
        """Async `commit`: the write runs in a worker thread."""
        outcome, audit_id = self._outcome(result)
        with self._bound(), stage("audit"):
            return await asyncio.to_thread(self._write, outcome, audit_id)

    # -- compositions -----------------------------------------------------------------------------------

    @calllog.correlated("discount")  # both steps of one decision share an id in `sgr logs`
    def decide(self, customer_id: str, message: str) -> Outcome:
        """Synchronous decision (CLI): route -> (context -> price) -> commit."""
        routed = self.route(customer_id, message)
        if not routed.priced:
            return self.commit(routed)
        return self.commit(self.price(self.context(routed)))

    @calllog.correlated("discount")
    async def adecide(self, customer_id: str, message: str) -> Outcome:
        """Asynchronous decision (service), the same composition awaited."""
        routed = await self.aroute(customer_id, message)
        if not routed.priced:
            return await self.acommit(routed)
        return await self.acommit(await self.aprice(await self.acontext(routed)))

    # -- helpers ----------------------------------------------------------------------------------------

    def _outcome(self, result: Routed | Priced) -> tuple[Outcome, int | None]:
        """The Outcome of a finished decision (a `respond` route or a priced offer) and its reserved audit id."""
        if isinstance(result, Routed):
            reply, clamps = _safe_reply(result.route.value)
            return Outcome(result.customer_id, result.message, result.route.value, None, None, None, reply, clamps,
                           self.backend.name, time.perf_counter() - result.started,
                           {"route": result.route.trace}), None
        routed, ctx = result.grounded.routed, result.context
        return Outcome(routed.customer_id, routed.message, routed.route.value, ctx.customer, ctx.cap, result.decision,
                       result.decision.customer_message, result.clamps, self.backend.name,
                       time.perf_counter() - routed.started,
                       {"route": routed.route.trace, "price": result.price.trace}), result.grounded.audit_id

    def _write(self, outcome: Outcome, audit_id: int | None) -> Outcome:
        """Commit the audit row (and the code's lookup entry); only then is the outcome returned."""
        code = outcome.decision.offer_code if outcome.decision else None
        outcome.audit_id = self.audit.record(outcome.audit_record(), audit_id=audit_id,
                                                 code_lookup=lookup_key(code) if code else None)
        return outcome
