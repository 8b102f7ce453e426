"""Holds against the real embedded Mongo and NATS: shapes, rules and error messages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from bson import ObjectId

from ticketing_common.events import EventUpdated, utc_now

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_general_admission_hold_shape_and_availability(
    orders_url: str, catalog: Any, users: Any, helpers: Any
) -> None:
    event = await catalog.general_event(quantity=10)
    await helpers.wait_for_event(orders_url, event.event_id)
    async with users.client(orders_url) as buyer:
        response = await buyer.post(
            "/api/orders",
            json={"eventId": event.event_id, "items": [{"ticketTypeId": "ga", "quantity": 2}]},
        )
        assert response.status_code == 201, response.text
        order = response.json()
        assert order["status"] == "created"
        assert order["amount"] == 41.0
        assert order["items"] == [
            {
                "ticketTypeId": "ga",
                "quantity": 2,
                "unitPrice": 20.5,
                "seatId": None,
                "discount": 0,
                "taxRate": 0,
                "taxIncluded": True,
                "taxAmount": 0,
                "total": 41.0,
            }
        ]
        assert (order["net"], order["tax"], order["gross"], order["voucher"]) == (41, 0, 41, None)
        assert order["version"] == 0
        expires = helpers.parse_time(order["expiresAt"])
        assert timedelta(minutes=14) < expires - utc_now() <= timedelta(minutes=15)
        assert order["notice"] is None
        availability = (await buyer.get(f"/api/availability/{event.event_id}")).json()
        assert availability["ticketTypes"][0]["remaining"] == 8
        assert availability["ticketTypes"][0]["held"] == 2


async def test_not_enough_left_names_what_is_left(
    orders_url: str, catalog: Any, users: Any, helpers: Any
) -> None:
    event = await catalog.general_event(quantity=3)
    await helpers.wait_for_event(orders_url, event.event_id)
    async with users.client(orders_url) as buyer:
        body = {"eventId": event.event_id, "items": [{"ticketTypeId": "ga", "quantity": 2}]}
        assert (await buyer.post("/api/orders", json=body)).status_code == 201
        response = await buyer.post("/api/orders", json=body)
        assert response.status_code == 409
        assert response.json()["errors"][0]["message"] == (
            "Requested amount of tickets (2) not available. Only 1 available."
        )
        too_many = {"eventId": event.event_id, "items": [{"ticketTypeId": "ga", "quantity": 6}]}
        response = await buyer.post("/api/orders", json=too_many)
        assert response.status_code == 400
        assert "At most 5" in response.json()["errors"][0]["message"]


async def test_unknown_cancelled_and_ended_events_are_refused(
    orders_url: str, catalog: Any, users: Any, helpers: Any
) -> None:
    ended = await catalog.general_event(ends_in=timedelta(minutes=-1))
    cancelled = await catalog.general_event()
    await helpers.wait_for_event(orders_url, cancelled.event_id)
    update = EventUpdated(
        **{**cancelled.model_dump(exclude={"id"}), "status": "cancelled", "version": 1}
    )
    await catalog.publisher.publish(update)
    await helpers.wait_for_event(orders_url, ended.event_id)
    async with users.client(orders_url) as buyer:

        async def hold(event_id: str) -> Any:
            body = {"eventId": event_id, "items": [{"ticketTypeId": "ga", "quantity": 1}]}
            return await buyer.post("/api/orders", json=body)

        unknown = await hold(str(ObjectId()))
        assert unknown.status_code == 404
        assert unknown.json()["errors"][0]["message"] == "Event not found"

        async def is_cancelled() -> bool:
            return bool((await hold(cancelled.event_id)).status_code == 400)

        await helpers.wait_until(is_cancelled)
        assert (await hold(cancelled.event_id)).json()["errors"][0]["message"] == (
            "The event is cancelled"
        )
        response = await hold(ended.event_id)
        assert response.status_code == 400
        assert response.json()["errors"][0]["message"] == "The event has ended"


async def test_hold_is_capped_at_the_event_end_with_a_notice(
    orders_url: str, catalog: Any, users: Any, helpers: Any
) -> None:
    event = await catalog.general_event(ends_in=timedelta(minutes=5))
    await helpers.wait_for_event(orders_url, event.event_id)
    async with users.client(orders_url) as buyer:
        body = {"eventId": event.event_id, "items": [{"ticketTypeId": "ga", "quantity": 1}]}
        order = (await buyer.post("/api/orders", json=body)).json()
    assert order["notice"] == "The event will end in 5 minutes"
    assert helpers.parse_time(order["expiresAt"]) == event.ends_at.replace(
        microsecond=event.ends_at.microsecond // 1000 * 1000
    )


async def test_request_shape_is_validated(orders_url: str, users: Any) -> None:
    async with users.client(orders_url) as buyer:
        response = await buyer.post("/api/orders", json={"eventId": "x"})
        assert response.status_code == 400
        response = await buyer.post(
            "/api/orders", json={"eventId": "x", "items": [{"ticketTypeId": "ga", "quantity": 0}]}
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "items.0.quantity"
    async with users.client(orders_url) as anonymous:
        anonymous.cookies.clear()
        assert (await anonymous.post("/api/orders", json={"ticketId": "x"})).status_code == 401


async def test_listing_hold_and_own_listing(
    orders_url: str, catalog: Any, users: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    seller = str(ObjectId())
    listing = await catalog.listing(seller, price=1550)
    units = mongo_client[database_name]["units"]

    async def replicated() -> bool:
        return await units.find_one({"_id": f"listing:{listing.ticket_id}"}) is not None

    await helpers.wait_until(replicated)
    async with users.client(orders_url, seller) as own:
        response = await own.post("/api/orders", json={"ticketId": listing.ticket_id})
        assert response.status_code == 400
        assert response.json()["errors"][0]["message"] == "You cannot buy your own ticket"
    async with users.client(orders_url) as buyer:
        response = await buyer.post("/api/orders", json={"ticketId": listing.ticket_id})
        assert response.status_code == 201
        order = response.json()
        assert order["ticket"] == {"id": listing.ticket_id, "title": "Resale seat", "price": 15.5}
        assert order["amount"] == 15.5
        again = await buyer.post("/api/orders", json={"ticketId": listing.ticket_id})
        assert again.status_code == 400
        assert again.json()["errors"][0]["message"] == "Ticket is already reserved"
        missing = await buyer.post("/api/orders", json={"ticketId": str(ObjectId())})
        assert missing.status_code == 404
