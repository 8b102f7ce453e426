"""What the per-buyer cap counts, on the real database: concurrent asks share one read
and each buyer gets their own pending, unexpired tickets of that event — not another
buyer's, not another event's, not an expired or cancelled order's."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from order_builders import NOW, held_order

from orders.store.orders import OrderStore

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_concurrent_asks_each_get_their_own_buyers_held_tickets(
    mongo_client: Any, database_name: str
) -> None:
    store = OrderStore(mongo_client[database_name])
    await store.ensure_indexes()
    for order in [
        held_order("o1", "ann", "e1", 2),
        held_order("o2", "ann", "e1", 1, status="awaiting:payment"),
        held_order("o3", "ann", "e2", 4),  # another event
        held_order("o4", "bob", "e1", 3, expires_at=NOW - timedelta(seconds=1)),  # expired
        held_order("o5", "bob", "e1", 1, status="cancelled"),
        held_order("o6", "cy", "e1", 5),
    ]:
        await store.insert(order)

    asks = [("ann", "e1"), ("bob", "e1"), ("cy", "e1"), ("ann", "e2"), ("dee", "e1")]
    held = await asyncio.gather(*(store.units_held(buyer, event, NOW) for buyer, event in asks))

    assert held == [3, 0, 5, 4, 0]
    later = NOW + timedelta(minutes=20)  # every hold has expired by then
    assert await store.units_held("ann", "e1", later) == 0
