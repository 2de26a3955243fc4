"""The raw ASGI pieces the service's pure middlewares share: the callable types, and a JSON refusal.

Why raw ASGI and not Starlette middleware classes: a refusal (too large, wrong Host, no token) must be sent
before the body is read or any route runs; these middlewares answer on `send` themselves.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def reply_json(send: Send, status: int, error: str, detail: str,
                     headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    """Answer `{"error": error, "detail": detail}` with `status`, the shape every refusal of the service has."""
    body = json.dumps({"error": error, "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})
