"""Where the recovery sweep finds claims, on the real database: exactly the live, unsold
claims of the window (counter entries and held units), or what given orders still hold
— and the in-memory fake finds the same on the same documents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
from orders_fakes import FakeClaims, FakeCounters, FakeInventory

from orders.domain.recovery import EVERY_CLAIM, Holding
from orders.store.claims import ClaimStore

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Whole milliseconds: the database keeps dates to the millisecond.
NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
S = timedelta(seconds=1)
AHEAD = NOW + timedelta(minutes=10)
SINCE, UNTIL = NOW - 20 * S, NOW - 10 * S


def _entry(order_id: str, claimed_at: datetime | None, **extra: Any) -> dict[str, Any]:
    entry = {"orderId": order_id, "n": 2, "expiresAt": AHEAD, **extra}
    return entry if claimed_at is None else {**entry, "claimedAt": claimed_at}


def _shard(shard_id: str, event_id: str, *holds: dict[str, Any]) -> dict[str, Any]:
    """A shard as claims leave it: stamped with its latest claim (`lastClaimedAt`)."""
    stamps = [h["claimedAt"] for h in holds if "claimedAt" in h]
    return {
        "_id": shard_id,
        "eventId": event_id,
        "holds": list(holds),
        "lastClaimedAt": max(stamps),
    }


SHARDS = [
    _shard(
        "e1:ga",
        "e1",
        _entry("in-window", NOW - 15 * S),
        _entry("at-until", UNTIL),
        _entry("at-since", SINCE),
        _entry("too-young", NOW - 5 * S),
        _entry("sold", NOW - 15 * S, sold=True),
        _entry("expired", NOW - 15 * S, expiresAt=NOW - S),
        _entry("from-before-claimedAt", None),
    ),
    _shard("e1:ga:1", "e1", _entry("in-window", NOW - 15 * S)),
    _shard("e2:ga", "e2", _entry("other-event", NOW - 15 * S)),
    _shard("e3:ga", "e3", _entry("before-the-window", NOW - 30 * S)),
]
UNITS = [
    {"_id": "seat:e1:A-1", "eventId": "e1", "status": "held", "orderId": "in-window"},
    {"_id": "seat:e1:A-2", "eventId": "e1", "status": "held", "orderId": "too-young"},
    {"_id": "seat:e1:A-3", "eventId": "e1", "status": "sold", "orderId": "sold"},
    {"_id": "listing:t1", "status": "held", "orderId": "listing-order"},
    {"_id": "listing:t2", "status": "held", "orderId": "expired"},
]
CLAIMED_AT = {
    "seat:e1:A-1": NOW - 15 * S,
    "seat:e1:A-2": NOW - 5 * S,
    "listing:t1": NOW - 12 * S,
    "listing:t2": NOW - 15 * S,
}


def _unit(doc: dict[str, Any]) -> dict[str, Any]:
    expires = NOW - S if doc["orderId"] == "expired" else AHEAD
    claimed = {"claimedAt": CLAIMED_AT[doc["_id"]]} if doc["_id"] in CLAIMED_AT else {}
    return {**doc, "holdExpiresAt": expires, **claimed}


@pytest_asyncio.fixture(loop_scope="session")
async def stores(mongo_client: Any, database_name: str) -> tuple[ClaimStore, FakeClaims]:
    db = mongo_client[database_name]
    await db["counters"].insert_many([dict(s) for s in SHARDS])
    await db["units"].insert_many([_unit(u) for u in UNITS])
    counters, inventory = FakeCounters(), FakeInventory()
    counters.shards = {s["_id"]: {**s, "holds": [dict(h) for h in s["holds"]]} for s in SHARDS}
    inventory.units = {u["_id"]: _unit(u) for u in UNITS}
    return ClaimStore(db), FakeClaims(counters, inventory)


async def test_the_window_holds_exactly_the_live_unsold_claims_made_in_it(
    stores: tuple[ClaimStore, FakeClaims],
) -> None:
    store, fake = stores

    found = await store.claimed_between(SINCE, UNTIL, NOW)

    assert found == {
        "in-window": Holding(["e1:ga", "e1:ga:1"], ["seat:e1:A-1"], {"e1"}, 5),
        "at-until": Holding(["e1:ga"], [], {"e1"}, 2),
        "other-event": Holding(["e2:ga"], [], {"e2"}, 2),
        "listing-order": Holding([], ["listing:t1"], set(), 1),
    }
    assert await fake.claimed_between(SINCE, UNTIL, NOW) == found


async def test_a_first_pass_sees_every_live_claim_up_to_the_grace(
    stores: tuple[ClaimStore, FakeClaims],
) -> None:
    store, fake = stores

    found = await store.claimed_between(EVERY_CLAIM, UNTIL, NOW)

    assert sorted(found) == [
        "at-since",
        "at-until",
        "before-the-window",
        "in-window",
        "listing-order",
        "other-event",
    ]
    assert await fake.claimed_between(EVERY_CLAIM, UNTIL, NOW) == found


async def test_what_given_orders_still_hold_sold_units_aside(
    stores: tuple[ClaimStore, FakeClaims],
) -> None:
    store, fake = stores
    orders = ["in-window", "sold", "expired", "listing-order", "other-event"]

    found = await store.held_by(orders, ["e1"])

    assert found == {
        "in-window": Holding(["e1:ga", "e1:ga:1"], ["seat:e1:A-1"], {"e1"}, 5),
        "expired": Holding(["e1:ga"], ["listing:t2"], {"e1"}, 3),
        "listing-order": Holding([], ["listing:t1"], set(), 1),
    }
    assert await fake.held_by(orders, ["e1"]) == found
