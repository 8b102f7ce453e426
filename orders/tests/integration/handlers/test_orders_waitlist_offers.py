"""The waiting list on the real servers: first in first served, a lapsed offer passing
to the next buyer, the public kept off a unit while someone waits, and two replicas on
one database never offering one unit twice."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from nats.aio.client import Client as NatsClient

from ticketing_common.events import ExpirationComplete

pytestmark = pytest.mark.asyncio(loop_scope="session")
WAITLIST = "/api/orders/waitlist"


def ga(event_id: str, quantity: int = 1) -> dict[str, Any]:
    return {"eventId": event_id, "items": [{"ticketTypeId": "ga", "quantity": quantity}]}


def wait_for(event_id: str, quantity: int = 1) -> dict[str, Any]:
    return {"eventId": event_id, "ticketTypeId": "ga", "quantity": quantity}


async def entry_of(client: httpx.AsyncClient, event_id: str) -> dict[str, Any]:
    (entry,) = (await client.get(WAITLIST, params={"eventId": event_id})).json()
    return dict(entry)


async def offered(helpers: Any, client: httpx.AsyncClient, event_id: str) -> dict[str, Any]:
    """The buyer's entry once it is offered (waits for it)."""
    found: dict[str, Any] = {}

    async def is_offered() -> bool:
        found.update(await entry_of(client, event_id))
        return found["status"] == "offered"

    await helpers.wait_until(is_offered)
    return found


async def order_of(helpers: Any, client: httpx.AsyncClient, order_id: str) -> dict[str, Any]:
    """The offer's order (waits for it: the entry is marked offered just before the
    order is recorded, so that another replica cannot offer it too)."""
    found: dict[str, Any] = {}

    async def recorded() -> bool:
        response = await client.get(f"/api/orders/{order_id}")
        found.update(response.json() if response.status_code == 200 else {})
        return response.status_code == 200

    await helpers.wait_until(recorded)
    return found


async def test_join_rules_over_http(
    orders_url: str, catalog: Any, users: Any, helpers: Any
) -> None:
    event = await catalog.general_event(quantity=2, max_per_order=2)
    await helpers.wait_for_event(orders_url, event.event_id)
    async with users.client(orders_url) as buyer, httpx.AsyncClient(base_url=orders_url) as anon:
        assert (await anon.post(WAITLIST, json=wait_for(event.event_id))).status_code == 401
        on_sale = await buyer.post(WAITLIST, json=wait_for(event.event_id))
        assert on_sale.status_code == 409
        assert "on sale" in on_sale.json()["errors"][0]["message"]
        assert (await buyer.post("/api/orders", json=ga(event.event_id, 2))).status_code == 201
        too_many = await buyer.post(WAITLIST, json=wait_for(event.event_id, 3))
        assert too_many.status_code == 400
        assert too_many.json()["errors"][0]["field"] == "quantity"
        joined = await buyer.post(WAITLIST, json=wait_for(event.event_id, 2))
        assert joined.status_code == 201
        assert (joined.json()["status"], joined.json()["position"]) == ("waiting", 1)
        assert (await buyer.post(WAITLIST, json=wait_for(event.event_id))).status_code == 409
        assert (await buyer.delete(f"{WAITLIST}/{joined.json()['id']}")).status_code == 204
        assert (await entry_of(buyer, event.event_id))["status"] == "left"


async def test_first_in_line_is_offered_first_and_a_lapse_passes_to_the_next(
    start_orders: Any, catalog: Any, users: Any, helpers: Any, clean_stream: NatsClient
) -> None:
    async with start_orders(hold_seconds_override=1) as url:
        event = await catalog.general_event(quantity=1)
        await helpers.wait_for_event(url, event.event_id)
        async with (
            users.client(url) as holder,
            users.client(url) as first,
            users.client(url) as second,
        ):
            held = (await holder.post("/api/orders", json=ga(event.event_id))).json()
            assert (await first.post(WAITLIST, json=wait_for(event.event_id))).status_code == 201
            assert (await second.post(WAITLIST, json=wait_for(event.event_id))).status_code == 201
            await asyncio.sleep(1.1)
            await catalog.publisher.publish(ExpirationComplete(order_id=held["id"]))

            offer = await offered(helpers, first, event.event_id)
            order = await order_of(helpers, first, offer["orderId"])
            assert (order["status"], order["items"][0]["quantity"]) == ("created", 1)
            waiting = await entry_of(second, event.event_id)
            assert (waiting["status"], waiting["position"]) == ("waiting", 1)
            message = await _offer_message(clean_stream, offer["orderId"])
            assert (message["entryId"], message["quantity"]) == (offer["id"], 1)

            await asyncio.sleep(1.1)  # the offer (1 s here) lapses unpaid
            await catalog.publisher.publish(ExpirationComplete(order_id=offer["orderId"]))
            passed = await offered(helpers, second, event.event_id)
            assert passed["orderId"] != offer["orderId"]
            assert (await entry_of(first, event.event_id))["status"] == "lapsed"


