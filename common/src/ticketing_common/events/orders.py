"""Events published by the orders service.

`status` keeps the original ticketing values; amounts are integer minor units.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import AwareDatetime, Field

from ticketing_common.events.envelope import CamelModel, Event
from ticketing_common.events.subjects import Subject

OrderStatusValue = Literal["created", "awaiting:payment", "complete", "cancelled"]
CancelReason = Literal["expired", "cancelled_by_buyer", "event_cancelled"]


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
    """A hold ended without payment; its tickets are free again."""

    subject: ClassVar[Subject] = Subject.ORDER_CANCELLED

    reason: CancelReason


class OrderCompleted(_OrderEvent):
    """An order was paid and its tickets issued."""

    subject: ClassVar[Subject] = Subject.ORDER_COMPLETED

    ticket_ids: list[str] = Field(default_factory=list)
