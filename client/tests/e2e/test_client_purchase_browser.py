"""Whole purchases in a real browser (Debian chromium via playwright), through the gateway.

General admission: an organizer publishes an event through the API; a buyer signs up in
the browser, finds the event from the home page, holds 2 tickets, pays with the test
card that succeeds and sees the 2 ticket cards once payments -> orders completes the
order; a second hold paid with the declining card shows the payment failure.

Seats: a buyer picks 2 seats on the seat map with the keyboard alone, sees a seat
someone else holds change state live, pays through the Stripe.js card form (localstripe's
stand-in of Stripe.js, under the page's real Content-Security-Policy), sees the QR ticket
cards with their seats, prints them and downloads the PDF.

Every main page passes axe-core with no serious or critical violation.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from browser_kit import ORDER_URL, PASSWORD, browser_context, poll, signs_up
from playwright.sync_api import Page, expect, sync_playwright

GENERAL = {"ticketTypes": [{"name": "General", "price": 12.5, "quantity": 10, "maxPerOrder": 4}]}
SEATED = {
    "ticketTypes": [{"name": "Stalls", "price": 45}, {"name": "Balcony", "price": 30}],
    "seating": {
        "sections": [
            {
                "name": "Stalls",
                "rows": [
                    {"label": "A", "seats": 3, "ticketType": "Stalls"},
                    {"label": "B", "seats": 3, "ticketType": "Stalls"},
                ],
            },
            {"name": "Balcony", "rows": [{"label": "C", "seats": 2, "ticketType": "Balcony"}]},
        ]
    },
}


@contextmanager
def _signed_up_api(base_url: str, role: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
        signed_up = client.post("/api/users/signup", json={"email": email, "password": PASSWORD})
        assert signed_up.status_code == 201, signed_up.text
        yield client


def _published_event(base_url: str, name: str, layout: dict[str, Any]) -> dict[str, Any]:
    """An organizer signs up and creates an event; returns once orders can hold it."""
    with _signed_up_api(base_url, "organizer") as organizer:
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
                **layout,
            },
        )
        assert created.status_code == 201, created.text
        event: dict[str, Any] = created.json()
        # Orders builds its replica from event.created; a hold before that would fail.
        poll(lambda: organizer.get(f"/api/availability/{event['id']}").status_code == 200)
    return event


def _order_id(page: Page) -> str:
    page.wait_for_url(ORDER_URL)
    found = ORDER_URL.search(page.url)
    assert found is not None
    order_id = found.group(1)
    # Payments learns of the order from order.created; a person takes longer than this.
    poll(lambda: page.request.get(f"/api/payments?orderId={order_id}").status == 200)
    return order_id


def _hold_two(page: Page, event_url: str) -> str:
    """Holds 2 tickets with the event page's form; returns the order id of the checkout."""
    assert page.url == event_url
    page.select_option("select[name=typeQuantity]", "2")
    page.click("button:has-text('Hold tickets')")
    return _order_id(page)


def _checks_out(page: Page, amount: str) -> None:
    """The checkout page shows the hold's countdown, the amount and the card form."""
    countdown = page.locator("[data-expires-at]")
    expect(countdown).to_have_text(re.compile(r"^1[45]:\d\d$"))  # a 15-minute hold
    expect(page.get_by_test_id("amount")).to_have_text(amount)
    expect(page.locator(".pay-form button[type=submit]")).to_have_text(f"Pay {amount}")


def _pays_with_a_test_card(page: Page, card: str) -> None:
    page.select_option("select[name=card]", card)
    page.click(".test-card-form button[type=submit]")


