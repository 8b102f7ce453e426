"""A show as an organizer describes it, before the catalog's rules accept it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Venue:
    name: str
    address: str


@dataclass(frozen=True)
class TicketTypeSpec:
    """A ticket type as an organizer describes it; `quantity` is None for seated shows."""

    name: str
    price: int
    quantity: int | None
    max_per_order: int = 5


@dataclass(frozen=True)
class RowSpec:
    label: str
    seat_labels: tuple[str, ...]
    ticket_type: str  # a ticket type name


@dataclass(frozen=True)
class SectionSpec:
    name: str
    rows: tuple[RowSpec, ...]


@dataclass(frozen=True)
class ShowDraft:
    name: str
    description: str
    category: str
    venue: Venue
    starts_at: datetime
    ends_at: datetime
    hold_minutes: int
    currency: str
    ticket_types: tuple[TicketTypeSpec, ...]
    seating: tuple[SectionSpec, ...] | None = None
