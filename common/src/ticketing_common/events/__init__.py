"""Typed events for every subject, and the registry that maps a subject to its model."""

from __future__ import annotations

from ticketing_common.events.catalog import (
    EventCreated,
    EventUpdated,
    SeatDefinition,
    SeatRowDefinition,
    TicketCancelled,
    TicketCreated,
    TicketTypeDefinition,
    TicketUpdated,
    seat_id,
    seat_id_part,
)
from ticketing_common.events.envelope import CamelModel, Event, new_event_id, utc_now
from ticketing_common.events.expiration import ExpirationComplete
from ticketing_common.events.orders import (
    CancelReason,
    IssuedTicketRef,
    OrderCancelled,
    OrderCompleted,
    OrderCreated,
    OrderedTicket,
    OrderItem,
    OrderStatusValue,
)
from ticketing_common.events.payments import (
    FailureReason,
    PaymentCreated,
    PaymentFailed,
    PaymentRefunded,
)
from ticketing_common.events.subjects import STREAM_NAME, STREAM_SUBJECTS, Subject
from ticketing_common.events.users import UserCreated, UserSignedOut
from ticketing_common.events.waitlist import WaitlistOffered

EVENT_TYPES: dict[Subject, type[Event]] = {
    model.subject: model
    for model in (
        UserCreated,
        UserSignedOut,
        EventCreated,
        EventUpdated,
        TicketCreated,
        TicketUpdated,
        TicketCancelled,
        OrderCreated,
        OrderCancelled,
        OrderCompleted,
        ExpirationComplete,
        PaymentCreated,
        PaymentFailed,
        PaymentRefunded,
        WaitlistOffered,
    )
}

__all__ = [
    "EVENT_TYPES",
    "STREAM_NAME",
    "STREAM_SUBJECTS",
    "CamelModel",
    "CancelReason",
    "Event",
    "EventCreated",
    "EventUpdated",
    "ExpirationComplete",
    "FailureReason",
    "IssuedTicketRef",
    "OrderCancelled",
    "OrderCompleted",
    "OrderCreated",
    "OrderItem",
    "OrderStatusValue",
    "OrderedTicket",
    "PaymentCreated",
    "PaymentFailed",
    "PaymentRefunded",
    "SeatDefinition",
    "SeatRowDefinition",
    "Subject",
    "TicketCancelled",
    "TicketCreated",
    "TicketTypeDefinition",
    "TicketUpdated",
    "UserCreated",
    "UserSignedOut",
    "WaitlistOffered",
    "new_event_id",
    "seat_id",
    "seat_id_part",
    "utc_now",
]
