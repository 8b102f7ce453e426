"""Mongo documents of payments, their indexes, and the queries of the reconciler.

Every state change is one conditional single-document write guarded by the current
state, so concurrent requests, redelivered events and replicas of this service never
apply a change twice.
"""

from __future__ import annotations

from datetime import datetime

from bson import ObjectId
from pymongo import DESCENDING, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from payments.domain import OrderReplica, Payment, PaymentStatus
from ticketing_common.events import utc_now
from ticketing_common.mongo import Document


def _payment(doc: Document) -> Payment:
    return Payment(
        id=doc["_id"],
        order_id=doc["orderId"],
        user_id=doc["userId"],
        status=PaymentStatus(doc["status"]),
        amount=doc["amount"],
        currency=doc["currency"],
        attempt=doc["attempt"],
        created_at=doc["createdAt"],
        provider_ref=doc.get("providerRef"),
        failure_reason=doc.get("failureReason"),
        failure_message=doc.get("failureMessage"),
        refund_id=doc.get("refundId"),
    )


# Set on a payment when it succeeds, removed once its order was seen not cancelled (or
# its refund claimed): a worker that dies between the two leaves it for the reconciler.
CANCEL_CHECK = "cancelCheckAt"


class PaymentStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.payments = db["payments"]

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

    async def start_attempt(self, order: OrderReplica, attempt: int) -> Payment:
        """Take the order's payment slot; DuplicateKeyError when another payment holds it."""
        now = utc_now()
        doc = {
            "_id": str(ObjectId()),
            "orderId": order.id,
            "userId": order.user_id,
            "status": PaymentStatus.PENDING.value,
            "active": True,
            "amount": order.amount,
            "currency": order.currency,
            "attempt": attempt,
            "createdAt": now,
            "attemptedAt": now,
        }
        await self.payments.insert_one(doc)
        return _payment(doc)

    async def take_over_stale(self, order_id: str, stale_before: datetime) -> Payment | None:
        """Claim a pending attempt whose worker stopped answering long ago (crash mid-charge).

        The attempt keeps its number, hence its idempotency key: the provider answers
        the retried charge with the original result instead of charging again.
        """
        return await self._claim_pending({"orderId": order_id}, stale_before)

    async def claim_stale_attempt(self, payment_id: str, stale_before: datetime) -> Payment | None:
        """The reconciler's claim on an abandoned attempt: the buyer's retry then waits."""
        return await self._claim_pending({"_id": payment_id}, stale_before)

    async def _claim_pending(self, which: Document, stale_before: datetime) -> Payment | None:
        return await self._transition(
            {**which, "status": "pending", "attemptedAt": {"$lt": stale_before}},
            {"$set": {"attemptedAt": utc_now()}},
        )

    async def stale_attempts(self, stale_before: datetime, limit: int) -> list[Payment]:
        query = {"status": "pending", "attemptedAt": {"$lt": stale_before}}
        return [_payment(doc) async for doc in self.payments.find(query).limit(limit)]

    async def refunds_due(self, stale_before: datetime, limit: int) -> list[Payment]:
        """Succeeded payments whose cancellation check is overdue, and stale refund claims."""
        query = {
            "$or": [
                {"status": "succeeded", CANCEL_CHECK: {"$lt": stale_before}},
                {"status": "refunding", "refundClaimedAt": {"$lt": stale_before}},
            ]
        }
        return [_payment(doc) async for doc in self.payments.find(query).limit(limit)]

    async def cancel_checked(self, payment_ids: list[str]) -> None:
        if payment_ids:
            await self.payments.update_many(
                {"_id": {"$in": payment_ids}}, {"$unset": {CANCEL_CHECK: ""}}
            )

    async def failed_attempts(self, order_id: str) -> int:
        return await self.payments.count_documents({"orderId": order_id, "status": "failed"})

    async def for_order(self, order_id: str) -> list[Payment]:
        cursor = self.payments.find({"orderId": order_id}).sort("createdAt", DESCENDING)
        return [_payment(doc) async for doc in cursor]

    async def active_for(self, order_id: str) -> Payment | None:
        doc = await self.payments.find_one({"orderId": order_id, "active": True})
        return _payment(doc) if doc else None

    async def by_provider_ref(self, provider_ref: str) -> Payment | None:
        doc = await self.payments.find_one({"providerRef": provider_ref})
        return _payment(doc) if doc else None

    async def set_provider_ref(self, payment_id: str, provider_ref: str) -> None:
        await self.payments.update_one({"_id": payment_id}, {"$set": {"providerRef": provider_ref}})

    async def _transition(
        self,
        query: Document,
        update: Document,
        session: AsyncClientSession | None = None,
    ) -> Payment | None:
        update.setdefault("$set", {})["updatedAt"] = utc_now()
        doc = await self.payments.find_one_and_update(
            query, update, return_document=ReturnDocument.AFTER, session=session
        )
        return _payment(doc) if doc else None

    async def mark_succeeded(
        self, payment_id: str, provider_ref: str, session: AsyncClientSession
    ) -> Payment | None:
        return await self._transition(
            {"_id": payment_id, "status": "pending"},
            {"$set": {"status": "succeeded", "providerRef": provider_ref, CANCEL_CHECK: utc_now()}},
            session,
        )

    async def mark_failed(
        self, payment_id: str, reason: str, message: str, session: AsyncClientSession
    ) -> Payment | None:
        # Leaving the slot (`active`) lets the buyer try again while the hold lasts.
        return await self._transition(
            {"_id": payment_id, "status": "pending"},
            {
                "$set": {"status": "failed", "failureReason": reason, "failureMessage": message},
                "$unset": {"active": ""},
            },
            session,
        )

    async def claim_refund(self, order_id: str, stale_before: datetime) -> Payment | None:
        """Move the order's succeeded payment to `refunding` (or take over a stale claim)."""
        return await self._transition(
            {
                "orderId": order_id,
                "$or": [
                    {"status": "succeeded"},
                    {"status": "refunding", "refundClaimedAt": {"$lt": stale_before}},
                ],
            },
            {
                "$set": {"status": "refunding", "refundClaimedAt": utc_now()},
                "$unset": {CANCEL_CHECK: ""},
            },
        )

    async def unsettled(self, order_id: str) -> bool:
        """A charge or a refund of the order is still on its way."""
        query = {"orderId": order_id, "status": {"$in": ["pending", "refunding"]}}
        return await self.payments.find_one(query) is not None

    async def mark_refunded(
        self, payment_id: str, refund_id: str, session: AsyncClientSession
    ) -> Payment | None:
        return await self._transition(
            {"_id": payment_id, "status": "refunding"},
            {"$set": {"status": "refunded", "refundId": refund_id, "refundedAt": utc_now()}},
            session,
        )
