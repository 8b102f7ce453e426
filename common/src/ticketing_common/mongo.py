"""The Mongo client every service opens, and transactions that retry transient conflicts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession

T = TypeVar("T")
Document = dict[str, Any]
MongoClient = AsyncMongoClient[Document]


def connect_mongo(uri: str, **options: Any) -> MongoClient:
    # tz_aware: datetimes come back as aware UTC values, the only kind the services use.
    return AsyncMongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=5000, **options)


async def in_transaction(
    client: MongoClient, work: Callable[[AsyncClientSession], Awaitable[T]]
) -> T:
    """Run `work` in one transaction; the driver retries transient errors and unknown commits."""
    async with client.start_session() as session:
        return await session.with_transaction(work)
