"""The web page in headless Chromium: upload, profile, question, progress, charts, answer, history.

Debian's `chromium` driven by Playwright through `executable_path` (never `playwright install`). Without a
browser the tests skip, except under CI, where a missing browser is a failure: CI installs it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import EXAMPLE, TOKEN, Server

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must provide it: see .ci/run)")
    pytest.skip(reason)


@pytest.fixture
def browser_context(tmp_path: Path) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    if not (Path(CHROMIUM).is_file() or shutil.which("chromium")):
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=ARGS, headless=True,
            viewport={"width": 1280, "height": 900})
        try:
            yield context
        finally:
            context.close()


def test_upload_ask_and_read_the_report(browser_context: Any, server: Server, tmp_path: Path) -> None:
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + f"/#token={TOKEN}")
    page.wait_for_selector("body[data-ready]", timeout=30_000)
    assert "token" not in page.url  # the link's token is dropped from the address bar at once
    assert page.locator("#runs-empty").is_visible()  # no runs yet

    page.set_input_files("#file", str(EXAMPLE))
    page.wait_for_selector("#profile:not([hidden])", timeout=30_000)
    columns = page.locator("#columns tbody th").all_inner_texts()
    assert columns == EXAMPLE.read_text().splitlines()[0].split(",")
    assert page.locator("#columns tbody tr", has_text="revenue").locator(".role").inner_text() == "measure"
    assert page.locator("#sample tbody tr").count() > 0
    page.screenshot(path=str(tmp_path / "profile.png"), full_page=True)

    page.fill("#question", "compare revenue by region")
    page.click("#go")
    page.wait_for_selector("#stages li", timeout=30_000)
    page.wait_for_selector("#result:not([hidden]), #run-error:not([hidden])", timeout=120_000)
    assert page.locator("#run-error").is_hidden(), page.locator("#run-error").inner_text()
    assert page.locator("#stages li.ok").count() == page.locator("#stages li").count() == 10

    images = page.locator("#charts img")
    assert images.count() >= 2
    page.wait_for_function("[...document.querySelectorAll('#charts img')].every(i => i.complete)", timeout=30_000)
    widths = images.evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert all(w > 0 for w in widths), widths
    answer = page.locator("#answer").inner_text().lower()
    assert "region" in answer and "revenue" in answer
    from playwright.sync_api import expect

    # the list refreshes after the result shows: wait for the row to say so rather than read it once
    expect(page.locator("#runs tbody tr", has_text="compare revenue by region").locator(".pill")).to_have_text(
        "answered", timeout=30_000)
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    if os.environ.get("SGR_SCREENSHOTS"):
        out = Path(os.environ["SGR_SCREENSHOTS"])
        out.mkdir(parents=True, exist_ok=True)
        for name in ("profile.png", "report.png"):
            shutil.copy(tmp_path / name, out / name)
    assert errors == []


def test_refusals_are_shown_on_the_page(browser_context: Any, server: Server, tmp_path: Path) -> None:
    bad = tmp_path / "notes.docx"
    bad.write_text("a,b\n1,2\n")
    page = browser_context.new_page()
    page.goto(server.url + f"/#token={TOKEN}")
    page.wait_for_selector("body[data-ready]", timeout=30_000)
    page.set_input_files("#file", str(bad))
    status = page.locator("#upload-status")
    status.filter(has_text="Upload failed").wait_for(timeout=30_000)
    assert "unsupported file type '.docx'" in status.inner_text()
    assert page.locator("#go").is_disabled()
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing wider than the screen
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"


def test_without_the_token_the_page_asks_for_it_and_then_works(browser_context: Any, server: Server) -> None:
    page = browser_context.new_page()
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready]", timeout=30_000)
    assert page.locator("#login").is_visible() and page.locator("#runs-empty").is_hidden()
    page.fill("#token", "not-the-token-at-all")
    page.click("#login-form button")
    page.locator("#login-status").filter(has_text="not accepted").wait_for(timeout=30_000)
    page.fill("#token", TOKEN)
    page.click("#login-form button")
    page.wait_for_selector("#login", state="hidden", timeout=30_000)
    page.wait_for_selector("#runs-empty:not([hidden])", timeout=30_000)
    cookies = {c["name"]: c for c in browser_context.cookies()}
    session = cookies["sgr_session"]
    assert session["httpOnly"] and session["sameSite"] == "Strict" and TOKEN not in session["value"]
