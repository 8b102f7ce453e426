"""Public JSON shapes (camelCase; money in major units only here)."""

from __future__ import annotations

from datetime import datetime
from typing import Self

from pydantic import Field, model_validator

from orders.domain.order import Order
from orders.domain.order_parts import Line
from ticketing_common.money import to_major
from ticketing_common.schemas import CamelModel


class ItemIn(CamelModel):
    ticket_type_id: str = Field(min_length=1)
    quantity: int = Field(ge=1)


class HoldRequest(CamelModel):
    """One of: {ticketId} | {eventId, items} | {eventId, seats} | {eventId, ticketTypeId,
    quantity, together: true}."""

    ticket_id: str | None = Field(default=None, min_length=1)
    event_id: str | None = Field(default=None, min_length=1)
    items: list[ItemIn] | None = Field(default=None, min_length=1, max_length=20)
    seats: list[str] | None = Field(default=None, min_length=1, max_length=50)
    ticket_type_id: str | None = None
    quantity: int | None = Field(default=None, ge=1)
    together: bool = False
    voucher: str | None = Field(default=None, min_length=1, max_length=64)

    @model_validator(mode="after")
    def one_shape(self) -> Self:
        if self.ticket_id is not None:
            return self
        if self.event_id is None:
            raise ValueError("Provide ticketId, or eventId with items, seats or together")
        shapes = [self.items is not None, self.seats is not None, self.together]
        if sum(shapes) != 1:
            raise ValueError("Provide exactly one of items, seats or together")
        if self.together and (self.ticket_type_id is None or self.quantity is None):
            raise ValueError("together needs ticketTypeId and quantity")
        return self


class ItemOut(CamelModel):
    ticket_type_id: str
    quantity: int
    unit_price: float
    seat_id: str | None = None
    discount: float = 0  # off the whole line
    tax_rate: float = 0  # a percentage: 19.5
    tax_included: bool = True  # in the price (VAT), or added on top
    tax_amount: float = 0
    total: float = 0  # what the line costs the buyer: its share of the gross

    @classmethod
    def of(cls, line: Line) -> ItemOut:
        price = line.price
        return cls(
            ticket_type_id=line.ticket_type_id,
            quantity=line.quantity,
            unit_price=to_major(line.unit_price),
            seat_id=line.seat_id,
            discount=to_major(line.discount),
            tax_rate=line.tax_rate_bp / 100,
            tax_included=line.tax_included,
            tax_amount=to_major(price.tax),
            total=to_major(price.gross),
        )


class TicketRefOut(CamelModel):
    id: str
    title: str
    price: float


class EventRefOut(CamelModel):
    id: str
    name: str | None
    starts_at: datetime | None


class IssuedTicketOut(CamelModel):
    id: str
    key: str
    ticket_type_id: str | None = None
    seat_id: str | None = None
    used: bool


class OrderOut(CamelModel):
    id: str
    status: str
    user_id: str
    expires_at: datetime
    items: list[ItemOut]
    amount: float  # the gross total, as `gross`
    net: float
    tax: float
    gross: float
    discount: float
    voucher: str | None = None  # the code redeemed
    currency: str
    version: int
    event_id: str | None = None
    event: EventRefOut | None = None
    ticket: TicketRefOut | None = None
    tickets: list[IssuedTicketOut] = Field(default_factory=list)
    cancel_reason: str | None = None
    notice: str | None = None

    @classmethod
    def of(cls, order: Order, notice: str | None = None) -> OrderOut:
        return cls(
            id=order.id,
            status=order.status,
            user_id=order.user_id,
            expires_at=order.expires_at,
            items=[ItemOut.of(line) for line in order.lines],
            amount=to_major(order.amount),
            net=to_major(order.net),
            tax=to_major(order.tax),
            gross=to_major(order.amount),
            discount=to_major(sum(line.discount for line in order.lines)),
            voucher=order.voucher.code if order.voucher else None,
            currency=order.currency,
            version=order.version,
            event_id=order.event_id,
            event=EventRefOut(
                id=order.event_id, name=order.event_name, starts_at=order.event_starts_at
            )
            if order.event_id
            else None,
            ticket=TicketRefOut(
                id=order.listing.id, title=order.listing.title, price=to_major(order.listing.price)
            )
            if order.listing
            else None,
            tickets=[
                IssuedTicketOut(
                    id=t.id,
                    key=t.key,
                    ticket_type_id=t.ticket_type_id,
                    seat_id=t.seat_id,
                    used=t.used_at is not None,
                )
                for t in order.tickets
            ],
            cancel_reason=order.cancel_reason,
            notice=notice,
        )
