"""Users and the sign-up and sign-in rules; no I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from math import ceil

from ticketing_common.domain_errors import RuleViolation, TooManyRequests
from ticketing_common.events import Event, UserCreated, UserSignedOut

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
    # Tokens of a lower generation are void: "sign out everywhere" raises it.
    session_generation: int = 0
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
class SessionEnd:
    """The session a sign-out ends, as its token describes it."""

    user_id: str
    session_id: str
    generation: int
    expires_at: datetime

    def signed_out(self) -> UserSignedOut:
        """This session ends; its token would have expired at `expires_at` anyway."""
        return UserSignedOut(
            user_id=self.user_id,
            session_id=self.session_id,
            generation=self.generation,
            expires_at=self.expires_at,
        )

    def signed_out_everywhere(
        self, new_generation: int, now: datetime, token_lifetime: timedelta
    ) -> UserSignedOut:
        """Every session of the user ends: any token issued until now is void, and the
        last of them would have expired one token lifetime from now."""
        return UserSignedOut(
            user_id=self.user_id,
            session_id=self.session_id,
            everywhere=True,
            generation=new_generation,
            expires_at=now + token_lifetime,
            occurred_at=now,
        )


@dataclass(frozen=True)
class SigninThrottle:
    """Failed sign-ins are counted per account (from any client) and per client address
    (for any account): guessing one password from many addresses and trying many
    accounts from one address both run out of attempts."""

    max_failures: int
    window: timedelta
    max_failures_per_client: int | None = None  # None: as many as per account

    @staticmethod
    def account_key(email: str) -> str:
        return f"account:{normalize_email(email)}"

    @staticmethod
    def client_key(client: str) -> str:
        return f"client:{client}"

    def window_start(self, now: datetime) -> datetime:
        return now - self.window

    def retry_after(
        self, recent_failures: list[datetime], now: datetime, limit: int | None = None
    ) -> int | None:
        """Seconds to wait before the next attempt, or None when an attempt is allowed."""
        limit = limit or self.max_failures
        if len(recent_failures) < limit:
            return None
        # The attempt is allowed again once enough old failures leave the window.
        oldest_that_blocks = sorted(recent_failures)[-limit]
        return max(1, ceil((oldest_that_blocks + self.window - now).total_seconds()))

    def check(self, by_account: list[datetime], by_client: list[datetime], now: datetime) -> None:
        """Refuse an attempt while too many recent failures block it, either way."""
        waits = [
            self.retry_after(by_account, now),
            self.retry_after(by_client, now, self.max_failures_per_client),
        ]
        if blocked := [wait for wait in waits if wait is not None]:
            raise TooManyRequests(
                "Too many failed sign-in attempts; try again later", retry_after=max(blocked)
            )
