"""The HTTP service: an app factory, so importing this module opens nothing.

Each agent contributes a router and a lifespan; `create_app` composes them, adds the request-size
limit, readable validation errors and `/healthz`. AutoViz adds its router the same way.

The size limit is a pure ASGI middleware: a Content-Length above the limit is refused before anything is
read, and a chunked body is counted as it arrives, so no client can make the service buffer more.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from sgr import __version__
from sgr.asgi import ASGIApp, Message, Receive, Scope, Send, reply_json
from sgr.core.config import Settings
from sgr.core.errors import ConfigError
from sgr.http_refusals import pattern_help


class BodySizeLimit:
    """Answer 413 for request bodies above `max_bytes` (config `serve.max_request_bytes`).

    Upload routes (exact paths in `upload_paths`, POST only) get `upload_bytes` instead
    (`serve.max_upload_bytes`): a dataset may be large, a JSON request never is.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, *, upload_paths: tuple[str, ...] = (),
                 upload_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_paths = frozenset(upload_paths)
        self.upload_bytes = upload_bytes if upload_bytes is not None else max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("method") == "POST" and scope.get("path") in self.upload_paths:
            limit, key = self.upload_bytes, "serve.max_upload_bytes"
        else:
            limit, key = self.max_bytes, "serve.max_request_bytes"
        detail = f"request body exceeds {limit} bytes ({key})"
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await reply_json(send, 400, "InvalidRequest", "Content-Length is not a number")
                return
            if int(declared) > limit:
                await reply_json(send, 413, "RequestTooLarge", detail)
                return
        seen = 0
        started = rejected = False

        async def counting_receive() -> Message:
            # Past the limit we answer 413 ourselves and tell the app the client left, so no parser
            # downstream turns the cut-off body into a misleading 400.
            nonlocal seen, rejected
            if rejected:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    rejected = True
                    if not started:
                        await reply_json(send, 413, "RequestTooLarge", detail)
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if rejected:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counting_receive, tracking_send)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = []
    helps = pattern_help()
    for err in exc.errors()[:8]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        field = str(err.get("loc", ("",))[-1])
        if err.get("type") == "string_pattern_mismatch" and field in helps:
            problems.append(f"{where}: {helps[field]}")  # a sentence, not the regex
        else:
            problems.append(f"{where}: {err.get('msg')}")
    return JSONResponse({"error": "ValidationError", "detail": "; ".join(problems)}, status_code=422)


def storage_full(exc: BaseException) -> bool:
    """True when an OS or SQLite error means the disk (or a quota) is full."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(exc, sqlite3.OperationalError) and "full" in str(exc).lower()


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    """Anything no route answered still answers JSON: a full disk (or quota) is 507, a reason a client can act
    on (retry later); any other error is a 500 with a one-line reason (uvicorn logs the traceback)."""
    if storage_full(exc):
        return JSONResponse({"error": "InsufficientStorage",
                             "detail": f"the server's disk is full ({exc}); try again later"}, status_code=507)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else "no message"
    return JSONResponse({"error": "InternalError", "detail": f"{type(exc).__name__}: {first}"}, status_code=500)


def create_app(settings: Settings, *, token: str | None = None, bind_host: str | None = None,
               discount_dir: str | Path | None = None) -> Any:
    """Build the FastAPI app; clients and stores are created in the lifespan, not here.

    Parameters
    ----------
    settings:
        Validated settings (models, `discount.dir`, `serve.*`).
    token:
        The bearer token every `/v1` route requires (default: $SGR_SERVE_TOKEN, `serve.token`, or the
        token file; `sgr serve` generates one on first start). No token is a ConfigError: the service never
        runs open.
    bind_host:
        The address it listens on; a specific address is added to the Host names answered.
    discount_dir:
        Store directory override (default: `settings.discount.dir`).
    """
    from sgr.serve_security import (
        COOKIE,
        PUBLIC,
        SESSION_PATH,
        Guard,
        allowed_host_names,
        bearer_matches,
        resolve_token,
        session_value,
    )

    if token is None:
        found = resolve_token(settings, generate=False)
        if found is None:
            raise ConfigError("the service needs an access token: set $SGR_SERVE_TOKEN or serve.token "
                              "(`sgr serve` generates one into serve.token_file on first start)")
        token = found.value
    from sgr.autoviz.web import UPLOAD_ROUTES, autoviz_lifespan, pages
    from sgr.autoviz.web import router as autoviz_router
    from sgr.discount.api import discount_lifespan
    from sgr.discount.api import router as discount_router
    from sgr.http_refusals import refusals

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            await stack.enter_async_context(discount_lifespan(app, settings, discount_dir))
            await stack.enter_async_context(autoviz_lifespan(app, settings))
            yield

    app = FastAPI(title="sgr-agents", version=__version__, lifespan=lifespan,
                  description="Schema-guided reasoning agents over HTTP.")
    app.add_middleware(BodySizeLimit, max_bytes=settings.serve.max_request_bytes, upload_paths=UPLOAD_ROUTES,
                       upload_bytes=settings.serve.max_upload_bytes)
    app.add_middleware(Guard, token=token, hosts=allowed_host_names(settings, bind_host),
                       origins=frozenset(settings.serve.allowed_origins))
    app.add_exception_handler(RequestValidationError, _validation_error)
    for kind in (OSError, sqlite3.OperationalError, Exception):
        app.add_exception_handler(kind, _unexpected)
    app.include_router(discount_router)
    app.include_router(autoviz_router)
    app.include_router(pages)

    @app.post(SESSION_PATH, tags=["auth"], summary="Trade the bearer token for the page's session cookie",
              responses=refusals(400, 401, 403))
    async def session(request: Request) -> JSONResponse:
        """The web page's login: images and report links cannot send a header, a SameSite=Strict cookie can."""
        if not bearer_matches(request.headers.get("authorization", ""), token.encode()):
            return JSONResponse({"error": "Unauthorized", "detail": "send 'Authorization: Bearer <token>'"},
                                status_code=401, headers={"WWW-Authenticate": 'Bearer realm="sgr"'})
        response = JSONResponse({"status": "ok"})
        response.set_cookie(COOKIE, session_value(token), httponly=True, samesite="strict", path="/",
                            secure=request.url.scheme == "https")
        return response

    @app.delete(SESSION_PATH, tags=["auth"], summary="Forget the page's session cookie", responses=refusals(400, 403))
    async def logout() -> JSONResponse:
        """Log the page out."""
        response = JSONResponse({"status": "ok"})
        response.delete_cookie(COOKIE, path="/")
        return response

    def openapi() -> dict[str, Any]:
        """The schema with the bearer scheme declared, so /docs has an Authorize button that works."""
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schema.setdefault("components", {})["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        schema["security"] = [{"bearer": []}]
        for path, ops in schema.get("paths", {}).items():
            if path in PUBLIC:  # the guard lets these through without a token; say so, per operation
                for op in ops.values():
                    op["security"] = []
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, Any]:
        """Liveness plus which model the service uses by default."""
        return {"status": "ok", "version": __version__, "default_model": settings.default_model}

    return app
