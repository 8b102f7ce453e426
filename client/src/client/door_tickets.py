"""Issued tickets as the door sees them: named from the event, with the QR code of the key.

Orders gives the tickets (id, key, type id, seat id); the tickets service's event gives
the names (event, venue, ticket type, seat). One `PrintableTicket` per ticket feeds both
the cards of the pages and the PDF (`ticketing_common.printing`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from client.formatting import parse_datetime
from client.shapes import Json, first, seat_sections, ticket_types
from ticketing_common.printing import PrintableTicket, qr_svg

RESALE_TYPE = "Resale ticket"


@dataclass(frozen=True)
class TicketCard:
    ticket: PrintableTicket
    qr: Markup  # segno's SVG: every text in it is escaped
    used: bool


def _venue(event: Json | None, order: Json) -> str | None:
    venue = first(event, "venue") or first(first(order, "event"), "venue")
    if isinstance(venue, dict):
        parts = [first(venue, "name"), first(venue, "address")]
        return ", ".join(str(p) for p in parts if p) or None
    return str(venue) if venue else None


def _seat_labels(event: Json | None) -> dict[str, str]:
    """ "Stalls, row C, seat 3" by seat id."""
    labels = {}
    for section in seat_sections(event or {}):
        for row in section.rows:
            for seat in row.seats:
                where = f"{section.name}, row {row.label}" if section.name else f"Row {row.label}"
                labels[seat.id] = f"{where}, seat {seat.label}"
    return labels


def _issued(order: Json) -> list[Json]:
    """The order's tickets that carry a key (only those get into a door)."""
    raw = first(order, "tickets", "issuedTickets")
    return (
        [t for t in raw if isinstance(t, dict) and first(t, "key")] if isinstance(raw, list) else []
    )


def printable_tickets(order: Json, event: Json | None, holder: str) -> list[PrintableTicket]:
    """The order's issued tickets, named from its event (or its resale listing)."""
    listing = first(order, "ticket")
    summary = first(order, "event")
    name = first(event, "name") or first(summary, "name") or first(listing, "title") or "Event"
    starts_at = parse_datetime(first(event, "startsAt") or first(summary, "startsAt"))
    type_names = {str(t.get("id")): str(t.get("name")) for t in ticket_types(event or {})}
    seats = _seat_labels(event)
    venue = _venue(event, order)
    printable = []
    for ticket in _issued(order):
        type_id, seat = first(ticket, "ticketTypeId"), first(ticket, "seatId")
        type_name = type_names.get(str(type_id)) or (RESALE_TYPE if listing else "Ticket")
        printable.append(
            PrintableTicket(
                ticket_id=str(first(ticket, "id", default="")),
                key=str(first(ticket, "key")),
                event_name=str(name),
                starts_at=starts_at,
                venue=venue,
                ticket_type_name=type_name,
                seat_label=seats.get(str(seat), str(seat)) if seat else None,
                holder=holder,
                order_id=str(first(order, "id", default="")),
            )
        )
    return printable


def ticket_cards(order: Json, event: Json | None, holder: str) -> list[TicketCard]:
    """A card per issued ticket, with its QR code and whether it was checked in."""
    used = {str(first(t, "id")) for t in _issued(order) if first(t, "used")}
    cards = []
    for ticket in printable_tickets(order, event, holder):
        title = f"QR code of ticket {ticket.ticket_id}"
        qr = Markup(qr_svg(ticket.key, title))  # noqa: S704 - segno's markup, its text escaped
        cards.append(TicketCard(ticket, qr, ticket.ticket_id in used))
    return cards


def pdf_filename(tickets: list[PrintableTicket], order_id: str) -> str:
    """ "tickets-jazz-night-<order id>.pdf": plain ASCII, safe in a header."""
    name = tickets[0].event_name if tickets else ""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")
    safe_id = re.sub(r"[^A-Za-z0-9]+", "", order_id)[:40]
    return "-".join(p for p in ("tickets", slug, safe_id) if p) + ".pdf"