@pytest.mark.e2e
def test_browser_buys_two_tickets_and_sees_a_declined_card(
    running_stack: str, axe_check: Any
) -> None:
    tag = f"zq{uuid.uuid4().hex[:8]}"
    event = _published_event(running_stack, f"Checkout night {tag}", GENERAL)
    event_url = f"{running_stack}/events/{event['id']}"
    email = f"buyer-{tag}@example.com"
    with sync_playwright() as playwright:
        browser, context = browser_context(playwright, running_stack)
        try:
            page = context.new_page()
            signs_up(page, running_stack, email)
            axe_check(page, "home")

            page.fill("input[name=q]", tag)
            page.click("form.filters button[type=submit]")
            expect(page.locator("a.event-card")).to_have_count(1)
            axe_check(page, "search results")
            page.click(f"a.event-card:has-text('Checkout night {tag}')")
            page.wait_for_url(event_url)
            expect(page.locator("[data-remaining-for]")).to_have_text("10")
            axe_check(page, "general admission event")

            order_id = _hold_two(page, event_url)
            _checks_out(page, "$25.00")
            _pays_with_a_test_card(page, "tok_visa")
            page.wait_for_url(re.compile(rf"/orders/{order_id}\?paid=1$"))
            # The order completes asynchronously; countdown.js reloads the page until then.
            keys = page.get_by_test_id("ticket-key")
            expect(keys).to_have_count(2)
            expect(page.locator("h1 .badge")).to_have_text("complete")
            expect(page.get_by_test_id("ticket-type")).to_have_text(["General", "General"])
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
            _checks_out(page, "$25.00")
            declining = page.locator("select[name=card] option[value=pm_card_chargeCustomerFail]")
            expect(declining).to_contain_text("charge fails")
            _pays_with_a_test_card(page, "pm_card_chargeCustomerFail")
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


def _active_seat(page: Page) -> str:
    seat: str = page.evaluate("() => document.activeElement.getAttribute('data-seat-id')")
    return seat


def _picks_two_seats_with_the_keyboard(page: Page) -> None:
    """Tab into the map, arrows to move, Enter and Space to choose; no mouse on a seat."""
    # Start the Tab order at the map's heading: the next stop is the map's one Tab stop.
    page.get_by_role("heading", name="Choose your seats").click()
    page.keyboard.press("Tab")
    assert _active_seat(page) == "Stalls-A-1"
    page.keyboard.press("ArrowRight")
    assert _active_seat(page) == "Stalls-A-2"
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    assert _active_seat(page) == "Stalls-B-2"
    page.keyboard.press("Space")
    page.keyboard.press("End")
    assert _active_seat(page) == "Stalls-B-3"
    page.keyboard.press("ArrowDown")
    assert _active_seat(page) == "Balcony-C-2"
    chosen = page.locator('[data-seat-id][aria-pressed="true"]')
    expect(chosen).to_have_count(2)
    assert [s.get_attribute("data-seat-id") for s in chosen.all()] == ["Stalls-A-2", "Stalls-B-2"]
    expect(page.locator("[data-selected-count]")).to_have_text("2")


def _sees_a_rival_hold_live(page: Page, base_url: str, event_id: str) -> None:
    """Someone else holds A-3: the seat turns held at once and cannot be chosen."""
    with _signed_up_api(base_url, "rival") as rival:
        held = rival.post("/api/orders", json={"eventId": event_id, "seats": ["Stalls-A-3"]})
        assert held.status_code == 201, held.text
    seat = page.locator('[data-seat-id="Stalls-A-3"]')
    expect(seat).to_have_class("seat seat--held")
    expect(seat).to_have_attribute("aria-label", "Row A, seat 3, Stalls, $45.00, held")
    seat.focus()
    page.keyboard.press("Enter")
    expect(seat).to_have_attribute("aria-pressed", "false")
    expect(seat).to_have_attribute("aria-disabled", "true")


