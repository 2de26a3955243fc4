"""Who may talk to the service: a bearer token, a trusted Host, and a same-origin rule for writes.

Why each part:
- **Token.** Run ids are unguessable, but `GET /v1/autoviz/runs` lists them and `GET /v1/discount/audit`
  returns every customer's messages and margins: without a token anyone who reaches the port reads it all.
  Every `/v1` route needs `Authorization: Bearer <token>` or the page's session cookie.
- **Host.** A web page the operator visits can resolve its own name to 127.0.0.1 (DNS rebinding) and then
  read the loopback service as "same origin"; refusing Host names we do not serve stops that.
- **Origin.** Browsers send cookies with cross-site form posts; a state-changing request whose Origin is
  not ours (or that the browser marks cross-site) is refused even with a valid cookie.

The page cannot put a header on `<img src>`, so `POST /v1/session` (with the bearer token) sets an HttpOnly,
SameSite=Strict cookie holding an HMAC of the token, never the token itself.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Literal

from sgr.asgi import ASGIApp, Receive, Scope, Send, reply_json
from sgr.core.config import Settings
from sgr.core.errors import ConfigError

TOKEN_ENV = "SGR_SERVE_TOKEN"
COOKIE = "sgr_session"
SESSION_PATH = "/v1/session"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
#: paths anyone may read: the page shells (AutoViz, discounts), their static files, liveness, and the API's own
#: description; the shells hold no data, they ask for the token and fetch everything from `/v1`
PUBLIC = ("/", "/discount", "/healthz", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json", SESSION_PATH)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TokenSource = Literal["argument", "env", "config", "file", "generated"]


@dataclass(frozen=True)
class ServeToken:
    """The token and where it came from (the CLI says so; a generated one is printed once)."""

    value: str
    source: TokenSource


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and `localhost`; `0.0.0.0` and `::` listen on every interface, so they are not."""
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def resolve_token(settings: Settings, *, generate: bool) -> ServeToken | None:
    """$SGR_SERVE_TOKEN > serve.token > the token file > (if `generate`) a new one saved there with 0600."""
    if os.environ.get(TOKEN_ENV):
        value = os.environ[TOKEN_ENV].strip()
        if len(value) < 16:
            raise ConfigError(f"${TOKEN_ENV} is shorter than 16 characters; use e.g. `python -c "
                              "\"import secrets; print(secrets.token_urlsafe(32))\"`")
        return ServeToken(value, "env")
    if settings.serve.token:
        return ServeToken(settings.serve.token, "config")
    path = Path(settings.serve.token_file).expanduser()
    if path.is_file():
        value = path.read_text(encoding="utf-8").strip()
        if len(value) >= 16:
            return ServeToken(value, "file")
    if not generate:
        return None
    value = secrets.token_urlsafe(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(value + "\n")
    return ServeToken(value, "generated")


def check_bind(host: str, token: ServeToken | None) -> None:
    """Refuse to listen beyond loopback unless a token was set on purpose (env, config or an earlier file)."""
    if is_loopback(host):
        return
    if token is None or token.source == "generated":
        raise ConfigError(f"refusing to serve on {host}: a non-loopback address needs an access token. Set "
                          f"${TOKEN_ENV} or serve.token (16+ characters), or bind 127.0.0.1")


def session_value(token: str) -> str:
    """What the cookie holds: a keyed digest of the token, so a leaked cookie does not leak the token."""
    return hmac.new(token.encode(), b"sgr-session-v1", hashlib.sha256).hexdigest()


def allowed_host_names(settings: Settings, bind_host: str | None = None) -> frozenset[str]:
    """Host header names answered: loopback, the bind address (unless a wildcard), and serve.allowed_hosts."""
    names = set(LOOPBACK_NAMES) | {h.lower() for h in settings.serve.allowed_hosts}
    if bind_host and bind_host not in ("0.0.0.0", "::", ""):
        names.add(bind_host.strip("[]").lower())
    return frozenset(names)


def _host_name(host_header: str) -> str:
    value = host_header.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def bearer_matches(authorization: str, token: bytes) -> bool:
    """Whether an Authorization header value is `Bearer <token>` (constant-time compare)."""
    scheme, _, value = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token)


class Guard:
    """Pure ASGI middleware: Host, then Origin (writes), then the token (every non-public path)."""

    def __init__(self, app: ASGIApp, *, token: str, hosts: frozenset[str], origins: frozenset[str]) -> None:
        self.app = app
        self.token = token.encode()
        self.session = session_value(token).encode()
        self.hosts = hosts
        self.origins = frozenset(o.rstrip("/").lower() for o in origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        host = headers.get("host", "")
        if _host_name(host) not in self.hosts:
            await reply_json(send, 400, "InvalidHost", f"this service does not answer to Host {host!r}; add it to "
                                                   "serve.allowed_hosts if it is yours")
            return
        method = scope.get("method", "GET")
        if method not in _SAFE_METHODS and not self._same_origin(headers, scope, host):
            await reply_json(send, 403, "ForbiddenOrigin", f"cross-site {method} refused (Origin "
                                                       f"{headers.get('origin', 'missing')!r}); add it to "
                                                       "serve.allowed_origins if it is yours")
            return
        path = scope.get("path", "/")
        if not self._public(path) and not self._authorized(headers):
            await reply_json(send, 401, "Unauthorized", "this route needs the service's token: send "
                         "'Authorization: Bearer <token>' (printed by `sgr serve`, or $SGR_SERVE_TOKEN)",
                         [(b"www-authenticate", b'Bearer realm="sgr"')])
            return
        await self.app(scope, receive, send)

    def _same_origin(self, headers: dict[str, str], scope: Scope, host: str) -> bool:
        origin = headers.get("origin")
        if origin is None:
            # no Origin: not a browser form or fetch (curl, the CLI) unless the browser says cross-site
            return headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")
        origin = origin.rstrip("/").lower()
        own = f"{scope.get('scheme', 'http')}://{host}".lower()
        return origin == own or origin in self.origins

    @staticmethod
    def _public(path: str) -> bool:
        return path in PUBLIC or path.startswith("/static/")

    def _authorized(self, headers: dict[str, str]) -> bool:
        if bearer_matches(headers.get("authorization", ""), self.token):
            return True
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header is simply not a session
            return False
        morsel = cookie.get(COOKIE)
        return morsel is not None and hmac.compare_digest(morsel.value.encode(), self.session)
