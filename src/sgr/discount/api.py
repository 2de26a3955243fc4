"""HTTP routes for the discount manager, mounted by `sgr.api.create_app`.

Nothing is opened at import: `DiscountService` is created in the app's lifespan and hangs off
`app.state`. Stores open lazily and re-open after `setup-data` rebuilds them, so a service started before
the data exists answers 503 with the fix instead of refusing to start, and never serves stale files.
Decisions are async end to end; store lookups and audit I/O run in worker threads. The pricing policy
is loaded and proven when the service starts, so a policy that could exceed a ceiling stops the start-up.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from sgr.core.config import Settings
from sgr.core.errors import SGRError
from sgr.core.session import Session
from sgr.discount.agent import (
    CUSTOMER_ID_PATTERN,
    MAX_ID_CHARS,
    MAX_MESSAGE_CHARS,
    MESSAGE_PATTERN,
    DiscountAgent,
    check_request,
)
from sgr.discount.audit import Audit, open_audit
from sgr.discount.codes import Secret, verify
from sgr.discount.message import offer_amounts
from sgr.discount.service import build_agent, database_dsn, offer_secret, pricing_policy, store_dir
from sgr.discount.stores import MANIFEST_FILE, Stores
from sgr.http_refusals import COMMON, refusals

router = APIRouter(prefix="/v1/discount", tags=["discount"], responses=refusals(*COMMON))
log = logging.getLogger(__name__)
#: most sample customers one call lists: the picker needs a handful, never a dump of the hot store
MAX_CUSTOMERS = 100

#: SGRError subclass -> HTTP status; the body is always {"error": kind, "detail": one line}


class DecisionRequest(BaseModel):
    """A customer's message."""

    model_config = ConfigDict(extra="forbid")
    customer_id: str = Field(..., min_length=1, max_length=MAX_ID_CHARS, pattern=CUSTOMER_ID_PATTERN,
                             examples=["C0000001"])
    message: str = Field(..., min_length=1, max_length=MAX_MESSAGE_CHARS, pattern=MESSAGE_PATTERN,
                         examples=["any deals? it's too expensive"])
    model: str | None = Field(None, max_length=128, description="model entry from the config (default: default_model)")


class DiscountService:
    """Per-app state: lazily opened stores, the audit log, and one `Session` (backend, bus) per model entry."""

    def __init__(self, settings: Settings, directory: str | Path | None = None) -> None:
        self.settings = settings
        self.dir = store_dir(settings, directory)
        self.database = database_dsn(settings)
        self._stores: Stores | None = None
        self._stamp: int | None = None
        self._audit: Audit | None = None
        self._secret: Secret | None = None
        self.pricing = pricing_policy(settings)
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()  # stores: held in a worker thread while files open
        self._sessions_lock = threading.Lock()  # sessions: taken on the event loop, so never held for long

    def _manifest_stamp(self) -> int | None:
        try:
            return (self.dir / MANIFEST_FILE).stat().st_mtime_ns
        except OSError:
            return None

    def _open(self) -> tuple[Stores, Audit]:
        """Open the stores once, and again after `setup-data` rebuilt them (the manifest changed).

        The old stores are closed *before* the new ones open: DuckDB shares one database instance per
        path within a process, so opening the new file first would silently keep serving the old rows. A
        request racing the rebuild may get a 503 (store unreadable); it never gets stale or mixed data.
        """
        stamp = self._manifest_stamp()
        with self._lock:
            if self._stores is None or stamp != self._stamp:
                if self._stores is not None:
                    self._stores.close()
                    self._stores = None
                self._stores, self._stamp = Stores(self.dir, database=self.database), stamp
            if self._audit is None:
                self._audit = open_audit(self.dir, database=self.database)
            self._load_secret()
            return self._stores, self._audit

    def _load_secret(self) -> Secret:
        """The offer-code key, loaded once (and logged when it was just generated)."""
        if self._secret is None:
            self._secret = offer_secret(self.settings, self.dir)
            if self._secret.created:
                log.warning("generated the offer-code secret %s (mode 0600); keep it, or issued codes stop "
                            "verifying", self._secret.source)
        return self._secret

    def session(self, model: str | None) -> Session:
        """The session of a model entry (opened once, its backend built once and reused)."""
        entry = self.settings.entry(model)
        with self._sessions_lock:
            if entry.name not in self._sessions:
                self._sessions[entry.name] = Session(self.settings, entry)
            session = self._sessions[entry.name]
        _ = session.backend  # built here, on the event loop, as before: a bad entry fails this request only
        return session

    async def agent(self, model: str | None) -> DiscountAgent:
        """An agent for one request (cheap: it only bundles shared, long-lived parts)."""
        stores, audit = await asyncio.to_thread(self._open)
        return build_agent(self.session(model), stores, audit, pricing=self.pricing, secret=self._load_secret().key)

    async def customers(self, limit: int) -> list[dict[str, Any]]:
        """Up to `limit` live sessions (id, cart, margin, inventory) for the web page's customer picker."""
        stores = (await asyncio.to_thread(self._open))[0]
        rows = await asyncio.to_thread(stores.hot.sample, limit)
        return [{"customer_id": cid, "cart_value": row.cart_value, "profit_margin": row.profit_margin,
                 "inventory_status": row.inventory_status} for cid, row in rows]

    async def audit_log(self) -> Audit:
        """The audit log (opened on first use)."""
        return (await asyncio.to_thread(self._open))[1]

    async def verify_code(self, code: str) -> dict[str, Any]:
        """Whether `code` was issued (see `codes.verify`)."""
        audit = await self.audit_log()
        return (await asyncio.to_thread(verify, code, key=self._load_secret().key, audit=audit)).to_dict()

    async def aclose(self) -> None:
        """Close backends, stores and the audit log."""
        for session in self._sessions.values():
            if session.built_backend is not None:
                await session.built_backend.aclose()
        with self._lock, self._sessions_lock:
            if self._stores is not None:
                self._stores.close()
            if self._audit is not None:
                self._audit.close()
            self._stores = self._audit = None
            self._sessions.clear()


