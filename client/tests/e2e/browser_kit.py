"""What the browser tests share: Debian's chromium driven by playwright (`playwright
install` cannot download here), their waits, and a sign-up through the pages."""

from __future__ import annotations

import re
import time
from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 30_000
PASSWORD = "correct-horse-9"
ORDER_URL = re.compile(r"/orders/([0-9a-f]{24})$")


def poll(probe: Any, within: float = 30.0) -> Any:
    """Call `probe` until it returns something true → that; fails after `within` s."""
    deadline = time.monotonic() + within
    while not (found := probe()):
        assert time.monotonic() < deadline, "timed out waiting for the services to agree"
        time.sleep(0.1)
    return found


def browser_context(playwright: Any, base_url: str) -> tuple[Any, BrowserContext]:
    """A browser and its context on `base_url`, every wait up to WAIT_MS."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(base_url=base_url, accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    expect.set_options(timeout=WAIT_MS)
    return browser, context


def signs_up(page: Page, base_url: str, email: str) -> None:
    """Sign up through the pages; the header then names the new user."""
    page.goto("/")
    page.click("text=Sign up")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    expect(page.get_by_test_id("current-user")).to_have_text(email)
