"""The service's refusals as OpenAPI declares them: one body shape, and which statuses each route can answer.

Why a module of its own: every refusal of the service is `{"error": kind, "detail": one line}` (see
`sgr.asgi.json_refusal` and the routes' `_error`), but FastAPI documents its own `HTTPValidationError` for
422 and nothing for the statuses our middleware and handlers answer. A client generated from `/openapi.json`
must be able to read every body it can get, so routes declare their refusals from this one table, and
`tests/test_openapi.py` lets schemathesis check that no route answers a status or body it did not declare.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Refusal(BaseModel):
    """What every 4xx/5xx answer of the service carries."""

    error: str = Field(description="the kind of refusal, e.g. NotFound, InvalidRequest, Unauthorized")
    detail: str = Field(description="one line a person can act on")


#: what each status means here, as the docs show it
_MEANING: dict[int, str] = {
    400: "The request is malformed or names something it may not (bad Host header, bad path, bad file).",
    401: "No or wrong bearer token.",
    403: "A cross-site request (Origin / Sec-Fetch-Site) was refused.",
    404: "The thing named does not exist.",
    409: "The thing is busy (a run still queued or running).",
    413: "The body or upload is larger than the service accepts.",
    415: "The uploaded file type is not one AutoViz reads.",
    422: "The request fields are invalid, or the data cannot be used.",
    500: "An unexpected error; the detail names it.",
    503: "The service is shutting down or its queue is full; try again later.",
    502: "The model server failed or ran out of time (with on_failure: raise).",
    507: "The service's disk or storage quota is full.",
}
#: statuses any `/v1` route can answer: the Host/Origin guard, the token, field validation, the body limit,
#: and the handlers for unexpected errors and a full disk
COMMON: tuple[int, ...] = (400, 401, 403, 413, 422, 500, 507)


def pattern_help() -> dict[str, str]:
    """What each field's declared `pattern` means, for the 422 detail (pydantic would quote the regex).

    The customer id's words come from the rule the discount agent checks, so the two cannot drift.
    """
    from sgr.discount.agent import CUSTOMER_ID_RULE

    return {
        "customer_id": CUSTOMER_ID_RULE,
        "message": "must not be empty",
        "question": "the question is empty; ask something, e.g. \"revenue by region\"",
    }


def refusals(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry declaring `statuses` with the Refusal body (for a route or a router)."""
    return {status: {"model": Refusal, "description": _MEANING[status]} for status in statuses}
