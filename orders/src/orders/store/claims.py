"""Where the recovery sweep finds claims (orders.domain.recovery): general-admission
counter entries and held seat or listing units, claimed in a window or held by given
orders — only reads; the releases are the inventory's own.

Counter entries are matched inside the shards' `holds` arrays and only the matching
entries are read back. `holds.claimedAt` is deliberately not indexed: a multikey index
over the hot shards' arrays would be rewritten on every claim (measured here: up to a
quarter fewer claims a second); each claim also stamps the shard's scalar
`lastClaimedAt`, whose index finds the shards to look into. Units are found by
their `claimedAt` index (held units only carry one).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from orders.domain.recovery import Claim, Holding, by_order
from orders.store.counter_expressions import entries_where
from ticketing_common.mongo import Document


def _entries_claimed_between(
    since: datetime, until: datetime, now: datetime
) -> tuple[Document, Document]:
    """Live unsold entries claimed in (since, until]: the shards' `$match` and the
    entries' `$filter`."""
    within: list[Any] = [
        {"$gt": ["$$h.claimedAt", since]},
        {"$lte": ["$$h.claimedAt", until]},
        {"$ne": ["$$h.sold", True]},
        {"$gt": ["$$h.expiresAt", now]},
    ]
    match = {
        "claimedAt": {"$gt": since, "$lte": until},
        "sold": {"$ne": True},
        "expiresAt": {"$gt": now},
    }
    # A shard with an entry claimed in the window was last claimed after `since`: the
    # indexed `lastClaimedAt` finds the shards, the `$elemMatch` and `$filter` the entries.
    shards = {"lastClaimedAt": {"$gt": since}, "holds": {"$elemMatch": match}}
    return {"$match": shards}, entries_where({"$and": within})


class ClaimStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.counters = db["counters"]
        self.units = db["units"]

    async def claimed_between(
        self, since: datetime, until: datetime, now: datetime
    ) -> dict[str, Holding]:
        """What each order holds by live, unsold claims made in (since, until]."""
        match, entries = _entries_claimed_between(since, until, now)
        on_shards = await self._entries([match, {"$project": {"eventId": 1, "holds": entries}}])
        query = {
            "claimedAt": {"$gt": since, "$lte": until},
            "status": "held",
            "holdExpiresAt": {"$gt": now},
        }
        return by_order(on_shards, await self._units(query))

    async def held_by(self, order_ids: list[str], event_ids: list[str]) -> dict[str, Holding]:
        """What these orders (of these events) still hold, sold units aside."""
        mine = {"$and": [{"$in": ["$$h.orderId", order_ids]}, {"$ne": ["$$h.sold", True]}]}
        match = {"eventId": {"$in": event_ids}, "holds.orderId": {"$in": order_ids}}
        on_shards = await self._entries(
            [{"$match": match}, {"$project": {"eventId": 1, "holds": entries_where(mine)}}]
        )
        on_units = await self._units({"orderId": {"$in": order_ids}, "status": "held"})
        return by_order(on_shards, on_units)

    async def _entries(self, pipeline: list[Document]) -> list[Claim]:
        cursor = await self.counters.aggregate(pipeline)
        return [
            Claim(h["orderId"], doc["_id"], int(h["n"]), doc["eventId"])
            async for doc in cursor
            for h in doc["holds"]
        ]

    async def _units(self, query: Document) -> list[Claim]:
        cursor = self.units.find(query, {"orderId": 1, "eventId": 1})
        return [Claim(d["orderId"], d["_id"], 1, d.get("eventId")) async for d in cursor]
