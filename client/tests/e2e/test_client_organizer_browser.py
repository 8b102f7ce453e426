"""The organizer's side in a real browser (Debian chromium via playwright), through the gateway.

An organizer creates an event with the web form and finds it under "My events"; a
buyer (through the API) buys two tickets; the sale shows up on the live dashboard; at
the door the organizer checks a ticket in by typing its key (VALID), the same key again
is refused (ALREADY CHECKED IN, said by the server to a second door too), and the other
ticket, scanned while the connection is lost, waits in the queue and syncs once the
browser is back online.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from browser_kit import PASSWORD, browser_context, poll
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright

EVENT_URL = re.compile(r"/events/([0-9a-f]{24})$")


def _creates_event(page: Page, name: str) -> str:
    """The organizer signs up and creates a general-admission event; returns its id."""
    page.goto("/signup")
    page.fill("input[name=email]", f"organizer-{uuid.uuid4().hex[:8]}@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    page.click("nav >> text=Create event")
    starts = datetime.now(UTC) + timedelta(days=7)
    page.fill("input[name=name]", name)
    page.fill("input[name=venueName]", "Door Hall")
    page.fill("input[name=venueAddress]", "1 Main St")
    page.fill("input[name=startsAt]", f"{starts:%Y-%m-%dT%H:%M}")
    page.fill("input[name=endsAt]", f"{starts + timedelta(hours=3):%Y-%m-%dT%H:%M}")
    page.locator("input[name=typeName]").first.fill("General")
    page.locator("input[name=typePrice]").first.fill("15")
    page.locator("input[name=typeQuantity]").first.fill("10")
    page.click("button:has-text('Create event')")
    page.wait_for_url(EVENT_URL)
    found = EVENT_URL.search(page.url)
    assert found is not None
    return found.group(1)


def _buys_two_tickets(base_url: str, event_id: str) -> list[str]:
    """A buyer holds and pays for 2 tickets through the API; returns the ticket keys."""
    with httpx.Client(base_url=base_url, timeout=30) as buyer:
        email = f"buyer-{uuid.uuid4().hex[:8]}@example.com"
        signed_up = buyer.post("/api/users/signup", json={"email": email, "password": PASSWORD})
        assert signed_up.status_code == 201, signed_up.text
        type_id = buyer.get(f"/api/events/{event_id}").json()["ticketTypes"][0]["id"]
        poll(lambda: buyer.get(f"/api/availability/{event_id}").status_code == 200)
        items = [{"ticketTypeId": type_id, "quantity": 2}]
        held = buyer.post("/api/orders", json={"eventId": event_id, "items": items})
        assert held.status_code == 201, held.text
        order_id = held.json()["id"]
        poll(lambda: buyer.get("/api/payments", params={"orderId": order_id}).status_code == 200)
        paid = buyer.post("/api/payments", json={"orderId": order_id, "token": "tok_visa"})
        assert paid.status_code == 201, paid.text

        def issued() -> list[str] | None:
            order = buyer.get(f"/api/orders/{order_id}").json()
            tickets = order.get("tickets") or []
            return [t["key"] for t in tickets] if order["status"] == "complete" else None

        keys: list[str] = poll(issued)
    assert len(keys) == 2
    return keys


def _check_in(page: Page, key: str) -> None:
    page.fill("[data-checkin-input]", key)
    page.press("[data-checkin-input]", "Enter")


def _door(context: BrowserContext, event_id: str) -> Page:
    page = context.new_page()
    page.goto(f"/events/{event_id}/checkin")
    page.wait_for_function("Boolean(window.checkinStation)")
    return page


@pytest.mark.e2e
def test_organizer_sees_the_sale_and_checks_the_ticket_in_once(running_stack: str) -> None:
    name = f"Door night {uuid.uuid4().hex[:8]}"
    with sync_playwright() as playwright:
        browser, context = browser_context(playwright, running_stack)
        try:
            page = context.new_page()
            event_id = _creates_event(page, name)

            page.click("nav >> text=My events")
            row = page.locator(f"[data-my-event='{event_id}']")
            expect(row).to_contain_text(name)
            row.locator("text=Dashboard").click()
            page.wait_for_url(re.compile(rf"/events/{event_id}/dashboard$"))
            expect(page.locator("[data-figure=sold]")).to_have_text("0")
            expect(page.locator("[data-figure=remaining]")).to_have_text("10")

            first_key, second_key = _buys_two_tickets(running_stack, event_id)
            # No reload: dashboard.js brings the new figures in.
            expect(page.locator("[data-figure=sold]")).to_have_text("2")
            expect(page.locator("[data-figure=revenue]")).to_have_text("$30.00")
            expect(page.locator("[data-live-state]")).to_have_text("live")

            door = _door(context, event_id)
            title = door.locator("[data-checkin-title]")
            _check_in(door, first_key)
            expect(title).to_have_text("VALID")
            expect(door.locator("[data-checkin-result]")).to_have_attribute("data-state", "valid")
            expect(door.locator("[data-checkin-count]")).to_have_text("1")
            _check_in(door, first_key)
            expect(title).to_have_text("ALREADY CHECKED IN")
            expect(door.locator("[data-checkin-count]")).to_have_text("1")

            # A second door (its own browser storage) hears the refusal from the server.
            other_context = browser.new_context(base_url=running_stack)
            other_context.add_cookies(context.cookies())
            other_door = _door(other_context, event_id)
            _check_in(other_door, first_key)
            expect(other_door.locator("[data-checkin-title]")).to_have_text("ALREADY CHECKED IN")
            _check_in(other_door, "not-a-ticket")
            expect(other_door.locator("[data-checkin-title]")).to_have_text("INVALID")
            other_context.close()

            # Offline: the check waits in the queue, then syncs when back online.
            context.set_offline(True)
            _check_in(door, second_key)
            signed = len(second_key.split(".")) == 3  # Ed25519: verified in the browser
            expect(title).to_have_text("VALID — will sync" if signed else "QUEUED")
            expect(door.locator("[data-checkin-queue]")).to_have_text("1")
            context.set_offline(False)
            expect(door.locator("[data-checkin-queue]")).to_have_text("0")
            expect(door.locator("[data-checkin-count]")).to_have_text("2")
            expect(door.locator("[data-checkin-log] li").first).to_contain_text("checked in")
        finally:
            browser.close()
