"""Vouchers in a real browser (Debian chromium via playwright), through the gateway.

An organizer publishes an event whose tickets carry 10 % sales tax added on top, opens
the Vouchers page from the dashboard and creates a 20 %-off code; a buyer holds two
tickets with that code typed in lower case and the order page shows the voucher, the
discount, the net, the tax and the gross amount; the organizer sees the redemption;
an unknown code is refused on the event page, about the voucher.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from browser_kit import ORDER_URL, browser_context, poll, signs_up
from playwright.sync_api import Page, expect, sync_playwright


def _publishes_taxed_event(page: Page, name: str) -> str:
    """Through the API with the browser's session: 12.50 a ticket, 10 % tax on top."""
    starts = datetime.now(UTC) + timedelta(days=7)
    created = page.request.post(
        "/api/events",
        data={
            "name": name,
            "category": "concert",
            "venue": {"name": "Voucher Hall", "address": "1 Main St"},
            "startsAt": starts.isoformat(),
            "endsAt": (starts + timedelta(hours=3)).isoformat(),
            "ticketTypes": [
                {
                    "name": "General",
                    "price": 12.5,
                    "quantity": 10,
                    "taxRate": 10,
                    "taxIncluded": False,
                }
            ],
        },
    )
    assert created.status == 201, created.text()
    event_id = str(created.json()["id"])
    poll(lambda: page.request.get(f"/api/availability/{event_id}").status == 200)
    return event_id


@pytest.mark.e2e
def test_a_buyer_applies_a_voucher_and_sees_discount_and_tax(
    running_stack: str, axe_check: Any
) -> None:
    tag = uuid.uuid4().hex[:8]
    with sync_playwright() as playwright:
        browser, organizer_context = browser_context(playwright, running_stack)
        buyer_browser, buyer_context = browser_context(playwright, running_stack)
        try:
            organizer = organizer_context.new_page()
            signs_up(organizer, running_stack, f"organizer-{tag}@example.com")
            event_id = _publishes_taxed_event(organizer, f"Voucher night {tag}")
            organizer.goto(f"/events/{event_id}/dashboard")
            organizer.click("a:has-text('Vouchers')")
            organizer.wait_for_url(f"{running_stack}/events/{event_id}/vouchers")
            organizer.fill("input[name=code]", "SAVE20")
            organizer.select_option("select[name=kind]", "percent")
            organizer.fill("input[name=value]", "20")
            organizer.fill("input[name=maxRedemptions]", "5")
            organizer.click("button:has-text('Create voucher')")
            row = organizer.locator("tr[data-voucher=SAVE20]")
            expect(row.get_by_test_id("redeemed")).to_have_text("0 / 5")
            axe_check(organizer, "vouchers")

            buyer = buyer_context.new_page()
            signs_up(buyer, running_stack, f"buyer-{tag}@example.com")
            buyer.goto(f"/events/{event_id}")
            buyer.select_option("select[name=typeQuantity]", "2")
            buyer.fill("form:has(input[value=items]) input[name=voucher]", "nope")
            buyer.click("button:has-text('Hold tickets')")
            expect(buyer.locator(".alert.error")).to_contain_text("Unknown voucher code")

            buyer.select_option("select[name=typeQuantity]", "2")
            buyer.fill("form:has(input[value=items]) input[name=voucher]", "save20")
            buyer.click("button:has-text('Hold tickets')")
            buyer.wait_for_url(ORDER_URL)
            # 2 x 12.50 = 25.00, 20 % off: 20.00 net, 10 % tax on top: 2.00, 22.00 to pay.
            expect(buyer.get_by_test_id("voucher")).to_have_text("SAVE20")
            expect(buyer.get_by_test_id("discount")).to_have_text("-$5.00")
            expect(buyer.get_by_test_id("net")).to_have_text("$20.00")
            expect(buyer.get_by_test_id("tax")).to_have_text("$2.00")
            expect(buyer.get_by_test_id("amount")).to_have_text("$22.00")
            expect(buyer.get_by_test_id("line-tax")).to_contain_text("10")
            axe_check(buyer, "checkout with a voucher")

            organizer.reload()
            expect(row.get_by_test_id("redeemed")).to_have_text("1 / 5")
        finally:
            buyer_context.close()
            buyer_browser.close()
            organizer_context.close()
            browser.close()
