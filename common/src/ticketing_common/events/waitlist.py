"""Events of the waiting list (published by the orders service, which keeps the lines)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import AwareDatetime, Field

from ticketing_common.events.envelope import Event
from ticketing_common.events.subjects import Subject


class WaitlistOffered(Event):
    """Units came free and were held for the first buyer waiting for them: the hold is an
    ordinary pending order (`order_id`, paid like any hold) until `expires_at`; if it
    lapses or is cancelled the next buyer in line gets the units.

    On `order.>` (the stream's subjects are fixed), recorded with the hold's own
    `order.created` in one write, so it goes out exactly when the hold exists."""

    subject: ClassVar[Subject] = Subject.WAITLIST_OFFERED

    entry_id: str
    order_id: str
    user_id: str
    event_id: str
    event_name: str
    ticket_type_id: str
    ticket_type_name: str
    quantity: int = Field(ge=1)
    amount: int = Field(ge=0, description="minor units")
    currency: str = "usd"
    expires_at: AwareDatetime
