"""Events published by the auth service."""

from __future__ import annotations

from typing import ClassVar

from pydantic import AwareDatetime, Field

from ticketing_common.events.envelope import Event
from ticketing_common.events.subjects import Subject


class UserCreated(Event):
    subject: ClassVar[Subject] = Subject.USER_CREATED

    user_id: str
    email: str


class UserSignedOut(Event):
    """A session ended: every service refuses its token from now on.

    With `everywhere`, every session of the user ended: tokens of a session generation
    below `generation` are refused (sessions started afterwards carry `generation`).
    `expires_at` is when the last token this revokes expires anyway, so a service can
    forget the revocation then.
    """

    subject: ClassVar[Subject] = Subject.USER_SIGNED_OUT

    user_id: str = Field(min_length=1)
    session_id: str = Field(min_length=1)
    everywhere: bool = False
    generation: int = Field(default=0, ge=0)
    expires_at: AwareDatetime
