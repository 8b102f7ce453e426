"""Use cases of the auth service: sign up and sign in, against the `Users` protocol
(Mongo in production, see auth.store; an in-memory fake in unit tests)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bson import ObjectId

from auth.domain import InvalidCredentials, SigninThrottle, User, normalize_email
from auth.passwords import hash_password, verify_password


class Users(Protocol):
    async def add(self, user: User) -> None:
        """Store a new user with the events it recorded, atomically; EmailInUse if taken."""
        ...

    async def by_email(self, email: str) -> User | None: ...

    async def recent_failures(self, key: str, since: datetime) -> list[datetime]: ...

    async def record_failure(self, key: str, at: datetime) -> None: ...

    async def clear_failures(self, key: str) -> None: ...


async def sign_up(email: str, password: str, users: Users, now: datetime) -> User:
    user = User.signed_up(str(ObjectId()), email, await hash_password(password), now)
    await users.add(user)
    return user


async def sign_in(
    email: str, password: str, client: str, users: Users, throttle: SigninThrottle, now: datetime
) -> User:
    key = throttle.key(email, client)
    failures = await users.recent_failures(key, throttle.window_start(now))
    throttle.check(failures, now)
    user = await users.by_email(normalize_email(email))
    if not await verify_password(password, user.password_hash if user else None) or not user:
        await users.record_failure(key, now)
        raise InvalidCredentials()
    if failures:
        await users.clear_failures(key)
    return user
