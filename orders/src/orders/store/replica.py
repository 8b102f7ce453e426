"""Applying catalog events to the inventory: counters and seats of shows, resale listings.

A general-admission type gets its counter shards when it first appears (domain/shards.py);
a changed quantity moves the slices with guarded writes, never the holds inside them.

Every write here is idempotent (upserts keyed by id, version-guarded listings, seat
maps diffed against the stored seats — see seat_map.py), so a redelivered or
re-applied event changes nothing twice. Live hold state (`holds`, `status`,
`orderId`) is never overwritten by the catalog: orders owns it.
"""

from __future__ import annotations

from datetime import datetime

from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase

from orders.domain.counters import counter_free
from orders.domain.holds import SeatMapChanges
from orders.domain.shards import rebalance, shard_count, shard_id
from orders.domain.units import listing_unit_id
from orders.store.counter_expressions import free_at_least
from orders.store.counters import CounterStore
from orders.store.inventory import free_unit
from orders.store.seat_map import FREE, SeatMapStore
from ticketing_common.events import (
    EventCreated,
    EventUpdated,
    TicketCancelled,
    TicketCreated,
    TicketUpdated,
    utc_now,
)
from ticketing_common.mongo import Document

REBALANCE_ATTEMPTS = 10
# A withdrawn listing's unit once no order holds it: no hold matches it ever again.
WITHDRAWN = "withdrawn"


class ReplicaStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.counters = db["counters"]
        self.ga = CounterStore(db)
        self.units = db["units"]
        self.seat_map = SeatMapStore(self.units)

    async def apply_inventory(self, event: EventCreated | EventUpdated) -> SeatMapChanges:
        return await self.seat_map.apply(event.event_id, event.all_seats())

    async def apply_counters(self, event: EventCreated | EventUpdated) -> dict[str, int]:
        """Shard and slice each general-admission type → its shard count, by type id."""
        seated = event.seated_type_ids()
        return {
            t.id: await self._apply_type(event.event_id, t.id, t.quantity)
            for t in event.ticket_types
            if t.id not in seated
        }

    async def _apply_type(self, event_id: str, type_id: str, quantity: int) -> int:
        existing = await self.ga.shards_of_type(event_id, type_id)
        # Never fewer shards than the type has: they hold sold and held units.
        count = max(len(existing), shard_count(quantity))
        if count > len(existing):
            created = [
                UpdateOne(
                    {"_id": shard_id(event_id, type_id, k)},
                    {
                        "$set": {"eventId": event_id, "ticketTypeId": type_id, "shard": k},
                        "$setOnInsert": {"quantity": 0, "sold": 0, "holds": []},
                    },
                    upsert=True,
                )
                for k in range(count)
            ]
            await self.counters.bulk_write(created, ordered=False)
        for _ in range(REBALANCE_ATTEMPTS):
            if await self._rebalance(event_id, type_id, quantity):
                return count
        raise RuntimeError(f"slices of {event_id}:{type_id} kept changing")  # retried later

    async def _rebalance(self, event_id: str, type_id: str, quantity: int) -> bool:
        """Move slices towards `quantity`: cuts first (each guarded by the room it
        removes), then additions, so the slices never sum above the new quantity."""
        now = utc_now()
        docs = await self.ga.shards_of_type(event_id, type_id)
        taken = [doc["quantity"] - counter_free(doc, now)[1] for doc in docs]
        slices = rebalance([doc["quantity"] for doc in docs], taken, quantity)
        moves = sorted(zip(docs, slices, taken, strict=True), key=lambda m: m[1] - m[0]["quantity"])
        for doc, new, used in moves:
            old = doc["quantity"]
            if new == old:
                continue
            # A cut below what is taken (quantity under sold + held) cannot be guarded.
            guard = free_at_least(old - new, now) if used <= new < old else None
            if not await self.ga.set_quantity(doc["_id"], old, new, guard):
                return False
        return True

    async def apply_listing(self, event: TicketCreated | TicketUpdated) -> None:
        """Insert a new listing, or reprice it when this is its next version."""
        body = {
            "kind": "listing",
            "ticketId": event.ticket_id,
            "title": event.title,
            "price": event.price,
            "currency": event.currency,
            "sellerId": event.user_id,
            "version": event.version,
        }
        unit = listing_unit_id(event.ticket_id)
        result = await self.units.update_one(
            {"_id": unit, "version": {"$lt": event.version}}, {"$set": body}
        )
        if not result.matched_count:
            await self.units.update_one(
                {"_id": unit}, {"$setOnInsert": {**body, **FREE}}, upsert=True
            )

    async def listing_version(self, ticket_id: str) -> int | None:
        doc = await self.units.find_one({"_id": listing_unit_id(ticket_id)}, {"version": 1})
        return int(doc["version"]) if doc else None

    async def withdraw_listing(self, event: TicketCancelled) -> None:
        """Flag the listing withdrawn at this version: holds are refused from now on."""
        await self.units.update_one(
            {"_id": listing_unit_id(event.ticket_id), "version": {"$lt": event.version}},
            {"$set": {"withdrawn": True, "version": event.version}},
        )

    async def retire_listing(self, ticket_id: str, now: datetime) -> str | None:
        """Take a withdrawn listing off sale for good if nothing holds it (free, or held
        with an expired hold) → None; else the id of the order holding it."""
        unit = listing_unit_id(ticket_id)
        retire = {"status": WITHDRAWN, "orderId": None, "holdExpiresAt": None}
        result = await self.units.update_one(
            {"_id": unit, "withdrawn": True, **free_unit(now)},
            {"$set": retire, "$unset": {"claimedAt": ""}},
        )
        if result.matched_count:
            return None
        doc = await self.units.find_one({"_id": unit}, {"status": 1, "orderId": 1})
        if doc is None or doc.get("status") == WITHDRAWN:
            return None
        holder = doc.get("orderId")
        return str(holder) if holder else None
