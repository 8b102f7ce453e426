"""Mongo documents of users and sign-in failures, and their indexes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import DuplicateKeyError

from auth.domain import EmailInUse, User
from ticketing_common.app import Runtime
from ticketing_common.domain_errors import NotAuthorized
from ticketing_common.events import UserSignedOut
from ticketing_common.mongo import in_transaction


class UserStore:
    """Users and sign-in failures; a new user's events go to the outbox with it."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.users = runtime.db["users"]
        self.failures = runtime.db["signin_failures"]

    async def ensure_indexes(self) -> None:
        await self.users.create_index("email", unique=True)
        await self.failures.create_index([("key", ASCENDING), ("at", ASCENDING)])
        # Old failures only matter for the throttle window; an hour keeps the table small.
        await self.failures.create_index("at", expireAfterSeconds=3600)

    async def add(self, user: User) -> None:
        async def save(session: AsyncClientSession) -> None:
            await self.users.insert_one(
                {
                    "_id": user.id,
                    "email": user.email,
                    "passwordHash": user.password_hash,
                    "createdAt": user.created_at,
                    "sessionGeneration": user.session_generation,
                },
                session=session,
            )
            if user.outgoing:
                await self.runtime.outbox.add(session, *user.outgoing)

        try:
            await in_transaction(self.runtime.mongo, save)
        except DuplicateKeyError:
            # The unique index is what keeps an email to one user, even between racing sign-ups.
            raise EmailInUse(field="email") from None
        self.runtime.relay.wake()

    async def by_email(self, email: str) -> User | None:
        doc = await self.users.find_one({"email": email})
        if doc is None:
            return None
        generation = int(doc.get("sessionGeneration", 0))
        return User(doc["_id"], doc["email"], doc["passwordHash"], doc["createdAt"], generation)

    async def recent_failures(
        self, keys: Sequence[str], since: datetime
    ) -> dict[str, list[datetime]]:
        found: dict[str, list[datetime]] = {key: [] for key in keys}
        cursor = self.failures.find({"key": {"$in": list(keys)}, "at": {"$gte": since}})
        async for doc in cursor:
            found[doc["key"]].append(doc["at"])
        return found

    async def record_failure(self, keys: Sequence[str], at: datetime) -> None:
        await self.failures.insert_many([{"key": key, "at": at} for key in keys])

    async def clear_failures(self, key: str) -> None:
        await self.failures.delete_many({"key": key})

    async def end_session(self, event: UserSignedOut) -> None:
        async def save(session: AsyncClientSession) -> None:
            await self.runtime.outbox.add(session, event)

        await in_transaction(self.runtime.mongo, save)
        self.runtime.relay.wake()

    async def end_all_sessions(
        self, user_id: str, ended: Callable[[int], UserSignedOut]
    ) -> UserSignedOut:
        async def save(session: AsyncClientSession) -> UserSignedOut:
            # An update and a read in one transaction, not one findAndModify: the
            # embedded database answers that by reading every user.
            which = {"_id": user_id}
            await self.users.update_one(which, {"$inc": {"sessionGeneration": 1}}, session=session)
            doc = await self.users.find_one(which, {"sessionGeneration": 1}, session=session)
            if doc is None:  # a valid token of a user who no longer exists
                raise NotAuthorized()
            event = ended(int(doc["sessionGeneration"]))
            await self.runtime.outbox.add(session, event)
            return event

        event = await in_transaction(self.runtime.mongo, save)
        self.runtime.relay.wake()
        return event
