"""JSON shape of an event's sales statistics (money in major units)."""

from __future__ import annotations

from datetime import datetime

from ticketing_common.money import to_major
from ticketing_common.schemas import CamelModel
from tickets.domain.stats import ShowStats


class TypeStatsOut(CamelModel):
    id: str
    name: str
    price: float
    quantity: int
    sold: int
    held: int
    revenue: float  # what buyers paid: the gross
    remaining: int
    refunded: int  # sold, then refunded: the event was cancelled
    gross: float
    net: float
    tax: float


class TotalsOut(CamelModel):
    sold: int
    revenue: float
    remaining: int
    refunded: int
    gross: float
    net: float
    tax: float


class SalesPointOut(CamelModel):
    at: datetime
    sold: int  # tickets sold before `at` (cumulative)


class StatsOut(CamelModel):
    event_id: str
    currency: str
    ticket_types: list[TypeStatsOut]
    totals: TotalsOut
    sales_over_time: list[SalesPointOut]

    @classmethod
    def of(cls, stats: ShowStats) -> StatsOut:
        return cls(
            event_id=stats.event_id,
            currency=stats.currency,
            ticket_types=[
                TypeStatsOut(
                    id=t.ticket_type_id,
                    name=t.name,
                    price=to_major(t.price),
                    quantity=t.quantity,
                    sold=t.sold,
                    held=t.held,
                    revenue=to_major(t.revenue),
                    remaining=t.remaining,
                    refunded=t.refunded,
                    gross=to_major(t.revenue),
                    net=to_major(t.net),
                    tax=to_major(t.tax),
                )
                for t in stats.ticket_types
            ],
            totals=TotalsOut(
                sold=stats.sold,
                revenue=to_major(stats.revenue),
                remaining=stats.remaining,
                refunded=stats.refunded,
                gross=to_major(stats.revenue),
                net=to_major(stats.net),
                tax=to_major(stats.tax),
            ),
            sales_over_time=[SalesPointOut(at=p.at, sold=p.sold) for p in stats.sales_over_time],
        )
