"""General admission on counter shards: split claims, quantity changes, pruned entries."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from bson import ObjectId

from orders.domain.shards import UNITS_PER_SHARD
from ticketing_common.events import EventUpdated, PaymentCreated, TicketTypeDefinition, utc_now

pytestmark = pytest.mark.asyncio(loop_scope="session")


def ga(event_id: str, quantity: int = 1) -> dict[str, Any]:
    return {"eventId": event_id, "items": [{"ticketTypeId": "ga", "quantity": quantity}]}


def taken(shard: dict[str, Any], order: str | None = None) -> int:
    now = utc_now()
    live = [h for h in shard["holds"] if h.get("sold") or h["expiresAt"] > now]
    return int(shard["sold"]) + sum(h["n"] for h in live if order in (None, h["orderId"]))


async def test_five_buyers_of_four_for_the_last_ten_units_split_over_shards(
    orders_url: str, catalog: Any, users: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    counters = mongo_client[database_name]["counters"]
    async with users.client(orders_url) as buyer:
        for _ in range(3):
            event = await catalog.general_event(quantity=5 * UNITS_PER_SHARD)
            await helpers.wait_for_event(orders_url, event.event_id)
            shards = [s async for s in counters.find({"eventId": event.event_id})]
            assert [s["quantity"] for s in shards] == [UNITS_PER_SHARD] * 5
            # Someone else holds all but two units of every shard: no shard has room for 4.
            later = utc_now() + timedelta(hours=1)
            for shard in shards:
                n = UNITS_PER_SHARD - 2
                entry = {"orderId": f"other-{shard['_id']}", "n": n, "expiresAt": later}
                await counters.update_one({"_id": shard["_id"]}, {"$push": {"holds": entry}})
            responses = await asyncio.gather(
                *(buyer.post("/api/orders", json=ga(event.event_id, 4)) for _ in range(5))
            )
            assert Counter(r.status_code for r in responses) == {201: 2, 409: 3}
            for refused in (r for r in responses if r.status_code == 409):
                message = refused.json()["errors"][0]["message"]
                assert re.fullmatch(r".*\(4\) not available\. Only [0-3] available\.", message)
            shards = [s async for s in counters.find({"eventId": event.event_id})]
            assert all(taken(s) <= s["quantity"] for s in shards)
            assert sum(taken(s) for s in shards) == 5 * (UNITS_PER_SHARD - 2) + 8
            for won in (r.json()["id"] for r in responses if r.status_code == 201):
                assert sum(taken(s, won) - s["sold"] for s in shards) == 4
            last = await buyer.post("/api/orders", json=ga(event.event_id, 2))
            assert last.status_code == 201
            none_left = await buyer.post("/api/orders", json=ga(event.event_id, 1))
            assert none_left.json()["errors"][0]["message"].endswith("Only 0 available.")


async def test_more_quantity_adds_shards_and_keeps_every_hold(
    orders_url: str, catalog: Any, users: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    counters = mongo_client[database_name]["counters"]
    # Two shards, then seven: a quarter shard over each multiple.
    first, more = (
        2 * UNITS_PER_SHARD + UNITS_PER_SHARD // 4,
        7 * UNITS_PER_SHARD + UNITS_PER_SHARD // 4,
    )
    event = await catalog.general_event(quantity=first)
    await helpers.wait_for_event(orders_url, event.event_id)
    async with users.client(orders_url) as buyer:
        held = [
            await buyer.post(
                "/api/orders", json=ga(event.event_id, 5), headers=users.as_new_buyer()
            )
            for _ in range(6)
        ]
        assert all(r.status_code == 201 for r in held)

        async def publish(version: int, quantity: int) -> None:
            types = [TicketTypeDefinition(id="ga", name="General", price=2050, quantity=quantity)]
            body = {**event.model_dump(exclude={"id", "ticket_types"}), "version": version}
            await catalog.publisher.publish(EventUpdated(**body, ticket_types=types))

        assert await counters.count_documents({"eventId": event.event_id}) == 2
        await publish(1, more)  # 2 shards → 7 shards
        await helpers.wait_until(lambda: counters_sum(counters, event.event_id, more))
        shards = [s async for s in counters.find({"eventId": event.event_id})]
        assert len(shards) == 7
        assert sum(taken(s) for s in shards) == 30
        await publish(2, 40)  # below nothing taken: cuts come out of free room
        await helpers.wait_until(lambda: counters_sum(counters, event.event_id, 40))
        shards = [s async for s in counters.find({"eventId": event.event_id})]
        assert len(shards) == 7
        assert all(taken(s) <= s["quantity"] for s in shards)

        async def remaining(expected: int) -> bool:
            body = (await buyer.get(f"/api/availability/{event.event_id}")).json()
            return bool(body["ticketTypes"][0]["remaining"] == expected)

        await helpers.wait_until(lambda: remaining(10))
        for _ in range(2):  # 10 left, in whichever shards the cuts left them
            hold = ga(event.event_id, 5)
            assert (
                await buyer.post("/api/orders", json=hold, headers=users.as_new_buyer())
            ).status_code == 201
        last = await buyer.post(
            "/api/orders", json=ga(event.event_id), headers=users.as_new_buyer()
        )
        assert last.status_code == 409


async def counters_sum(counters: Any, event_id: str, total: int) -> bool:
    return sum([s["quantity"] async for s in counters.find({"eventId": event_id})]) == total


async def test_expired_entries_are_pruned_and_a_late_payment_for_one_fails_cleanly(
    start_orders: Any, catalog: Any, users: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    counters = mongo_client[database_name]["counters"]
    async with start_orders(hold_seconds_override=1) as url:
        event = await catalog.general_event(quantity=3)
        await helpers.wait_for_event(url, event.event_id)
        async with users.client(url) as late, users.client(url) as quick:
            lost = (await late.post("/api/orders", json=ga(event.event_id, 2))).json()
            also_lost = (await late.post("/api/orders", json=ga(event.event_id, 1))).json()
            await asyncio.sleep(1.1)
            # The next hold drops both expired entries in its own write.
            taker = (await quick.post("/api/orders", json=ga(event.event_id, 3))).json()
            shard = await counters.find_one({"eventId": event.event_id})
            assert [h["orderId"] for h in shard["holds"]] == [taker["id"]]
            for order, provider_ref in ((lost, "pi_lost"), (also_lost, "pi_also")):
                payment = PaymentCreated(
                    payment_id=str(ObjectId()),
                    order_id=order["id"],
                    amount=4100,
                    currency="usd",
                    provider_ref=provider_ref,
                )
                await catalog.publisher.publish(payment)

            async def cancelled(order_id: str) -> bool:
                got = (await late.get(f"/api/orders/{order_id}")).json()
                return bool(got["status"] == "cancelled" and got["cancelReason"] == "expired")

            await helpers.wait_until(lambda: cancelled(lost["id"]))
            await helpers.wait_until(lambda: cancelled(also_lost["id"]))
            shard = await counters.find_one({"eventId": event.event_id})
            assert shard["sold"] == 0
            assert [h["orderId"] for h in shard["holds"]] == [taker["id"]]


async def test_a_late_payment_still_sells_an_expired_entry_nobody_replaced(
    start_orders: Any, catalog: Any, users: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    counters = mongo_client[database_name]["counters"]
    async with start_orders(hold_seconds_override=1) as url:
        event = await catalog.general_event(quantity=3)
        await helpers.wait_for_event(url, event.event_id)
        async with users.client(url) as buyer:
            order = (await buyer.post("/api/orders", json=ga(event.event_id, 2))).json()
            await asyncio.sleep(1.1)
            payment = PaymentCreated(
                payment_id=str(ObjectId()),
                order_id=order["id"],
                amount=4100,
                currency="usd",
                provider_ref="pi_late",
            )
            await catalog.publisher.publish(payment)

            async def completed() -> bool:
                got = (await buyer.get(f"/api/orders/{order['id']}")).json()
                return bool(got["status"] == "complete")

            await helpers.wait_until(completed)

            async def folded() -> bool:
                shard = await counters.find_one({"eventId": event.event_id})
                return bool(shard["sold"] == 2 and shard["holds"] == [])

            await helpers.wait_until(folded)
            assert (await buyer.post("/api/orders", json=ga(event.event_id, 2))).status_code == 409
