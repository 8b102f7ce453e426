"""What notifications knows of others' data: buyers' addresses, shows, listings, orders.

Shows and listings are written newest version first (a repeat or an older version
changes nothing), as in the other services' replicas. Users are written once per
`user.created`; cancelled orders are written by the cancellation's own listener, in
its transaction, so a refund that follows finds who to tell and why.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from notifications.domain.show import Show
from ticketing_common.events import CancelReason
from ticketing_common.mongo import Document

Session = AsyncClientSession | None


@dataclass(frozen=True)
class CancelledOrder:
    user_id: str
    show_name_source: tuple[str | None, str | None]  # (event id, listing id)
    reason: CancelReason


class MongoReplicas:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.users = db["users"]
        self.shows = db["shows"]
        self.listings = db["listings"]
        self.orders = db["cancelled_orders"]

    async def save_user(self, user_id: str, email: str) -> None:
        await self.users.update_one({"_id": user_id}, {"$set": {"email": email}}, upsert=True)

    async def email_of(self, user_id: str, session: Session = None) -> str | None:
        doc = await self.users.find_one({"_id": user_id}, session=session)
        return None if doc is None else str(doc["email"])

    async def apply_show(self, event_id: str, version: int, show: Show) -> None:
        fields = {
            "name": show.name,
            "startsAt": show.starts_at,
            "venue": show.venue,
            # A list, not a map: a type id is data, never a field name.
            "types": [{"id": k, "name": v} for k, v in show.type_names.items()],
        }
        await _newest(self.shows, event_id, version, fields)

    async def show(self, event_id: str, session: Session = None) -> Show | None:
        doc = await self.shows.find_one({"_id": event_id}, session=session)
        if doc is None:
            return None
        names = {t["id"]: t["name"] for t in doc.get("types", [])}
        return Show(doc["name"], doc.get("startsAt"), doc.get("venue"), names)

    async def apply_listing(self, ticket_id: str, version: int, title: str) -> None:
        await _newest(self.listings, ticket_id, version, {"title": title})

    async def listing_title(self, ticket_id: str, session: Session = None) -> str | None:
        doc = await self.listings.find_one({"_id": ticket_id}, session=session)
        return None if doc is None else str(doc["title"])

    async def save_cancelled(
        self, order_id: str, order: CancelledOrder, session: Session = None
    ) -> None:
        event_id, listing_id = order.show_name_source
        fields = {
            "userId": order.user_id,
            "eventId": event_id,
            "listingId": listing_id,
            "reason": order.reason,
        }
        await self.orders.update_one(
            {"_id": order_id}, {"$set": fields}, upsert=True, session=session
        )

    async def cancelled(self, order_id: str, session: Session = None) -> CancelledOrder | None:
        doc = await self.orders.find_one({"_id": order_id}, session=session)
        if doc is None:
            return None
        source = (doc.get("eventId"), doc.get("listingId"))
        return CancelledOrder(doc["userId"], source, doc["reason"])


async def _newest(
    collection: AsyncCollection[Document], doc_id: str, version: int, fields: Document
) -> None:
    # A duplicate key: the replica already holds this version or a newer one.
    with contextlib.suppress(DuplicateKeyError):
        await collection.update_one(
            {"_id": doc_id, "version": {"$lt": version}},
            {"$set": {**fields, "version": version}},
            upsert=True,
        )
