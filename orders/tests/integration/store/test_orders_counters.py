"""General-admission counters on the real database: the stored-query side of the "live
entry" rule decides exactly as the domain's Python rule does, on the same entries."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from orders.domain.counters import (
    HoldEntry,
    ShardClaim,
    counter_free,
    entry_is_live,
    entry_is_live_expression,
    take_in_order,
)
from orders.store.counters import CounterStore

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Whole milliseconds: the database keeps dates to the millisecond.
NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
MS = timedelta(milliseconds=1)
ENTRIES: list[dict[str, Any]] = [
    {"orderId": "ahead", "n": 1, "expiresAt": NOW + timedelta(minutes=5)},
    {"orderId": "just-ahead", "n": 2, "expiresAt": NOW + MS},
    {"orderId": "expiring-now", "n": 4, "expiresAt": NOW},
    {"orderId": "just-past", "n": 8, "expiresAt": NOW - MS},
    {"orderId": "sold-past", "n": 16, "expiresAt": NOW - timedelta(hours=1), "sold": True},
    {"orderId": "sold-ahead", "n": 32, "expiresAt": NOW + timedelta(hours=1), "sold": True},
    {"orderId": "unsold-past", "n": 64, "expiresAt": NOW - timedelta(hours=1), "sold": False},
    {"orderId": "unsold-ahead", "n": 128, "expiresAt": NOW + timedelta(hours=1), "sold": False},
]
SHARD = {"_id": "e1:ga", "eventId": "e1", "ticketTypeId": "ga", "shard": 0, "quantity": 1000}


@pytest.fixture
def counters(mongo_client: Any, database_name: str) -> CounterStore:
    return CounterStore(mongo_client[database_name])


async def test_each_entry_is_live_in_the_query_exactly_when_the_rule_says(
    counters: CounterStore,
) -> None:
    await counters.counters.insert_one({**SHARD, "sold": 0, "holds": ENTRIES})
    by_query = {
        "$map": {"input": "$holds", "as": "h", "in": entry_is_live_expression(NOW)},
    }
    cursor = await counters.counters.aggregate([{"$project": {"live": by_query}}])
    (doc,) = [doc async for doc in cursor]
    assert doc["live"] == [entry_is_live(entry, NOW) for entry in ENTRIES]
    assert doc["live"] == [True, True, False, False, True, True, False, True]


async def test_the_database_counts_free_units_as_the_python_rule_does(
    counters: CounterStore,
) -> None:
    shard = {**SHARD, "sold": 100, "holds": ENTRIES}
    await counters.counters.insert_one(shard)
    _, remaining = counter_free(shard, NOW)
    assert await counters.free_by_shard("e1", "ga", NOW) == {"e1:ga": remaining}
    assert remaining == 1000 - 100 - (1 + 2 + 16 + 32 + 128)


async def test_a_claim_keeps_exactly_the_live_entries(counters: CounterStore) -> None:
    await counters.counters.insert_one({**SHARD, "sold": 0, "holds": ENTRIES})
    assert await counters.claim("e1:ga", "new", 3, NOW + timedelta(minutes=15), NOW)
    stored = await counters.counters.find_one({"_id": "e1:ga"})
    assert stored is not None
    kept = [entry["orderId"] for entry in stored["holds"]]
    assert kept == [e["orderId"] for e in ENTRIES if entry_is_live(e, NOW)] + ["new"]


@pytest.mark.parametrize(
    ("quantity", "wanted"),
    [(1000, [1, 1, 1]), (400, [100, 300, 50, 2]), (400, [200, 1, 200]), (250, [5, 5])],
)
async def test_a_group_claim_takes_what_the_domain_rule_takes(
    counters: CounterStore, quantity: int, wanted: list[int]
) -> None:
    shard = {**SHARD, "quantity": quantity, "sold": 20, "holds": ENTRIES}
    await counters.counters.insert_one(shard)
    _, free = counter_free(shard, NOW)
    entries = [
        HoldEntry(f"new-{i}", n, NOW + timedelta(minutes=15), NOW) for i, n in enumerate(wanted)
    ]

    result = await counters.claim_many("e1:ga", entries, NOW)

    taking, left = take_in_order(free, wanted)
    assert result == ShardClaim(
        frozenset(e.order_id for e, take in zip(entries, taking, strict=True) if take), left
    )
    stored = await counters.counters.find_one({"_id": "e1:ga"})
    assert stored is not None
    kept = [h["orderId"] for h in ENTRIES if entry_is_live(h, NOW)]
    assert [h["orderId"] for h in stored["holds"]] == kept + sorted(result.taken)
    assert counter_free(stored, NOW)[1] == left


async def test_a_group_claim_on_a_missing_shard_takes_nothing(counters: CounterStore) -> None:
    entry = HoldEntry("o1", 1, NOW + timedelta(minutes=15), NOW)
    assert await counters.claim_many("nowhere", [entry], NOW) == ShardClaim(frozenset(), 0)


def live_hold(order_id: str, n: int, **more: Any) -> dict[str, Any]:
    return {"orderId": order_id, "n": n, "expiresAt": NOW + timedelta(minutes=5), **more}


def lapsed_hold(order_id: str, n: int) -> dict[str, Any]:
    return {"orderId": order_id, "n": n, "expiresAt": NOW - timedelta(minutes=1)}


async def test_sales_that_arrive_together_sell_live_entries_and_guard_lapsed_ones(
    counters: CounterStore,
) -> None:
    # Room for one of the two lapsed entries to be sold after all, not for both.
    holds = [
        live_hold("a", 2),
        live_hold("b", 3),
        lapsed_hold("late-1", 1),
        lapsed_hold("late-2", 1),
    ]
    await counters.counters.insert_many(
        [
            {**SHARD, "quantity": 6, "sold": 0, "holds": holds},
            {**SHARD, "_id": "e1:ga:1", "shard": 1, "sold": 0, "holds": [live_hold("b", 1)]},
        ]
    )
    sales = [
        ("e1:ga", "a", 2),
        ("e1:ga", "b", 3),
        ("e1:ga:1", "b", 1),
        ("e1:ga", "late-1", 1),
        ("e1:ga", "late-2", 1),
        ("e1:ga", "nobody", 1),
    ]

    sold = await asyncio.gather(*(counters.sell(s, o, n, NOW) for s, o, n in sales))

    assert sold == [True, True, True, True, False, False]
    shard = await counters.counters.find_one({"_id": "e1:ga"})
    assert shard is not None
    assert [h["orderId"] for h in shard["holds"] if h.get("sold")] == ["a", "b", "late-1"]
    assert counter_free(shard, NOW) == (6, 0)
    other = await counters.counters.find_one({"_id": "e1:ga:1"})
    assert other is not None
    assert [h.get("sold") for h in other["holds"]] == [True]
    # Again (a redelivery): sold already, nothing changes.
    assert await asyncio.gather(counters.sell("e1:ga", "a", 2, NOW)) == [True]
    assert await counters.counters.find_one({"_id": "e1:ga"}) == shard


async def test_folds_that_arrive_together_move_each_sold_entry_into_sold_once(
    counters: CounterStore,
) -> None:
    held = live_hold("c", 4)
    await counters.counters.insert_many(
        [
            {
                **SHARD,
                "sold": 10,
                "holds": [live_hold("a", 2, sold=True), live_hold("b", 3, sold=True), held],
            },
            {
                **SHARD,
                "_id": "e1:ga:1",
                "shard": 1,
                "sold": 0,
                "holds": [live_hold("b", 1, sold=True)],
            },
        ]
    )
    folds = [("e1:ga", "a"), ("e1:ga", "b"), ("e1:ga:1", "b"), ("e1:ga", "c"), ("e1:ga", "x")]

    for _ in range(2):  # the second time, a redelivery: nothing left to fold
        await asyncio.gather(*(counters.fold(shard, order) for shard, order in folds))

        shards = {doc["_id"]: doc async for doc in counters.counters.find()}
        assert (shards["e1:ga"]["sold"], shards["e1:ga"]["holds"]) == (15, [held])
        assert (shards["e1:ga:1"]["sold"], shards["e1:ga:1"]["holds"]) == (1, [])
