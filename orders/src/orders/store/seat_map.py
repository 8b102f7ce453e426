"""Bringing an event's seat units in line with its published seat map, in few round-trips.

A stadium has up to 100,000 seats, and the embedded database manages a few hundred
single updates a second, so a seat map is never applied as one upsert per seat: the
event's seat units are read once, new seats go in with chunked unordered
`insert_many`, only seats whose definition changed are updated, and removed seats
go in one `delete_many`. Re-applying the same map (a redelivered event) finds
nothing to do; a duplicate key from a racing apply means the seat is already there.
Live hold state (`status`, `orderId`, `holdExpiresAt`) is only set on insert.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from orders.domain.holds import SeatMapChanges
from orders.domain.units import seat_unit_id
from ticketing_common.events import SeatDefinition
from ticketing_common.mongo import Document, duplicate_writes

FREE = {"status": "available", "orderId": None, "holdExpiresAt": None}
DEFINITION_FIELDS = ("seatId", "section", "row", "label", "index", "ticketTypeId", "layout")
CHUNK = 5_000
T = TypeVar("T")


def seat_definition(event_id: str, seat: SeatDefinition, layout: int) -> Document:
    """The catalog-owned fields of a seat unit; `layout` is the seat's place in the map."""
    return {
        "kind": "seat",
        "eventId": event_id,
        "seatId": seat.id,
        "section": seat.section,
        "row": seat.row,
        "label": seat.label,
        "index": seat.index,
        "ticketTypeId": seat.ticket_type_id,
        "layout": layout,
    }


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SeatMapStore:
    def __init__(self, units: AsyncCollection[Document]) -> None:
        self.units = units

    async def apply(self, event_id: str, seats: list[SeatDefinition]) -> SeatMapChanges:
        wanted = {
            seat_unit_id(event_id, seat.id): seat_definition(event_id, seat, layout)
            for layout, seat in enumerate(seats)
        }
        projection = dict.fromkeys(DEFINITION_FIELDS, 1)
        existing = {
            doc["_id"]: doc
            async for doc in self.units.find({"eventId": event_id, "kind": "seat"}, projection)
        }
        new = [
            {"_id": unit, **body, **FREE} for unit, body in wanted.items() if unit not in existing
        ]
        changed = [
            UpdateOne({"_id": unit}, {"$set": body})
            for unit, body in wanted.items()
            if unit in existing and any(existing[unit].get(f) != body[f] for f in DEFINITION_FIELDS)
        ]
        removed = [unit for unit in existing if unit not in wanted]
        for batch in chunks(new):
            await self._insert(batch)
        for updates in chunks(changed):
            await self.units.bulk_write(list(updates), ordered=False)
        if removed:
            # A seat the organizer removed goes only while nobody holds or bought it.
            await self.units.delete_many({"_id": {"$in": removed}, "status": "available"})
        return SeatMapChanges(len(new), len(changed), len(removed))

    async def _insert(self, batch: Sequence[Document]) -> None:
        try:
            await self.units.insert_many(list(batch), ordered=False)
        except BulkWriteError as exc:
            duplicate_writes(exc)  # seats already there (a repeated definition) stay as they are
