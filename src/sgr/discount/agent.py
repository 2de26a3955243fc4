"""The discount agent: route -> context -> cap -> price -> finalize -> audit, sync or async.

The async path (`adecide`) keeps the event loop free: store lookups and audit writes run in worker
threads, model calls go through `SGRStep.arun`, so a service can hold many decisions in flight and let
vLLM batch them. Both paths share every piece of logic except the awaiting.

A priced decision reserves its audit id before the model is asked (its offer code is keyed by that id,
so the model's answer and the fallback name the same code), and a decision is returned only after its
audit row is committed (durably: the log syncs on commit). If the write fails, no offer leaves.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sgr.core import calllog
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


def check_request(customer_id: str, message: str) -> tuple[str, str]:
    """Normalise and bound the inputs; ValueError with a readable reason when they are unusable."""
    cid = normalise_customer_id(customer_id)
    if not cid or len(cid) > MAX_ID_CHARS or not _CUSTOMER_ID.match(cid):
        raise ValueError(f"customer id must be 1-{MAX_ID_CHARS} printable characters without spaces")
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


class DiscountAgent:
    """Decide offers for customers with one backend, one pair of stores, one audit log and one pricing policy.

    `pricing` defaults to the packaged policy; `secret` (the offer-code key) to `codes.load_secret` for
    the audit log's directory ($SGR_DISCOUNT_SECRET, else the generated file there).
    """

    def __init__(self, stores: Stores, audit: Audit, backend: Backend, policy: StepPolicy | None = None, *,
                 pricing: PolicySpec | None = None, secret: bytes | None = None,
                 decision_timeout: float | None = None) -> None:
        self.decision_timeout = decision_timeout
        self.stores = stores
        self.audit = audit
        self.backend = backend
        self.policy = policy or StepPolicy()
        self.pricing = pricing or default_policy()
        self.secret = secret if secret is not None else load_secret(audit.dir).key
        self.route_step = RouteStep()
        self.price_step = PriceStep()

    def _remaining(self, started: float) -> StepPolicy:
        """The step policy with what is left of the decision's deadline: a slow model makes the step fall
        back to the policy's own offer (still capped and audited) instead of holding the customer."""
        if self.decision_timeout is None:
            return self.policy
        left = self.decision_timeout - (time.perf_counter() - started)
        return dataclasses.replace(self.policy, deadline_s=max(0.0, left))

    def _respond(self, cid: str, text: str, route: StepResult[RouteAnswer], started: float) -> Outcome:
        reply, clamps = _safe_reply(route.value)
        return Outcome(cid, text, route.value, None, None, None, reply, clamps, self.backend.name,
                       time.perf_counter() - started, {"route": route.trace})

    def _price_context(self, customer: CustomerContext, text: str, audit_id: int) -> PriceContext:
        return PriceContext(customer, compute_cap(customer, self.pricing), text, CodeIssuer(self.secret, audit_id))

    def _priced(self, cid: str, text: str, route: StepResult[RouteAnswer], ctx: PriceContext,
                price: StepResult[Any], started: float) -> Outcome:
        decision, clamps = finalize(ctx, price.value)
        return Outcome(cid, text, route.value, ctx.customer, ctx.cap, decision, decision.customer_message, clamps,
                       self.backend.name, time.perf_counter() - started,
                       {"route": route.trace, "price": price.trace})

    def _write(self, outcome: Outcome, audit_id: int | None) -> Outcome:
        """Commit the audit row (and the code's lookup entry); only then is the outcome returned."""
        code = outcome.decision.offer_code if outcome.decision else None
        outcome.audit_id = self.audit.record(outcome.audit_record(), audit_id=audit_id,
                                             code_lookup=lookup_key(code) if code else None)
        return outcome

    @calllog.correlated("discount")  # both steps of one decision share an id in `sgr logs`
    def decide(self, customer_id: str, message: str) -> Outcome:
        """Synchronous decision (CLI)."""
        started = time.perf_counter()
        cid, text = check_request(customer_id, message)
        route = self.route_step.run(RouteContext(text), self.backend, self.policy)
        if route.value.route == "respond":
            return self._write(self._respond(cid, text, route, started), None)
        customer = self.stores.context(cid)
        audit_id = self.audit.reserve()
        ctx = self._price_context(customer, text, audit_id)
        price = self.price_step.run(ctx, self.backend, self.policy)
        return self._write(self._priced(cid, text, route, ctx, price, started), audit_id)

    @calllog.correlated("discount")
    async def adecide(self, customer_id: str, message: str) -> Outcome:
        """Asynchronous decision (service): the loop never waits on a store or the audit file."""
        started = time.perf_counter()
        cid, text = check_request(customer_id, message)
        route = await self.route_step.arun(RouteContext(text), self.backend, self._remaining(started))
        if route.value.route == "respond":
            return await asyncio.to_thread(self._write, self._respond(cid, text, route, started), None)
        customer = await asyncio.to_thread(self.stores.context, cid)
        audit_id = await asyncio.to_thread(self.audit.reserve)
        ctx = self._price_context(customer, text, audit_id)
        price = await self.price_step.arun(ctx, self.backend, self._remaining(started))
        return await asyncio.to_thread(self._write, self._priced(cid, text, route, ctx, price, started), audit_id)
