"""Users and the sign-in rules; no I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from ticketing_common.events import UserCreated

PASSWORD_MIN = 8
PASSWORD_MAX = 128


def normalize_email(email: str) -> str:
    return email.strip().lower()


@dataclass
class User:
    id: str
    email: str
    password_hash: str
    created_at: datetime

    def created_event(self) -> UserCreated:
        return UserCreated(user_id=self.id, email=self.email, occurred_at=self.created_at)


@dataclass(frozen=True)
class SigninThrottle:
    """At most `max_failures` failed sign-ins per email and client within `window`."""

    max_failures: int
    window: timedelta

    def window_start(self, now: datetime) -> datetime:
        return now - self.window

    def retry_after(self, recent_failures: list[datetime], now: datetime) -> int | None:
        """Seconds to wait before the next attempt, or None when an attempt is allowed."""
        if len(recent_failures) < self.max_failures:
            return None
        # The attempt is allowed again once enough old failures leave the window.
        oldest_that_blocks = sorted(recent_failures)[-self.max_failures]
        return max(1, ceil((oldest_that_blocks + self.window - now).total_seconds()))
