"""Mongo documents of users and sign-in failures, and their indexes."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from auth.domain import User
from ticketing_common.mongo import Document


class UserStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.users = db["users"]
        self.failures = db["signin_failures"]

    async def ensure_indexes(self) -> None:
        await self.users.create_index("email", unique=True)
        await self.failures.create_index([("key", ASCENDING), ("at", ASCENDING)])
        # Old failures only matter for the throttle window; an hour keeps the table small.
        await self.failures.create_index("at", expireAfterSeconds=3600)

    async def insert(self, user: User, session: AsyncClientSession) -> None:
        await self.users.insert_one(
            {
                "_id": user.id,
                "email": user.email,
                "passwordHash": user.password_hash,
                "createdAt": user.created_at,
            },
            session=session,
        )

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
