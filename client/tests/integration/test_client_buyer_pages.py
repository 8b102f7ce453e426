"""Buyer pages served for real against the fake gateway: ticket cards and PDF, the card
form and its test-card rule, the accessible seat map, withdrawing a listing."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.asyncio(loop_scope="session")

SEATED_ORDER = {
    "id": "o-seat",
    "status": "complete",
    "userId": "u-ann@example.com",
    "expiresAt": "2031-01-01T00:00:00Z",
    "eventId": "e-seat",
    "items": [{"ticketTypeId": "t-stalls", "quantity": 1, "unitPrice": 12, "seatId": "s-A3"}],
    "amount": 12,
    "currency": "eur",
    "tickets": [
        {"id": "tk-9", "key": "KEY-seat.9", "ticketTypeId": "t-stalls", "seatId": "s-A3"},
    ],
}


async def test_order_page_shows_door_ready_cards_and_a_pdf_link(site) -> None:
    site.state.orders["o-seat"] = SEATED_ORDER
    async with site.browser("ann@example.com") as browser:
        page = await browser.get("/orders/o-seat")
        mine = await browser.get("/my-tickets")
    assert page.status_code == 200
    for html in (page.text, mine.text):
        card = html[html.index('data-testid="ticket-card"') :]
        assert "Cinema Premiere" in card
        assert "Thu 1 May 2031, 19:30 UTC" in card
        assert "Blue Hall, 1 Main St" in card
        assert '<dd data-testid="ticket-type">Stalls</dd>' in card  # the name, not "t-stalls"
        assert '<dd data-testid="ticket-seat">Stalls, row A, seat 3</dd>' in card
        assert '<dd data-testid="ticket-holder">ann@example.com</dd>' in card
        assert re.search(r'role="img" aria-label="QR code of ticket tk-9"><svg viewBox=', card)
        assert '<code class="ticket-key" data-testid="ticket-key">KEY-seat.9</code>' in card
        assert 'href="/orders/o-seat/tickets.pdf"' in html
    # A paid order has no card form, so no Stripe.js either.
    assert "js.stripe.com" not in page.text


async def test_the_pdf_has_a_page_per_ticket_and_a_file_name(site) -> None:
    site.state.orders["o-seat"] = SEATED_ORDER
    async with site.browser("ann@example.com") as browser:
        pdf = await browser.get("/orders/o-seat/tickets.pdf")
        missing = await browser.get("/orders/o-none/tickets.pdf")
    async with site.browser() as stranger:
        signed_out = await stranger.get("/orders/o-seat/tickets.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == (
        'attachment; filename="tickets-cinema-premiere-oseat.pdf"'
    )
    assert pdf.headers["cache-control"] == "private, no-store"
    assert pdf.content.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf.content)) == 1
    assert missing.status_code == 404
    assert signed_out.status_code == 303


async def test_checkout_has_the_stripe_form_and_test_cards_with_a_test_key(site) -> None:
    async with site.browser("bob@example.com") as browser:
        hold = await browser.post(
            "/events/e-ga/hold", data={"mode": "items", "typeId": "t-std", "typeQuantity": "1"}
        )
        checkout = await browser.get(hold.headers["location"])
    assert 'data-stripe-key="pk_test_client"' in checkout.text
    assert '<script src="https://js.stripe.com/v3/" defer></script>' in checkout.text
    assert '<script src="/static/checkout.js" defer></script>' in checkout.text
    assert 'option value="tok_visa"' in checkout.text
    assert "test mode — payments use Stripe test cards" in checkout.text
    policy = checkout.headers["content-security-policy"].split("; ")
    assert "script-src 'self' https://js.stripe.com" in policy
    assert "frame-ancestors 'none'" in policy


async def test_with_a_live_key_no_test_card_is_shown_or_taken(site_with) -> None:
    async with (
        site_with(stripe_publishable_key="pk_live_abc") as live,
        live.browser("bob@example.com") as browser,
    ):
        hold = await browser.post(
            "/events/e-ga/hold", data={"mode": "items", "typeId": "t-std", "typeQuantity": "1"}
        )
        order_url = hold.headers["location"]
        checkout = await browser.get(order_url)
        forged = await browser.post(f"{order_url}/pay", data={"card": "tok_visa"})
        paid = await browser.post(f"{order_url}/pay", data={"paymentMethod": "pm_1Live"})
    assert 'data-stripe-key="pk_live_abc"' in checkout.text
    assert 'name="card"' not in checkout.text
    assert "test mode" not in checkout.text  # neither the drop-down nor the footer
    assert forged.status_code == 400
    assert "Enter your card details to pay." in forged.text
    assert paid.status_code == 303
    payments = [b for m, p, b, _ in live.state.requests if (m, p) == ("POST", "/api/payments")]
    assert payments == [{"orderId": order_url.rsplit("/", 1)[1], "paymentMethod": "pm_1Live"}]


async def test_seats_are_named_toggle_buttons_with_a_type_legend(site) -> None:
    async with site.browser("bob@example.com") as browser:
        page = await browser.get("/events/e-seat")
    seats = re.findall(r"<button type=\"button\" class=\"seat[^>]*>", page.text)
    assert len(seats) == 3
    assert all('aria-pressed="false"' in s for s in seats)
    assert 'aria-label="Row A, seat 1, Stalls, €12.00, sold"' in seats[0]
    assert 'aria-disabled="true"' in seats[0]
    assert 'aria-label="Row A, seat 3, Stalls, €12.00, available"' in seats[2]
    assert "aria-disabled" not in seats[2]
    # One Tab stop for the whole map; the arrow keys do the rest.
    assert re.findall(r'tabindex="(-?\d)"', "".join(seats)) == ["0", "-1", "-1"]
    assert "<strong>Stalls</strong> €12.00" in page.text
    assert "/static/seatmap.js" in page.text


async def test_withdrawing_a_listing_goes_back_to_listings_or_shows_the_rule(site) -> None:
    async with site.browser("bob@example.com") as browser:
        done = await browser.post("/tickets/l-1/withdraw")
        home = await browser.get("/", params={"withdrawn": "1"})
        refused = await browser.post("/tickets/l-reserved/withdraw")
    assert done.status_code == 303
    assert done.headers["location"] == "/?withdrawn=1#listings"
    assert "Your listing was withdrawn." in home.text
    assert refused.status_code == 400
    assert "Cannot withdraw a reserved ticket" in refused.text
    deletes = [p for m, p, _, _ in site.state.requests if m == "DELETE"]
    assert deletes[-2:] == ["/api/tickets/l-1", "/api/tickets/l-reserved"]


async def test_the_seller_sees_a_withdraw_button(site) -> None:
    async with site.browser("x") as seller:  # the fake's listing belongs to "u-x"
        page = await seller.get("/tickets/l-1")
    assert 'action="/tickets/l-1/withdraw"' in page.text
    async with site.browser("bob@example.com") as buyer:
        other = await buyer.get("/tickets/l-1")
    assert "withdraw" not in other.text
