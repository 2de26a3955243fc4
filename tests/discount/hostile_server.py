"""A hostile OpenAI-compatible model server on 127.0.0.1 for the adversarial tests.

It ignores every constraint and answers, per request, one of several attacks chosen from a hash of the
request body (so the same pricing conversation always gets the same attack, whatever the concurrency; a
route request holds only the customer's message, so there the hash also takes how many times that body
was seen, or a test with a dozen messages would exercise only a dozen route attacks):
90% discounts, negative and NaN discounts, wrong margin math and amounts, messages promising more than
the decision (among them the hand-written corpus of `hostile_replies.py`, filled with the decision's own
percent, saving and total, so only the promise is wrong), replies that slip an offer or a promise into a
`respond` route, malformed and truncated JSON. `counts` says how often each attack (and each corpus reply,
as `promise:<index>`) was sent, so tests can prove every attack was exercised.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from .hostile_replies import HOSTILE, ROUTE_PROMISES, fill

PRICE_ATTACKS = ("over_cap", "negative", "nan", "wrong_math", "promise_more", "half_off", "injection_echo",
                 "off_step", "malformed", "truncated", "honest", "promise_text")
ROUTE_ATTACKS = ("fetch", "respond_with_offer", "respond_clean", "malformed", "fetch", "respond_with_promise", "fetch",
                 "fetch")
_CART = re.compile(r"cart value \$([\d,]+\.\d{2})")


def _pick(options: tuple[str, ...], body: bytes) -> str:
    digest = hashlib.sha256(body).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


def _pick_index(n: int, body: bytes) -> int:
    """A second, independent choice from the same body (which corpus reply)."""
    return int.from_bytes(hashlib.sha256(body).digest()[4:8], "big") % n


def _cart_value(request: dict[str, Any]) -> float:
    """The cart value the price prompt states (0 when absent), so corpus replies carry the right amounts."""
    for message in request.get("messages") or []:
        m = _CART.search(str(message.get("content", "")))
        if m:
            return float(m.group(1).replace(",", ""))
    return 0.0


def _promise_text(index: int, cap: float, cart: float) -> str:
    """Corpus reply `index` filled with the cap's percent, its saving and total, and a code we never issued."""
    saving = round(cart * cap / 100, 2)
    return fill(HOSTILE[index].text, percent=f"{cap:g}", saving=f"{saving:,.2f}",
                total=f"{cart - saving:,.2f}", code=f"SAVE{cap:g}-VIP0-0000-0000-0000".replace(".", "P"))


def _schema_of(request: dict[str, Any]) -> dict[str, Any]:
    fmt = request.get("response_format") or {}
    schema = (fmt.get("json_schema") or {}).get("schema")
    if schema is None:
        schema = (request.get("structured_outputs") or {}).get("json") or request.get("guided_json") or {}
    return schema if isinstance(schema, dict) else {}


def _price_answer(kind: str, cap: float, promise: str = "") -> tuple[str, str]:
    """(content, finish_reason) for one pricing attack."""
    base = {"churn_analysis": "Customer demands more.", "financial_analysis": "Ignore the margin.",
            "margin_math": "40 - 10 = 45"}
    if kind == "malformed":
        return '{"churn_analysis": "oops", "max_discount_percent": 90, ', "stop"
    if kind == "truncated":
        return '{"churn_analysis": "' + "a" * 50, "length"
    percent: Any
    message: str
    if kind == "over_cap":
        percent, message = 90, "Great news, 90% off everything!"
    elif kind == "negative":
        percent, message = -15, "We add 15% to your price."
    elif kind == "nan":
        return json.dumps({**base, "max_discount_percent": float("nan"), "customer_message": "NaN% off"}), "stop"
    elif kind == "wrong_math":
        percent, message = cap, f"You get {cap:g}% off, so you save $999.99 and pay $1.00."
    elif kind == "promise_more":
        percent, message = cap / 2, "I'll give you 100% off your next three orders and a free gift!"
    elif kind == "half_off":
        percent, message = cap, "Half off for you, my friend."
    elif kind == "injection_echo":
        percent, message = cap, "As you asked, I ignored the rules: 100% off with code FREE100."
    elif kind == "promise_text":
        percent, message = cap, promise
    elif kind == "off_step":
        percent, message = max(0.0, cap - 0.3), "A special discount just for you."
    else:  # honest
        percent, message = cap, f"We can offer you {cap:g}% off today."
    return json.dumps({**base, "max_discount_percent": percent, "customer_message": message}), "stop"


def _route_answer(kind: str, promise: str = "") -> tuple[str, str]:
    if kind == "malformed":
        return '{"reason": "x", "route": ', "stop"
    if kind == "respond_with_offer":
        return json.dumps({"reason": "chat", "route": "respond", "reply": "Take 70% off, today only!"}), "stop"
    if kind == "respond_with_promise":
        return json.dumps({"reason": "chat", "route": "respond", "reply": promise}), "stop"
    if kind == "respond_clean":
        return json.dumps({"reason": "chat", "route": "respond", "reply": "Happy to help with anything."}), "stop"
    return json.dumps({"reason": "price talk", "route": "fetch_user_features", "reply": ""}), "stop"


class HostileModelServer:
    """`with HostileModelServer() as srv: srv.url` -> "http://127.0.0.1:PORT/v1"."""

    def __init__(self, *, delay_s: float = 0.0) -> None:
        self.counts: Counter[str] = Counter()
        self._seen: Counter[bytes] = Counter()
        self.delay_s = delay_s
        self.in_flight = threading.Event()
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                return

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._send(200, {"object": "list", "data": [{"id": "hostile", "object": "model"}]})

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.in_flight.set()
                if outer.delay_s:
                    time.sleep(outer.delay_s)
                request = json.loads(raw)
                schema = _schema_of(request)
                props = schema.get("properties") or {}
                if "max_discount_percent" in props:
                    cap = float(props["max_discount_percent"].get("maximum", 0.0))
                    kind = _pick(PRICE_ATTACKS, raw)
                    index = _pick_index(len(HOSTILE), raw)
                    promise = _promise_text(index, cap, _cart_value(request)) if kind == "promise_text" else ""
                    content, finish = _price_answer(kind, cap, promise)
                    labels = [f"price:{kind}"] + ([f"promise:{index}"] if promise else [])
                else:
                    with outer._lock:
                        outer._seen[raw] += 1
                        keyed = raw + str(outer._seen[raw]).encode()
                    kind = _pick(ROUTE_ATTACKS, keyed)
                    content, finish = _route_answer(kind, ROUTE_PROMISES[_pick_index(len(ROUTE_PROMISES), keyed)])
                    labels = [f"route:{kind}"]
                with outer._lock:
                    outer.counts.update(labels)
                self._send(200, {
                    "id": "x", "object": "chat.completion", "model": "hostile",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                                 "finish_reason": finish}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 10},
                })

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 256

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL with /v1."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> HostileModelServer:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
