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
    # As orders priced the line (older events: no discount, no tax).
    discount: int = 0
    tax_amount: int = 0
    tax_included: bool = True

    @property
    def net(self) -> int:
        """What the line earns before tax."""
        subtotal = self.unit_price * self.quantity - self.discount
        return subtotal - self.tax_amount if self.tax_included else subtotal

    @property
    def gross(self) -> int:
        return self.net + self.tax_amount


@dataclass(frozen=True)
class OrderRecord:
    order_id: str
    state: OrderState
    event_id: str | None = None
    ticket_id: str | None = None
    lines: tuple[OrderLine, ...] = ()
    expires_at: datetime | None = None
    ticket_price: int | None = None  # what the order pays for the listing it holds
    completed_at: datetime | None = None  # when `order.completed` says it was paid


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
        incoming.completed_at or current.completed_at,
    )


@dataclass
class TypeSales:
    sold: int = 0
    held: int = 0
    revenue: int = 0  # minor units: what buyers paid, the gross
    refunded: int = 0  # units sold, then refunded (the event was cancelled)
    net: int = 0
    tax: int = 0


@dataclass
class Sales:
    by_type: dict[str, TypeSales] = field(default_factory=dict)
    sold_seats: set[str] = field(default_factory=set)
    held_seats: set[str] = field(default_factory=set)
    # (when, tickets) of each completed order that says when it completed.
    completions: list[tuple[datetime, int]] = field(default_factory=list)

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
                figures.revenue += line.gross
                figures.net += line.net
                figures.tax += line.tax_amount
                if line.seat_id:
                    sales.sold_seats.add(line.seat_id)
            else:
                figures.held += line.quantity
                if line.seat_id:
                    sales.held_seats.add(line.seat_id)
        if record.state == "completed" and record.completed_at is not None:
            sales.completions.append((record.completed_at, sum(n.quantity for n in record.lines)))
    return sales
