"""Sign-up, sign-in and sign-out use cases against an in-memory users store: throttling
per account and per client, credentials, sessions ended here or everywhere."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from auth.domain import EmailInUse, InvalidCredentials, SessionEnd, SigninThrottle, User
from auth.handlers import sign_in, sign_out, sign_out_everywhere, sign_up
from ticketing_common.domain_errors import TooManyRequests
from ticketing_common.events import Event, UserCreated, UserSignedOut

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

    async def recent_failures(
        self, keys: Sequence[str], since: datetime
    ) -> dict[str, list[datetime]]:
        return {key: [at for k, at in self.failures if k == key and at >= since] for key in keys}

    async def record_failure(self, keys: Sequence[str], at: datetime) -> None:
        self.failures.extend((key, at) for key in keys)

    async def clear_failures(self, key: str) -> None:
        self.failures = [(k, at) for k, at in self.failures if k != key]

    async def end_session(self, event: UserSignedOut) -> None:
        self.published.append(event)

    async def end_all_sessions(
        self, user_id: str, ended: Callable[[int], UserSignedOut]
    ) -> UserSignedOut:
        [user] = [u for u in self.users.values() if u.id == user_id]
        self.users[user.email] = replace(user, session_generation=user.session_generation + 1)
        event = ended(user.session_generation + 1)
        self.published.append(event)
        return event


async def test_sign_up_stores_the_user_and_announces_it() -> None:
    users = FakeUsers()
    user = await sign_up(" Ada@Example.com ", PASSWORD, users, NOW)
    assert users.users == {"ada@example.com": user}
    [event] = users.published
    assert isinstance(event, UserCreated)
    assert (event.user_id, event.email) == (user.id, "ada@example.com")
    with pytest.raises(EmailInUse):
        await sign_up("ADA@example.com", PASSWORD, users, NOW)


async def test_sign_in_is_throttled_per_account_from_any_client_until_failures_leave() -> None:
    users = FakeUsers()
    key = SigninThrottle.account_key("ada@example.com")
    users.failures = [(key, NOW - timedelta(seconds=50)), (key, NOW - timedelta(seconds=20))]
    with pytest.raises(TooManyRequests) as refused:
        await sign_in("ADA@example.com", PASSWORD, CLIENT, users, THROTTLE, NOW)
    assert refused.value.retry_after == 10
    assert refused.value.message == "Too many failed sign-in attempts; try again later"
    assert len(users.failures) == 2  # a refused attempt is not a failure of its own
    with pytest.raises(TooManyRequests):  # guessing from another address does not help
        await sign_in("ada@example.com", PASSWORD, "198.51.100.1", users, THROTTLE, NOW)
    later = NOW + timedelta(seconds=11)  # the older failure has left the window
    with pytest.raises(InvalidCredentials):
        await sign_in("ada@example.com", PASSWORD, CLIENT, users, THROTTLE, later)


async def test_one_client_trying_many_accounts_is_throttled_too() -> None:
    users = FakeUsers()
    for n in range(THROTTLE.max_failures):
        with pytest.raises(InvalidCredentials):
            await sign_in(f"user{n}@example.com", "guess", CLIENT, users, THROTTLE, NOW)
    with pytest.raises(TooManyRequests):
        await sign_in("another@example.com", "guess", CLIENT, users, THROTTLE, NOW)
    with pytest.raises(InvalidCredentials):  # another address has its own budget
        await sign_in("another@example.com", "guess", "198.51.100.1", users, THROTTLE, NOW)


async def test_the_client_budget_can_be_larger_than_the_account_budget() -> None:
    users = FakeUsers()
    throttle = replace(THROTTLE, max_failures_per_client=3)
    for n in range(3):
        with pytest.raises(InvalidCredentials):
            await sign_in(f"user{n}@example.com", "guess", CLIENT, users, throttle, NOW)
    with pytest.raises(TooManyRequests):
        await sign_in("another@example.com", "guess", CLIENT, users, throttle, NOW)


async def test_signing_in_to_an_own_account_does_not_reset_the_client_budget() -> None:
    users = FakeUsers()
    await sign_up("mine@example.com", PASSWORD, users, NOW)
    with pytest.raises(InvalidCredentials):
        await sign_in("victim@example.com", "guess", CLIENT, users, THROTTLE, NOW)
    await sign_in("mine@example.com", PASSWORD, CLIENT, users, THROTTLE, NOW)
    with pytest.raises(InvalidCredentials):
        await sign_in("victim2@example.com", "guess", CLIENT, users, THROTTLE, NOW)
    with pytest.raises(TooManyRequests):
        await sign_in("victim3@example.com", "guess", CLIENT, users, THROTTLE, NOW)


async def test_wrong_passwords_count_as_failures_and_a_success_clears_them() -> None:
    users = FakeUsers()
    await sign_up("ada@example.com", PASSWORD, users, NOW)
    with pytest.raises(InvalidCredentials, match="Invalid credentials"):
        await sign_in("ada@example.com", "wrong password", CLIENT, users, THROTTLE, NOW)
    user = await sign_in("ada@example.com", PASSWORD, CLIENT, users, THROTTLE, NOW)
    assert user.email == "ada@example.com"
    assert [key for key, _ in users.failures] == [SigninThrottle.client_key(CLIENT)]
    for n in range(THROTTLE.max_failures):
        client = f"198.51.100.{n}"  # from several addresses: the account's count
        with pytest.raises(InvalidCredentials):
            await sign_in("ada@example.com", "wrong password", client, users, THROTTLE, NOW)
    with pytest.raises(TooManyRequests):  # even with the right password now
        await sign_in("ada@example.com", PASSWORD, CLIENT, users, THROTTLE, NOW)


def _session_of(user: User, generation: int = 0) -> SessionEnd:
    return SessionEnd(user.id, "session-1", generation, NOW + timedelta(hours=8))


async def test_sign_out_publishes_the_end_of_that_session_until_its_token_expires() -> None:
    users = FakeUsers()
    user = await sign_up("ada@example.com", PASSWORD, users, NOW)
    event = await sign_out(_session_of(user), users)
    assert users.published[-1] == event
    assert (event.user_id, event.session_id, event.everywhere) == (user.id, "session-1", False)
    assert event.expires_at == NOW + timedelta(hours=8)


async def test_sign_out_everywhere_raises_the_generation_so_every_older_token_is_void() -> None:
    users = FakeUsers()
    user = await sign_up("ada@example.com", PASSWORD, users, NOW)
    lifetime = timedelta(hours=8)
    event = await sign_out_everywhere(_session_of(user), users, NOW, lifetime)
    assert (event.everywhere, event.generation, event.expires_at) == (True, 1, NOW + lifetime)
    # The next session is of the new generation: its token is not void.
    signed_in = await sign_in("ada@example.com", PASSWORD, CLIENT, users, THROTTLE, NOW)
    assert signed_in.session_generation == 1
    again = await sign_out_everywhere(_session_of(signed_in, 1), users, NOW, lifetime)
    assert again.generation == 2
