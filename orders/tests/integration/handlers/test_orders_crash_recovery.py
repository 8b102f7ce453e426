"""A crash in the middle of a hold or of a cancel leaves nothing unavailable for long:
real orders processes, a real SIGKILL.

The first process dies at a failpoint — `orders.hold.after_claim` (units claimed, no
order written), `orders.hold.after_record` (the order's events recorded in the outbox of
new orders, the order not written), `orders.hold.split_claim` (one part of a split claim
taken, the next not) or `orders.cancel.before_release` (the order cancelled, its units
not given back). A second one, started without it, frees the units within the
recovery's bound (grace + 2 * sweep; 1 s + 2 * 0.5 s here) and the same hold succeeds
again; a record whose order never came is dropped, its order's id fenced.
"""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from bson import ObjectId

from orders.config import OrdersSettings
from ticketing_common.events import utc_now
from ticketing_common.testing.endpoints import Endpoints
from ticketing_common.testing.processes import ServiceProcess, service_env, service_process

pytestmark = pytest.mark.asyncio(loop_scope="session")

FAST_RECOVERY = {"ABANDONED_HOLD_GRACE_SECONDS": "1", "ABANDONED_HOLD_SWEEP_SECONDS": "0.5"}
BOUND = 1 + 2 * 0.5
# Generous: benchmarks elsewhere may keep the CPU busy; a stuck unit would take 15 min.
MARGIN = 15.0
Db = Any
Holder = Callable[[], Awaitable[str | None]]


@dataclass
class Target:
    """What a hold asks for, and who holds it now (an order id, or None when free)."""

    body: dict[str, Any]
    holder: Holder


def _general(db: Db, event_id: str) -> Holder:
    async def holder() -> str | None:
        now = utc_now()
        async for shard in db["counters"].find({"eventId": event_id}):
            for entry in shard["holds"]:
                if entry["expiresAt"] > now and not entry["orderId"].startswith("other-"):
                    return str(entry["orderId"])
        return None

    return holder


def _unit(db: Db, unit_id: str) -> Holder:
    async def holder() -> str | None:
        doc = await db["units"].find_one({"_id": unit_id})
        assert doc is not None
        return str(doc["orderId"]) if doc["status"] == "held" else None

    return holder


async def _listing(db: Db, catalog: Any, helpers: Any) -> Target:
    listing = await catalog.listing(str(ObjectId()))
    unit_id = f"listing:{listing.ticket_id}"

    async def replicated() -> bool:
        return await db["units"].find_one({"_id": unit_id}) is not None

    await helpers.wait_until(replicated)
    return Target({"ticketId": listing.ticket_id}, _unit(db, unit_id))


async def _crowd_every_shard(db: Db, event_id: str) -> None:
    """Someone else holds all but two units of every shard: a hold of 4 has to split."""
    later = utc_now() + timedelta(hours=1)
    async for shard in db["counters"].find({"eventId": event_id}):
        entry = {"orderId": f"other-{shard['_id']}", "n": shard["quantity"] - 2, "expiresAt": later}
        await db["counters"].update_one({"_id": shard["_id"]}, {"$push": {"holds": entry}})


async def _target(kind: str, db: Db, url: str, catalog: Any, helpers: Any) -> Target:
    """Publish the inventory for a hold of `kind` and wait until orders has it."""
    if kind == "listing":
        return await _listing(db, catalog, helpers)
    quantity = {"general": 10, "split": 1000}
    event = await (
        catalog.seated_event(1, 4) if kind == "seat" else catalog.general_event(quantity[kind])
    )
    await helpers.wait_for_event(url, event.event_id)
    if kind == "seat":
        seat = f"seat:{event.event_id}:A-1"
        return Target({"eventId": event.event_id, "seats": ["A-1"]}, _unit(db, seat))
    if kind == "split":
        await _crowd_every_shard(db, event.event_id)
    items = [{"ticketTypeId": "ga", "quantity": 4}]
    return Target({"eventId": event.event_id, "items": items}, _general(db, event.event_id))


