"""Applying catalog events to the inventory: counters and seats of shows, resale listings.

Every write here is idempotent (upserts keyed by id, version-guarded listings, seat
maps diffed against the stored seats — see seat_map.py), so a redelivered or
re-applied event changes nothing twice. Live hold state (`holds`, `status`,
`orderId`) is never overwritten by the catalog: orders owns it.
"""

from __future__ import annotations

from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase

from orders.store.inventory import counter_id, listing_unit_id
from orders.store.seat_map import FREE, SeatMapChanges, SeatMapStore
from ticketing_common.events import EventCreated, EventUpdated, TicketCreated, TicketUpdated
from ticketing_common.mongo import Document


class ReplicaStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.counters = db["counters"]
        self.units = db["units"]
        self.seat_map = SeatMapStore(self.units)

    async def apply_inventory(self, event: EventCreated | EventUpdated) -> SeatMapChanges:
        seated = event.seated_type_ids()
        counter_writes = [
            UpdateOne(
                {"_id": counter_id(event.event_id, t.id)},
                {
                    "$set": {
                        "eventId": event.event_id,
                        "ticketTypeId": t.id,
                        "quantity": t.quantity,
                    },
                    "$setOnInsert": {"sold": 0, "holds": []},
                },
                upsert=True,
            )
            for t in event.ticket_types
            if t.id not in seated
        ]
        if counter_writes:
            await self.counters.bulk_write(counter_writes, ordered=False)
        return await self.seat_map.apply(event.event_id, event.all_seats())

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
