"""The subject registry: every subject on the TICKETING stream."""

from __future__ import annotations

from enum import StrEnum


class Subject(StrEnum):
    USER_CREATED = "user.created"
    USER_SIGNED_OUT = "user.signed-out"
    EVENT_CREATED = "event.created"
    EVENT_UPDATED = "event.updated"
    TICKET_CREATED = "ticket.created"
    TICKET_UPDATED = "ticket.updated"
    TICKET_CANCELLED = "ticket.cancelled"
    ORDER_CREATED = "order.created"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_COMPLETED = "order.completed"
    # On `order.>`: the stream's subject list stays as it is (see events/waitlist.py).
    WAITLIST_OFFERED = "order.waitlist-offered"
    EXPIRATION_COMPLETE = "expiration.complete"
    PAYMENT_CREATED = "payment.created"
    PAYMENT_FAILED = "payment.failed"
    PAYMENT_REFUNDED = "payment.refunded"


STREAM_NAME = "TICKETING"
STREAM_SUBJECTS = ["user.>", "event.>", "ticket.>", "order.>", "expiration.>", "payment.>"]
