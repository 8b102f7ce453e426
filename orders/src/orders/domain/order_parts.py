"""The value objects an order is made of: its lines, the listing it buys, issued tickets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ticketing_common.events import OrderItem


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
