"""The recovery's fences in the orders collection, on the real database: a fence takes
an order's id (the order can no longer be recorded) unless the order came first, and no
query of the orders store — nor the outbox relay's — ever sees a fence as an order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from order_builders import NOW, held_order

from orders.domain.errors import OrderIdTaken
from orders.store.orders import OrderStore
from ticketing_common.outbox import PENDING_EVENTS_FIELD

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest.fixture
def store(mongo_client: Any, database_name: str) -> OrderStore:
    return OrderStore(mongo_client[database_name])


async def test_a_fence_takes_the_id_and_the_order_is_refused(store: OrderStore) -> None:
    await store.ensure_indexes()
    assert await store.fence("ghost", NOW)
    assert await store.fence("ghost", NOW)  # a second sweep finds it fenced

    with pytest.raises(OrderIdTaken):
        await store.insert(held_order("ghost"))

    stored = await store.orders.find_one({"_id": "ghost"})
    assert stored == {"_id": "ghost", "status": "abandoned", "abandonedAt": NOW}
    assert await store.statuses(["ghost", "unknown"]) == {"ghost": "abandoned"}


async def test_an_order_recorded_first_keeps_its_id(store: OrderStore) -> None:
    order = held_order("real")
    await store.insert(order, order.created_event())

    assert not await store.fence("real", NOW)
    await store.insert(order, order.created_event())  # a driver's retry of a done insert

    assert await store.get("real") == order
    assert await store.statuses(["real"]) == {"real": "created"}


async def test_no_query_of_the_store_sees_a_fence(store: OrderStore) -> None:
    await store.fence("ghost", NOW)
    ghost = held_order("ghost")

    assert await store.get("ghost") is None
    assert await store.of_user("buyer", 0, 10) == ([], 0)
    assert await store.live_of_event("e1") == []
    cancelled, event = ghost.cancel("expired", NOW)
    assert not await store.replace_if_unchanged(ghost, cancelled, event)
    assert await store.order_with_ticket("t1") is None
    assert not await store.mark_ticket_used("t1", NOW)
    assert await store.cancelled_between(NOW - timedelta(days=1), NOW + timedelta(days=1)) == {}
    # The outbox relay's sweep: documents with pending events.
    pending = {f"{PENDING_EVENTS_FIELD}.0": {"$exists": True}}
    assert await store.orders.count_documents(pending) == 0
    assert await store.orders.find_one({"_id": "ghost"}) is not None


async def test_a_cancel_records_when_and_only_cancels_carry_it(store: OrderStore) -> None:
    live, gone = held_order("live"), held_order("gone")
    for order in (live, gone):
        await store.insert(order, order.created_event())
    cancelled, event = gone.cancel("cancelled_by_buyer", NOW, by_buyer=True)
    assert await store.replace_if_unchanged(gone, cancelled, event)

    assert await store.get("gone") == cancelled
    assert await store.cancelled_between(NOW - timedelta(seconds=1), NOW) == {"gone": "e1"}
    assert await store.cancelled_between(NOW, NOW + timedelta(seconds=1)) == {}
    stored = await store.orders.find_one({"_id": "live"})
    assert stored is not None
    assert "cancelledAt" not in stored


async def test_a_new_orders_events_are_recorded_before_it_beside_it(store: OrderStore) -> None:
    order = held_order("new")
    created = order.created_event()
    await store.insert(order, created)

    record = await store.creations.collection.find_one({"_id": "new"})
    assert record is not None
    assert [entry["id"] for entry in record["events"]] == [created.id]
    stored = await store.orders.find_one({"_id": "new"})
    assert stored is not None
    assert PENDING_EVENTS_FIELD not in stored  # nothing to pull from the order later
    assert await store.recorded(["new", "unknown"]) == {"new": True}


async def test_a_fenced_orders_record_is_left_for_the_relay_to_drop(store: OrderStore) -> None:
    await store.fence("late", NOW)
    order = held_order("late")
    with pytest.raises(OrderIdTaken):
        await store.insert(order, order.created_event())

    assert await store.creations.collection.count_documents({"_id": "late"}) == 1
    assert await store.recorded(["late"]) == {"late": False}
    settled = await store.creations.settle(
        await store.creations.read(["late"], limit=10), existing=set()
    )
    assert (settled.ready, settled.dropped) == ([], ["late"])
