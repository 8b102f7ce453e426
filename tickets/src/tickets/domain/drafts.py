"""A show, or a change to one, as an organizer describes it, before the catalog's rules
accept it (see shows.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Venue:
    name: str
    address: str


@dataclass(frozen=True)
class ShowDetails:
    """What an organizer says about a show: shared by a draft and the accepted show."""

    name: str
    description: str
    category: str
    venue: Venue
    starts_at: datetime
    ends_at: datetime
    hold_minutes: int
    currency: str


@dataclass(frozen=True)
class TicketTypeSpec:
    """A ticket type as an organizer describes it; `quantity` is None for seated shows."""

    name: str
    price: int
    quantity: int | None
    max_per_order: int = 5
    tax_rate_bp: int = 0
    tax_included: bool = True
    hidden: bool = False


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
class ShowDraft(ShowDetails):
    ticket_types: tuple[TicketTypeSpec, ...]
    seating: tuple[SectionSpec, ...] | None = None


@dataclass(frozen=True)
class TicketTypeChange:
    """An existing type (`id` set) to change, or a new type (`id` None)."""

    id: str | None = None
    name: str | None = None
    price: int | None = None
    quantity: int | None = None
    max_per_order: int | None = None
    tax_rate_bp: int | None = None
    tax_included: bool | None = None
    hidden: bool | None = None


@dataclass(frozen=True)
class ShowPatch:
    """An edit of a show: None (or no type changes) leaves a part as it is."""

    name: str | None = None
    description: str | None = None
    category: str | None = None
    venue: Venue | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    hold_minutes: int | None = None
    ticket_types: tuple[TicketTypeChange, ...] = ()
    seating: tuple[SectionSpec, ...] | None = None  # the whole new layout
