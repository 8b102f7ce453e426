"""Many order changes in one write, on the real database: each order gets its own new
fields and event where it is still what was read; one changed meanwhile keeps what it
has; a field no change sets stays as it was, absent ones too."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from order_builders import NOW, held_order

from orders.store.orders import OrderStore
from ticketing_common.outbox import PENDING_EVENTS_FIELD

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest.fixture
def store(mongo_client: Any, database_name: str) -> OrderStore:
    return OrderStore(mongo_client[database_name])


async def test_a_batch_of_cancellations_writes_each_unchanged_order_once(store: OrderStore) -> None:
    ids = [uuid.uuid4().hex for _ in range(3)]
    orders = [held_order(order_id, buyer=f"buyer-{n}") for n, order_id in enumerate(ids)]
    for order in orders:
        await store.insert(order)
    # The third started a payment after it was read: its stored version moved on.
    paying = orders[2].start_settling("pay-1")
    assert await store.replace_if_unchanged(orders[2], paying)
    later = NOW + timedelta(minutes=16)
    changes = []
    for order in orders:
        cancelled, event = order.cancel("expired", later)
        assert event is not None
        changes.append((order, cancelled, event))

    written = await store.replace_many_if_unchanged(changes)

    assert written == set(ids[:2])
    for (_, cancelled, event), order_id in zip(changes[:2], ids, strict=False):
        doc = await store.orders.find_one({"_id": order_id})
        assert doc is not None
        assert (doc["status"], doc["version"], doc["cancelReason"]) == ("cancelled", 1, "expired")
        assert doc["cancelledAt"] == later
        assert doc["userId"] == cancelled.user_id  # untouched fields stay
        assert [entry["id"] for entry in doc[PENDING_EVENTS_FIELD]] == [event.id]
        assert (await store.get(order_id)) == cancelled
    stale = await store.orders.find_one({"_id": ids[2]})
    assert stale is not None
    assert (stale["status"], stale["settling"]) == ("created", "pay-1")
    assert "cancelledAt" not in stale  # absent, not null: the sparse index skips it
    assert stale.get(PENDING_EVENTS_FIELD, []) == []
