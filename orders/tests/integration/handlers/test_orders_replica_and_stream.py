"""The inventory replica: version order, listing updates, seat picking, event cancellation.

The live availability stream is tested in test_orders_availability_stream.py.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from ticketing_common.events import EventUpdated, TicketTypeDefinition, TicketUpdated

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Message ids are de-duplicated by the broker across the whole test session: unique.
RUN = uuid.uuid4().hex[:12]


async def test_updates_apply_in_version_order_even_when_they_arrive_early(
    orders_url: str, catalog: Any, users: Any, helpers: Any
) -> None:
    event = await catalog.general_event(quantity=10)
    await helpers.wait_for_event(orders_url, event.event_id)

    def version(number: int, quantity: int) -> EventUpdated:
        types = [TicketTypeDefinition(id="ga", name="General", price=2050, quantity=quantity)]
        return EventUpdated(
            **{**event.model_dump(exclude={"id", "ticket_types"}), "version": number},
            ticket_types=types,
        )

    await catalog.publisher.publish(version(2, 30))  # early: waits for version 1
    await asyncio.sleep(0.3)
    async with users.client(orders_url) as client:

        async def quantity() -> int:
            body = (await client.get(f"/api/availability/{event.event_id}")).json()
            return int(body["ticketTypes"][0]["quantity"])

        assert await quantity() == 10
        await catalog.publisher.publish(version(1, 20))

        async def reached_v2() -> bool:
            return await quantity() == 30

        await helpers.wait_until(reached_v2, within=15)
        await catalog.publisher.publish(version(1, 20).model_copy(update={"id": f"dup-{RUN}"}))
        await asyncio.sleep(0.5)
        assert await quantity() == 30


async def test_listing_updates_reprice_without_touching_the_hold(
    orders_url: str, catalog: Any, users: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    listing = await catalog.listing("seller", price=1000)
    units = mongo_client[database_name]["units"]

    async def priced(price: int) -> bool:
        unit = await units.find_one({"_id": f"listing:{listing.ticket_id}"})
        return unit is not None and unit["price"] == price

    await helpers.wait_until(lambda: priced(1000))
    async with users.client(orders_url) as buyer:
        order = (await buyer.post("/api/orders", json={"ticketId": listing.ticket_id})).json()
    # The catalog echoes the lock back with the next version; the hold stays ours.
    locked = TicketUpdated(
        **{
            **listing.model_dump(exclude={"id"}),
            "version": 1,
            "order_id": order["id"],
            "price": 1200,
        }
    )
    await catalog.publisher.publish(locked)
    await helpers.wait_until(lambda: priced(1200))
    unit = await units.find_one({"_id": f"listing:{listing.ticket_id}"})
    assert unit["orderId"] == order["id"]
    assert unit["status"] == "held"


async def test_together_picks_adjacent_seats_avoiding_lone_gaps(
    orders_url: str, catalog: Any, users: Any, helpers: Any
) -> None:
    event = await catalog.seated_event(rows=2, per_row=5)
    await helpers.wait_for_event(orders_url, event.event_id)
    async with users.client(orders_url) as buyer:
        # Row A: seats 0 and 4 taken → a free run of 3; taking 2 of them would leave one alone.
        await buyer.post("/api/orders", json={"eventId": event.event_id, "seats": ["A-0", "A-4"]})
        body = {"eventId": event.event_id, "ticketTypeId": "std", "quantity": 2, "together": True}
        order = (await buyer.post("/api/orders", json=body)).json()
        assert [i["seatId"] for i in order["items"]] in (["B-0", "B-1"], ["B-3", "B-4"])
        three = {**body, "quantity": 3}
        order = (await buyer.post("/api/orders", json=three)).json()
        assert [i["seatId"] for i in order["items"]] == ["A-1", "A-2", "A-3"]
        response = await buyer.post("/api/orders", json={**body, "quantity": 4})
        assert response.status_code == 409
        assert response.json()["errors"][0]["message"].endswith("Only 3 available.")
        # Enough seats, but not side by side.
        scattered = await catalog.seated_event(rows=1, per_row=4)
        await helpers.wait_for_event(orders_url, scattered.event_id)
        await buyer.post("/api/orders", json={"eventId": scattered.event_id, "seats": ["A-1"]})
        response = await buyer.post(
            "/api/orders", json={**body, "eventId": scattered.event_id, "quantity": 3}
        )
        assert response.status_code == 400
        assert "adjacent" in response.json()["errors"][0]["message"]


async def test_cancelling_the_event_cancels_pending_orders(
    orders_url: str, catalog: Any, users: Any, helpers: Any
) -> None:
    event = await catalog.general_event()
    await helpers.wait_for_event(orders_url, event.event_id)
    async with users.client(orders_url) as buyer:
        body = {"eventId": event.event_id, "items": [{"ticketTypeId": "ga", "quantity": 1}]}
        order = (await buyer.post("/api/orders", json=body)).json()
        cancelled = EventUpdated(
            **{**event.model_dump(exclude={"id"}), "status": "cancelled", "version": 1}
        )
        await catalog.publisher.publish(cancelled)

        async def cancelled_by_event() -> bool:
            got = (await buyer.get(f"/api/orders/{order['id']}")).json()
            return bool(got["cancelReason"] == "event_cancelled")

        await helpers.wait_until(cancelled_by_event)
