"""Use cases of the auth service: sign up, sign in, sign out (here or everywhere), against
the `Users` protocol (Mongo in production, see auth.store; an in-memory fake in unit tests)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from bson import ObjectId

from auth.domain import InvalidCredentials, SessionEnd, SigninThrottle, User, normalize_email
from auth.passwords import hash_password, verify_password
from ticketing_common.events import UserSignedOut


class Users(Protocol):
    async def add(self, user: User) -> None:
        """Store a new user with the events it recorded, atomically; EmailInUse if taken."""
        ...

    async def by_email(self, email: str) -> User | None: ...

    async def recent_failures(
        self, keys: Sequence[str], since: datetime
    ) -> dict[str, list[datetime]]: ...

    async def record_failure(self, keys: Sequence[str], at: datetime) -> None: ...

    async def clear_failures(self, key: str) -> None: ...

    async def end_session(self, event: UserSignedOut) -> None:
        """Publish that a session ended (through the outbox)."""
        ...

    async def end_all_sessions(
        self, user_id: str, ended: Callable[[int], UserSignedOut]
    ) -> UserSignedOut:
        """Raise the user's session generation and publish `ended(new generation)`, atomically."""
        ...


async def sign_up(email: str, password: str, users: Users, now: datetime) -> User:
    user = User.signed_up(str(ObjectId()), email, await hash_password(password), now)
    await users.add(user)
    return user


async def sign_in(
    email: str, password: str, client: str, users: Users, throttle: SigninThrottle, now: datetime
) -> User:
    account, source = throttle.account_key(email), throttle.client_key(client)
    failures = await users.recent_failures([account, source], throttle.window_start(now))
    throttle.check(failures.get(account, []), failures.get(source, []), now)
    user = await users.by_email(normalize_email(email))
    if not await verify_password(password, user.password_hash if user else None) or not user:
        await users.record_failure([account, source], now)
        raise InvalidCredentials()
    # Only the account's count starts over: signing in to an account of one's own must
    # not buy a client more guesses at other accounts.
    if failures.get(account):
        await users.clear_failures(account)
    return user


async def sign_out(session: SessionEnd, users: Users) -> UserSignedOut:
    event = session.signed_out()
    await users.end_session(event)
    return event


async def sign_out_everywhere(
    session: SessionEnd, users: Users, now: datetime, token_lifetime: timedelta
) -> UserSignedOut:
    return await users.end_all_sessions(
        session.user_id,
        lambda generation: session.signed_out_everywhere(generation, now, token_lifetime),
    )
