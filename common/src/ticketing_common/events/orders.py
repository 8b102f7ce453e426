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
    # Added later (older messages: no discount, no tax). `discount` is off the whole line;
    # `tax_amount` is the line's tax, inside its price or on top (`tax_included`).
    discount: int = Field(default=0, ge=0, description="minor units")
    tax_rate_bp: int = Field(default=0, ge=0, le=10_000, description="hundredths of a percent")
    tax_included: bool = True
    tax_amount: int = Field(default=0, ge=0, description="minor units")

    @property
    def gross(self) -> int:
        """What the buyer pays for the line."""
        after_discount = self.unit_price * self.quantity - self.discount
        return after_discount if self.tax_included else after_discount + self.tax_amount

    @property
    def net(self) -> int:
        return self.gross - self.tax_amount


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
    amount: int = Field(ge=0, description="minor units; the gross total")
    currency: str = "usd"
    # Added later: the tax inside `amount`, and the voucher the order redeemed.
    tax: int = Field(default=0, ge=0, description="minor units")
    voucher_code: str | None = None


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
