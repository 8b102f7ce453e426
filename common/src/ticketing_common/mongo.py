"""The Mongo client every service opens, and transactions that retry transient conflicts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import BulkWriteError

T = TypeVar("T")
Document = dict[str, Any]
MongoClient = AsyncMongoClient[Document]
DUPLICATE_KEY = 11000


def connect_mongo(uri: str, **options: Any) -> MongoClient:
    # tz_aware: datetimes come back as aware UTC values, the only kind the services use.
    return AsyncMongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=5000, **options)


async def in_transaction(
    client: MongoClient, work: Callable[[AsyncClientSession], Awaitable[T]]
) -> T:
    """Run `work` in one transaction; the driver retries transient errors and unknown commits."""
    async with client.start_session() as session:
        return await session.with_transaction(work)


def duplicate_writes(error: BulkWriteError) -> dict[int, Document]:
    """The writes of a bulk that failed on a duplicate key, by their index in the bulk;
    `error` is raised again if anything else failed."""
    failed = {e["index"]: e for e in error.details.get("writeErrors", [])}
    if error.details.get("writeConcernErrors") or any(
        e.get("code") != DUPLICATE_KEY for e in failed.values()
    ):
        raise error
    return failed
