"""Reading an event's statistics (`GET /api/events/:id/stats`) into what the dashboard shows.

Tolerant of additions the way `client.shapes` is: the sales timeline is read when the
API sends it (`salesOverTime: [{at, sold}]`) and shown as unknown otherwise, so the
dashboard never fails on its absence. Check-ins come from orders (`checked_in`, set by
the dashboard from `GET /api/orders/checkins`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from client.formatting import parse_datetime
from client.shapes import Json, first


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _optional_count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class TypeFigures:
    id: str
    name: str
    price: Any
    quantity: int
    sold: int
    held: int
    remaining: int
    revenue: Any


@dataclass
class EventFigures:
    currency: str
    types: list[TypeFigures] = field(default_factory=list)
    revenue: Any = 0
    checked_in: int | None = None
    sales: list[tuple[datetime, int]] = field(default_factory=list)

    @property
    def sold(self) -> int:
        return sum(t.sold for t in self.types)

    @property
    def held(self) -> int:
        return sum(t.held for t in self.types)

    @property
    def remaining(self) -> int:
        return sum(t.remaining for t in self.types)


def _type_figures(entry: Json) -> TypeFigures:
    return TypeFigures(
        id=str(first(entry, "id", "ticketTypeId", default="")),
        name=str(first(entry, "name", default="")),
        price=first(entry, "price"),
        quantity=_count(first(entry, "quantity")),
        sold=_count(first(entry, "sold")),
        held=_count(first(entry, "held")),
        remaining=_count(first(entry, "remaining", "available")),
        revenue=first(entry, "revenue", default=0),
    )


def sales_timeline(body: Any) -> list[tuple[datetime, int]]:
    """(moment, tickets sold by then) from the statistics' `salesOverTime: [{at, sold}]`;
    entries that are not such points are left out."""
    raw = first(body, "salesOverTime")
    if not isinstance(raw, list):
        return []
    points = []
    for entry in raw:
        moment = parse_datetime(first(entry, "at"))
        quantity = _optional_count(first(entry, "sold"))
        if moment is not None and quantity is not None:
            points.append((moment, quantity))
    return points


def read_stats(body: Any, currency: str = "usd") -> EventFigures:
    types = first(body, "ticketTypes", "types", default=[])
    totals = first(body, "totals", default={})
    figures = EventFigures(
        currency=str(first(body, "currency", default=currency)),
        types=[_type_figures(t) for t in types if isinstance(t, dict)]
        if isinstance(types, list)
        else [],
        sales=sales_timeline(body),
    )
    figures.revenue = first(
        totals, "revenue", default=sum(_decimal(t.revenue) for t in figures.types)
    )
    return figures


def _decimal(value: Any) -> Decimal:
    # Major units from JSON, added as decimals so no float noise reaches the page.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    return Decimal(0)
