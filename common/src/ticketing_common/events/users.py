"""Events published by the auth service."""

from __future__ import annotations

from typing import ClassVar

from ticketing_common.events.envelope import Event
from ticketing_common.events.subjects import Subject


class UserCreated(Event):
    subject: ClassVar[Subject] = Subject.USER_CREATED

    user_id: str
    email: str
