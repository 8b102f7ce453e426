"""The purchase flow across every running service, through the gateway.

The organizer publishes a show in the catalog (tickets), orders builds its replica
from `event.created`, a buyer holds seats, and a resale listing is locked in the
catalog once orders has held it. Nothing here publishes events by hand.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from ticketing_common.events import utc_now

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def _eventually(probe: Callable[[], Awaitable[Any]], within: float = 15.0) -> Any:
    """Polls until `probe` returns something truthy: services agree through events."""
    async with asyncio.timeout(within):
        while not (result := await probe()):
            await asyncio.sleep(0.1)
    return result


async def _signed_up(base_url: str, who: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base_url, timeout=30)
    email = f"{who}-{uuid.uuid4().hex[:8]}@example.com"
    response = await client.post(
        "/api/users/signup", json={"email": email, "password": "correct horse"}
    )
    assert response.status_code == 201, response.text
    return client


async def _publish_show(organizer: httpx.AsyncClient, layout: dict[str, Any]) -> dict[str, Any]:
    starts = utc_now() + timedelta(days=7)
    response = await organizer.post(
        "/api/events",
        json={
            "name": "Flow test night",
            "description": "Seats or standing",
            "category": "music",
            "venue": {"name": "Hall", "address": "1 Main St"},
            "startsAt": starts.isoformat(),
            "endsAt": (starts + timedelta(hours=3)).isoformat(),
            "currency": "usd",
            **layout,
        },
    )
    assert response.status_code == 201, response.text
    show: dict[str, Any] = response.json()
    return show


STANDING = {"ticketTypes": [{"name": "Standing", "price": 25, "quantity": 3, "maxPerOrder": 3}]}
SEATED = {
    "ticketTypes": [{"name": "Seated", "price": 40}],
    "seating": {
        "sections": [{"name": "A", "rows": [{"label": "1", "seats": 4, "ticketType": "Seated"}]}]
    },
}


async def _availability(client: httpx.AsyncClient, show_id: str) -> dict[str, Any]:
    async def replica_ready() -> dict[str, Any] | None:
        response = await client.get(f"/api/availability/{show_id}")
        return response.json() if response.status_code == 200 else None

    availability: dict[str, Any] = await _eventually(replica_ready)
    return availability


async def test_show_published_in_the_catalog_can_be_held_in_orders(running_stack: str) -> None:
    organizer = await _signed_up(running_stack, "organizer")
    buyer = await _signed_up(running_stack, "buyer")
    rival = await _signed_up(running_stack, "rival")
    try:
        standing_show = await _publish_show(organizer, STANDING)
        seated_show = await _publish_show(organizer, SEATED)
        standing_type = standing_show["ticketTypes"][0]["id"]
        seated_type = seated_show["ticketTypes"][0]["id"]

        availability = await _availability(buyer, standing_show["id"])
        assert [t["remaining"] for t in availability["ticketTypes"]] == [3]
        seats = [s["id"] for s in (await _availability(buyer, seated_show["id"]))["seats"]]
        assert len(seats) == 4

        standing = await buyer.post(
            "/api/orders",
            json={
                "eventId": standing_show["id"],
                "items": [{"ticketTypeId": standing_type, "quantity": 2}],
            },
        )
        assert standing.status_code == 201, standing.text
        assert standing.json()["amount"] == 50
        too_many = await rival.post(
            "/api/orders",
            json={
                "eventId": standing_show["id"],
                "items": [{"ticketTypeId": standing_type, "quantity": 2}],
            },
        )
        assert too_many.status_code in {400, 409}
        assert too_many.json()["errors"][0]["message"] == (
            "Requested amount of tickets (2) not available. Only 1 available."
        )

        together = await buyer.post(
            "/api/orders",
            json={
                "eventId": seated_show["id"],
                "ticketTypeId": seated_type,
                "quantity": 2,
                "together": True,
            },
        )
        assert together.status_code == 201, together.text
        held_seats = {item["seatId"] for item in together.json()["items"]}
        overlap = await rival.post(
            "/api/orders", json={"eventId": seated_show["id"], "seats": sorted(held_seats)}
        )
        assert overlap.status_code in {400, 409}

        after = (await buyer.get(f"/api/availability/{seated_show['id']}")).json()
        states = {s["id"]: s["state"] for s in after["seats"]}
        assert {s for s, state in states.items() if state == "held"} == held_seats

        # The buyer lets the seats go; the rival can take them at once.
        assert (await buyer.delete(f"/api/orders/{together.json()['id']}")).status_code == 204
        retry = await rival.post(
            "/api/orders", json={"eventId": seated_show["id"], "seats": sorted(held_seats)}
        )
        assert retry.status_code == 201, retry.text
    finally:
        for client in (organizer, buyer, rival):
            await client.aclose()


async def test_resale_listing_held_in_orders_is_locked_in_the_catalog(running_stack: str) -> None:
    seller = await _signed_up(running_stack, "seller")
    buyer = await _signed_up(running_stack, "listing-buyer")
    try:
        listing = await seller.post("/api/tickets", json={"title": "Spare seat", "price": 20.5})
        assert listing.status_code == 201, listing.text
        ticket_id = listing.json()["id"]

        async def held() -> httpx.Response | None:
            response = await buyer.post("/api/orders", json={"ticketId": ticket_id})
            return response if response.status_code == 201 else None

        order = await _eventually(held)
        assert order.json()["ticket"] == {"id": ticket_id, "title": "Spare seat", "price": 20.5}

        async def locked() -> bool:
            response = await seller.put(
                f"/api/tickets/{ticket_id}", json={"title": "Spare seat", "price": 30}
            )
            return response.status_code == 400 and response.json()["errors"][0]["message"] == (
                "Cannot edit a reserved ticket"
            )

        assert await _eventually(locked)
        # Cancelling the order unlocks the listing again.
        assert (await buyer.delete(f"/api/orders/{order.json()['id']}")).status_code == 204

        async def unlocked() -> bool:
            response = await seller.put(
                f"/api/tickets/{ticket_id}", json={"title": "Spare seat", "price": 30}
            )
            return response.status_code == 200

        assert await _eventually(unlocked)
    finally:
        await seller.aclose()
        await buyer.aclose()
