"""A whole purchase in a real browser (Debian chromium via playwright), through the gateway.

An organizer publishes a general-admission event through the API; a buyer signs up in
the browser, finds the event from the home page, holds 2 tickets, pays with the test
card that succeeds and sees the 2 ticket keys once payments -> orders completes the
order. A second hold paid with the declining card shows the payment failure.
"""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

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


def _published_event(base_url: str, name: str) -> dict[str, Any]:
    """An organizer signs up and creates a GA event; returns once orders can hold it."""
    with httpx.Client(base_url=base_url, timeout=30) as organizer:
        email = f"organizer-{uuid.uuid4().hex[:8]}@example.com"
        signed_up = organizer.post("/api/users/signup", json={"email": email, "password": PASSWORD})
        assert signed_up.status_code == 201, signed_up.text
        starts = datetime.now(UTC) + timedelta(days=7)
        created = organizer.post(
            "/api/events",
            json={
                "name": name,
                "category": "concert",
                "venue": {"name": "Browser Hall", "address": "1 Main St"},
                "startsAt": starts.isoformat(),
                "endsAt": (starts + timedelta(hours=3)).isoformat(),
                "currency": "usd",
                "ticketTypes": [
                    {"name": "General", "price": 12.5, "quantity": 10, "maxPerOrder": 4}
                ],
            },
        )
        assert created.status_code == 201, created.text
        event: dict[str, Any] = created.json()
        # Orders builds its replica from event.created; a hold before that would fail.
        _poll(lambda: organizer.get(f"/api/availability/{event['id']}").status_code == 200)
    return event


def _poll(probe: Any, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while not probe():
        assert time.monotonic() < deadline, "timed out waiting for the services to agree"
        time.sleep(0.1)


def _hold_two(page: Page, event_url: str) -> str:
    """Holds 2 tickets with the event page's form; returns the order id of the checkout."""
    assert page.url == event_url
    page.select_option("select[name=typeQuantity]", "2")
    page.click("button:has-text('Hold tickets')")
    page.wait_for_url(ORDER_URL)
    found = ORDER_URL.search(page.url)
    assert found is not None
    order_id = found.group(1)
    # Payments learns of the order from order.created; a person takes longer than this.
    _poll(lambda: page.request.get(f"/api/payments?orderId={order_id}").status == 200)
    return order_id


def _checks_out(page: Page) -> None:
    """The checkout page shows the hold's countdown and the amount for 2 x $12.50."""
    countdown = page.locator("[data-expires-at]")
    expect(countdown).to_have_text(re.compile(r"^1[45]:\d\d$"))  # a 15-minute hold
    expect(page.get_by_test_id("amount")).to_have_text("$25.00")
    expect(page.locator(".pay-form button[type=submit]")).to_have_text("Pay $25.00")


@pytest.mark.e2e
def test_browser_buys_two_tickets_and_sees_a_declined_card(running_stack: str) -> None:
    tag = f"zq{uuid.uuid4().hex[:8]}"
    event = _published_event(running_stack, f"Checkout night {tag}")
    event_url = f"{running_stack}/events/{event['id']}"
    email = f"buyer-{tag}@example.com"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(base_url=running_stack)
            context.set_default_timeout(WAIT_MS)
            expect.set_options(timeout=WAIT_MS)
            page = context.new_page()
            page.goto("/")
            page.click("text=Sign up")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{running_stack}/")
            expect(page.get_by_test_id("current-user")).to_have_text(email)

            page.fill("input[name=q]", tag)
            page.click("form.filters button[type=submit]")
            page.click(f"a.event-card:has-text('Checkout night {tag}')")
            page.wait_for_url(event_url)
            expect(page.locator("[data-remaining-for]")).to_have_text("10")

            order_id = _hold_two(page, event_url)
            _checks_out(page)
            page.select_option("select[name=card]", "tok_visa")
            page.click(".pay-form button[type=submit]")
            page.wait_for_url(re.compile(rf"/orders/{order_id}\?paid=1$"))
            # The order completes asynchronously; countdown.js reloads the page until then.
            keys = page.locator("ul.ticket-keys code")
            expect(keys).to_have_count(2)
            expect(page.locator("h1 .badge")).to_have_text("complete")
            shown_keys = sorted(keys.all_text_contents())
            assert all(shown_keys)

            cookies = {c["name"]: c["value"] for c in context.cookies()}
            with httpx.Client(base_url=running_stack, cookies=cookies, timeout=30) as api:
                order = api.get(f"/api/orders/{order_id}")
            assert order.status_code == 200, order.text
            assert order.json()["status"] == "complete"
            assert sorted(t["key"] for t in order.json()["tickets"]) == shown_keys

            # A second hold, paid with the card whose charge fails.
            page.goto(event_url)
            expect(page.locator("[data-remaining-for]")).to_have_text("8")
            declined_id = _hold_two(page, event_url)
            assert declined_id != order_id
            _checks_out(page)
            declining = page.locator("select[name=card] option[value=pm_card_chargeCustomerFail]")
            expect(declining).to_contain_text("charge fails")
            page.select_option("select[name=card]", "pm_card_chargeCustomerFail")
            page.click(".pay-form button[type=submit]")
            expect(page.get_by_test_id("payment-error")).to_contain_text("Payment failed due to")
            expect(page.locator("h1 .badge")).not_to_have_text("complete")
            # The hold survives a declined card: the buyer can still pay or cancel.
            expect(page.locator(".pay-form button[type=submit]")).to_be_enabled()
            with httpx.Client(base_url=running_stack, cookies=cookies, timeout=30) as api:
                held = api.get(f"/api/orders/{declined_id}").json()
            assert held["status"] in ("created", "awaiting:payment")
            assert not held["tickets"]
        finally:
            browser.close()
