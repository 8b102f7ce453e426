"""Events published by the payments service; amounts are integer minor units."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from ticketing_common.events.envelope import Event
from ticketing_common.events.subjects import Subject

FailureReason = Literal["insufficient_funds", "invalid_card", "connection_failure", "declined"]


class PaymentCreated(Event):
    """Money was taken for an order."""

    subject: ClassVar[Subject] = Subject.PAYMENT_CREATED

    payment_id: str
    order_id: str
    amount: int = Field(ge=0)
    currency: str
    provider: str = "stripe"
    provider_ref: str


class PaymentFailed(Event):
    """A charge was declined or could not reach the provider; the hold stays."""

    subject: ClassVar[Subject] = Subject.PAYMENT_FAILED

    order_id: str
    reason: FailureReason
    message: str


class PaymentRefunded(Event):
    """Money that arrived after the hold ended went back to the buyer."""

    subject: ClassVar[Subject] = Subject.PAYMENT_REFUNDED

    payment_id: str
    order_id: str
    refund_id: str
    amount: int = Field(ge=0)
    currency: str
