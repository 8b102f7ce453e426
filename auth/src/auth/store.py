"""Mongo documents of users and sign-in failures, and their indexes."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import DuplicateKeyError

from auth.domain import EmailInUse, User
from ticketing_common.app import Runtime
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
        return User(doc["_id"], doc["email"], doc["passwordHash"], doc["createdAt"])

    async def recent_failures(self, key: str, since: datetime) -> list[datetime]:
        cursor = self.failures.find({"key": key, "at": {"$gte": since}}, {"at": 1})
        return [doc["at"] async for doc in cursor]

    async def record_failure(self, key: str, at: datetime) -> None:
        await self.failures.insert_one({"key": key, "at": at})

    async def clear_failures(self, key: str) -> None:
        await self.failures.delete_many({"key": key})
