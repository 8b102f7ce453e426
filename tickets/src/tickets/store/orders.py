"""The catalog's record of each order it heard about (`order_records`), one document per order."""

from __future__ import annotations

from collections.abc import Collection

from pymongo import ReplaceOne

from ticketing_common.mongo import Document
from tickets.domain.sales import OrderLine, OrderRecord
from tickets.store.sessions import MongoStore


def to_document(record: OrderRecord) -> Document:
    return {
        "_id": record.order_id,
        "state": record.state,
        "eventId": record.event_id,
        "ticketId": record.ticket_id,
        "ticketPrice": record.ticket_price,
        "lines": [
            {
                "ticketTypeId": line.ticket_type_id,
                "quantity": line.quantity,
                "unitPrice": line.unit_price,
                "seatId": line.seat_id,
                "discount": line.discount,
                "taxAmount": line.tax_amount,
                "taxIncluded": line.tax_included,
            }
            for line in record.lines
        ],
        "expiresAt": record.expires_at,
        "completedAt": record.completed_at,
    }


def from_document(doc: Document) -> OrderRecord:
    return OrderRecord(
        order_id=doc["_id"],
        state=doc["state"],
        event_id=doc.get("eventId"),
        ticket_id=doc.get("ticketId"),
        ticket_price=doc.get("ticketPrice"),
        lines=tuple(
            OrderLine(
                line["ticketTypeId"],
                line["quantity"],
                line["unitPrice"],
                line["seatId"],
                line.get("discount", 0),
                line.get("taxAmount", 0),
                line.get("taxIncluded", True),
            )
            for line in doc.get("lines", [])
        ),
        expires_at=doc.get("expiresAt"),
        completed_at=doc.get("completedAt"),
    )


class OrderRecordStore(MongoStore):
    collection_name = "order_records"

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("eventId", sparse=True)

    async def get(self, order_id: str) -> OrderRecord | None:
        doc = await self.collection.find_one({"_id": order_id}, session=self.session)
        return from_document(doc) if doc else None

    async def save(self, record: OrderRecord) -> None:
        await self.collection.replace_one(
            {"_id": record.order_id}, to_document(record), upsert=True, session=self.session
        )

    async def get_many(self, order_ids: list[str]) -> dict[str, OrderRecord]:
        cursor = self.collection.find({"_id": {"$in": order_ids}}, session=self.session)
        return {doc["_id"]: from_document(doc) async for doc in cursor}

    async def save_many(self, records: list[OrderRecord], stored: Collection[str]) -> None:
        # New records in one insert: the embedded database inserts a document for a
        # quarter of what an upsert costs it (a sale's holds are all new).
        new = [to_document(r) for r in records if r.order_id not in stored]
        if new:
            await self.collection.insert_many(new, ordered=False, session=self.session)
        writes = [
            ReplaceOne({"_id": r.order_id}, to_document(r), upsert=True)
            for r in records
            if r.order_id in stored
        ]
        if writes:
            await self.collection.bulk_write(writes, ordered=False, session=self.session)

    async def for_event(self, event_id: str) -> list[OrderRecord]:
        """Every live, completed or refunded order of a show; cancelled ones add nothing."""
        query = {"eventId": event_id, "state": {"$in": ["created", "completed", "refunded"]}}
        return [from_document(doc) async for doc in self.collection.find(query)]