def _pays_with_stripe_js(page: Page) -> None:
    """The card goes into the Stripe.js fields (localstripe's stand-in draws plain inputs)."""
    card = page.locator("#card-element")
    card.locator("input[placeholder=number]").fill("4242424242424242")
    card.locator("input[placeholder=exp_month]").fill("12")
    card.locator("input[placeholder=exp_year]").fill("34")
    card.locator("input[placeholder=cvc]").fill("123")
    card.locator("input[placeholder=postal_code]").fill("10001")
    page.click(".pay-form button[type=submit]")


def _has_door_ready_cards(page: Page, email: str) -> None:
    cards = page.get_by_test_id("ticket-card")
    expect(cards).to_have_count(2)
    expect(page.get_by_test_id("ticket-seat")).to_have_text(
        ["Stalls, row A, seat 2", "Stalls, row B, seat 2"]
    )
    expect(page.get_by_test_id("ticket-type")).to_have_text(["Stalls", "Stalls"])
    expect(page.get_by_test_id("ticket-holder")).to_have_text([email, email])
    expect(cards.first.locator(".qr svg path.qrline")).to_have_count(1)
    # Printed, the cards are all there is: no navigation, no buttons.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Download PDF")).to_be_hidden()
    expect(cards.first).to_be_visible()
    page.emulate_media(media="screen")


def _downloads_the_pdf(page: Page, order_id: str) -> None:
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(f"-{order_id}.pdf")
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    answer = page.request.get(f"/orders/{order_id}/tickets.pdf")
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.body().startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", answer.body())) == 2


@pytest.mark.e2e
def test_browser_picks_seats_by_keyboard_pays_with_stripe_js_and_gets_qr_tickets(
    running_stack: str, axe_check: Any
) -> None:
    tag = f"zs{uuid.uuid4().hex[:8]}"
    event = _published_event(running_stack, f"Seat night {tag}", SEATED)
    event_url = f"{running_stack}/events/{event['id']}"
    email = f"seated-{tag}@example.com"
    with sync_playwright() as playwright:
        browser, context = browser_context(playwright, running_stack)
        try:
            page = context.new_page()
            signs_up(page, running_stack, email)
            page.goto(event_url)
            expect(page.locator("button[data-seat-id]")).to_have_count(8)
            expect(page.locator(".type-legend li")).to_have_text(
                [re.compile(r"Stalls \$45\.00 · 6 left"), re.compile(r"Balcony \$30\.00 · 2 left")]
            )
            axe_check(page, "event with seat map")
            _picks_two_seats_with_the_keyboard(page)
            _sees_a_rival_hold_live(page, running_stack, event["id"])

            page.click("button:has-text('Hold selected seats')")
            order_id = _order_id(page)
            _checks_out(page, "$90.00")
            # Stripe.js has drawn the card fields: the policy let its script in.
            expect(page.locator("#card-element input")).to_have_count(5)
            expect(page.locator("select[name=card]")).to_be_visible()  # a test key
            axe_check(page, "checkout with the card form")
            _pays_with_stripe_js(page)
            page.wait_for_url(re.compile(rf"/orders/{order_id}\?paid=1$"))
            _has_door_ready_cards(page, email)
            _downloads_the_pdf(page, order_id)

            page.goto("/my-tickets")
            expect(page.get_by_test_id("ticket-card")).to_have_count(2)
            axe_check(page, "my tickets")
            _finds_the_tickets_mail(page, f"Seat night {tag}", email)
            axe_check(page, "mail")
        finally:
            browser.close()


def _finds_the_tickets_mail(page: Page, event_name: str, email: str) -> None:
    """The confirmation with the tickets reaches the dev mailbox (the Mail page), sent
    by the notifications service from order.completed."""
    mail = page.get_by_test_id("mail").filter(has_text=f"Your tickets for {event_name}")
    for _ in range(60):
        page.goto("/mail")
        if mail.count():
            break
        page.wait_for_timeout(500)
    expect(mail).to_have_count(1)
    expect(mail).to_contain_text(f"To {email}")
    expect(mail.locator(".mail__attachments")).to_contain_text(".pdf")