@asynccontextmanager
async def discount_lifespan(app: FastAPI, settings: Settings,
                            directory: str | Path | None = None) -> AsyncIterator[None]:
    """Create the service on start-up, close it on shutdown."""
    service = DiscountService(settings, directory)
    app.state.discount = service
    try:
        yield
    finally:
        await service.aclose()


def error_response(exc: SGRError) -> JSONResponse:
    """A known error as a JSON body with the matching status."""
    from sgr.error_table import http_status

    status = http_status(exc)
    return JSONResponse({"error": type(exc).__name__, "detail": str(exc)}, status_code=status)


def _service(request: Request) -> DiscountService:
    return request.app.state.discount  # type: ignore[no-any-return]


@router.post("/decisions", summary="Route a customer's message and make a policy-safe offer",
             responses=refusals(404, 409, 502, 503))
async def decide(body: DecisionRequest, request: Request) -> Any:
    """One decision: route, context, cap, price, clamps, audit id and trace."""
    try:
        check_request(body.customer_id, body.message)
    except ValueError as exc:
        return JSONResponse({"error": "InvalidRequest", "detail": str(exc)}, status_code=400)
    try:
        agent = await _service(request).agent(body.model)
        outcome = await agent.adecide(body.customer_id, body.message)
    except SGRError as exc:
        return error_response(exc)
    return _with_offer(outcome.to_dict(include_exchange=False))


def _with_offer(body: dict[str, Any]) -> dict[str, Any]:
    """Add `offer` (percent, saving, new total, code) when a discount was made, computed by the same formula as
    the customer-facing text, so a client shows the amounts the customer read rather than re-rounding them."""
    decision, context = body.get("decision"), body.get("context")
    body["offer"] = None
    if decision and context and decision.get("max_discount_percent", 0) > 0 and decision.get("offer_code"):
        percent, cart = float(decision["max_discount_percent"]), float(context["cart_value"])
        saving, total = offer_amounts(percent=percent, cart_value=cart)
        body["offer"] = {"percent": percent, "cart_value": cart, "saving": saving, "new_total": total,
                         "code": decision["offer_code"]}
    return body


@router.get("/audit", summary="Audited decisions, newest first", responses=refusals(503))
async def audit(request: Request, limit: int = Query(20, ge=1, le=1000),
                customer_id: str | None = Query(None, max_length=MAX_ID_CHARS)) -> Any:
    """The audit records (inputs, reasoning, decision, cap, clamps, backend, latency)."""
    try:
        log = await _service(request).audit_log()
        return await asyncio.to_thread(log.list, limit=limit, customer_id=customer_id)
    except SGRError as exc:
        return error_response(exc)


@router.get("/customers", summary="A few customer ids from the hot store, to try decisions with",
            responses=refusals(503))
async def customers(request: Request, limit: int = Query(20, ge=1, le=MAX_CUSTOMERS)) -> Any:
    """`{"customers": [{customer_id, cart_value, profit_margin, inventory_status}]}` in id order, at most
    MAX_CUSTOMERS: the web page's picker. Read-only, and bounded so it never walks a million-row store."""
    try:
        return {"customers": await _service(request).customers(limit)}
    except SGRError as exc:
        return error_response(exc)


@router.get("/codes/{code}", summary="Was this offer code issued, to whom, for what percentage, when",
            responses=refusals(404, 503))
async def offer_code_status(request: Request, code: str = PathParam(..., max_length=64)) -> Any:
    """200 with the decision's customer, percent and time when the code was issued; 404 otherwise
    (unknown, altered, forged, or signed with another secret: the tag is compared in constant time)."""
    try:
        verdict = await _service(request).verify_code(code)
    except SGRError as exc:
        return error_response(exc)
    if verdict["issued"]:
        return verdict
    return JSONResponse({"error": "CodeNotIssued", "detail": verdict["reason"], **verdict}, status_code=404)
