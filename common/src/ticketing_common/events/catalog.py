"""Events published by the tickets service (the catalog).

Money is an integer in minor units (cents) with its currency; `version` is the
entity's concurrency counter, so replicas apply updates in order.

A seat map travels as rows (`seatRows`: section, row, type, labels), not one object
per seat, so 100,000 seats fit in one message under NATS's default 1 MB limit. The
seat id and index are derived here, in one place, by `seat_id` and
`SeatRowDefinition.expand`; the older per-seat `seats` field is still read.
"""

from __future__ import annotations

import re
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
    # Added later (older messages: no tax, not hidden). The rate is in hundredths of a
    # percent (1950 = 19.5 %); `tax_included`: the price includes it (VAT), else it is
    # added on top (US sales tax). A hidden type is sold only with a voucher unlocking it.
    tax_rate_bp: int = Field(default=0, ge=0, le=10_000)
    tax_included: bool = True
    hidden: bool = False


_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def seat_id_part(text: str) -> str:
    """The seat-id form of a section name, row label or seat label."""
    return _UNSAFE.sub("_", text.strip()).strip("_") or "_"


def seat_id(section: str, row: str, label: str) -> str:
    """`<section>-<row>-<label>`, each part reduced to letters, digits and `_`.

    The same layout always yields the same ids: orders and issued tickets refer to them.
    """
    return f"{seat_id_part(section)}-{seat_id_part(row)}-{seat_id_part(label)}"


class SeatDefinition(CamelModel):
    """One seat; `index` orders seats within a row so orders can find adjacent ones."""

    id: str
    section: str
    row: str
    label: str
    index: int = Field(ge=0)
    ticket_type_id: str


class SeatRowDefinition(CamelModel):
    """A row of seats in order along the row; each seat's index is its position here."""

    section: str
    row: str
    ticket_type_id: str
    labels: list[str] = Field(min_length=1)

    def expand(self) -> list[SeatDefinition]:
        # The fields were validated with the row, so skip validating each seat again
        # (a 50,000-seat map expands in milliseconds).
        prefix = f"{seat_id_part(self.section)}-{seat_id_part(self.row)}-"
        return [
            SeatDefinition.model_construct(
                id=prefix + seat_id_part(label),
                section=self.section,
                row=self.row,
                label=label,
                index=index,
                ticket_type_id=self.ticket_type_id,
            )
            for index, label in enumerate(self.labels)
        ]


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
    # The per-seat form of older messages; publishers now send `seat_rows` instead.
    seats: list[SeatDefinition] = Field(default_factory=list)
    seat_rows: list[SeatRowDefinition] = Field(default_factory=list)
    version: int = Field(ge=0)

    def all_seats(self) -> list[SeatDefinition]:
        """Every seat in layout order, whichever form the message carried."""
        return [*self.seats, *(seat for row in self.seat_rows for seat in row.expand())]

    def seated_type_ids(self) -> set[str]:
        """Ticket types sold by seat (the rest are counted, general admission)."""
        return {s.ticket_type_id for s in self.seats} | {r.ticket_type_id for r in self.seat_rows}


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


class TicketCancelled(_TicketListing):
    """A listing was withdrawn by its seller: it is no longer for sale, and `version` is
    its next version (replicas apply it in order, after every `ticket.updated`)."""

    subject: ClassVar[Subject] = Subject.TICKET_CANCELLED
