"""Seat claims in groups, on the real database: one unit, one order, whatever arrives
together; all or none per claim; a unit given back in a group goes to who asked next."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio

from orders.store.inventory import InventoryStore

pytestmark = pytest.mark.asyncio(loop_scope="session")

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=15)


@pytest_asyncio.fixture(loop_scope="session")
async def seats(mongo_client: Any, database_name: str) -> tuple[InventoryStore, list[str]]:
    """A store and ten free seats of a new event."""
    store = InventoryStore(mongo_client[database_name])
    event = uuid.uuid4().hex
    ids = [f"{event}:s{n}" for n in range(10)]
    docs = [{"_id": i, "eventId": event, "kind": "seat", "status": "available"} for i in ids]
    await store.units.insert_many(docs)
    return store, ids


async def holders(store: InventoryStore, ids: list[str]) -> dict[str, str | None]:
    cursor = store.units.find({"_id": {"$in": ids}}, {"orderId": 1, "status": 1})
    return {doc["_id"]: doc.get("orderId") async for doc in cursor}


async def claim_together(store: InventoryStore, wanted: dict[str, list[str]]) -> dict[str, bool]:
    """Every order's claim sent at once (they go out as one group)."""
    outcomes = await asyncio.gather(
        *(store.hold_units(units, order, LATER, NOW) for order, units in wanted.items())
    )
    return dict(zip(wanted, outcomes, strict=True))


async def test_claims_arriving_together_each_get_their_own_units(
    seats: tuple[InventoryStore, list[str]],
) -> None:
    store, ids = seats
    wanted = {f"o{n}": [ids[n]] for n in range(6)} | {"pair": [ids[6], ids[7]]}
    assert await claim_together(store, wanted) == dict.fromkeys(wanted, True)
    held = await holders(store, ids)
    for order, units in wanted.items():
        assert all(held[unit] == order for unit in units)
    assert (held[ids[8]], held[ids[9]]) == (None, None)
    doc = await store.units.find_one({"_id": ids[6]})
    assert doc is not None
    assert (doc["status"], doc["holdExpiresAt"], doc["claimedAt"]) == ("held", LATER, NOW)


async def test_one_seat_wanted_twice_in_a_group_goes_to_the_first_only(
    seats: tuple[InventoryStore, list[str]],
) -> None:
    store, ids = seats
    wanted = {"first": [ids[0]], "second": [ids[0], ids[1]], "third": [ids[1]]}
    outcomes = await claim_together(store, wanted)
    assert outcomes == {"first": True, "second": False, "third": True}
    held = await holders(store, ids)
    assert (held[ids[0]], held[ids[1]]) == ("first", "third")


async def test_a_claim_losing_one_unit_gives_the_others_back_to_who_asks_next(
    seats: tuple[InventoryStore, list[str]],
) -> None:
    store, ids = seats
    assert await store.hold_units([ids[2]], "earlier", LATER, NOW)
    # "both" gets ids[1] in the write but not ids[2] (held): it gives ids[1] back, and
    # "then", which wanted ids[1] too, is tried again and gets it.
    wanted = {"both": [ids[1], ids[2]], "then": [ids[1]], "other": [ids[3]]}
    assert await claim_together(store, wanted) == {"both": False, "then": True, "other": True}
    held = await holders(store, ids)
    assert (held[ids[1]], held[ids[2]], held[ids[3]]) == ("then", "earlier", "other")


async def test_an_expired_hold_is_free_for_a_group_and_a_live_one_is_not(
    seats: tuple[InventoryStore, list[str]],
) -> None:
    store, ids = seats
    assert await store.hold_units([ids[0]], "lapsed", NOW - timedelta(seconds=1), NOW)
    assert await store.hold_units([ids[1]], "live", LATER, NOW)
    wanted = {"a": [ids[0]], "b": [ids[1]], "c": [ids[2]]}
    assert await claim_together(store, wanted) == {"a": True, "b": False, "c": True}
    held = await holders(store, ids)
    assert (held[ids[0]], held[ids[1]], held[ids[2]]) == ("a", "live", "c")
