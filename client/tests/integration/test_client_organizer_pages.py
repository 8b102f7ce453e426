"""The organizer pages served for real against a fake catalog over a socket: my events,
the dashboard and its live fragment, editing ticket types, cancelling, the check-in page."""

from __future__ import annotations

import copy
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from client.config import ClientSettings
from client.main import create_app
from ticketing_common.testing.http import serve

pytestmark = pytest.mark.asyncio(loop_scope="session")

ORGANIZER = "org@example.com"
EVENT = {
    "id": "e-1",
    "organizerId": f"u-{ORGANIZER}",
    "name": "Door <b>Night</b>",
    "category": "concert",
    "startsAt": "2031-05-01T19:30:00Z",
    "endsAt": "2031-05-01T23:00:00Z",
    "currency": "usd",
    "status": "active",
    "ticketTypes": [
        {"id": "t1", "name": "Standard", "price": 20.5, "quantity": 100, "maxPerOrder": 5},
        {"id": "t2", "name": "VIP", "price": 80, "quantity": 10, "maxPerOrder": 2},
    ],
}
STATS = {
    "eventId": "e-1",
    "currency": "usd",
    "ticketTypes": [
        {"id": "t1", "name": "Standard", "price": 20.5, "quantity": 100, "sold": 3, "held": 2,
         "revenue": 61.5, "remaining": 95},
        {"id": "t2", "name": "VIP", "price": 80, "quantity": 10, "sold": 1, "held": 0,
         "revenue": 80, "remaining": 9},
    ],
    "totals": {"sold": 4, "revenue": 141.5, "remaining": 104},
    "salesOverTime": [
        {"at": "2031-04-01T10:00:00Z", "sold": 1},
        {"at": "2031-04-02T10:00:00Z", "sold": 3},
    ],
}  # fmt: skip


@dataclass
class Catalog:
    event: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(EVENT))
    stats: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(STATS))
    calls: list[tuple[str, str, Any, dict[str, str]]] = field(default_factory=list)


def _error(status: int, message: str, field_name: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "field": field_name}]}, status)


def fake_catalog(catalog: Catalog) -> FastAPI:
    app = FastAPI()

    @app.middleware("http")
    async def record(request: Request, call_next: Any) -> Response:
        body = await request.body()
        payload = await request.json() if body else None
        catalog.calls.append(
            (request.method, request.url.path, payload, dict(request.query_params))
        )
        response: Response = await call_next(request)
        return response

    @app.get("/api/users/currentuser")
    async def currentuser(request: Request) -> dict[str, Any]:
        token = request.cookies.get("session", "")
        user = {"id": f"u-{token[4:]}", "email": token[4:]} if token.startswith("tok-") else None
        return {"currentUser": user}

    @app.get("/api/events")
    async def search() -> Response:
        other = {**EVENT, "id": "e-other", "organizerId": "u-someone", "name": "Not mine"}
        return JSONResponse([catalog.event, other], headers={"X-Total-Count": "2"})

    @app.get("/api/events/{event_id}")
    async def read(event_id: str) -> Response:
        if event_id != "e-1":
            return _error(404, "Event not found", "id")
        return JSONResponse(catalog.event)

    @app.get("/api/events/{event_id}/stats")
    async def stats(event_id: str) -> Response:
        return JSONResponse(catalog.stats)

    @app.get("/api/orders/checkins")
    async def checkins(request: Request) -> Response:
        event_id = request.query_params["eventId"]
        return JSONResponse({"eventId": event_id, "issued": 4, "checkedIn": 1})

    @app.patch("/api/events/{event_id}")
    async def edit(event_id: str, request: Request) -> Response:
        change = (await request.json())["ticketTypes"][0]
        if change.get("quantity", 100) < 3:
            message = "Quantity cannot go below the 5 tickets already sold or held"
            return _error(400, message, "ticketTypes.0.quantity")
        for ticket_type in catalog.event["ticketTypes"]:
            if ticket_type["id"] == change["id"]:
                ticket_type.update({k: v for k, v in change.items() if k != "id"})
        return JSONResponse(catalog.event)

    @app.post("/api/events/{event_id}/cancel")
    async def cancel(event_id: str) -> Response:
        catalog.event["status"] = "cancelled"
        return JSONResponse(catalog.event)

    return app


@dataclass
class Site:
    url: str
    catalog: Catalog

    def browser(self, email: str | None = None) -> httpx.AsyncClient:
        cookies = {"session": f"tok-{email}"} if email else None
        return httpx.AsyncClient(
            base_url=self.url, cookies=cookies, headers={"accept": "text/html"}
        )


@pytest_asyncio.fixture(loop_scope="session")
async def site() -> AsyncIterator[Site]:
    catalog = Catalog()
    async with (
        serve(fake_catalog(catalog)) as api_url,
        serve(create_app(ClientSettings(api_base_url=api_url))) as client_url,
    ):
        yield Site(client_url, catalog)


async def test_my_events_lists_only_the_organizers_events_with_their_tools(site: Site) -> None:
    async with site.browser(ORGANIZER) as browser:
        page = await browser.get("/my-events")
    assert page.status_code == 200
    assert 'href="/my-events">My events</a>' in page.text
    assert "Door &lt;b&gt;Night&lt;/b&gt;" in page.text
    assert "Not mine" not in page.text
    assert 'href="/events/e-1/dashboard"' in page.text
    assert 'href="/events/e-1/checkin"' in page.text
    query = next(q for m, p, _, q in site.catalog.calls if p == "/api/events")
    assert query["organizerId"] == f"u-{ORGANIZER}"
    assert query["status"] == "all"
    assert query["from"].startswith("2000-")


