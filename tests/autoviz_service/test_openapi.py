"""The OpenAPI document tells the truth: every status and body a route answers is declared.

schemathesis generates requests from `/openapi.json` (valid and invalid ones) against the real service on
127.0.0.1 and checks each answer: no 5xx, a declared status, a declared content type, a body that matches the
declared schema. Runs are derandomized, so the same requests are sent on every run (no flaky examples).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig

from sgr.http_refusals import Refusal

from .conftest import AUTH, Server, make_settings

#: the page shell and static files are not part of the API
SKIP_PATHS = ("/", "/static/{name}")
EXCLUDED: list[Any] = []  # every check runs


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("openapi")
    (root / "data").mkdir()
    (root / "data" / "sales.csv").write_text("region,revenue\nNorth,10\nSouth,12\nNorth,7\n")
    from sgr.discount.setup_data import setup_data

    setup_data(root / "discount", users=50, seed=7)  # real stores, so decisions get past "store missing"
    with Server(make_settings(root, upload_bytes=1024 * 1024)) as srv:
        yield srv


#: uploads: what a file contains (empty, binary, not a table) and "exactly one of a file, an id or a path" cannot
#: be said in a multipart schema, so these two operations may refuse schema-valid requests with their declared
#: 400/415/422; every other operation must accept every schema-valid request
_UPLOAD_REFUSALS = ["2xx", "3xx", "400", "401", "403", "404", "409", "415", "422", "429", "5xx"]
CONFIG = SchemathesisConfig.from_dict({"operations": [
    {"include-path": path, "include-method": "POST",
     "checks": {"positive_data_acceptance": {"expected-statuses": _UPLOAD_REFUSALS}}}
    for path in ("/v1/autoviz/datasets", "/v1/autoviz/runs")]})


def _operations(live: Server) -> list[Any]:
    loaded = schemathesis.openapi.from_url(f"{live.url}/openapi.json", headers=AUTH, config=CONFIG)
    ops = [r.ok() for r in loaded.get_all_operations()]
    return [op for op in ops if op.path not in SKIP_PATHS]


def test_every_answer_is_declared(live: Server) -> None:
    """Generated requests (15 per operation, derandomized) and the default checks on every answer."""
    checked: list[str] = []
    for op in _operations(live):

        @settings(max_examples=15, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def run(case: Any) -> None:
            case.call_and_validate(base_url=live.url, headers=AUTH, excluded_checks=EXCLUDED)

        run()
        checked.append(f"{op.method.upper()} {op.path}")
    assert any("/v1/autoviz/runs" in c for c in checked) and any("/v1/discount" in c for c in checked), checked


def test_refusals_are_declared_with_the_refusal_body(live: Server) -> None:
    import httpx

    doc = httpx.get(f"{live.url}/openapi.json", headers=AUTH, timeout=30).json()
    assert "Refusal" in doc["components"]["schemas"]
    assert set(Refusal.model_fields) == set(doc["components"]["schemas"]["Refusal"]["properties"])
    for path, ops in doc["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, op in ops.items():
            codes = op["responses"]
            expected = {"400"}
            if op.get("security") != []:
                expected.add("401")  # every route behind the token
            if op.get("parameters") or op.get("requestBody"):
                expected.add("422")  # every route with fields to validate
            for status in sorted(expected):
                assert status in codes, (method, path, status)
                ref = codes[status]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/Refusal"), (method, path, status, ref)
            assert "HTTPValidationError" not in str(codes), (method, path)


def test_a_known_refusal_matches_its_declaration(live: Server, tmp_path: Path) -> None:
    import httpx

    with httpx.Client(base_url=live.url, headers=AUTH, timeout=30) as client:
        r = client.get("/v1/autoviz/runs/0123456789abcdef0123456789abcdef")
        assert r.status_code == 404 and Refusal.model_validate(r.json()).error == "NotFound"
        r = client.post("/v1/autoviz/runs", data={"question": "revenue by region"})
        assert r.status_code == 400 and Refusal.model_validate(r.json()).error == "InvalidRequest"
