"""Order documents <-> domain orders; each state change is one conditional write.

No multi-document transaction on the hold path: a new order's events are recorded just
before it, under its id (`creations`: ticketing_common.creations), and a change's events
ride in the order document itself (`pending_events_update`); the embedded outbox relay
publishes both.

The collection also holds the recovery sweep's fences (orders.domain.recovery):
`{_id: orderId, status: "abandoned", abandonedAt}`, taking the id of an order never
recorded. They are no orders: `get` skips them, and every other query asks for a field
only orders have (`userId`, `eventId`, `tickets`, `version`, `cancelledAt`,
`pendingEvents`), so none matches one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

from orders.domain.errors import OrderIdTaken
from orders.domain.order import PENDING, Order
from orders.domain.recovery import ABANDONED
from orders.store.buyer_holdings import BuyerHoldings
from orders.store.order_changes import OrderChange, changes_pipeline, unchanged_query
from orders.store.order_documents import order_document, order_from_document
from ticketing_common.batching import Coalescer
from ticketing_common.creations import Creations
from ticketing_common.events import Event
from ticketing_common.failpoints import crash_here
from ticketing_common.mongo import DUPLICATE_KEY, Document, duplicate_writes
from ticketing_common.outbox import pending_events_update

# A fence outlives by far any hold that could still try to record its order.
FENCE_SECONDS = 24 * 3600


class OrderStore:
    def __init__(self, db: AsyncDatabase[Document], fence_after: float = 10.0) -> None:
        self.orders = db["orders"]
        # A record whose order has not come `fence_after` seconds on is fenced off.
        self.creations = Creations(db["creations"], self, fence_after)
        # New orders that arrive together are inserted together (one round trip).
        self._inserts: Coalescer[Document, None] = Coalescer(self._insert_many)
        self._holdings = BuyerHoldings(self.orders)

    async def ensure_indexes(self) -> None:
        await self.orders.create_index([("userId", 1), ("createdAt", DESCENDING)])
        await self.orders.create_index("tickets.id", sparse=True)
        await self.orders.create_index([("eventId", 1), ("status", 1)])
        # A buyer's orders of one event (the per-buyer cap): event first, so a read for
        # many buyers (`userId: {$in}`) is served by both fields; `(userId, eventId)` was
        # served by the buyers alone, every order they ever made read and filtered.
        await self.orders.create_index([("eventId", 1), ("userId", 1)])
        with contextlib.suppress(OperationFailure):  # a store made before the change
            await self.orders.drop_index("userId_1_eventId_1")
        await self.orders.create_index("cancelledAt", sparse=True)
        await self.orders.create_index("abandonedAt", sparse=True, expireAfterSeconds=FENCE_SECONDS)

    async def insert(self, order: Order, *events: Event) -> None:
        """Record a new order with its events; `OrderIdTaken` if the recovery sweep (or
        the relay) fenced its id first."""
        if events:
            await self.record_events(order.id, events)
        crash_here("orders.hold.after_record")
        try:
            await self._inserts.submit(order_document(order))
        except DuplicateKeyError as error:
            if await self._is_fence(order.id):
                raise OrderIdTaken(order.id) from error
            # Else it is this very order: the driver retried an insert that went through.

    async def record_events(self, order_id: str, events: Sequence[Event]) -> None:
        await self.creations.record(order_id, events)

    async def forget_events(self, order_id: str) -> None:
        await self.creations.delete([order_id])

    async def _insert_many(self, documents: list[Document]) -> list[BaseException | None]:
        """Insert a group of new orders; each caller learns of its own duplicate id."""
        try:
            await self.orders.insert_many(documents, ordered=False)
        except BulkWriteError as error:
            failed = duplicate_writes(error)
            return [
                DuplicateKeyError(failed[i]["errmsg"], DUPLICATE_KEY) if i in failed else None
                for i in range(len(documents))
            ]
        return [None] * len(documents)

    async def get(self, order_id: str) -> Order | None:
        query = {"_id": order_id, "status": {"$ne": ABANDONED}}
        doc = await self.orders.find_one(query, {"pendingEvents": 0})
        return order_from_document(doc) if doc else None

    async def fence(self, order_id: str, now: datetime) -> bool:
        """Take the id of an order never recorded → True if it is fenced (by this call or an
        earlier one), False if the order was recorded after all."""
        try:
            await self.orders.insert_one({"_id": order_id, "status": ABANDONED, "abandonedAt": now})
            return True
        except DuplicateKeyError:
            return await self._is_fence(order_id)

    async def _is_fence(self, order_id: str) -> bool:
        fence = await self.orders.find_one({"_id": order_id, "status": ABANDONED}, {"_id": 1})
        return fence is not None

    async def recorded(self, order_ids: list[str]) -> dict[str, bool]:
        """Each id stored: True for an order, False for a fence (creations.Fences)."""
        return {i: status != ABANDONED for i, status in (await self.statuses(order_ids)).items()}

    async def statuses(self, order_ids: list[str]) -> dict[str, str]:
        """The status of each of these ids that is stored (a fence's is "abandoned")."""
        cursor = self.orders.find({"_id": {"$in": order_ids}}, {"status": 1})
        return {doc["_id"]: doc["status"] async for doc in cursor}

    async def cancelled_between(self, since: datetime, until: datetime) -> dict[str, str | None]:
        """Orders cancelled in (since, until] → their event ids."""
        cursor = self.orders.find({"cancelledAt": {"$gt": since, "$lte": until}}, {"eventId": 1})
        return {doc["_id"]: doc.get("eventId") async for doc in cursor}

    async def of_user(self, user_id: str, skip: int, limit: int) -> tuple[list[Order], int]:
        query = {"userId": user_id}
        cursor = self.orders.find(query, {"pendingEvents": 0}).sort("createdAt", DESCENDING)
        orders = [order_from_document(d) async for d in cursor.skip(skip).limit(limit)]
        return orders, await self.orders.count_documents(query)

    async def live_of_event(self, event_id: str) -> list[str]:
        """Ids of the event's orders not cancelled: pending and complete ones."""
        query = {"eventId": event_id, "status": {"$in": [*PENDING, "complete"]}}
        return [doc["_id"] async for doc in self.orders.find(query, {"_id": 1})]

    async def replace_if_unchanged(self, before: Order, after: Order, *events: Event) -> bool:
        """Write `after` only if the stored order is still `before` (same version and settling)."""
        changes = order_document(after)
        del changes["_id"]
        query = unchanged_query(before)
        update: dict[str, Any] = {"$set": changes}
        if events:
            update["$push"] = pending_events_update(*events)
        result = await self.orders.update_one(query, update)
        return result.modified_count == 1

    async def units_held(self, user_id: str, event_id: str, now: datetime) -> int:
        """The tickets the buyer holds for the event in pending, unexpired orders."""
        return await self._holdings.units_held(user_id, event_id, now)

    async def get_many(self, order_ids: list[str]) -> list[Order]:
        cursor = self.orders.find({"_id": {"$in": order_ids}}, {"pendingEvents": 0})
        return [order_from_document(d) async for d in cursor if d.get("status") != ABANDONED]

    async def replace_many_if_unchanged(self, changes: list[OrderChange]) -> set[str]:
        """`replace_if_unchanged` for many orders in one write (store/order_changes.py)
        and one read back → the ids of the orders written; the others changed meanwhile."""
        if not changes:
            return set()
        ids = [after.id for _, after, _ in changes]
        await self.orders.update_many({"_id": {"$in": ids}}, changes_pipeline(changes))
        expected = {after.id: after for _, after, _ in changes}
        stored = self.orders.find({"_id": {"$in": list(expected)}}, {"version": 1, "status": 1})
        return {
            doc["_id"]
            async for doc in stored
            if (doc["version"], doc["status"])
            == (expected[doc["_id"]].version, expected[doc["_id"]].status)
        }

    async def mark_ticket_used(self, ticket_id: str, now: datetime) -> bool:
        # `tickets.id` first: the embedded database fetches by the first indexed clause.
        query = {
            "tickets.id": ticket_id,
            "tickets": {"$elemMatch": {"id": ticket_id, "used_at": None}},
            "status": "complete",
        }
        result = await self.orders.update_one(query, {"$set": {"tickets.$.used_at": now}})
        return result.modified_count == 1

    async def check_in_counts(self, event_id: str) -> tuple[int, int]:
        used = {"$cond": [{"$ifNull": ["$tickets.used_at", False]}, 1, 0]}
        pipeline: list[Document] = [
            {"$match": {"eventId": event_id, "status": "complete"}},
            {"$unwind": "$tickets"},
            {"$group": {"_id": None, "issued": {"$sum": 1}, "used": {"$sum": used}}},
        ]
        async for doc in await self.orders.aggregate(pipeline):
            return int(doc["issued"]), int(doc["used"])
        return 0, 0

    async def order_with_ticket(self, ticket_id: str) -> Order | None:
        doc = await self.orders.find_one({"tickets.id": ticket_id}, {"pendingEvents": 0})
        return order_from_document(doc) if doc else None
