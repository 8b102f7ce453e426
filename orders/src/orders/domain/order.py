"""The order: its statuses, lines, issued tickets and the events each change records."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from ticketing_common.events import (
    CancelReason,
    OrderCancelled,
    OrderCompleted,
    OrderCreated,
    OrderedTicket,
    OrderItem,
    OrderStatusValue,
)

PENDING: tuple[OrderStatusValue, ...] = ("created", "awaiting:payment")
Kind = Literal["event", "listing"]


@dataclass(frozen=True)
class Line:
    ticket_type_id: str
    quantity: int
    unit_price: int
    seat_id: str | None = None

    def as_item(self) -> OrderItem:
        return OrderItem(
            ticket_type_id=self.ticket_type_id,
            quantity=self.quantity,
            unit_price=self.unit_price,
            seat_id=self.seat_id,
        )


@dataclass(frozen=True)
class ListingRef:
    id: str
    title: str
    price: int


@dataclass(frozen=True)
class IssuedTicket:
    id: str
    key: str
    ticket_type_id: str | None = None
    seat_id: str | None = None
    used_at: datetime | None = None


@dataclass(frozen=True)
class Order:
    id: str
    user_id: str
    kind: Kind
    status: OrderStatusValue
    version: int
    created_at: datetime
    expires_at: datetime
    currency: str
    lines: list[Line] = field(default_factory=list)
    event_id: str | None = None
    event_name: str | None = None
    event_starts_at: datetime | None = None
    listing: ListingRef | None = None
    tickets: list[IssuedTicket] = field(default_factory=list)
    cancel_reason: CancelReason | None = None
    settling: str | None = None

    @property
    def amount(self) -> int:
        if self.listing is not None:
            return self.listing.price
        return sum(line.unit_price * line.quantity for line in self.lines)

    @property
    def pending(self) -> bool:
        return self.status in PENDING

    @property
    def units(self) -> int:
        return 1 if self.listing else sum(line.quantity for line in self.lines)

    @property
    def signing_event_id(self) -> str:
        """What a ticket key is bound to: the event, or the listing for a resale."""
        return self.event_id or f"listing-{self.listing.id if self.listing else self.id}"

    def _payload(self) -> dict[str, object]:
        return {
            "order_id": self.id,
            "user_id": self.user_id,
            "version": self.version,
            "event_id": self.event_id,
            "ticket": OrderedTicket(id=self.listing.id, price=self.listing.price)
            if self.listing
            else None,
            "items": [line.as_item() for line in self.lines],
            "amount": self.amount,
            "currency": self.currency,
        }

    def created_event(self) -> OrderCreated:
        return OrderCreated(
            **self._payload(),
            status=self.status,
            expires_at=self.expires_at,
        )

    def cancel(self, reason: CancelReason) -> tuple[Order, OrderCancelled]:
        cancelled = replace(
            self, status="cancelled", version=self.version + 1, cancel_reason=reason, settling=None
        )
        return cancelled, OrderCancelled(**cancelled._payload(), reason=reason)

    def complete(self, tickets: list[IssuedTicket]) -> tuple[Order, OrderCompleted]:
        done = replace(
            self, status="complete", version=self.version + 1, tickets=tickets, settling=None
        )
        event = OrderCompleted(**done._payload(), ticket_ids=[t.id for t in tickets])
        return done, event


def ticket_slots(order: Order) -> list[tuple[str | None, str | None]]:
    """(ticket type, seat) of each ticket to issue: one per seat or general-admission unit."""
    if order.listing is not None:
        return [(None, None)]
    return [
        (line.ticket_type_id, line.seat_id) for line in order.lines for _ in range(line.quantity)
    ]
