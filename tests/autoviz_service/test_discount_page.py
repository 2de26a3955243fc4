"""The discount page at `/discount` in headless Chromium, and the read-only API it needs.

The browser tests drive a real server over real stores (`setup_data`) with the offline backend: pick a
customer, send a message, read route, context, cap rules, reasoning and offer, and find the decision at the
top of the audit. They wait on page state (selectors, `expect`), never on time. Chromium comes from Debian
(`/usr/bin/chromium`), as for the AutoViz page: see `test_browser.py`.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sgr.discount.message import offer_amounts
from sgr.discount.setup_data import setup_data

from .conftest import AUTH, TOKEN, Server, make_settings
from .test_browser import browser_context  # noqa: F401  (the fixture: same Chromium, same flags)

USERS = 20
SEED = 7
#: overstock, low churn: the cap has a tier, a modifier and a ceiling rule, and the offer a code
OFFER_CUSTOMER = "C0000003"
PRICE_MESSAGE = "this is too expensive, any discount?"


@pytest.fixture
def discount_server(tmp_path: Path) -> Iterator[Server]:
    (tmp_path / "data").mkdir()
    setup_data(tmp_path / "discount", users=USERS, seed=SEED)
    with Server(make_settings(tmp_path)) as srv:
        yield srv


@pytest.fixture
def api(discount_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=discount_server.url, headers=AUTH, timeout=60) as c:
        yield c


# -- the API the page needs -------------------------------------------------------------------------------


def test_customers_lists_a_bounded_sample_in_id_order(api: httpx.Client) -> None:
    r = api.get("/v1/discount/customers", params={"limit": 5})
    assert r.status_code == 200, r.text
    rows = r.json()["customers"]
    assert [c["customer_id"] for c in rows] == [f"C{i:07d}" for i in range(1, 6)]
    assert set(rows[0]) == {"customer_id", "cart_value", "profit_margin", "inventory_status"}
    assert len(api.get("/v1/discount/customers").json()["customers"]) == USERS  # default 20, all there are
    for limit in (0, 101, -1):
        bad = api.get("/v1/discount/customers", params={"limit": limit})
        assert bad.status_code == 422 and "limit" in bad.json()["detail"], bad.text


def test_customers_needs_the_token_and_declares_its_refusals(discount_server: Server, api: httpx.Client) -> None:
    anon = httpx.get(f"{discount_server.url}/v1/discount/customers", timeout=30)
    assert anon.status_code == 401 and anon.json()["error"] == "Unauthorized"
    op = api.get("/openapi.json").json()["paths"]["/v1/discount/customers"]["get"]
    assert {"400", "401", "422", "503"} <= set(op["responses"]), sorted(op["responses"])
    assert op["responses"]["503"]["content"]["application/json"]["schema"]["$ref"].endswith("/Refusal")


def test_customers_without_stores_is_503_with_the_fix(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    with Server(make_settings(tmp_path)) as srv, httpx.Client(base_url=srv.url, headers=AUTH, timeout=30) as c:
        r = c.get("/v1/discount/customers")
    assert r.status_code == 503 and "setup-data" in r.json()["detail"], r.text


def test_a_decision_carries_the_offer_the_customer_read(api: httpx.Client) -> None:
    body = api.post("/v1/discount/decisions", json={"customer_id": OFFER_CUSTOMER, "message": PRICE_MESSAGE}).json()
    offer = body["offer"]
    assert offer["percent"] == body["decision"]["max_discount_percent"] > 0
    assert (offer["saving"], offer["new_total"]) == offer_amounts(percent=offer["percent"],
                                                                  cart_value=body["context"]["cart_value"])
    assert f"${offer['saving']:.2f}" in body["customer_message"] and offer["code"] in body["customer_message"]
    chat = api.post("/v1/discount/decisions", json={"customer_id": OFFER_CUSTOMER, "message": "where is my parcel?"})
    assert chat.json()["route"]["route"] == "respond" and chat.json()["offer"] is None


def test_the_page_shell_is_public_and_holds_no_data(discount_server: Server) -> None:
    page = httpx.get(f"{discount_server.url}/discount", timeout=30)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'href="/"' in page.text and "/static/discount.js" in page.text and "/static/shared.js" in page.text
    for name in ("shared.js", "discount.js"):
        assert httpx.get(f"{discount_server.url}/static/{name}", timeout=30).status_code == 200
    assert 'href="/discount"' in httpx.get(f"{discount_server.url}/", timeout=30).text  # the nav link back


@pytest.mark.postgres
def test_customers_from_a_postgres_hot_store(postgres_dsn: str, tmp_path: Path) -> None:
    from sgr.discount.stores import Stores
    from sgr.testing.postgres_server import create_database

    dsn = create_database(postgres_dsn, "discount_page_customers")
    setup_data(tmp_path / "pg", users=USERS, seed=SEED, database=dsn)
    setup_data(tmp_path / "lite", users=USERS, seed=SEED)
    with Stores(tmp_path / "pg", database=dsn) as pg, Stores(tmp_path / "lite") as lite:
        assert pg.hot.sample(7) == lite.hot.sample(7)
        assert len(pg.hot.sample(1000)) == USERS


# -- the page in a browser ------------------------------------------------------------------------------------


def _open(context: Any, url: str) -> tuple[Any, list[str]]:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_selector("body[data-ready]", timeout=30_000)
    return page, errors


@pytest.mark.browser
def test_pick_send_and_read_the_decision_and_audit(browser_context: Any,  # noqa: F811
                                                   discount_server: Server, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page, errors = _open(browser_context, discount_server.url + f"/discount#token={TOKEN}")
    assert "token" not in page.url and page.url.endswith("/discount")
    assert page.locator("#login").is_hidden()
    assert page.locator("#audit-empty").is_visible()  # no decisions yet
    assert page.locator("#pick option[value]:not([value=''])").count() == USERS

    page.select_option("#pick", OFFER_CUSTOMER)
    expect(page.locator("#customer")).to_have_value(OFFER_CUSTOMER)
    page.fill("#message", PRICE_MESSAGE)
    page.click("#send")
    page.wait_for_selector("#decision:not([hidden])", timeout=30_000)
    assert page.locator("#decision-error").is_hidden()

    expect(page.locator("#route-name")).to_have_text("fetch_user_features")
    assert "price cues" in page.locator("#route-reason").inner_text()
    context = page.locator("#context").text_content()  # inner_text follows the CSS capitals
    assert "Hot store" in context and "Cold store" in context and "$131.71" in context and "overstock" in context
    assert page.locator("#cap-policy").inner_text().startswith("Policy default @ ")
    rules = page.locator("#cap-rules li").all_inner_texts()
    assert any(r.startswith("tier 'low churn'") for r in rules) and any(r.startswith("overstock") for r in rules)
    reasoning = page.locator("#reasoning").inner_text()
    assert "Churn analysis" in reasoning and "Margin math" in reasoning
    code = page.locator("#offer-code").inner_text()
    assert re.fullmatch(r"SAVE[0-9P]+(-[0-9A-Z]{4}){4}", code), code
    assert "You save" in page.locator("#offer-amounts").inner_text()
    assert code in page.locator("#customer-message").inner_text()
    assert page.locator("#trace tbody tr").count() == 2

    audit_id = re.search(r"#(\d+)", page.locator("#send-status").inner_text())
    assert audit_id, page.locator("#send-status").inner_text()
    first = page.locator("#audit tbody tr").first
    expect(first).to_have_attribute("data-id", audit_id.group(1))
    expect(first.locator("code")).to_have_text(code)
    page.screenshot(path=str(tmp_path / "discount.png"), full_page=True)

    first.click()
    expect(page.locator("#audit-detail")).to_be_visible()
    detail = page.locator("#audit-fields").inner_text()
    assert PRICE_MESSAGE in detail and "overstock" in detail and code in detail
    assert f'"id": {audit_id.group(1)}' in page.locator("#audit-json").text_content()
    page.screenshot(path=str(tmp_path / "audit.png"), full_page=True)

    page.fill("#audit-customer", "C0000004")  # a filter with no decisions
    page.click("#audit-refresh")
    expect(page.locator("#audit-empty")).to_be_visible()
    if os.environ.get("SGR_SCREENSHOTS"):
        out = Path(os.environ["SGR_SCREENSHOTS"])
        out.mkdir(parents=True, exist_ok=True)
        for name in ("discount.png", "audit.png"):
            shutil.copy(tmp_path / name, out / name)
    assert errors == []


@pytest.mark.browser
def test_an_unknown_customer_shows_the_servers_detail(browser_context: Any,  # noqa: F811
                                                      discount_server: Server) -> None:
    from playwright.sync_api import expect

    page, errors = _open(browser_context, discount_server.url + f"/discount#token={TOKEN}")
    page.fill("#customer", "C9999999")
    page.fill("#message", PRICE_MESSAGE)
    page.click("#send")
    alert = page.locator("#decision-error")
    expect(alert).to_be_visible(timeout=30_000)
    expect(alert).to_contain_text("customer 'C9999999' is not in the stores")
    assert page.locator("#decision").is_hidden()
    expect(page.locator("#audit-empty")).to_be_visible()  # a refusal is not a decision
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert errors == []


@pytest.mark.browser
def test_without_a_session_the_page_asks_for_the_token(browser_context: Any,  # noqa: F811
                                                       discount_server: Server) -> None:
    from playwright.sync_api import expect

    page, _ = _open(browser_context, discount_server.url + "/discount")
    assert page.locator("#login").is_visible()
    assert page.locator("#pick option[value]:not([value=''])").count() == 0  # nothing read without the token
    page.fill("#token", TOKEN)
    page.click("#login-form button")
    expect(page.locator("#login")).to_be_hidden(timeout=30_000)
    expect(page.locator("#pick option[value]:not([value=''])")).to_have_count(USERS, timeout=30_000)
    page.click("nav.pages a[href='/']")  # the same session works on the AutoViz page
    page.wait_for_url(discount_server.url + "/", timeout=30_000)
    page.wait_for_selector("body[data-ready]", timeout=30_000)
    assert page.locator("#login").is_hidden() and page.locator("#runs-empty").is_visible()
