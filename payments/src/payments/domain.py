"""Orders as payments sees them, payments and their states, and the payment rules; no I/O.

Amounts are integer minor units; `ticketing_common.money` converts at the JSON edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

from ticketing_common.domain_errors import RuleViolation

ORDER_GONE = "Order does not exist (maybe it has expired). Please book another one"
ORDER_PAID = "Order has already been paid"
REFUNDED_MESSAGE = (
    "During purchase something went wrong, no tickets bought, we returned you your money"
)


class PaymentStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REFUNDING = "refunding"
    REFUNDED = "refunded"


# The states that hold the order's one payment slot (a unique partial index in the store).
ACTIVE_STATUSES = frozenset(
    {
        PaymentStatus.PENDING,
        PaymentStatus.SUCCEEDED,
        PaymentStatus.REFUNDING,
        PaymentStatus.REFUNDED,
    }
)


@dataclass(frozen=True)
class OrderReplica:
    id: str
    user_id: str
    status: str
    amount: int
    currency: str
    version: int
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Payment:
    id: str
    order_id: str
    user_id: str
    status: PaymentStatus
    amount: int
    currency: str
    attempt: int
    created_at: datetime
    provider_ref: str | None = None
    failure_reason: str | None = None
    failure_message: str | None = None
    refund_id: str | None = None


def check_payable(order: OrderReplica, now: datetime) -> None:
    """Raise the buyer-facing reason an order cannot be paid now."""
    if order.status == "cancelled" or (order.expires_at is not None and order.expires_at <= now):
        raise RuleViolation(ORDER_GONE)
    if order.status == "complete":
        raise RuleViolation(ORDER_PAID)


def refund_due(payment: Payment, order_cancelled: bool) -> bool:
    """Whether the reconciler must (re)try to give this payment's money back.

    Called with succeeded payments whose cancellation check is overdue and refunds
    whose claim went stale; a refund once claimed is only ever finished.
    """
    if payment.status == PaymentStatus.REFUNDING:
        return True
    return payment.status == PaymentStatus.SUCCEEDED and order_cancelled


def charge_idempotency_key(order_id: str, attempt: int) -> str:
    # One key per attempt: a retried request of the same attempt never charges twice,
    # and a new attempt after a decline (maybe another card) is a new charge.
    return f"order-{order_id}-charge-{attempt}"


def refund_idempotency_key(order_id: str) -> str:
    return f"order-{order_id}-refund"


PaymentState = Literal["unpaid", "pending", "paid", "failed", "refunding", "refunded"]


def payment_state(payments: list[Payment]) -> tuple[PaymentState, str | None]:
    """The order's payment state for the buyer, newest attempt first, with a message."""
    active = next((p for p in payments if p.status in ACTIVE_STATUSES), None)
    if active is not None:
        state: PaymentState = {
            PaymentStatus.PENDING: "pending",
            PaymentStatus.SUCCEEDED: "paid",
            PaymentStatus.REFUNDING: "refunding",
            PaymentStatus.REFUNDED: "refunded",
        }[active.status]  # type: ignore[assignment]
        return state, REFUNDED_MESSAGE if state == "refunded" else None
    if payments:
        return "failed", payments[0].failure_message
    return "unpaid", None
