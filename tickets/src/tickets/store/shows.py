"""Events (shows) in the `events` collection, and the search over them."""

from __future__ import annotations

from pymongo import ASCENDING

from ticketing_common.mongo import Document
from tickets.domain.drafts import Venue
from tickets.domain.seating import SeatRow, Section
from tickets.domain.shows import Show
from tickets.domain.ticket_types import TicketType
from tickets.store.sessions import MongoStore
from tickets.store.shows_query import ShowQuery

BY_START = [("startsAt", ASCENDING), ("_id", ASCENDING)]
# The search terms are an index aid, never part of an answer.
WITHOUT_TERMS = {"searchTerms": 0}
# Document key -> TicketType attribute: one table read both ways.
TICKET_TYPE_KEYS = {
    "id": "id",
    "name": "name",
    "price": "price",
    "quantity": "quantity",
    "maxPerOrder": "max_per_order",
    # Added later: older documents have no tax and no hidden types (the defaults).
    "taxRateBp": "tax_rate_bp",
    "taxIncluded": "tax_included",
    "hidden": "hidden",
}


def to_document(show: Show) -> Document:
    return {
        "_id": show.id,
        "organizerId": show.organizer_id,
        "name": show.name,
        "description": show.description,
        "category": show.category,
        "venue": {"name": show.venue.name, "address": show.venue.address},
        "startsAt": show.starts_at,
        "endsAt": show.ends_at,
        "holdMinutes": show.hold_minutes,
        "currency": show.currency,
        "status": show.status,
        "version": show.version,
        "ticketTypes": [
            {key: getattr(t, attribute) for key, attribute in TICKET_TYPE_KEYS.items()}
            for t in show.ticket_types
        ],
        "sections": [
            {
                "name": s.name,
                "rows": [
                    {
                        "label": r.label,
                        "seats": list(r.seat_labels),
                        "ticketTypeId": r.ticket_type_id,
                    }
                    for r in s.rows
                ],
            }
            for s in show.sections
        ],
        "searchTerms": show.search_terms(),
        "createdAt": show.created_at,
    }


def from_document(doc: Document) -> Show:
    return Show(
        id=doc["_id"],
        organizer_id=doc["organizerId"],
        name=doc["name"],
        description=doc.get("description", ""),
        category=doc["category"],
        venue=Venue(doc["venue"]["name"], doc["venue"]["address"]),
        starts_at=doc["startsAt"],
        ends_at=doc["endsAt"],
        hold_minutes=doc["holdMinutes"],
        currency=doc["currency"],
        ticket_types=tuple(
            TicketType(**{a: t[key] for key, a in TICKET_TYPE_KEYS.items() if key in t})
            for t in doc["ticketTypes"]
        ),
        sections=tuple(
            Section(
                s["name"],
                tuple(SeatRow(r["label"], tuple(r["seats"]), r["ticketTypeId"]) for r in s["rows"]),
            )
            for s in doc.get("sections", [])
        ),
        status=doc["status"],
        version=doc["version"],
        created_at=doc.get("createdAt"),
    )


class ShowStore(MongoStore):
    collection_name = "events"

    async def ensure_indexes(self) -> None:
        # One index per way in: the default listing, search words, category, organizer.
        await self.collection.create_index([("status", ASCENDING), *BY_START])
        await self.collection.create_index([("searchTerms", ASCENDING), ("startsAt", ASCENDING)])
        await self.collection.create_index([("category", ASCENDING), ("startsAt", ASCENDING)])
        await self.collection.create_index([("organizerId", ASCENDING), ("startsAt", ASCENDING)])

    async def insert(self, show: Show) -> None:
        await self.collection.insert_one(to_document(show), session=self.session)

    async def insert_many(self, shows: list[Show]) -> None:
        """Bulk load (seeding, benchmarks): no events are published."""
        await self.collection.insert_many([to_document(show) for show in shows], ordered=False)

    async def get(self, show_id: str) -> Show | None:
        doc = await self.collection.find_one({"_id": show_id}, WITHOUT_TERMS, session=self.session)
        return from_document(doc) if doc else None

    async def replace_if_version(self, show: Show, previous_version: int) -> bool:
        result = await self.collection.replace_one(
            {"_id": show.id, "version": previous_version}, to_document(show), session=self.session
        )
        return result.matched_count == 1

    async def get_many(self, show_ids: list[str]) -> list[Show]:
        """Shows in the order of `show_ids` (a page found by the in-memory index)."""
        cursor = self.collection.find({"_id": {"$in": show_ids}}, WITHOUT_TERMS)
        found = {doc["_id"]: from_document(doc) async for doc in cursor}
        return [found[i] for i in show_ids if i in found]

    async def all_shows(self) -> list[Show]:
        return [from_document(doc) async for doc in self.collection.find({}, WITHOUT_TERMS)]

    async def search(self, query: ShowQuery, skip: int, limit: int) -> tuple[list[Show], int]:
        """The search as one indexed query (real MongoDB); see search_index.py."""
        flt = query.filter()
        cursor = self.collection.find(flt, WITHOUT_TERMS).sort(BY_START).skip(skip).limit(limit)
        shows = [from_document(doc) async for doc in cursor]
        total = await self.collection.count_documents(flt)
        return shows, total
