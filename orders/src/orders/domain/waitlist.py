"""The waiting list of a sold-out general-admission ticket type — its rules, no I/O.

A signed-in buyer joins a type's line for N tickets (N within the type's per-order
maximum) only while the public cannot buy it: no unit is free, or a line is already
waiting (freed units then belong to the line). A buyer has one open entry per type.

When units come free, the first entry waiting (by `joinedAt`, then id) gets them as a
hold made for the buyer: an ordinary pending order through the same guarded counter
claim as any hold, valid for the offer time (never past the event's end). The entry
becomes `offered` with that order's id; when the order is paid the entry is
`accepted`, when it expires `lapsed`, when cancelled `declined` — and the next buyer
waiting is offered the units the order gives back.

The guarantees, and how they are kept (orders.handlers.waitlist does the I/O):
- A freed unit is never offered to two people: an offer is a claim on the counter
  (one guarded write; a unit is claimed once) and the entry is marked offered by a
  write guarded on `status: waiting`, so of two replicas offering at once one wins and
  the other gives its claim straight back.
- First in, first served, strictly: only the first waiting entry is offered; if the
  units free are fewer than it wants, it waits for more and nobody behind it is served.
- No unit goes back on public sale while a buyer waits: a public hold claims first,
  then asks whether anyone waits for its types, and if so gives its units back (and
  offers them to the line) and is refused. A join that the claim did not see was
  recorded after the claim, so the claim came first — fair by arrival.
Limits: a head of line that wants more units than will ever come free blocks its line
(the buyer may leave it); for an instant between a release and its offer a unit is
free, but the public cannot keep it. Seated types have no waiting line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from bson import ObjectId

from orders.domain.holds import EventInfo, TicketType
from ticketing_common.domain_errors import Conflict, NotFound, RuleViolation
from ticketing_common.events import CancelReason

WaitlistStatus = Literal["waiting", "offered", "accepted", "lapsed", "declined", "left", "closed"]
# A buyer has at most one entry per type in these.
OPEN: tuple[WaitlistStatus, ...] = ("waiting", "offered")
# What the end of an offered order makes of its entry.
_ENDED_BY: dict[CancelReason, WaitlistStatus] = {
    "expired": "lapsed",
    "cancelled_by_buyer": "declined",
}


class TicketsOnSale(Conflict):
    def __init__(self, free: int, name: str) -> None:
        super().__init__(
            f"{free} tickets of {name} are on sale: buy them instead of waiting", "ticketTypeId"
        )


class AlreadyWaiting(Conflict):
    def __init__(self) -> None:
        super().__init__("You are already on the waiting list for these tickets", "ticketTypeId")


class WaitlistEntryNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Waiting list entry not found")


class OfferAlreadyMade(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "Your tickets from the waiting list are held for you: cancel that order "
            "in My orders to give them up"
        )


class WaitingListFirst(Conflict):
    """A public hold of a type that buyers are waiting for: the units go to them first."""

    def __init__(self) -> None:
        super().__init__(
            "Sold out: tickets that come free go to the waiting list first. "
            "Join the waiting list to get them.",
            "items",
        )


@dataclass(frozen=True)
class WaitlistEntry:
    id: str
    event_id: str
    ticket_type_id: str
    user_id: str
    quantity: int
    status: WaitlistStatus
    joined_at: datetime
    order_id: str | None = None
    offered_at: datetime | None = None
    offer_expires_at: datetime | None = None
    ended_at: datetime | None = None

    def offered(self, order_id: str, expires_at: datetime, now: datetime) -> WaitlistEntry:
        return replace(
            self, status="offered", order_id=order_id, offered_at=now, offer_expires_at=expires_at
        )


def waitlisted_type(event: EventInfo, type_id: str, quantity: int, now: datetime) -> TicketType:
    """The type a buyer may wait for: a general-admission type of an event on sale."""
    event.ensure_on_sale(now)
    ticket_type = event.check_quantity(type_id, quantity)
    if ticket_type.seated:
        raise RuleViolation(
            f"{ticket_type.name} is seated: choose free seats on the seat map", "ticketTypeId"
        )
    return ticket_type


def join(
    event: EventInfo,
    ticket_type: TicketType,
    user_id: str,
    quantity: int,
    public_free: int,
    now: datetime,
) -> WaitlistEntry:
    """A new entry, if the public cannot buy the type (`public_free`: what it could)."""
    if public_free > 0:
        raise TicketsOnSale(public_free, ticket_type.name)
    return WaitlistEntry(
        str(ObjectId()), event.id, ticket_type.id, user_id, quantity, "waiting", now
    )


def public_free(free: int, line_waiting: bool) -> int:
    """Units the public may buy: none while anyone waits (freed units are the line's)."""
    return 0 if line_waiting else free


def ended_status(reason: CancelReason) -> WaitlistStatus:
    """What an offered order's cancellation makes of its entry."""
    return _ENDED_BY.get(reason, "closed")


def offer_after(order_status: str | None) -> WaitlistStatus | None:
    """An offer found by the sweep (past the grace), by its order's status → the entry's
    new status: None to leave it (a pending hold); "waiting" gives the buyer back their
    place when the hold was never recorded (a crash between offer and order)."""
    if order_status in (None, "abandoned"):
        return "waiting"
    if order_status == "complete":
        return "accepted"
    if order_status == "cancelled":
        return "lapsed"
    return None
