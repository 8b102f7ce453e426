"""What the catalog has seen of orders, and the sales figures it derives from that.

Orders is the authority on holds; the catalog keeps one record per order from
`order.created` / `order.cancelled` / `order.completed` and derives sold and held
units from them. Events may arrive twice or out of order: a record only moves
forward (created -> cancelled | completed -> refunded), and an ended record stays
ended, so a late `order.created` after its `order.cancelled` holds nothing. A paid
order cancelled afterwards (its event was cancelled: `OrderCancelled.was_paid`) is
`refunded`: no longer sold, no revenue, counted apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

OrderState = Literal["created", "cancelled", "completed", "refunded"]
ENDED: frozenset[OrderState] = frozenset({"cancelled", "refunded"})


@dataclass(frozen=True)
class OrderLine:
    ticket_type_id: str
    quantity: int
    unit_price: int
    seat_id: str | None = None


@dataclass(frozen=True)
class OrderRecord:
    order_id: str
    state: OrderState
    event_id: str | None = None
    ticket_id: str | None = None
    lines: tuple[OrderLine, ...] = ()
    expires_at: datetime | None = None
    ticket_price: int | None = None  # what the order pays for the listing it holds


def advance(current: OrderRecord | None, incoming: OrderRecord) -> OrderRecord | None:
    """The record to store after `incoming`, or None when it changes nothing."""
    if current is None:
        return incoming
    if current.state in ENDED or incoming.state == "created":
        return None
    if current.state == "completed" and incoming.state != "refunded":
        return None  # a sale ends only by a refund
    # A cancellation keeps what the hold covered, in case the cancel event lacks lines.
    lines = incoming.lines or current.lines
    return OrderRecord(
        incoming.order_id,
        incoming.state,
        incoming.event_id or current.event_id,
        incoming.ticket_id or current.ticket_id,
        lines,
        current.expires_at,
        incoming.ticket_price or current.ticket_price,
    )


@dataclass
class TypeSales:
    sold: int = 0
    held: int = 0
    revenue: int = 0  # minor units
    refunded: int = 0  # units sold, then refunded (the event was cancelled)


@dataclass
class Sales:
    by_type: dict[str, TypeSales] = field(default_factory=dict)
    sold_seats: set[str] = field(default_factory=set)
    held_seats: set[str] = field(default_factory=set)

    def of(self, ticket_type_id: str) -> TypeSales:
        return self.by_type.get(ticket_type_id, TypeSales())

    def taken(self, ticket_type_id: str) -> int:
        figures = self.of(ticket_type_id)
        return figures.sold + figures.held


def tally(records: Iterable[OrderRecord], now: datetime) -> Sales:
    """Sold and held units per type; a hold past its expiry no longer counts."""
    sales = Sales()
    for record in records:
        if record.state == "cancelled":
            continue
        if record.state == "refunded":
            for line in record.lines:
                sales.by_type.setdefault(line.ticket_type_id, TypeSales()).refunded += line.quantity
            continue
        if record.state == "created" and record.expires_at and record.expires_at <= now:
            continue
        for line in record.lines:
            figures = sales.by_type.setdefault(line.ticket_type_id, TypeSales())
            if record.state == "completed":
                figures.sold += line.quantity
                figures.revenue += line.quantity * line.unit_price
                if line.seat_id:
                    sales.sold_seats.add(line.seat_id)
            else:
                figures.held += line.quantity
                if line.seat_id:
                    sales.held_seats.add(line.seat_id)
    return sales
