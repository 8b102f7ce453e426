"""Sellable inventory, decided by conditional writes guarded per document (no transactions).

- `counters`: general admission, shard documents of 50 units per type (counters.py).
- `units`: one document per seat or resale listing with `status`, `orderId`,
  `holdExpiresAt` and `claimedAt` (while held); a claim is guarded by "available, or
  held with an expired hold".
Every hold carries its order id and expiry, so a crash mid-way leaves holds that expire.
"""

from __future__ import annotations

from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase

from orders.domain.listing import Listing
from orders.domain.units import listing_unit_id, seat_unit_id
from orders.store.counters import CounterStore
from orders.store.unit_claims import UnitClaim, UnitClaims
from ticketing_common.mongo import Document


def free_unit(now: datetime) -> Document:
    """Available, or held with an expired hold (an available unit has no expiry).

    Written without a top-level `$or`: next to `_id: {$in: ...}` an `$or` made the
    embedded database scan every unit (0.65 s a hold on a 50,000-seat event).
    """
    return {"status": {"$in": ["available", "held"]}, "holdExpiresAt": {"$not": {"$gt": now}}}


HOLDING = ["held", "sold"]
# What the live seat map keeps of a seat, and how many seats a read batch carries.
SEAT_FIELDS = (
    "_id", "seatId", "section", "row", "label", "index", "ticketTypeId",
    "status", "orderId", "holdExpiresAt",
)  # fmt: skip
SEAT_BATCH = 1000
RELEASE = {
    "$set": {"status": "available", "orderId": None, "holdExpiresAt": None},
    "$unset": {"claimedAt": ""},
}


class InventoryStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.ga = CounterStore(db)
        self.units = db["units"]
        self._claims = UnitClaims(self.units, free_unit, self.release_units)

    async def ensure_indexes(self) -> None:
        await self.ga.ensure_indexes()
        await self.units.create_index([("eventId", 1), ("layout", 1)])
        await self.units.create_index("orderId", sparse=True)
        # The recovery sweep's window (store/claims.py): only held units carry `claimedAt`.
        await self.units.create_index("claimedAt", sparse=True)

    # --- seats and listings ------------------------------------------------------------
    async def hold_units(
        self, unit_ids: list[str], order_id: str, expires_at: datetime, now: datetime
    ) -> bool:
        """All or none: claim every unit, or give back the ones this order did claim.
        Concurrent claims share one write (store/unit_claims.py)."""
        return await self._claims.claim(UnitClaim(tuple(unit_ids), order_id, expires_at, now))

    async def release_units(self, unit_ids: list[str], order_id: str) -> None:
        query = {"_id": {"$in": unit_ids}, "orderId": order_id, "status": {"$in": HOLDING}}
        await self.units.update_many(query, RELEASE)

    async def release_orders(self, order_ids: list[str]) -> None:
        """Free every unit these orders hold or bought: one write (by the `orderId` index)."""
        query = {"orderId": {"$in": order_ids}, "status": {"$in": HOLDING}}
        await self.units.update_many(query, RELEASE)

    async def sell_units(self, unit_ids: list[str], order_id: str) -> bool:
        result = await self.units.update_many(
            {"_id": {"$in": unit_ids}, "orderId": order_id, "status": {"$in": ["held", "sold"]}},
            {"$set": {"status": "sold"}, "$unset": {"claimedAt": ""}},
        )
        return result.matched_count == len(unit_ids)

    async def count_free_units(self, unit_ids: list[str], now: datetime) -> int:
        return await self.units.count_documents({"_id": {"$in": unit_ids}, **free_unit(now)})

    async def seats_of_event(self, event_id: str) -> list[Document]:
        """The event's seats in layout order, each with its SEAT_FIELDS. Read whole, in
        batches, and shaped and sorted here: given a projection and a sort, the embedded
        database deep-copied and sorted a 5,000-seat map in one go, 0.2-0.3 s in which
        every other statement waited."""
        query = {"eventId": event_id, "kind": "seat"}
        seats = [doc async for doc in self.units.find(query, batch_size=SEAT_BATCH)]
        seats.sort(key=lambda seat: seat["layout"])
        return [{f: seat[f] for f in SEAT_FIELDS if f in seat} for seat in seats]

    async def counters_of_event(self, event_id: str) -> list[Document]:
        """One document per general-admission type, its shards summed."""
        return await self.ga.counters_of_event(event_id)

    async def seat_types(self, event_id: str, seat_ids: list[str]) -> dict[str, str]:
        """Seat id -> ticket type id, for the seats of the event that exist."""
        ids = [seat_unit_id(event_id, s) for s in seat_ids]
        cursor = self.units.find({"_id": {"$in": ids}}, {"seatId": 1, "ticketTypeId": 1})
        return {doc["seatId"]: doc["ticketTypeId"] async for doc in cursor}

    async def listing(self, ticket_id: str) -> Listing | None:
        doc = await self.units.find_one({"_id": listing_unit_id(ticket_id)})
        if doc is None or doc.get("withdrawn"):
            return None  # a withdrawn listing is gone for buyers
        return Listing(
            id=doc["ticketId"],
            title=doc["title"],
            price=doc["price"],
            currency=doc["currency"],
            seller_id=doc["sellerId"],
        )