async def _offer_message(nats: NatsClient, order_id: str) -> dict[str, Any]:
    sub = await nats.jetstream().subscribe("order.waitlist-offered", ordered_consumer=True)
    try:
        while True:
            payload: dict[str, Any] = json.loads((await sub.next_msg(timeout=10)).data)
            if payload["orderId"] == order_id:
                return payload
    finally:
        await sub.unsubscribe()


async def test_the_public_cannot_take_a_unit_while_someone_waits(
    start_orders: Any, catalog: Any, users: Any, helpers: Any
) -> None:
    async with start_orders(hold_seconds_override=1) as url:
        event = await catalog.general_event(quantity=1)
        await helpers.wait_for_event(url, event.event_id)
        async with (
            users.client(url) as holder,
            users.client(url) as waiting,
            users.client(url) as public,
        ):
            assert (await holder.post("/api/orders", json=ga(event.event_id))).status_code == 201
            assert (await waiting.post(WAITLIST, json=wait_for(event.event_id))).status_code == 201
            await asyncio.sleep(1.1)  # expired, and no expiry event: free to the counter

            refused = await public.post("/api/orders", json=ga(event.event_id))

            assert refused.status_code == 409
            assert "waiting list" in refused.json()["errors"][0]["message"]
            await offered(helpers, waiting, event.event_id)
            assert (await public.get("/api/orders")).json() == []


async def test_two_replicas_never_offer_one_unit_twice(
    start_orders: Any, catalog: Any, users: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    # The hold runs out with no expiry event: only the replicas' sweeps, every 0.1 s on
    # both, find the free units, and they race each other for the line.
    fast = {"waitlist_sweep_seconds": 0.1, "hold_seconds_override": 2}
    async with start_orders(**fast) as one, start_orders(**fast) as two:
        event = await catalog.general_event(quantity=3, max_per_order=3)
        await helpers.wait_for_event(one, event.event_id)
        await helpers.wait_for_event(two, event.event_id)
        async with users.client(one) as holder:
            held = (await holder.post("/api/orders", json=ga(event.event_id, 3))).json()
        buyers = [users.client(one if n % 2 else two) for n in range(6)]
        for buyer in buyers:
            assert (await buyer.post(WAITLIST, json=wait_for(event.event_id))).status_code == 201

        entries = [await offered(helpers, buyer, event.event_id) for buyer in buyers[:3]]

        await asyncio.sleep(0.5)  # every replica sweeps a few times more
        db = mongo_client[database_name]
        offers = await db["waitlist"].find({"status": "offered"}).to_list()
        assert sorted(e["_id"] for e in offers) == sorted(e["id"] for e in entries)
        query = {"eventId": event.event_id, "_id": {"$ne": held["id"]}}
        orders = await db["orders"].find(query).to_list()
        # One order per offer: an entry offered twice would leave an order nobody's.
        assert sorted(o["_id"] for o in orders) == sorted(e["orderId"] for e in entries)
        shards = await db["counters"].find({"eventId": event.event_id}).to_list()
        held_units = [h["orderId"] for s in shards for h in s.get("holds", [])]
        assert set(held_units) <= {o["_id"] for o in orders} | {held["id"]}
        for buyer in buyers[3:]:
            assert (await entry_of(buyer, event.event_id))["status"] == "waiting"
        for buyer in buyers:
            await buyer.aclose()
