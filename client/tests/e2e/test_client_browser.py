"""One real browser (Debian chromium driven by playwright): sign up and see the header."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import sync_playwright

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


@pytest.mark.e2e
def test_browser_signs_up_and_sees_the_header(running_stack: str) -> None:
    email = f"browser-{uuid.uuid4().hex[:8]}@example.com"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{running_stack}/")
            page.click("text=Sign up")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", "correct-horse-9")
            page.click("button[type=submit]")
            page.wait_for_url(f"{running_stack}/")
            assert page.text_content("[data-testid=current-user]") == email
            page.click("text=Sign out")
            page.wait_for_selector("text=Sign in")
            assert page.query_selector("[data-testid=current-user]") is None
        finally:
            browser.close()
