"""Mongo documents of payments: reading one into a `Payment`, writing an attempt or a move.

Besides the payment's own fields, a document carries the bookkeeping of the claims and
checks that make crashes recoverable (`attemptedAt`, `refundClaimedAt`, `CANCEL_CHECK`)
and `active`, the flag of the unique partial index that keeps one payment per order.
"""

from __future__ import annotations

from datetime import datetime

from bson import ObjectId

from payments.domain import OrderReplica, Payment, PaymentStatus
from ticketing_common.mongo import Document

# Set on a payment when it succeeds, removed once its order was seen not cancelled (or
# its refund claimed): a worker that dies between the two leaves it for the reconciler.
CANCEL_CHECK = "cancelCheckAt"
# When a worker last claimed a pending attempt, and a refund: a claim older than the
# takeover age belongs to a worker presumed dead.
ATTEMPTED_AT = "attemptedAt"
REFUND_CLAIMED_AT = "refundClaimedAt"


def payment_of(doc: Document) -> Payment:
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


def attempt_document(order: OrderReplica, attempt: int, now: datetime) -> Document:
    """A new pending attempt, holding the order's payment slot."""
    return {
        "_id": str(ObjectId()),
        "orderId": order.id,
        "userId": order.user_id,
        "status": PaymentStatus.PENDING.value,
        "active": True,
        "amount": order.amount,
        "currency": order.currency,
        "attempt": attempt,
        "createdAt": now,
        ATTEMPTED_AT: now,
    }


def move_update(payment: Payment, now: datetime) -> Document:
    """The update that records `payment` entering its status at `now`."""
    fields: Document = {"status": payment.status.value, "updatedAt": now}
    removed: Document = {}
    if payment.status == PaymentStatus.SUCCEEDED:
        fields |= {"providerRef": payment.provider_ref, CANCEL_CHECK: now}
    elif payment.status == PaymentStatus.FAILED:
        fields |= {
            "failureReason": payment.failure_reason,
            "failureMessage": payment.failure_message,
        }
        # Leaving the slot lets the buyer try again while the hold lasts.
        removed["active"] = ""
    elif payment.status == PaymentStatus.REFUNDING:
        fields[REFUND_CLAIMED_AT] = now
        removed[CANCEL_CHECK] = ""
    elif payment.status == PaymentStatus.REFUNDED:
        fields |= {"refundId": payment.refund_id, "refundedAt": now}
    return {"$set": fields, "$unset": removed} if removed else {"$set": fields}
