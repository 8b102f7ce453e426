"""A withdrawn resale listing (`ticket.cancelled`) on the real servers: holds are refused
from then on, and a hold the catalog had not heard of when it allowed the withdrawal is
ended, so no active order holds a withdrawn listing."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest

from ticketing_common.events import TicketCancelled, TicketCreated, utc_now

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Message ids are de-duplicated by the broker across the whole test session: unique.
RUN = uuid.uuid4().hex[:12]

HOUR = timedelta(hours=1)


def _withdrawn(listing: TicketCreated, version: int = 1) -> TicketCancelled:
    return TicketCancelled(**{**listing.model_dump(exclude={"id"}), "version": version})


async def _unit(mongo_client: Any, database_name: str, ticket_id: str) -> Any:
    return await mongo_client[database_name]["units"].find_one({"_id": f"listing:{ticket_id}"})


async def test_a_hold_after_the_withdrawal_is_refused(
    orders_url: str, catalog: Any, users: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    listing = await catalog.listing("seller")

    async def replicated() -> bool:
        return await _unit(mongo_client, database_name, listing.ticket_id) is not None

    await helpers.wait_until(replicated)
    await catalog.publisher.publish(_withdrawn(listing))

    async def retired() -> bool:
        unit = await _unit(mongo_client, database_name, listing.ticket_id)
        return bool(unit["status"] == "withdrawn")

    await helpers.wait_until(retired)
    async with users.client(orders_url) as buyer:
        response = await buyer.post("/api/orders", json={"ticketId": listing.ticket_id})
    assert response.status_code == 404
    assert response.json()["errors"] == [{"message": "Ticket not found", "field": "ticketId"}]


async def test_a_withdrawal_ends_the_hold_the_catalog_had_not_heard_of(
    orders_url: str, catalog: Any, users: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    listing = await catalog.listing("seller")

    async def replicated() -> bool:
        return await _unit(mongo_client, database_name, listing.ticket_id) is not None

    await helpers.wait_until(replicated)
    async with users.client(orders_url) as buyer, users.client(orders_url) as other:
        held = await buyer.post("/api/orders", json={"ticketId": listing.ticket_id})
        assert held.status_code == 201
        order_id = held.json()["id"]
        # The catalog withdrew before it learnt of the hold (no lock in between).
        await catalog.publisher.publish(_withdrawn(listing))

        async def ended() -> bool:
            got = (await buyer.get(f"/api/orders/{order_id}")).json()
            return bool(got["status"] == "cancelled")

        await helpers.wait_until(ended)
        got = (await buyer.get(f"/api/orders/{order_id}")).json()
        assert got["cancelReason"] == "listing_withdrawn"
        unit = await _unit(mongo_client, database_name, listing.ticket_id)
        assert (unit["status"], unit["orderId"], unit["withdrawn"]) == ("withdrawn", None, True)
        retry = await other.post("/api/orders", json={"ticketId": listing.ticket_id})
        assert retry.status_code == 404

        # A redelivery changes nothing.
        await catalog.publisher.publish(
            _withdrawn(listing).model_copy(update={"id": f"again-{RUN}"})
        )
        await asyncio.sleep(0.5)
        assert (await buyer.get(f"/api/orders/{order_id}")).json()["version"] == got["version"]


async def test_a_claim_whose_order_was_never_recorded_is_fenced_off(
    orders_url: str, catalog: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    listing = await catalog.listing("seller")

    async def replicated() -> bool:
        return await _unit(mongo_client, database_name, listing.ticket_id) is not None

    await helpers.wait_until(replicated)
    # A hold mid-way: its claim is written, its order not (yet).
    db = mongo_client[database_name]
    claim = {"status": "held", "orderId": "in-flight", "holdExpiresAt": utc_now() + HOUR}
    await db["units"].update_one({"_id": f"listing:{listing.ticket_id}"}, {"$set": claim})
    await catalog.publisher.publish(_withdrawn(listing))

    async def retired() -> bool:
        unit = await _unit(mongo_client, database_name, listing.ticket_id)
        return bool(unit["status"] == "withdrawn")

    await helpers.wait_until(retired)
    # The slow hold can no longer record its order.
    assert (await db["orders"].find_one({"_id": "in-flight"}))["status"] == "abandoned"
