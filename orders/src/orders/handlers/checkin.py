"""Door check-in: verify an issued ticket's key and mark it used, once.

Both key forms are read: the Ed25519-signed keys (`domain.signed_keys`) and the HMAC
keys issued before them (`domain.keys`). A key is refused when it is not genuine or
not the one issued, when its order was cancelled (the event's cancellation included),
and once its event has ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from orders.domain.errors import NotOrganizer
from orders.domain.keys import TicketKey
from orders.domain.order import Order
from orders.domain.order_parts import IssuedTicket
from orders.domain.signed_keys import TicketClaims
from orders.handlers.ports import OrdersUnit
from ticketing_common.domain_errors import NotFound

Verdict = Literal["valid", "invalid", "already_used", "cancelled", "expired"]


@dataclass(frozen=True)
class Venue:
    """Who checks a ticket in, and whether its event still admits anyone."""

    organizer_id: str | None
    ends_at: datetime | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class CheckIn:
    verdict: Verdict
    ticket: IssuedTicket | None = None
    cancel_reason: str | None = None


async def _venue(uow: OrdersUnit, signing_event_id: str) -> Venue:
    if signing_event_id.startswith("listing-"):
        # A resale ticket is checked by whoever sold it.
        listing = await uow.inventory.listing(signing_event_id.removeprefix("listing-"))
        return Venue(listing.seller_id if listing else None)
    event = await uow.catalog.event(signing_event_id)
    if event is None:
        return Venue(None)
    return Venue(event.organizer_id, event.ends_at, event.status == "cancelled")


def _issued_by(order: Order | None, read: TicketClaims | TicketKey) -> bool:
    if order is None:
        return False
    if isinstance(read, TicketClaims):
        return order.id == read.order_id and order.signing_event_id == read.signing_event_id
    return order.signing_event_id == read.event_id


@dataclass(frozen=True)
class CheckInFigures:
    event_id: str
    issued: int
    checked_in: int


async def check_in_figures(uow: OrdersUnit, event_id: str, user_id: str) -> CheckInFigures:
    """How many of the event's tickets were issued and checked in (its organizer only)."""
    venue = await _venue(uow, event_id)
    if venue.organizer_id is None:
        raise NotFound("Event not found", "eventId")
    if venue.organizer_id != user_id:
        raise NotOrganizer()
    issued, checked_in = await uow.orders.check_in_counts(event_id)
    return CheckInFigures(event_id, issued, checked_in)


async def verify_ticket(uow: OrdersUnit, key: str, user_id: str, now: datetime) -> CheckIn:
    """valid (now marked used) / invalid (forged, unknown) / already_used / cancelled (its
    order or event) / expired (its event has ended). Only the organizer may ask."""
    key = key.strip()
    read = uow.ticket_keys.read(key)
    if read is None:
        return CheckIn("invalid")
    order = await uow.orders.order_with_ticket(read.ticket_id)
    if order is None or not _issued_by(order, read):
        return CheckIn("invalid")
    venue = await _venue(uow, order.signing_event_id)
    if venue.organizer_id != user_id:
        raise NotOrganizer()
    ticket = next((t for t in order.tickets if t.id == read.ticket_id), None)
    if ticket is None or ticket.key != key:
        # A re-signed key for a real ticket id is not the key that was issued.
        return CheckIn("invalid")
    if order.status == "cancelled" or venue.cancelled:
        return CheckIn("cancelled", ticket, order.cancel_reason or "event_cancelled")
    if order.status != "complete":
        return CheckIn("invalid")
    # A signed key carries its event's end (as a scanner offline reads it); a legacy
    # key is refused once the event, as replicated, has ended.
    if read.expired(now) if isinstance(read, TicketClaims) else read.expired(venue.ends_at, now):
        return CheckIn("expired", ticket)
    if await uow.orders.mark_ticket_used(read.ticket_id, now):
        return CheckIn("valid", ticket)
    return CheckIn("already_used", ticket)
