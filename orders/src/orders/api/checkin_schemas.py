"""JSON shapes of the door: a key to check, the answer, and the public keys of the
ticket keys (`orders.domain.signed_keys` describes the format)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints

from orders.handlers.checkin import CheckIn, CheckInFigures, Verdict
from ticketing_common.schemas import CamelModel


class VerifyRequest(CamelModel):
    # A blank key is no key: stripped first, so "   " is refused like "". A signed key
    # is about 300-400 characters (orders.domain.signed_keys).
    key: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


VERDICT_MESSAGES: dict[Verdict, str] = {
    "valid": "Valid ticket: checked in",
    "invalid": "Not a valid ticket: the key is unknown, forged or altered",
    "already_used": "Refused: this ticket has already been checked in",
    "cancelled": "Refused: this ticket's order was cancelled",
    "expired": "Refused: the event has ended",
}
CANCELLED_MESSAGES = {
    "event_cancelled": "Refused: the event was cancelled and the ticket refunded",
    "listing_withdrawn": "Refused: the seller withdrew this ticket and it was refunded",
}


class VerifyOut(CamelModel):
    """The door's answer: `result` for machines, `message` for the person at the door;
    the ticket's ids once the key is known to be one that was issued."""

    result: str
    message: str
    ticket_id: str | None = None
    ticket_type_id: str | None = None
    seat_id: str | None = None
    cancel_reason: str | None = None
    used_at: datetime | None = None  # when an already used ticket was checked in

    @classmethod
    def of(cls, check: CheckIn) -> VerifyOut:
        message = VERDICT_MESSAGES[check.verdict]
        if check.verdict == "cancelled":
            message = CANCELLED_MESSAGES.get(check.cancel_reason or "", message)
        ticket = check.ticket
        return cls(
            result=check.verdict,
            message=message,
            ticket_id=ticket.id if ticket else None,
            ticket_type_id=ticket.ticket_type_id if ticket else None,
            seat_id=ticket.seat_id if ticket else None,
            cancel_reason=check.cancel_reason,
            used_at=ticket.used_at if ticket and check.verdict == "already_used" else None,
        )


class TicketKeyOut(CamelModel):
    kid: str
    alg: str = "Ed25519"
    public_key: str  # base64url of the raw 32-byte public key


class TicketKeysOut(CamelModel):
    keys: list[TicketKeyOut]


class CheckInsOut(CamelModel):
    """How the door is doing: tickets issued for the event and checked in so far."""

    event_id: str
    issued: int
    checked_in: int

    @classmethod
    def of(cls, figures: CheckInFigures) -> CheckInsOut:
        return cls(event_id=figures.event_id, issued=figures.issued, checked_in=figures.checked_in)
