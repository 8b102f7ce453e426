"""General-admission counters: K shard documents per type, each a slice of the quantity.

A shard is `{eventId, ticketTypeId, shard, quantity, sold, lastClaimedAt, holds:
[{orderId, n, expiresAt, claimedAt, sold?}]}`. A claim is one conditional write on one
shard: guarded in its update pipeline (quantity - sold - live holds >= n; never a query
`$expr`, which would cost a read of every shard), where "live" is the domain's rule
(orders.domain.counters: sold, or `expiresAt` ahead — an expired hold is free at once)
and, in the same write, the expired unsold entries are dropped, so a shard carries its
live holds only. An order may hold entries on several shards (a split claim); releases
`$pull` its entries from every shard of its types, so they stay idempotent. `claimedAt`
and the shard's `lastClaimedAt` let the recovery sweep find claims whose order was never
recorded (store/claims.py). A paid order's entries are sold, then folded into `sold`,
by store/counter_sales.py.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from orders.domain.counters import (
    HoldEntry,
    ShardClaim,
    TypeRoom,
    counter_free,
    merge_shards,
    take_in_order_expression,
    type_room,
)
from orders.store.counter_expressions import guarded, has_room, live_entries
from orders.store.counter_sales import CounterSales
from ticketing_common.mongo import Document


class CounterStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.counters = db["counters"]
        self._sales = CounterSales(self.counters)

    async def ensure_indexes(self) -> None:
        # Also serves `eventId` alone; an index costs every write of a shard: no twin.
        await self.counters.create_index([("eventId", 1), ("ticketTypeId", 1)])
        with contextlib.suppress(OperationFailure):
            await self.counters.drop_index("eventId_1")
        # The recovery sweep's way in (store/claims.py): one scalar per shard, not the
        # multikey `holds.claimedAt`, which every claim would rewrite.
        await self.counters.create_index("lastClaimedAt", sparse=True)

    async def claim(
        self, shard: str, order_id: str, n: int, expires_at: datetime, now: datetime
    ) -> bool:
        """Take `n` units on one shard, dropping its expired unsold entries in the same write."""
        return await self.claim_all(shard, [HoldEntry(order_id, n, expires_at, now)], now)

    async def claim_all(self, shard: str, entries: list[HoldEntry], now: datetime) -> bool:
        """Group commit, all or none: the entries where the shard has room for them all, in
        one guarded write whose result says if it took them (nothing to read back)."""
        result = await self.counters.update_one(
            {"_id": shard},
            [
                {"$set": {"_room": has_room(sum(e.n for e in entries), now)}},
                guarded(
                    "$_room",
                    "holds",
                    {"$concatArrays": [live_entries(now), [e.document() for e in entries]]},
                ),
                guarded("$_room", "lastClaimedAt", now),
                {"$unset": "_room"},
            ],
        )
        return result.modified_count == 1  # the guard held: the entries were added

    async def claim_many(self, shard: str, entries: list[HoldEntry], now: datetime) -> ShardClaim:
        """Group commit: take the entries in arrival order while the shard has room for each,
        in one guarded write that also drops the expired unsold entries; returns what it
        took and the units left free (read back right after)."""
        # `$map`, not the path `$holds.n`: the embedded database does not expand a path
        # through an array (it read as 0 there, which would have let a shard oversell).
        held = {"$sum": {"$map": {"input": "$holds", "as": "h", "in": "$$h.n"}}}
        free = {"$subtract": ["$quantity", {"$add": ["$sold", held]}]}
        taking = take_in_order_expression("$_free", [e.document() for e in entries])
        pipeline: list[Document] = [
            {"$set": {"holds": live_entries(now)}},
            {"$set": {"_free": free}},
            {"$set": {"_take": taking}},
            {
                "$set": {
                    "holds": {"$concatArrays": ["$holds", "$_take.taken"]},
                    "lastClaimedAt": now,
                }
            },
            {"$unset": ["_free", "_take", "lastClaim"]},
        ]
        # A write, then a read of the shard by its id: what was taken is which of these
        # (new) order ids the shard now holds. Not one findAndModify: the embedded
        # database answers that by reading the whole collection (55 ms at 8,000 shards).
        # No projection (here or in `room_of_type`): it deep-copies every entry kept.
        await self.counters.update_one({"_id": shard}, pipeline)
        doc = await self.counters.find_one({"_id": shard})
        if doc is None:
            return ShardClaim(frozenset(), 0)
        holding = {entry["orderId"] for entry in doc.get("holds", [])}
        taken = frozenset(e.order_id for e in entries if e.order_id in holding)
        return ShardClaim(taken, max(0, counter_free(doc, now)[1]))

    async def free_by_shard(self, event_id: str, type_id: str, now: datetime) -> dict[str, int]:
        return (await self.room_of_type(event_id, type_id, now)).free

    async def room_of_type(self, event_id: str, type_id: str, now: datetime) -> TypeRoom:
        """Free units of each shard of a type, worked out here from the shards' entries:
        the embedded database evaluates an expression over every entry in Python, which
        made this read (a sold-out type's refusals) a quarter of its CPU in a sale
        (bench/RESULTS.md); reading the arrays and applying the domain's rule is cheap."""
        query = {"eventId": event_id, "ticketTypeId": type_id}
        return type_room([doc async for doc in self.counters.find(query)], now)

    async def release_shards(self, shards: list[str], order_id: str) -> None:
        await self.counters.update_many(
            {"_id": {"$in": shards}, "holds.orderId": order_id},
            {"$pull": {"holds": {"orderId": order_id}}},
        )

    async def release(self, event_id: str, type_ids: list[str], order_id: str) -> None:
        await self.counters.update_many(
            {"eventId": event_id, "ticketTypeId": {"$in": type_ids}, "holds.orderId": order_id},
            {"$pull": {"holds": {"orderId": order_id}}},
        )

    async def release_orders(self, event_ids: list[str], order_ids: list[str]) -> None:
        """`release` for many orders at once: one write over the events' shards."""
        await self.counters.update_many(
            {"eventId": {"$in": event_ids}, "holds.orderId": {"$in": order_ids}},
            {"$pull": {"holds": {"orderId": {"$in": order_ids}}}},
        )

    async def entries_of_order(
        self, event_id: str, type_ids: list[str], order_id: str
    ) -> list[tuple[str, str, int]]:
        """(shard, type id, n) of each entry the order still has (pruned ones are gone)."""
        query = {"eventId": event_id, "ticketTypeId": {"$in": type_ids}, "holds.orderId": order_id}
        found = []
        async for doc in self.counters.find(query):
            for entry in doc["holds"]:
                if entry["orderId"] == order_id:
                    found.append((doc["_id"], doc["ticketTypeId"], int(entry["n"])))
        return found

    async def sell(self, shard: str, order_id: str, n: int, now: datetime) -> bool:
        """Mark the order's entry sold (store/counter_sales.py)."""
        return await self._sales.sell(shard, order_id, n, now)

    async def fold(self, shard: str, order_id: str) -> None:
        """Move a sold entry into the shard's `sold` counter (store/counter_sales.py)."""
        await self._sales.fold(shard, order_id)

    async def shards_of_type(self, event_id: str, type_id: str) -> list[Document]:
        cursor = self.counters.find({"eventId": event_id, "ticketTypeId": type_id})
        return [doc async for doc in cursor.sort("shard", 1)]

    async def counters_of_event(self, event_id: str) -> list[Document]:
        return merge_shards([doc async for doc in self.counters.find({"eventId": event_id})])

    async def set_quantity(self, shard: str, old: int, new: int, guard: Document | None) -> bool:
        """Move a shard's slice from `old` to `new`, if unchanged since read (and `guard`)."""
        query = {"_id": shard, "quantity": old}
        if guard is None:
            result = await self.counters.update_one(query, {"$set": {"quantity": new}})
        else:
            result = await self.counters.update_one(
                query, [guarded(guard["$expr"], "quantity", new)]
            )
        return result.modified_count == 1
