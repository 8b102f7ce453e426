"""Sign-up and sign-in use cases against an in-memory users store: throttling, credentials."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from auth.domain import EmailInUse, InvalidCredentials, SigninThrottle, User
from auth.handlers import sign_in, sign_up
from ticketing_common.domain_errors import TooManyRequests
from ticketing_common.events import Event, UserCreated

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
THROTTLE = SigninThrottle(max_failures=2, window=timedelta(seconds=60))
CLIENT = "203.0.113.7"
PASSWORD = "correct horse"


class FakeUsers:
    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self.failures: list[tuple[str, datetime]] = []
        self.published: list[Event] = []

    async def add(self, user: User) -> None:
        if user.email in self.users:
            raise EmailInUse(field="email")
        self.users[user.email] = user
        self.published.extend(user.outgoing)

    async def by_email(self, email: str) -> User | None:
        return self.users.get(email)

    async def recent_failures(self, key: str, since: datetime) -> list[datetime]:
        return [at for k, at in self.failures if k == key and at >= since]

    async def record_failure(self, key: str, at: datetime) -> None:
        self.failures.append((key, at))

    async def clear_failures(self, key: str) -> None:
        self.failures = [(k, at) for k, at in self.failures if k != key]


async def test_sign_up_stores_the_user_and_announces_it() -> None:
    users = FakeUsers()
    user = await sign_up(" Ada@Example.com ", PASSWORD, users, NOW)
    assert users.users == {"ada@example.com": user}
    [event] = users.published
    assert isinstance(event, UserCreated)
    assert (event.user_id, event.email) == (user.id, "ada@example.com")
    with pytest.raises(EmailInUse):
        await sign_up("ADA@example.com", PASSWORD, users, NOW)


async def test_sign_in_is_throttled_per_email_and_client_until_failures_leave_the_window() -> None:
    users = FakeUsers()
    key = SigninThrottle.key("ada@example.com", CLIENT)
    users.failures = [(key, NOW - timedelta(seconds=50)), (key, NOW - timedelta(seconds=20))]
    with pytest.raises(TooManyRequests) as refused:
        await sign_in("ADA@example.com", PASSWORD, CLIENT, users, THROTTLE, NOW)
    assert refused.value.retry_after == 10
    assert refused.value.message == "Too many failed sign-in attempts; try again later"
    assert len(users.failures) == 2  # a refused attempt is not a failure of its own
    with pytest.raises(InvalidCredentials):  # another client is not blocked
        await sign_in("ada@example.com", PASSWORD, "198.51.100.1", users, THROTTLE, NOW)
    later = NOW + timedelta(seconds=11)  # the older failure has left the window
    with pytest.raises(InvalidCredentials):
        await sign_in("ada@example.com", PASSWORD, CLIENT, users, THROTTLE, later)


async def test_wrong_passwords_count_as_failures_and_a_success_clears_them() -> None:
    users = FakeUsers()
    await sign_up("ada@example.com", PASSWORD, users, NOW)
    with pytest.raises(InvalidCredentials, match="Invalid credentials"):
        await sign_in("ada@example.com", "wrong password", CLIENT, users, THROTTLE, NOW)
    user = await sign_in("ada@example.com", PASSWORD, CLIENT, users, THROTTLE, NOW)
    assert user.email == "ada@example.com"
    assert users.failures == []
    for _ in range(THROTTLE.max_failures):
        with pytest.raises(InvalidCredentials):
            await sign_in("ada@example.com", "wrong password", CLIENT, users, THROTTLE, NOW)
    with pytest.raises(TooManyRequests):  # even with the right password now
        await sign_in("ada@example.com", PASSWORD, CLIENT, users, THROTTLE, NOW)
