"""The client's pages, served for real against a fake gateway: rendering, forms, cookie relay."""

from __future__ import annotations

import httpx
import pytest

from client.config import ClientSettings
from client.main import create_app
from ticketing_common.testing.http import free_port, serve

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_home_lists_events_and_listings_escaped(site) -> None:
    async with site.browser() as browser:
        page = await browser.get("/", params={"q": "jazz", "category": "concert"})
    assert page.status_code == 200
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Jazz Night" in page.text
    assert "<script>alert" not in page.text
    assert "Front row &lt;b&gt;seat&lt;/b&gt;" in page.text
    assert "$99.90" in page.text
    assert "Page 1 of 3" in page.text
    assert 'href="/?q=jazz&amp;category=concert&amp;page=2"' in page.text
    assert site.state.last_query("/api/events") == {
        "q": "jazz",
        "category": "concert",
        "page": "1",
        "pageSize": "12",
    }


async def test_home_forwards_date_range_and_page(site) -> None:
    async with site.browser() as browser:
        page = await browser.get(
            "/", params={"from": "2031-01-01", "to": "2031-02-01", "page": "2"}
        )
    assert page.status_code == 200
    assert site.state.last_query("/api/events") == {
        "from": "2031-01-01",
        "to": "2031-02-01",
        "page": "2",
        "pageSize": "12",
    }


