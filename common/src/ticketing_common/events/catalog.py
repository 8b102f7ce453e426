"""Events published by the tickets service (the catalog).

Money is an integer in minor units (cents) with its currency; `version` is the
entity's concurrency counter, so replicas apply updates in order.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import AwareDatetime, Field

from ticketing_common.events.envelope import CamelModel, Event
from ticketing_common.events.subjects import Subject


class TicketTypeDefinition(CamelModel):
    id: str
    name: str
    price: int = Field(ge=0, description="minor units")
    quantity: int = Field(ge=0, description="sellable units; for seated types, the seat count")
    max_per_order: int = Field(default=5, ge=1)


class SeatDefinition(CamelModel):
    """One seat; `index` orders seats within a row so orders can find adjacent ones."""

    id: str
    section: str
    row: str
    label: str
    index: int = Field(ge=0)
    ticket_type_id: str


class _EventDefinition(Event):
    event_id: str
    organizer_id: str
    name: str
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    hold_minutes: int = Field(default=15, ge=1, le=60)
    currency: str = "usd"
    status: Literal["active", "cancelled"] = "active"
    ticket_types: list[TicketTypeDefinition] = Field(default_factory=list)
    seats: list[SeatDefinition] = Field(default_factory=list)
    version: int = Field(ge=0)


class EventCreated(_EventDefinition):
    """A show went on sale; carries the full inventory definition."""

    subject: ClassVar[Subject] = Subject.EVENT_CREATED


class EventUpdated(_EventDefinition):
    """A show changed (times, prices, added stock, cancellation); the full definition again."""

    subject: ClassVar[Subject] = Subject.EVENT_UPDATED


class _TicketListing(Event):
    ticket_id: str
    title: str
    price: int = Field(gt=0, description="minor units")
    currency: str = "usd"
    user_id: str
    version: int = Field(ge=0)


class TicketCreated(_TicketListing):
    """A single ticket was listed for resale."""

    subject: ClassVar[Subject] = Subject.TICKET_CREATED


class TicketUpdated(_TicketListing):
    """A listing changed: repriced, or locked / unlocked by an order (`order_id`)."""

    subject: ClassVar[Subject] = Subject.TICKET_UPDATED

    order_id: str | None = None
