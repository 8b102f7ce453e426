"""Events published by the orders service.

`status` keeps the original ticketing values; amounts are integer minor units.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import AwareDatetime, Field

from ticketing_common.events.envelope import CamelModel, Event
from ticketing_common.events.subjects import Subject

OrderStatusValue = Literal["created", "awaiting:payment", "complete", "cancelled"]
# `listing_withdrawn`: the seller withdrew a resale listing the order held.
CancelReason = Literal["expired", "cancelled_by_buyer", "event_cancelled", "listing_withdrawn"]


class OrderedTicket(CamelModel):
    """The resale listing an order holds."""

    id: str
    price: int = Field(gt=0, description="minor units")


class OrderItem(CamelModel):
    """A line of an event order: units of a ticket type, or one seat (`seat_id`)."""

    ticket_type_id: str
    quantity: int = Field(ge=1)
    unit_price: int = Field(ge=0, description="minor units")
    seat_id: str | None = None


class IssuedTicketRef(CamelModel):
    """A ticket issued with a completed order: its signed key and what it admits to
    (`ticket_type_id` and `seat_id` are None for a resale listing's ticket)."""

    id: str
    key: str
    ticket_type_id: str | None = None
    seat_id: str | None = None


class _OrderEvent(Event):
    order_id: str
    user_id: str
    version: int = Field(ge=0)
    event_id: str | None = None
    ticket: OrderedTicket | None = None
    items: list[OrderItem] = Field(default_factory=list)
    amount: int = Field(ge=0, description="minor units")
    currency: str = "usd"


class OrderCreated(_OrderEvent):
    """A hold was taken; it lasts until `expires_at` unless paid."""

    subject: ClassVar[Subject] = Subject.ORDER_CREATED

    status: OrderStatusValue = "created"
    expires_at: AwareDatetime


class OrderCancelled(_OrderEvent):
    """An order ended: a hold without payment, or (with `was_paid`) a paid order whose
    event was cancelled or whose listing was withdrawn — its issued tickets are void and
    payments refunds its money."""

    subject: ClassVar[Subject] = Subject.ORDER_CANCELLED

    reason: CancelReason
    # The order was complete (paid, tickets issued) when it was cancelled.
    was_paid: bool = False


class OrderCompleted(_OrderEvent):
    """An order was paid and its tickets issued."""

    subject: ClassVar[Subject] = Subject.ORDER_COMPLETED

    ticket_ids: list[str] = Field(default_factory=list)
    # The issued tickets with their keys (added later: older messages carry only the ids).
    tickets: list[IssuedTicketRef] = Field(default_factory=list)
