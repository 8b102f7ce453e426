"""An organizer's view of sales: per ticket type, sold, held, revenue (the gross, with its
net and tax), remaining, and refunded (sold, then refunded when the event was
cancelled); and tickets sold over time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tickets.domain.sales import Sales
from tickets.domain.sales_timeline import SalesPoint, sales_over_time
from tickets.domain.ticket_types import TicketType


@dataclass(frozen=True)
class TypeStats:
    ticket_type_id: str
    name: str
    price: int
    quantity: int
    sold: int
    held: int
    revenue: int
    remaining: int
    refunded: int = 0
    net: int = 0
    tax: int = 0


@dataclass(frozen=True)
class ShowStats:
    event_id: str
    currency: str
    ticket_types: tuple[TypeStats, ...]
    sales_over_time: tuple[SalesPoint, ...] = ()

    @property
    def sold(self) -> int:
        return sum(t.sold for t in self.ticket_types)

    @property
    def revenue(self) -> int:
        return sum(t.revenue for t in self.ticket_types)

    @property
    def remaining(self) -> int:
        return sum(t.remaining for t in self.ticket_types)

    @property
    def refunded(self) -> int:
        return sum(t.refunded for t in self.ticket_types)

    @property
    def net(self) -> int:
        return sum(t.net for t in self.ticket_types)

    @property
    def tax(self) -> int:
        return sum(t.tax for t in self.ticket_types)

    @classmethod
    def of(
        cls,
        event_id: str,
        currency: str,
        ticket_types: Iterable[TicketType],
        sales: Sales,
        now: datetime,
    ) -> ShowStats:
        types = []
        for ticket_type in ticket_types:
            figures = sales.of(ticket_type.id)
            types.append(
                TypeStats(
                    ticket_type.id,
                    ticket_type.name,
                    ticket_type.price,
                    ticket_type.quantity,
                    figures.sold,
                    figures.held,
                    figures.revenue,
                    # Unexpired holds may still turn into sales, so they are not remaining.
                    max(0, ticket_type.quantity - figures.sold - figures.held),
                    figures.refunded,
                    figures.net,
                    figures.tax,
                )
            )
        timeline = tuple(sales_over_time(sales.completions, now))
        return cls(event_id, currency, tuple(types), timeline)
