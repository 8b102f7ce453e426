"""Processed-event records: the one place a consumer remembers what it already applied.

A record `{_id: "<durable>:<event id>"}` is written in the same transaction as the
event's effect, so a redelivered event (after a crash before the ack, or a re-publish
past the broker's duplicate window) is recognised and applied nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from ticketing_common.events import Event
from ticketing_common.mongo import Document

PROCESSED_EVENTS = "processed_events"
E = TypeVar("E", bound=Event)


async def record_new_events(
    db: AsyncDatabase[Document],
    durable: str,
    events: Sequence[E],
    session: AsyncClientSession,
) -> list[E]:
    """Record the events this consumer has not applied yet, in the caller's transaction,
    and return them in order; duplicates (earlier or within `events`) are left out.

    One read and one write for the whole batch. The read comes first because a failed
    insert would abort the transaction; a duplicate racing past it fails on the unique
    `_id`, the transaction is retried or redelivered, and the read then finds it.
    """
    ids = [f"{durable}:{event.id}" for event in events]
    collection = db[PROCESSED_EVENTS]
    seen = {doc["_id"] async for doc in collection.find({"_id": {"$in": ids}}, session=session)}
    new: list[E] = []
    records = []
    for record_id, event in zip(ids, events, strict=True):
        if record_id in seen:
            continue
        seen.add(record_id)
        new.append(event)
        records.append({"_id": record_id, "at": event.occurred_at})
    if records:
        await collection.insert_many(records, ordered=True, session=session)
    return new
