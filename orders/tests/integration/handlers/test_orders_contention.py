"""Nothing is sold twice: concurrent buyers, overlapping seat requests, two replicas."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest
from bson import ObjectId
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_fifty_buyers_for_one_listing_make_exactly_one_order(
    orders_url: str, catalog: Any, users: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    listing = await catalog.listing(str(ObjectId()))
    units = mongo_client[database_name]["units"]

    async def replicated() -> bool:
        return await units.find_one({"_id": f"listing:{listing.ticket_id}"}) is not None

    await helpers.wait_until(replicated)
    buyers = [users.client(orders_url) for _ in range(50)]
    try:
        responses = await asyncio.gather(
            *(b.post("/api/orders", json={"ticketId": listing.ticket_id}) for b in buyers)
        )
    finally:
        await asyncio.gather(*(b.aclose() for b in buyers))
    codes = Counter(r.status_code for r in responses)
    assert codes == {201: 1, 400: 49}
    assert await mongo_client[database_name]["orders"].count_documents({}) == 1


async def test_three_hundred_buyers_for_a_hundred_tickets_get_exactly_a_hundred_holds(
    orders_url: str, catalog: Any, users: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    event = await catalog.general_event(quantity=100)
    await helpers.wait_for_event(orders_url, event.event_id)
    limits = httpx.Limits(max_connections=300)
    async with users.client(orders_url, limits=limits) as buyer:
        body = {"eventId": event.event_id, "items": [{"ticketTypeId": "ga", "quantity": 1}]}
        responses = await asyncio.gather(
            *(
                buyer.post("/api/orders", json=body, headers=users.as_new_buyer())
                for _ in range(300)
            )
        )
        codes = Counter(r.status_code for r in responses)
        assert codes == {201: 100, 409: 200}
        refused = next(r for r in responses if r.status_code == 409)
        assert refused.json()["errors"][0]["message"].endswith("Only 0 available.")
        availability = (await buyer.get(f"/api/availability/{event.event_id}")).json()
        assert availability["ticketTypes"][0]["remaining"] == 0
    shards = mongo_client[database_name]["counters"].find({"eventId": event.event_id})
    assert sum([h["n"] async for shard in shards for h in shard["holds"]]) == 100


def _overlapping_requests(seat_ids: list[str], examples: int) -> list[list[list[str]]]:
    """Random batches of overlapping seat requests, drawn by hypothesis."""
    drawn: list[list[list[str]]] = []
    request = st.lists(st.sampled_from(seat_ids), min_size=1, max_size=4, unique=True)

    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(st.lists(request, min_size=4, max_size=20))
    def draw(batch: list[list[str]]) -> None:
        drawn.append(batch)

    draw()
    return drawn


async def test_random_overlapping_seat_requests_never_share_a_seat(
    orders_url: str, catalog: Any, users: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    orders = mongo_client[database_name]["orders"]
    seat_ids = [f"{r}-{i}" for r in "AB" for i in range(6)]
    async with users.client(orders_url) as buyer:
        for batch in _overlapping_requests(seat_ids, examples=12):
            event = await catalog.seated_event(rows=2, per_row=6)
            await helpers.wait_for_event(orders_url, event.event_id)
            responses = await asyncio.gather(
                *(
                    buyer.post("/api/orders", json={"eventId": event.event_id, "seats": seats})
                    for seats in batch
                )
            )
            won = [seats for seats, r in zip(batch, responses, strict=True) if r.status_code == 201]
            assert all(r.status_code in (201, 409) for r in responses)
            held = [s for seats in won for s in seats]
            assert len(held) == len(set(held)), "a seat is in two active orders"
            stored = [
                line["seat_id"]
                async for o in orders.find({"eventId": event.event_id, "status": "created"})
                for line in o["lines"]
            ]
            assert sorted(stored) == sorted(held)
            availability = (await buyer.get(f"/api/availability/{event.event_id}")).json()
            assert {s["id"] for s in availability["seats"] if s["state"] == "held"} == set(held)


async def test_two_replicas_sharing_one_database_never_oversell(
    start_orders: Any, catalog: Any, users: Any, helpers: Any
) -> None:
    async with start_orders() as first, start_orders() as second:
        event = await catalog.general_event(quantity=30)
        await helpers.wait_for_event(first, event.event_id)
        await helpers.wait_for_event(second, event.event_id)
        body = {"eventId": event.event_id, "items": [{"ticketTypeId": "ga", "quantity": 1}]}
        buyer = str(ObjectId())
        async with users.client(first, buyer) as a, users.client(second, buyer) as b:
            before = (await b.get(f"/api/availability/{event.event_id}")).json()
            assert before["ticketTypes"][0]["remaining"] == 30
            held_on_a = await a.post("/api/orders", json=body)
            assert held_on_a.status_code == 201

            async def b_sees_it() -> bool:
                seen = (await b.get(f"/api/availability/{event.event_id}")).json()
                return bool(seen["ticketTypes"][0]["remaining"] == 29)

            await helpers.wait_until(b_sees_it, within=2)
            responses = await asyncio.gather(
                *(
                    (a if i % 2 else b).post("/api/orders", json=body, headers=users.as_new_buyer())
                    for i in range(80)
                )
            )
            codes = Counter(r.status_code for r in responses)
            assert codes == {201: 29, 409: 51}
            order_id = held_on_a.json()["id"]
            # An order taken on one replica is served and cancelled by the other.
            assert (await b.get(f"/api/orders/{order_id}")).json()["status"] == "created"
            assert (await b.delete(f"/api/orders/{order_id}")).status_code == 204
            assert (await a.get(f"/api/orders/{order_id}")).json()["status"] == "cancelled"
            again = await b.post("/api/orders", json=body)
            assert again.status_code == 201
