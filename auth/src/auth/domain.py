"""Users and the sign-up and sign-in rules; no I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from math import ceil

from ticketing_common.domain_errors import RuleViolation, TooManyRequests
from ticketing_common.events import Event, UserCreated

PASSWORD_MIN = 8
PASSWORD_MAX = 128


class EmailInUse(RuleViolation):
    """An email belongs to one user, whatever its case."""

    default_message = "Email in use"


class InvalidCredentials(RuleViolation):
    """An unknown email and a wrong password get the same answer: neither is revealed."""

    default_message = "Invalid credentials"


def normalize_email(email: str) -> str:
    return email.strip().lower()


@dataclass
class User:
    id: str
    email: str
    password_hash: str
    created_at: datetime
    # The events this object's changes cause, for the outbox; never stored with the user.
    outgoing: tuple[Event, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def signed_up(cls, user_id: str, email: str, password_hash: str, now: datetime) -> User:
        """A new user, recording the `user.created` other services learn of it from."""
        user = cls(user_id, normalize_email(email), password_hash, now)
        user.outgoing = (user.created_event(),)
        return user

    def created_event(self) -> UserCreated:
        return UserCreated(user_id=self.id, email=self.email, occurred_at=self.created_at)


@dataclass(frozen=True)
class SigninThrottle:
    """At most `max_failures` failed sign-ins per email and client within `window`."""

    max_failures: int
    window: timedelta

    @staticmethod
    def key(email: str, client: str) -> str:
        """What failures are counted by: one email from one client address."""
        return f"{normalize_email(email)}|{client}"

    def window_start(self, now: datetime) -> datetime:
        return now - self.window

    def retry_after(self, recent_failures: list[datetime], now: datetime) -> int | None:
        """Seconds to wait before the next attempt, or None when an attempt is allowed."""
        if len(recent_failures) < self.max_failures:
            return None
        # The attempt is allowed again once enough old failures leave the window.
        oldest_that_blocks = sorted(recent_failures)[-self.max_failures]
        return max(1, ceil((oldest_that_blocks + self.window - now).total_seconds()))

    def check(self, recent_failures: list[datetime], now: datetime) -> None:
        """Refuse an attempt while too many recent failures block it."""
        if (wait := self.retry_after(recent_failures, now)) is not None:
            raise TooManyRequests(
                "Too many failed sign-in attempts; try again later", retry_after=wait
            )
