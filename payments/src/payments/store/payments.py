"""The payments collection behind the `PaymentStore` port, and the reconciler's scans.

Every state change is one conditional single-document write, guarded by the state the
move starts from (`domain.TRANSITIONS`) or by the age of a claim, so concurrent
requests, redelivered events and replicas of this service never apply a change twice.
A move with an outgoing event writes both in one transaction (the outbox).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pymongo import DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from payments.domain import TRANSITIONS, OrderReplica, Payment, PaymentStatus
from payments.ports import PaymentSlotTaken
from payments.store.documents import (
    ATTEMPTED_AT,
    CANCEL_CHECK,
    REFUND_CLAIMED_AT,
    attempt_document,
    move_update,
    payment_of,
)
from ticketing_common.events import Event
from ticketing_common.mongo import Document, in_transaction
from ticketing_common.outbox import Outbox

PENDING = PaymentStatus.PENDING.value
REFUNDING = PaymentStatus.REFUNDING.value


class MongoPaymentStore:
    def __init__(
        self, db: AsyncDatabase[Document], outbox: Outbox, wake_relay: Callable[[], None]
    ) -> None:
        self.payments = db["payments"]
        self.outbox = outbox
        # Called once an event is committed: the relay publishes it now, not at its next poll.
        self.wake_relay = wake_relay

    async def ensure_indexes(self) -> None:
        # At most one payment holds an order (pending, succeeded or refunded): two
        # simultaneous requests cannot both reach the provider.
        await self.payments.create_index(
            "orderId", unique=True, partialFilterExpression={"active": True}, name="one_active"
        )
        await self.payments.create_index([("orderId", 1), ("createdAt", DESCENDING)])
        await self.payments.create_index("providerRef", sparse=True)
        # The reconciler's scans: few documents are pending, refunding or awaiting
        # their cancellation check at any time.
        await self.payments.create_index("status")
        await self.payments.create_index(CANCEL_CHECK, sparse=True)

    async def start_attempt(self, order: OrderReplica, attempt: int, now: datetime) -> Payment:
        doc = attempt_document(order, attempt, now)
        try:
            await self.payments.insert_one(doc)
        except DuplicateKeyError:
            raise PaymentSlotTaken(order.id) from None
        return payment_of(doc)

    async def take_over_attempt(
        self, order_id: str, stale_before: datetime, now: datetime
    ) -> Payment | None:
        return await self._renew_claim(
            {"orderId": order_id}, PENDING, ATTEMPTED_AT, stale_before, now
        )

    async def claim_stale_attempt(
        self, payment_id: str, stale_before: datetime, now: datetime
    ) -> Payment | None:
        return await self._renew_claim(
            {"_id": payment_id}, PENDING, ATTEMPTED_AT, stale_before, now
        )

    async def take_over_refund(
        self, payment_id: str, stale_before: datetime, now: datetime
    ) -> Payment | None:
        which = {"_id": payment_id}
        return await self._renew_claim(which, REFUNDING, REFUND_CLAIMED_AT, stale_before, now)

    async def _renew_claim(
        self, which: Document, status: str, claimed_at: str, stale_before: datetime, now: datetime
    ) -> Payment | None:
        """Take over a claim on a payment in `status` made before `stale_before`.

        Read, then compare-and-set on the claim time read (no findAndModify: the embedded
        database answers it by reading the whole collection)."""
        doc = await self.payments.find_one(
            {**which, "status": status, claimed_at: {"$lt": stale_before}}
        )
        if doc is None:
            return None
        taken = {"_id": doc["_id"], "status": status, claimed_at: doc[claimed_at]}
        moved = await self.payments.update_one(taken, {"$set": {claimed_at: now, "updatedAt": now}})
        if moved.modified_count != 1:
            return None  # another process took it over first
        return payment_of({**doc, claimed_at: now, "updatedAt": now})

    async def save(self, payment: Payment, now: datetime, event: Event | None = None) -> bool:
        query = {"_id": payment.id, "status": TRANSITIONS[payment.status].value}
        update = move_update(payment, now)
        if event is None:
            return bool((await self.payments.update_one(query, update)).matched_count)

        async def write(session: AsyncClientSession) -> bool:
            moved = await self.payments.update_one(query, update, session=session)
            if moved.matched_count:
                await self.outbox.add(session, event)
            return bool(moved.matched_count)

        moved = await in_transaction(self.payments.database.client, write)
        if moved:
            self.wake_relay()
        return moved

    async def set_provider_ref(self, payment_id: str, provider_ref: str) -> None:
        await self.payments.update_one({"_id": payment_id}, {"$set": {"providerRef": provider_ref}})

    async def failed_attempts(self, order_id: str) -> int:
        query = {"orderId": order_id, "status": PaymentStatus.FAILED.value}
        return await self.payments.count_documents(query)

    async def for_order(self, order_id: str) -> list[Payment]:
        cursor = self.payments.find({"orderId": order_id}).sort("createdAt", DESCENDING)
        return [payment_of(doc) async for doc in cursor]

    async def active_for(self, order_id: str) -> Payment | None:
        return await self._one({"orderId": order_id, "active": True})

    async def by_provider_ref(self, provider_ref: str) -> Payment | None:
        return await self._one({"providerRef": provider_ref})

    async def orders_with_payments(self, order_ids: list[str]) -> set[str]:
        """Which of these orders have any payment on record (one read)."""
        cursor = self.payments.find({"orderId": {"$in": order_ids}}, {"orderId": 1})
        return {doc["orderId"] async for doc in cursor}

    async def unsettled(self, order_id: str) -> bool:
        query = {"orderId": order_id, "status": {"$in": [PENDING, REFUNDING]}}
        return await self.payments.find_one(query) is not None

    async def stale_attempts(self, stale_before: datetime, limit: int) -> list[Payment]:
        return await self._some({"status": PENDING, ATTEMPTED_AT: {"$lt": stale_before}}, limit)

    async def refunds_due(self, stale_before: datetime, limit: int) -> list[Payment]:
        # Two queries, not one `$or`: SecantusDB serves no top-level operator by an index.
        # Each names its indexed clause first (the sparse check index; `status`).
        succeeded = PaymentStatus.SUCCEEDED.value
        due = await self._some({CANCEL_CHECK: {"$lt": stale_before}, "status": succeeded}, limit)
        if len(due) < limit:  # (`limit(0)` would mean no limit at all)
            stale = {"status": REFUNDING, REFUND_CLAIMED_AT: {"$lt": stale_before}}
            due += await self._some(stale, limit - len(due))
        return due

    async def cancel_checked(self, payment_ids: list[str]) -> None:
        if payment_ids:
            await self.payments.update_many(
                {"_id": {"$in": payment_ids}}, {"$unset": {CANCEL_CHECK: ""}}
            )

    async def _one(self, query: Document) -> Payment | None:
        doc = await self.payments.find_one(query)
        return payment_of(doc) if doc else None

    async def _some(self, query: Document, limit: int) -> list[Payment]:
        return [payment_of(doc) async for doc in self.payments.find(query).limit(limit)]
