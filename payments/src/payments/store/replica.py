"""The orders replica behind the `OrderReplicas` port: what payments knows of each order.

Each order event carries the whole order, so the newest version is the truth: a
write is guarded by the version (newest wins, a repeat or an older one changes
nothing) and a skipped intermediate version loses nothing.
"""

from __future__ import annotations

from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from payments.domain import OrderReplica
from payments.ports import ReplicaChange
from ticketing_common.mongo import Document, duplicate_writes


def replica_of(doc: Document) -> OrderReplica:
    """The order as stored (the in-memory replica of the unit tests reads it the same way)."""
    return OrderReplica(
        id=doc["_id"],
        user_id=doc["userId"],
        status=doc["status"],
        amount=doc["amount"],
        currency=doc["currency"],
        version=doc["version"],
        expires_at=doc.get("expiresAt"),
        cancel_reason=doc.get("cancelReason"),
    )


class MongoOrderReplicas:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.orders = db["orders"]

    async def apply(self, order_id: str, version: int, fields: dict[str, Any]) -> bool:
        try:
            await self.orders.update_one(
                {"_id": order_id, "version": {"$lt": version}},
                {"$set": {**fields, "version": version}},
                upsert=True,
            )
        except DuplicateKeyError:
            return False  # the replica already holds this version or a newer one
        return True

    async def apply_many(self, changes: list[ReplicaChange]) -> None:
        writes = [
            UpdateOne(
                {"_id": order_id, "version": {"$lt": version}},
                {"$set": {**fields, "version": version}},
                upsert=True,
            )
            for order_id, version, fields in changes
        ]
        if not writes:
            return
        try:
            await self.orders.bulk_write(writes, ordered=True)
        except BulkWriteError as error:
            # A duplicate key is a version already there (see `apply`): go on after it.
            done = min(duplicate_writes(error), default=len(changes) - 1) + 1
            await self.apply_many(changes[done:])

    async def add_many(self, changes: list[ReplicaChange]) -> None:
        """One insert of the orders' first versions: the embedded database inserts a
        document for a quarter of what a guarded upsert costs it. An order already stored
        (a redelivered batch, a later event that came first) and any later version in
        the batch go through `apply_many`'s guarded writes."""
        firsts: dict[str, ReplicaChange] = {}
        later: list[ReplicaChange] = []
        for change in changes:
            if change[0] in firsts:
                later.append(change)
            else:
                firsts[change[0]] = change
        docs = [{"_id": i, **fields, "version": v} for i, v, fields in firsts.values()]
        if not docs:
            return
        stored: set[str] = set()
        try:
            await self.orders.insert_many(docs, ordered=False)
        except BulkWriteError as error:
            stored = {docs[index]["_id"] for index in duplicate_writes(error)}
        await self.apply_many([firsts[i] for i in firsts if i in stored] + later)

    async def get(self, order_id: str) -> OrderReplica | None:
        doc = await self.orders.find_one({"_id": order_id})
        return None if doc is None else replica_of(doc)

    async def cancelled_among(self, order_ids: list[str]) -> set[str]:
        if not order_ids:
            return set()
        query = {"_id": {"$in": order_ids}, "status": "cancelled"}
        return {doc["_id"] async for doc in self.orders.find(query, {"_id": 1})}
