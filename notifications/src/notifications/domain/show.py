"""What the mails say about a show and its tickets, from the replica and the order event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ticketing_common.events import IssuedTicketRef
from ticketing_common.printing import PrintableTicket

RESALE_TYPE_NAME = "Resale ticket"
UNKNOWN_TYPE_NAME = "Ticket"


@dataclass(frozen=True)
class Show:
    """An event (or a resale listing) as the mails name it; `starts_at` None for a listing."""

    name: str
    starts_at: datetime | None = None
    venue: str | None = None
    type_names: dict[str, str] = field(default_factory=dict)


def seat_label(seat_id: str | None) -> str | None:
    """`Main_Floor-A-12` -> "Main Floor, row A, seat 12".

    Seat ids are `<section>-<row>-<label>` with every other character made `_`
    (`ticketing_common.events.seat_id`), so the dashes split them exactly; a character
    that was not a letter or digit reads back as a space.
    """
    if not seat_id:
        return None
    parts = seat_id.split("-")
    if len(parts) != 3:
        return seat_id
    section, row, label = (part.replace("_", " ").strip() or "-" for part in parts)
    return f"{section}, row {row}, seat {label}"


def printable_tickets(
    show: Show, tickets: list[IssuedTicketRef], holder: str, order_id: str
) -> list[PrintableTicket]:
    return [
        PrintableTicket(
            ticket_id=ticket.id,
            key=ticket.key,
            event_name=show.name,
            starts_at=show.starts_at,
            venue=show.venue,
            ticket_type_name=_type_name(show, ticket.ticket_type_id),
            seat_label=seat_label(ticket.seat_id),
            holder=holder,
            order_id=order_id,
        )
        for ticket in tickets
    ]


def _type_name(show: Show, ticket_type_id: str | None) -> str:
    if ticket_type_id is None:
        return RESALE_TYPE_NAME
    return show.type_names.get(ticket_type_id, UNKNOWN_TYPE_NAME)
