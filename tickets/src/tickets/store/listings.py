"""Resale listings in the `tickets` collection."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING

from ticketing_common.mongo import Document
from tickets.domain.listings import Listing
from tickets.store.sessions import MongoStore

# Newest first; `_id` breaks ties so pages never repeat or skip a listing.
NEWEST_FIRST = [("createdAt", DESCENDING), ("_id", DESCENDING)]


def to_document(listing: Listing) -> Document:
    return {
        "_id": listing.id,
        "title": listing.title,
        "price": listing.price,
        "currency": listing.currency,
        "userId": listing.user_id,
        "version": listing.version,
        "orderId": listing.order_id,
        "sold": listing.sold,
        "createdAt": listing.created_at,
        "withdrawn": listing.withdrawn,
    }


def from_document(doc: Document) -> Listing:
    return Listing(
        id=doc["_id"],
        title=doc["title"],
        price=doc["price"],
        user_id=doc["userId"],
        version=doc["version"],
        order_id=doc.get("orderId"),
        sold=doc.get("sold", False),
        currency=doc.get("currency", "usd"),
        created_at=doc.get("createdAt"),
        withdrawn=doc.get("withdrawn", False),
    )


class ListingStore(MongoStore):
    collection_name = "tickets"

    async def ensure_indexes(self) -> None:
        # The public list: unlocked listings, newest first.
        await self.collection.create_index([("orderId", ASCENDING), *NEWEST_FIRST])
        await self.collection.create_index("userId")

    async def insert(self, listing: Listing) -> None:
        await self.collection.insert_one(to_document(listing), session=self.session)

    async def get(self, listing_id: str) -> Listing | None:
        doc = await self.collection.find_one({"_id": listing_id}, session=self.session)
        return from_document(doc) if doc else None

    async def replace_if_version(self, listing: Listing, previous_version: int) -> bool:
        """Write `listing` only if the stored one still has `previous_version`; False when
        someone else (a seller's edit, an order's lock) got there first."""
        result = await self.collection.replace_one(
            {"_id": listing.id, "version": previous_version},
            to_document(listing),
            session=self.session,
        )
        return result.matched_count == 1

    async def list_available(self, skip: int, limit: int) -> tuple[list[Listing], int]:
        query: dict[str, Any] = {"orderId": None, "withdrawn": {"$ne": True}}
        total = await self.collection.count_documents(query)
        cursor = self.collection.find(query).sort(NEWEST_FIRST).skip(skip).limit(limit)
        return [from_document(doc) async for doc in cursor], total
