"""One real browser (Debian chromium driven by playwright): sign up and see the header,
list a ticket for resale and withdraw it; the pages a visitor sees first pass axe-core
with no serious or critical violation."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from browser_kit import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import Page, sync_playwright


def _sells_then_withdraws_a_ticket(page: Page, base_url: str, title: str, axe_check: Any) -> None:
    """The seller's listing page has a Withdraw button: back to the listings, it is gone."""
    page.goto(f"{base_url}/sell")
    page.fill("input[name=title]", title)
    page.fill("input[name=price]", "20")
    page.click("button:has-text('List ticket')")
    page.wait_for_url(re.compile(r"/tickets/[0-9a-f]{24}$"))
    axe_check(page, "the seller's listing")
    page.click("[data-testid=withdraw]")
    page.wait_for_url(f"{base_url}/?withdrawn=1#listings")
    assert page.text_content("[data-testid=withdrawn]") == "Your listing was withdrawn."
    assert page.locator(f"#listings a:has-text('{title}')").count() == 0


@pytest.mark.e2e
def test_browser_signs_up_and_sees_the_header(running_stack: str, axe_check: Any) -> None:
    email = f"browser-{uuid.uuid4().hex[:8]}@example.com"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{running_stack}/")
            axe_check(page, "home, signed out")
            page.click("text=Sign up")
            page.wait_for_selector("input[name=email]")
            axe_check(page, "sign-up form")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", "correct-horse-9")
            page.click("button[type=submit]")
            page.wait_for_url(f"{running_stack}/")
            assert page.text_content("[data-testid=current-user]") == email
            _sells_then_withdraws_a_ticket(page, running_stack, f"Spare seat {email}", axe_check)
            page.click("text=Sign out")
            page.wait_for_selector("text=Sign in")
            assert page.query_selector("[data-testid=current-user]") is None
        finally:
            browser.close()
