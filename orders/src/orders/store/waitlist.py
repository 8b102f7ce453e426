"""Waiting-list entries <-> documents of the `waitlist` collection; every change is one
write guarded on the entry's status (orders.domain.waitlist has the rules).

`{_id, eventId, ticketTypeId, userId, quantity, status, joinedAt, orderId, offeredAt,
offerExpiresAt, endedAt}`. A unique partial index keeps one open entry (waiting or
offered) per buyer and type. The public holds' gate (`is_waiting`) asks once per group
of holds of a type that arrive together, not once per hold.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from orders.domain.waitlist import OPEN, AlreadyWaiting, WaitlistEntry, WaitlistStatus
from ticketing_common.batching import Coalescer
from ticketing_common.mongo import Document

FIRST_IN_LINE = [("joinedAt", ASCENDING), ("_id", ASCENDING)]
Line = tuple[str, str]


def entry_document(entry: WaitlistEntry) -> Document:
    return {
        "_id": entry.id,
        "eventId": entry.event_id,
        "ticketTypeId": entry.ticket_type_id,
        "userId": entry.user_id,
        "quantity": entry.quantity,
        "status": entry.status,
        "joinedAt": entry.joined_at,
        "orderId": entry.order_id,
        "offeredAt": entry.offered_at,
        "offerExpiresAt": entry.offer_expires_at,
        "endedAt": entry.ended_at,
    }


def entry_from_document(doc: Document) -> WaitlistEntry:
    return WaitlistEntry(
        doc["_id"],
        doc["eventId"],
        doc["ticketTypeId"],
        doc["userId"],
        int(doc["quantity"]),
        doc["status"],
        doc["joinedAt"],
        doc.get("orderId"),
        doc.get("offeredAt"),
        doc.get("offerExpiresAt"),
        doc.get("endedAt"),
    )


class WaitlistStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.entries = db["waitlist"]
        self._gate: Coalescer[Line, bool] = Coalescer(self._lines_waiting)

    async def ensure_indexes(self) -> None:
        await self.entries.create_index(
            [("eventId", 1), ("ticketTypeId", 1), ("status", 1), *FIRST_IN_LINE]
        )
        await self.entries.create_index(
            [("eventId", 1), ("ticketTypeId", 1), ("userId", 1)],
            unique=True,
            partialFilterExpression={"status": {"$in": list(OPEN)}},
            name="one_open_entry_per_buyer",
        )
        await self.entries.create_index([("userId", 1), ("joinedAt", DESCENDING)])
        await self.entries.create_index("orderId")
        await self.entries.create_index([("status", 1), ("offeredAt", 1)])

    async def add(self, entry: WaitlistEntry) -> None:
        try:
            await self.entries.insert_one(entry_document(entry))
        except DuplicateKeyError as error:
            raise AlreadyWaiting() from error

    async def get(self, entry_id: str) -> WaitlistEntry | None:
        doc = await self.entries.find_one({"_id": entry_id})
        return entry_from_document(doc) if doc else None

    async def of_user(self, user_id: str, event_id: str | None) -> list[WaitlistEntry]:
        cursor = self.entries.find({"userId": user_id}).sort("joinedAt", DESCENDING).limit(100)
        found = [entry_from_document(doc) async for doc in cursor]
        return [e for e in found if event_id is None or e.event_id == event_id]

    async def position(self, entry: WaitlistEntry) -> int:
        ahead = {
            **_line(entry.event_id, entry.ticket_type_id),
            "joinedAt": {"$lt": entry.joined_at},
        }
        return await self.entries.count_documents(ahead) + 1

    async def is_waiting(self, event_id: str, type_id: str) -> bool:
        return await self._gate.submit((event_id, type_id))

    async def _lines_waiting(self, lines: list[Line]) -> list[bool]:
        """One read per distinct line in the group, all at once."""
        distinct = list(dict.fromkeys(lines))
        found = await asyncio.gather(
            *(self.entries.find_one(_line(*line), {"_id": 1}) for line in distinct)
        )
        waiting = {line for line, doc in zip(distinct, found, strict=True) if doc is not None}
        return [line in waiting for line in lines]

    async def first_waiting(self, event_id: str, type_id: str) -> WaitlistEntry | None:
        doc = await self.entries.find_one(_line(event_id, type_id), sort=FIRST_IN_LINE)
        return entry_from_document(doc) if doc else None

    async def waiting_lines(self) -> list[Line]:
        pipeline: list[Document] = [
            {"$match": {"status": "waiting"}},
            {"$group": {"_id": {"e": "$eventId", "t": "$ticketTypeId"}}},
        ]
        cursor = await self.entries.aggregate(pipeline)
        return [(doc["_id"]["e"], doc["_id"]["t"]) async for doc in cursor]

    async def mark_offered(self, entry: WaitlistEntry) -> bool:
        offer = {k: v for k, v in entry_document(entry).items() if k in _OFFER_FIELDS}
        result = await self.entries.update_one(
            {"_id": entry.id, "status": "waiting"}, {"$set": offer}
        )
        return result.modified_count == 1

    async def unoffer(self, entry_id: str, order_id: str) -> bool:
        back = {"status": "waiting", **dict.fromkeys(_OFFER_FIELDS - {"status"})}
        result = await self.entries.update_one(
            {"_id": entry_id, "status": "offered", "orderId": order_id}, {"$set": back}
        )
        return result.modified_count == 1

    async def end_offers(self, ended: dict[str, WaitlistStatus], now: datetime) -> None:
        by_status: dict[WaitlistStatus, list[str]] = {}
        for order_id, status in ended.items():
            by_status.setdefault(status, []).append(order_id)
        for status, order_ids in by_status.items():
            await self.entries.update_many(
                {"orderId": {"$in": order_ids}, "status": "offered"},
                {"$set": {"status": status, "endedAt": now}},
            )

    async def leave(self, entry_id: str, user_id: str, now: datetime) -> bool:
        result = await self.entries.update_one(
            {"_id": entry_id, "userId": user_id, "status": "waiting"},
            {"$set": {"status": "left", "endedAt": now}},
        )
        return result.modified_count == 1

    async def close_lines(self, event_id: str, type_ids: list[str] | None, now: datetime) -> None:
        query: dict[str, Any] = {"eventId": event_id, "status": "waiting"}
        if type_ids is not None:
            query["ticketTypeId"] = {"$in": type_ids}
        await self.entries.update_many(query, {"$set": {"status": "closed", "endedAt": now}})

    async def offers_before(self, cutoff: datetime) -> list[WaitlistEntry]:
        # By status only (the index's first field); the time is checked here.
        cursor = self.entries.find({"status": "offered"}).sort("offeredAt", ASCENDING)
        offers = [entry_from_document(doc) async for doc in cursor.limit(500)]
        return [e for e in offers if e.offered_at is not None and e.offered_at < cutoff]


_OFFER_FIELDS = {"status", "orderId", "offeredAt", "offerExpiresAt"}


def _line(event_id: str, type_id: str) -> Document:
    return {"eventId": event_id, "ticketTypeId": type_id, "status": "waiting"}
