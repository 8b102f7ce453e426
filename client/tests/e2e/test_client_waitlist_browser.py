"""The waiting list in a real browser, through the gateway: a show's only ticket is held
by someone else; a buyer joins its waiting list from the event page and sees their place
in My orders; the hold runs out (the event's hold time is its shortest, one minute, and
the expiration service ends it as in production), and the ticket is held for the buyer:
My orders and the event page offer it, and it opens as a checkout like any hold.

The pages pass axe-core with no serious or critical violation.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from browser_kit import browser_context, poll, signs_up
from playwright.sync_api import expect, sync_playwright
from test_client_purchase_browser import _signed_up_api

ONE_TICKET = {
    "ticketTypes": [{"name": "General", "price": 20, "quantity": 1, "maxPerOrder": 1}],
    "holdMinutes": 1,
}
# The hold lasts a minute, then expiration.complete, the cancel and the offer follow.
OFFER_WITHIN = 150.0


def _sold_out_event(base_url: str, name: str) -> dict[str, Any]:
    """An event of one ticket, held by another buyer; returns the event."""
    with _signed_up_api(base_url, "organizer") as organizer:
        starts = datetime.now(UTC) + timedelta(days=7)
        created = organizer.post(
            "/api/events",
            json={
                "name": name,
                "category": "concert",
                "venue": {"name": "Queue Hall", "address": "2 Main St"},
                "startsAt": starts.isoformat(),
                "endsAt": (starts + timedelta(hours=3)).isoformat(),
                "currency": "usd",
                **ONE_TICKET,
            },
        )
        assert created.status_code == 201, created.text
        event: dict[str, Any] = created.json()
        poll(lambda: organizer.get(f"/api/availability/{event['id']}").status_code == 200)
    type_id = event["ticketTypes"][0]["id"]
    with _signed_up_api(base_url, "holder") as holder:
        body = {"eventId": event["id"], "items": [{"ticketTypeId": type_id, "quantity": 1}]}
        held = holder.post("/api/orders", json=body)
        assert held.status_code == 201, held.text
    return event


@pytest.mark.e2e
def test_a_waiting_list_place_turns_into_an_offer_when_a_hold_expires(
    running_stack: str, axe_check: Any
) -> None:
    tag = f"wl{uuid.uuid4().hex[:8]}"
    event = _sold_out_event(running_stack, f"Queue night {tag}")
    event_url = f"{running_stack}/events/{event['id']}"
    with sync_playwright() as playwright:
        browser, context = browser_context(playwright, running_stack)
        try:
            page = context.new_page()
            signs_up(page, running_stack, f"waiting-{tag}@example.com")
            page.goto(event_url)
            expect(page.locator("[data-remaining-for]")).to_have_text("0")
            join = page.locator("[data-waitlist-join]")
            expect(join).to_contain_text("General")
            axe_check(page, "sold-out event with its waiting list")

            join.locator("button[type=submit]").click()
            page.wait_for_url(f"{event_url}#waitlist")
            expect(page.locator("[data-waitlist-place]")).to_contain_text("number 1 in line")
            page.goto("/orders")
            place = page.locator("[data-waitlist-entry=waiting]")
            expect(place).to_contain_text(f"Queue night {tag}")
            expect(place).to_contain_text("Number 1 in line for 1 \N{MULTIPLICATION SIGN} General")
            axe_check(page, "my orders with a place in line")

            def offered() -> bool:
                entries = page.request.get(f"/api/orders/waitlist?eventId={event['id']}").json()
                return bool(entries and entries[0]["status"] == "offered")

            poll(offered, within=OFFER_WITHIN)
            page.reload()
            offer = page.locator("[data-waitlist-entry=offered]")
            expect(offer).to_contain_text("Held for you from the waiting list")
            axe_check(page, "my orders with an offer")
            page.goto(event_url)
            expect(page.locator("[data-waitlist-offer]")).to_contain_text("held for you")

            page.goto("/orders")
            offer.locator("a.button").click()
            page.wait_for_url(re.compile(r"/orders/[0-9a-f]{24}$"))
            # A checkout like any hold, for the offer's time (30 minutes by default).
            expect(page.locator("[data-expires-at]")).to_have_text(re.compile(r"^(29|30):\d\d$"))
            expect(page.get_by_test_id("amount")).to_have_text("$20.00")
        finally:
            context.close()
            browser.close()
