"""The replica of shows (`catalog_events`) read on every hold."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from orders.domain.holds import EventInfo, TicketType
from ticketing_common.events import EventCreated, EventUpdated, TicketTypeDefinition
from ticketing_common.mongo import Document


def _ticket_type_document(ticket_type: TicketTypeDefinition, seated: bool, shards: int) -> Document:
    return {
        "id": ticket_type.id,
        "name": ticket_type.name,
        "price": ticket_type.price,
        "quantity": ticket_type.quantity,
        "maxPerOrder": ticket_type.max_per_order,
        "seated": seated,
        "shards": shards,
        "taxRateBp": ticket_type.tax_rate_bp,
        "taxIncluded": ticket_type.tax_included,
        "hidden": ticket_type.hidden,
    }


def _event_document(event: EventCreated | EventUpdated, shards: dict[str, int]) -> Document:
    seated = event.seated_type_ids()
    return {
        "organizerId": event.organizer_id,
        "name": event.name,
        "startsAt": event.starts_at,
        "endsAt": event.ends_at,
        "holdMinutes": event.hold_minutes,
        "currency": event.currency,
        "status": event.status,
        "version": event.version,
        "ticketTypes": [
            _ticket_type_document(t, t.id in seated, shards.get(t.id, 1))
            for t in event.ticket_types
        ],
    }


def event_from_document(doc: Document) -> EventInfo:
    return EventInfo(
        id=doc["_id"],
        organizer_id=doc["organizerId"],
        name=doc["name"],
        starts_at=doc["startsAt"],
        ends_at=doc["endsAt"],
        hold_minutes=doc["holdMinutes"],
        currency=doc["currency"],
        status=doc["status"],
        version=doc["version"],
        ticket_types=[
            TicketType(
                id=t["id"],
                name=t["name"],
                price=t["price"],
                quantity=t["quantity"],
                max_per_order=t["maxPerOrder"],
                seated=t["seated"],
                shards=t.get("shards", 1),
                tax_rate_bp=t.get("taxRateBp", 0),
                tax_included=t.get("taxIncluded", True),
                hidden=t.get("hidden", False),
            )
            for t in doc["ticketTypes"]
        ],
    )


class CatalogStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.events = db["catalog_events"]

    async def event(self, event_id: str) -> EventInfo | None:
        doc = await self.events.find_one({"_id": event_id})
        return event_from_document(doc) if doc else None

    async def version_of(self, event_id: str) -> int | None:
        doc = await self.events.find_one({"_id": event_id}, {"version": 1})
        return int(doc["version"]) if doc else None

    async def save_event(self, event: EventCreated | EventUpdated, shards: dict[str, int]) -> bool:
        """Write the definition (with each type's shard count) unless a newer version got
        there first."""
        body = _event_document(event, shards)
        query: dict[str, Any] = {"_id": event.event_id, "version": {"$lt": event.version}}
        result = await self.events.update_one(query, {"$set": body})
        if result.matched_count:
            return True
        if await self.version_of(event.event_id) is not None:
            return False
        await self.events.update_one({"_id": event.event_id}, {"$setOnInsert": body}, upsert=True)
        return True