@pytest.fixture
def start(
    embedded_servers: Endpoints, orders_settings: OrdersSettings, tmp_path: Path
) -> Callable[[str], Any]:
    """Start an orders process (sharing its consumers and database with the others),
    `failpoint` armed if given; the block ends once it is gone."""
    env = service_env(
        embedded_servers,
        orders_settings.service_name,
        orders_settings.database_name,
        orders_settings.jwt_key.get_secret_value(),
    )

    @asynccontextmanager
    async def run(failpoint: str = "") -> AsyncIterator[ServiceProcess]:
        armed = {**env, **FAST_RECOVERY, "TICKETING_FAILPOINTS": failpoint}
        log = tmp_path / f"orders-{failpoint or 'recovering'}.log"
        async with service_process("orders", armed, log) as process:
            yield process

    return run


async def _killed_by(call: Awaitable[httpx.Response], process: ServiceProcess) -> None:
    with pytest.raises(httpx.TransportError):
        await call
    await process.exited(within=20)
    assert process.popen.returncode == -signal.SIGKILL


async def _freed(holder: Holder, helpers: Any) -> None:
    async def free() -> bool:
        return await holder() is None

    await helpers.wait_until(free, within=BOUND + MARGIN)


@pytest.mark.parametrize(
    ("kind", "failpoint"),
    [
        ("general", "orders.hold.after_claim"),
        ("seat", "orders.hold.after_claim"),
        ("listing", "orders.hold.after_claim"),
        ("split", "orders.hold.split_claim"),
        ("general", "orders.hold.after_record"),
    ],
)
async def test_units_claimed_by_a_hold_killed_before_its_order_are_freed(
    kind: str,
    failpoint: str,
    start: Any,
    catalog: Any,
    users: Any,
    helpers: Any,
    mongo_client: Any,
) -> None:
    db = mongo_client[users.settings.database_name]
    async with start(failpoint) as first, users.client(first.url) as buyer:
        target = await _target(kind, db, first.url, catalog, helpers)
        await _killed_by(buyer.post("/api/orders", json=target.body), first)
    order_id = await target.holder()
    assert order_id is not None  # claimed, with no order behind it
    assert await db["orders"].find_one({"_id": order_id}) is None
    recorded = failpoint == "orders.hold.after_record"
    assert (await db["creations"].find_one({"_id": order_id}) is not None) == recorded

    async with start() as second, users.client(second.url) as buyer:
        await _freed(target.holder, helpers)
        fence = await db["orders"].find_one({"_id": order_id})
        assert fence is not None
        assert (fence["status"], sorted(fence)) == ("abandoned", ["_id", "abandonedAt", "status"])
        released = second.said("abandoned hold released")
        assert [e["order_id"] for e in released] == [order_id]
        # With a record, the relay may fence the id first (past the grace): then the
        # recovery finds a fenced order.
        assert released[0]["reason"] in ({"no order", "abandoned"} if recorded else {"no order"})
        assert (await buyer.post("/api/orders", json=target.body)).status_code == 201

        async def dropped() -> bool:
            return await db["creations"].find_one({"_id": order_id}) is None

        await helpers.wait_until(dropped, within=BOUND + MARGIN)


async def test_units_of_an_order_cancelled_by_a_process_killed_before_the_release_are_freed(
    start: Any, catalog: Any, users: Any, helpers: Any, mongo_client: Any
) -> None:
    db = mongo_client[users.settings.database_name]
    async with start("orders.cancel.before_release") as first, users.client(first.url) as buyer:
        target = await _target("general", db, first.url, catalog, helpers)
        held = await buyer.post("/api/orders", json=target.body)
        assert held.status_code == 201
        order_id = held.json()["id"]
        await _killed_by(buyer.delete(f"/api/orders/{order_id}"), first)
    order = await db["orders"].find_one({"_id": order_id})
    assert order is not None
    assert (order["status"], order["cancelledAt"] is not None) == ("cancelled", True)
    assert await target.holder() == order_id

    async with start() as second, users.client(second.url) as buyer:
        await _freed(target.holder, helpers)
        released = second.said("abandoned hold released")
        assert [(e["order_id"], e["reason"]) for e in released] == [(order_id, "cancelled")]
        assert (await buyer.post("/api/orders", json=target.body)).status_code == 201
