"""The value objects an order is made of: its lines (priced by `orders.domain.pricing`),
the listing it buys, the voucher it redeemed, issued tickets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from orders.domain.pricing import LinePrice, price_line
from ticketing_common.events import OrderItem


@dataclass(frozen=True)
class Line:
    """Units of a ticket type (or one seat) at a unit price; `discount` is off the whole
    line, the tax rate (basis points) and whether the price includes it come from the
    ticket type."""

    ticket_type_id: str
    quantity: int
    unit_price: int
    seat_id: str | None = None
    discount: int = 0
    tax_rate_bp: int = 0
    tax_included: bool = True

    @property
    def price(self) -> LinePrice:
        return price_line(
            self.unit_price, self.quantity, self.discount, self.tax_rate_bp, self.tax_included
        )

    def as_item(self) -> OrderItem:
        return OrderItem(
            ticket_type_id=self.ticket_type_id,
            quantity=self.quantity,
            unit_price=self.unit_price,
            seat_id=self.seat_id,
            discount=self.discount,
            tax_rate_bp=self.tax_rate_bp,
            tax_included=self.tax_included,
            tax_amount=self.price.tax,
        )


@dataclass(frozen=True)
class VoucherRef:
    """The voucher an order redeemed: given back if the order ends unpaid."""

    id: str
    code: str


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
