"""Several replicas sweeping the same claims at once, on the real database: one fence
per abandoned order, its units freed, a live order's left, and no pass fails."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from orders.domain.order import Order
from orders.domain.order_parts import Line
from orders.handlers.recovery import release_abandoned_holds
from orders.store.claims import ClaimStore
from orders.store.counters import CounterStore
from orders.store.inventory import InventoryStore
from orders.store.orders import OrderStore
from orders.store.vouchers import VoucherStore
from ticketing_common.events import utc_now

pytestmark = pytest.mark.asyncio(loop_scope="session")

REPLICAS = 4


@dataclass
class Changes:
    events: list[str] = field(default_factory=list)

    async def changed(self, event_id: str, delta: Any = None) -> None:
        self.events.append(event_id)


@dataclass
class Replica:
    """What the recovery uses of one replica's unit, on the real stores."""

    orders: OrderStore
    inventory: InventoryStore
    claims: ClaimStore
    vouchers: VoucherStore
    availability: Changes = field(default_factory=Changes)

    @property
    def counters(self) -> CounterStore:
        return self.inventory.ga


async def _left_behind(db: Any, replica: Replica, claimed_at: datetime) -> list[str]:
    """Claims of two holds whose orders were never written, and of a live order → the
    seat units."""
    expires = claimed_at + timedelta(minutes=15)
    await db["counters"].insert_one(
        {"_id": "e1:ga", "eventId": "e1", "ticketTypeId": "ga", "quantity": 10, "sold": 0}
    )
    seats = [f"seat:e1:A-{i}" for i in range(4)]
    await db["units"].insert_many(
        [{"_id": s, "eventId": "e1", "status": "available", "orderId": None} for s in seats]
    )
    for order_id in ("ghost-1", "ghost-2", "live"):
        assert await replica.counters.claim("e1:ga", order_id, 2, expires, claimed_at)
    assert await replica.inventory.hold_units(seats[:2], "ghost-1", expires, claimed_at)
    assert await replica.inventory.hold_units(seats[2:], "live", expires, claimed_at)
    live = Order(
        "live", "buyer", "event", "created", 0, claimed_at, expires, "usd",
        [Line("ga", 2, 2050), Line("std", 1, 4000, "A-2"), Line("std", 1, 4000, "A-3")], "e1",
    )  # fmt: skip
    await replica.orders.insert(live)
    return seats


async def test_replicas_sweeping_at_once_fence_once_and_free_everything(
    mongo_client: Any, database_name: str
) -> None:
    db = mongo_client[database_name]
    replicas = [
        Replica(OrderStore(db), InventoryStore(db), ClaimStore(db), VoucherStore(db))
        for _ in range(REPLICAS)
    ]
    await replicas[0].orders.ensure_indexes()
    await replicas[0].inventory.ensure_indexes()
    now = utc_now()
    seats = await _left_behind(db, replicas[0], now - timedelta(seconds=30))

    passes = await asyncio.gather(
        *(release_abandoned_holds(r, None, now - timedelta(seconds=10), now) for r in replicas)  # type: ignore[arg-type]
    )

    assert {order_id for released in passes for order_id in released} == {"ghost-1", "ghost-2"}
    fences = await db["orders"].find({"status": "abandoned"}).to_list()
    assert sorted(f["_id"] for f in fences) == ["ghost-1", "ghost-2"]
    shard = await db["counters"].find_one({"_id": "e1:ga"})
    assert [h["orderId"] for h in shard["holds"]] == ["live"]
    units = {u["_id"]: u async for u in db["units"].find({})}
    assert [units[s]["status"] for s in seats] == ["available", "available", "held", "held"]
    assert "claimedAt" not in units[seats[0]]