async def test_signin_relays_the_session_cookie(site) -> None:
    async with site.browser() as browser:
        response = await browser.post(
            "/signin",
            data={"email": "ann@example.com", "password": "password123", "next": "/orders"},
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/orders"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith('session="tok-ann@example.com"')
        assert "HttpOnly" in cookie
        home = await browser.get("/")
    assert 'data-testid="current-user">ann@example.com<' in home.text
    # The shared client to the API must not have kept the cookie for the next visitor.
    async with site.browser() as stranger:
        assert "ann@example.com" not in (await stranger.get("/")).text


async def test_signin_failure_shows_the_api_message(site) -> None:
    async with site.browser() as browser:
        response = await browser.post(
            "/signin",
            data={"email": "ann@example.com", "password": "wrong", "next": "//evil.example"},
        )
    assert response.status_code == 400
    assert "Invalid credentials" in response.text
    assert 'value="ann@example.com"' in response.text
    assert "set-cookie" not in response.headers
    assert 'name="next" value="/"' in response.text


async def test_signup_field_error_sits_next_to_the_field(site) -> None:
    async with site.browser() as browser:
        response = await browser.post("/signup", data={"email": "nope", "password": "x"})
    assert response.status_code == 400
    assert '<p class="field-error" data-field="email">Email must be valid</p>' in response.text


async def test_signout_relays_the_cleared_cookie(site) -> None:
    async with site.browser("ann@example.com") as browser:
        response = await browser.post("/signout")
    assert response.status_code == 303
    assert response.headers["set-cookie"].startswith('session="";')


async def test_seated_event_page_shows_states_and_remaining(site) -> None:
    async with site.browser() as browser:
        page = await browser.get("/events/e-seat")
    assert page.status_code == 200
    assert 'class="seat seat--sold" data-seat-id="s-A1"' in page.text
    assert 'class="seat seat--held" data-seat-id="s-A2"' in page.text
    assert 'class="seat seat--available" data-seat-id="s-A3"' in page.text
    assert 'data-remaining-for="t-stalls">1<' in page.text
    assert "€12.00" in page.text
    assert "/static/availability.js" in page.text


async def test_hold_then_checkout_then_declined_then_paid(site) -> None:
    async with site.browser("bob@example.com") as browser:
        hold = await browser.post(
            "/events/e-ga/hold",
            data={"mode": "items", "typeId": "t-std", "typeQuantity": "2"},
        )
        assert hold.status_code == 303
        order_url = hold.headers["location"]
        assert site.state.last("POST", "/api/orders") == {
            "eventId": "e-ga",
            "items": [{"ticketTypeId": "t-std", "quantity": 2}],
        }
        checkout = await browser.get(order_url)
        assert 'data-expires-at="2099-01-01T00:00:00Z"' in checkout.text
        assert "Standard" in checkout.text
        assert "$41.00" in checkout.text
        declined = await browser.post(
            f"{order_url}/pay", data={"card": "pm_card_chargeCustomerFail"}
        )
        assert declined.status_code == 402
        assert "Payment failed due to not enough money" in declined.text
        assert 'option value="pm_card_chargeCustomerFail"' in declined.text
        paid = await browser.post(f"{order_url}/pay", data={"card": "tok_visa"})
        assert paid.status_code == 303
        order_id = order_url.rsplit("/", 1)[1]
        assert site.state.last("POST", "/api/payments") == {
            "orderId": order_id,
            "token": "tok_visa",
        }
        tickets = await browser.get("/my-tickets")
    assert "KEY-abc.123" in tickets.text


async def test_unavailable_seats_error_is_shown_on_the_event_page(site) -> None:
    async with site.browser("bob@example.com") as browser:
        response = await browser.post("/events/e-seat/hold", data={"mode": "seats", "seat": "s-A1"})
    assert response.status_code == 400
    assert "Requested amount of tickets (1) not available. Only 0 available." in response.text


async def test_reprice_reserved_ticket_shows_the_rule(site) -> None:
    async with site.browser("bob@example.com") as browser:
        response = await browser.post(
            "/tickets/l-1/edit", data={"title": "Front row", "price": "120.50"}
        )
    assert response.status_code == 400
    assert "Cannot edit a reserved ticket" in response.text
    assert site.state.last("PUT", "/api/tickets/l-1") == {"title": "Front row", "price": 120.5}


async def test_create_event_sends_ticket_types(site) -> None:
    form = {
        "name": "Gala",
        "category": "concert",
        "currency": "USD",
        "holdMinutes": "10",
        "startsAt": "2031-06-01T20:00",
        "endsAt": "2031-06-01T23:00",
        "typeName": ["VIP", ""],
        "typePrice": ["50.25", ""],
        "typeQuantity": ["10", ""],
        "typeMax": ["", ""],
    }
    async with site.browser("org@example.com") as browser:
        response = await browser.post("/events/new", data=form)
    assert response.status_code == 303
    assert response.headers["location"] == "/events/e-new"
    body = site.state.last("POST", "/api/events")
    assert body["startsAt"] == "2031-06-01T20:00:00Z"
    assert body["currency"] == "usd"
    assert body["ticketTypes"] == [{"name": "VIP", "price": 50.25, "quantity": 10}]


async def test_pages_needing_a_user_send_visitors_to_sign_in(site) -> None:
    async with site.browser() as browser:
        response = await browser.get("/orders")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Forders"


async def test_stopped_api_gives_friendly_pages_not_500() -> None:
    app = create_app(ClientSettings(api_base_url=f"http://127.0.0.1:{free_port()}"))
    async with serve(app) as url, httpx.AsyncClient(base_url=url) as browser:
        home = await browser.get("/", headers={"accept": "text/html"})
        event = await browser.get("/events/e-ga", headers={"accept": "text/html"})
        ready = await browser.get("/readyz")
        health = await browser.get("/healthz")
    assert home.status_code == 200
    assert "Events are unavailable right now" in home.text
    assert event.status_code == 503
    assert "Temporarily unavailable" in event.text
    assert ready.status_code == 503
    assert health.status_code == 200


async def test_ready_when_the_gateway_answers(site) -> None:
    async with httpx.AsyncClient(base_url=site.url) as raw:
        assert (await raw.get("/readyz")).json() == {"ready": True, "gateway": True}
        missing = await raw.get("/nope")
        static = await raw.get("/static/app.css")
    assert missing.status_code == 404
    assert missing.json() == {"errors": [{"message": "Not Found"}]}
    assert static.status_code == 200
