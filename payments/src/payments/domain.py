"""Orders as payments sees them, the payment aggregate and its states, the payment rules; no I/O.

Amounts are integer minor units; `ticketing_common.money` converts at the JSON edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from ticketing_common.domain_errors import Conflict, RuleViolation

ORDER_GONE = "Order does not exist (maybe it has expired). Please book another one"
ORDER_PAID = "Order has already been paid"
REFUNDED_MESSAGE = (
    "During purchase something went wrong, no tickets bought, we returned you your money"
)
# Why a paid order was refunded, when orders says (`OrderCancelled.reason`).
REFUND_REASON_MESSAGES = {
    "event_cancelled": "The event was cancelled: your order is cancelled and we returned "
    "you your money",
    "listing_withdrawn": "The seller withdrew this ticket: your order is cancelled and we "
    "returned you your money",
}


class PaymentStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REFUNDING = "refunding"
    REFUNDED = "refunded"


# The state each state is entered from. `Payment` refuses any other move, and the store
# writes a move on the condition that the stored payment is still in this state: of two
# workers moving one payment at once, only the first changes it.
TRANSITIONS: Mapping[PaymentStatus, PaymentStatus] = MappingProxyType(
    {
        PaymentStatus.SUCCEEDED: PaymentStatus.PENDING,
        PaymentStatus.FAILED: PaymentStatus.PENDING,
        PaymentStatus.REFUNDING: PaymentStatus.SUCCEEDED,
        PaymentStatus.REFUNDED: PaymentStatus.REFUNDING,
    }
)

# The states that hold the order's one payment slot (a unique partial index in the store).
ACTIVE_STATUSES = frozenset(
    {
        PaymentStatus.PENDING,
        PaymentStatus.SUCCEEDED,
        PaymentStatus.REFUNDING,
        PaymentStatus.REFUNDED,
    }
)


class IllegalTransition(Conflict):
    """A payment was asked to move to a state its current state does not lead to."""


@dataclass(frozen=True)
class OrderReplica:
    id: str
    user_id: str
    status: str
    amount: int
    currency: str
    version: int
    expires_at: datetime | None = None
    cancel_reason: str | None = None


@dataclass(frozen=True)
class Payment:
    """One charge attempt for an order, and what became of its money.

    Each move returns the payment in its new state; persisting it is the store's job.
    """

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

    def may_become(self, status: PaymentStatus) -> bool:
        return TRANSITIONS.get(status) == self.status

    def succeed(self, provider_ref: str) -> Payment:
        """pending -> succeeded: the provider took the money."""
        self._check_move(PaymentStatus.SUCCEEDED)
        return replace(self, status=PaymentStatus.SUCCEEDED, provider_ref=provider_ref)

    def fail(self, reason: str, message: str) -> Payment:
        """pending -> failed, with the reason the buyer reads; the order's slot is freed."""
        self._check_move(PaymentStatus.FAILED)
        return replace(
            self, status=PaymentStatus.FAILED, failure_reason=reason, failure_message=message
        )

    def start_refund(self) -> Payment:
        """succeeded -> refunding: a worker claims the refund before asking the provider."""
        self._check_move(PaymentStatus.REFUNDING)
        return replace(self, status=PaymentStatus.REFUNDING)

    def refunded(self, refund_id: str) -> Payment:
        """refunding -> refunded: the provider gave the money back."""
        self._check_move(PaymentStatus.REFUNDED)
        return replace(self, status=PaymentStatus.REFUNDED, refund_id=refund_id)

    def _check_move(self, status: PaymentStatus) -> None:
        if not self.may_become(status):
            raise IllegalTransition(f"A {self.status} payment cannot become {status}")


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


def payment_state(
    payments: list[Payment], cancel_reason: str | None = None
) -> tuple[PaymentState, str | None]:
    """The order's payment state for the buyer, newest attempt first, with a message (a
    refund says why, when the order's `cancel_reason` tells)."""
    active = next((p for p in payments if p.status in ACTIVE_STATUSES), None)
    if active is not None:
        state: PaymentState = {
            PaymentStatus.PENDING: "pending",
            PaymentStatus.SUCCEEDED: "paid",
            PaymentStatus.REFUNDING: "refunding",
            PaymentStatus.REFUNDED: "refunded",
        }[active.status]  # type: ignore[assignment]
        if state != "refunded":
            return state, None
        return state, REFUND_REASON_MESSAGES.get(cancel_reason or "", REFUNDED_MESSAGE)
    if payments:
        return "failed", payments[0].failure_message
    return "unpaid", None
