"""Events published by the expiration service."""

from __future__ import annotations

from typing import ClassVar

from ticketing_common.events.envelope import Event
from ticketing_common.events.subjects import Subject


class ExpirationComplete(Event):
    """The hold time of an order ran out (a JetStream scheduled message fired)."""

    subject: ClassVar[Subject] = Subject.EXPIRATION_COMPLETE

    order_id: str