async def test_dashboard_shows_figures_and_the_sales_chart(site: Site) -> None:
    async with site.browser(ORGANIZER) as browser:
        page = await browser.get("/events/e-1/dashboard")
    assert page.status_code == 200
    assert 'data-figure="sold">4<' in page.text
    assert 'data-figure="held">2<' in page.text
    assert 'data-figure="remaining">104<' in page.text
    assert 'data-figure="revenue">$141.50<' in page.text
    assert 'data-figure="checked-in">1<' in page.text
    row = re.search(r'data-type-figures="t1">(.*?)</tr>', page.text, re.S)
    assert row is not None
    assert 'data-cell="sold">3<' in row.group(1)
    assert '<svg class="sales-chart"' in page.text
    assert '<polyline class="chart-line"' in page.text
    assert 'src="/static/dashboard.js"' in page.text
    assert 'href="/events/e-1/cancel"' in page.text


async def test_only_the_organizer_opens_the_organizer_pages(site: Site) -> None:
    async with site.browser("someone@example.com") as stranger:
        for path in ("dashboard", "dashboard/figures", "checkin", "cancel"):
            page = await stranger.get(f"/events/e-1/{path}")
            assert page.status_code == 403, path
            assert "Only the organizer of this event" in page.text
        refused = await stranger.post("/events/e-1/cancel")
    assert refused.status_code == 403
    assert site.catalog.event["status"] == "active"
    async with site.browser() as visitor:
        page = await visitor.get("/events/e-1/dashboard")
    assert page.status_code == 303
    assert page.headers["location"] == "/signin?next=%2Fevents%2Fe-1%2Fdashboard"
    async with site.browser(ORGANIZER) as browser:
        assert (await browser.get("/events/nope/dashboard")).status_code == 404


async def test_the_live_fragment_follows_new_sales(site: Site) -> None:
    async with site.browser(ORGANIZER) as browser:
        before = await browser.get("/events/e-1/dashboard/figures")
        site.catalog.stats["ticketTypes"][0]["sold"] = 7
        after = await browser.get("/events/e-1/dashboard/figures")
    assert before.status_code == after.status_code == 200
    assert "<html" not in after.text
    assert after.headers["cache-control"] == "no-store"
    assert 'data-figure="sold">4<' in before.text
    assert 'data-figure="sold">8<' in after.text
    assert "chart-line" in after.text
    del site.catalog.stats["salesOverTime"]
    async with site.browser(ORGANIZER) as browser:
        untimed = await browser.get("/events/e-1/dashboard/figures")
    assert "Sales over time are not available" in untimed.text
    assert "chart-line" not in untimed.text


async def test_editing_a_price_patches_the_ticket_type(site: Site) -> None:
    async with site.browser(ORGANIZER) as browser:
        saved = await browser.post(
            "/events/e-1/ticket-types/t2", data={"price": "95.5", "quantity": "12"}
        )
        assert saved.status_code == 303
        assert saved.headers["location"] == "/events/e-1/dashboard?notice=saved"
        page = await browser.get(saved.headers["location"])
    patch = next(b for m, p, b, _ in reversed(site.catalog.calls) if m == "PATCH")
    assert patch == {"ticketTypes": [{"id": "t2", "price": 95.5, "quantity": 12}]}
    assert "Ticket type saved." in page.text
    assert 'value="95.5" aria-label="Price of VIP"' in page.text


async def test_a_refused_edit_shows_the_error_on_its_row(site: Site) -> None:
    async with site.browser(ORGANIZER) as browser:
        refused = await browser.post("/events/e-1/ticket-types/t1", data={"quantity": "1"})
        empty = await browser.post("/events/e-1/ticket-types/t1", data={"price": ""})
    assert refused.status_code == 400
    row = re.search(r'data-edit-type="t1">(.*?)</tr>', refused.text, re.S)
    assert row is not None
    assert 'data-field="quantity">Quantity cannot go below the 5 tickets' in row.group(1)
    assert 'value="1" aria-label="Quantity of Standard"' in row.group(1)
    other = re.search(r'data-edit-type="t2">(.*?)</tr>', refused.text, re.S)
    assert other is not None
    assert "field-error" not in other.group(1)
    assert empty.status_code == 400
    assert "Give a new price or quantity" in empty.text


async def test_cancelling_asks_first_then_cancels(site: Site) -> None:
    async with site.browser(ORGANIZER) as browser:
        confirm = await browser.get("/events/e-1/cancel")
        assert site.catalog.event["status"] == "active"
        assert "every payment refunded" in confirm.text
        assert 'action="/events/e-1/cancel"' in confirm.text
        done = await browser.post("/events/e-1/cancel")
        assert done.status_code == 303
        page = await browser.get(done.headers["location"])
    assert ("POST", "/api/events/e-1/cancel") in [(m, p) for m, p, _, _ in site.catalog.calls]
    assert "The event is cancelled" in page.text
    assert "Cancel event…" not in page.text
    assert "Prices and quantities" not in page.text


async def test_checkin_page_hands_the_event_to_the_script_and_allows_the_camera(
    site: Site,
) -> None:
    async with site.browser(ORGANIZER) as browser:
        page = await browser.get("/events/e-1/checkin")
    assert page.status_code == 200
    assert 'data-checkin-event="e-1"' in page.text
    assert 'data-keys-url="/api/orders/ticket-keys"' in page.text
    assert 'data-checked-in="1"' in page.text
    assert 'src="/static/checkin.js"' in page.text
    assert "camera=(self)" in page.headers["permissions-policy"]
    async with site.browser(ORGANIZER) as browser:
        dashboard = await browser.get("/events/e-1/dashboard")
    assert "camera=()" in dashboard.headers["permissions-policy"]
