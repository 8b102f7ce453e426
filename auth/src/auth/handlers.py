"""Use cases of the auth service: sign up and sign in."""

from __future__ import annotations

from bson import ObjectId
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import DuplicateKeyError

from auth.domain import SigninThrottle, User, normalize_email
from auth.passwords import hash_password, verify_password
from auth.store import UserStore
from ticketing_common.app import Runtime
from ticketing_common.domain_errors import RuleViolation, TooManyRequests
from ticketing_common.events import utc_now
from ticketing_common.mongo import in_transaction


async def sign_up(email: str, password: str, store: UserStore, runtime: Runtime) -> User:
    user = User(str(ObjectId()), normalize_email(email), await hash_password(password), utc_now())

    async def save(session: AsyncClientSession) -> None:
        await store.insert(user, session)
        await runtime.outbox.add(session, user.created_event())

    try:
        await in_transaction(runtime.mongo, save)
    except DuplicateKeyError:
        raise RuleViolation("Email in use", "email") from None
    runtime.relay.wake()
    return user


async def sign_in(
    email: str, password: str, client: str, store: UserStore, throttle: SigninThrottle
) -> User:
    email = normalize_email(email)
    key = f"{email}|{client}"
    now = utc_now()
    failures = await store.recent_failures(key, throttle.window_start(now))
    if (wait := throttle.retry_after(failures, now)) is not None:
        raise TooManyRequests(
            "Too many failed sign-in attempts; try again later",
            retry_after=wait,
        )
    user = await store.by_email(email)
    if not await verify_password(password, user.password_hash if user else None) or not user:
        await store.record_failure(key, now)
        raise RuleViolation("Invalid credentials")
    if failures:
        await store.clear_failures(key)
    return user
