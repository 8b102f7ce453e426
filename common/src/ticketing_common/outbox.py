"""Transactional outbox: an event is stored with the state change, then relayed to NATS.

Two forms, one relay loop:
- `Outbox.add` inserts the event into the service's `outbox` collection inside the
  caller's transaction;
- hot paths that avoid transactions embed pending events in the document they change
  (`pending_events_update`); `EmbeddedOutboxRelay` publishes and pulls them.
A crash between commit and publish loses nothing: the relay finds unsent events
on its next pass (and at start-up); a re-sent event keeps its id, so the stream's
duplicate window and the consumers' processed-event records make it harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection

from ticketing_common.events import Event, utc_now
from ticketing_common.messaging.publisher import Publisher
from ticketing_common.mongo import Document

log = logging.getLogger(__name__)

PENDING_EVENTS_FIELD = "pendingEvents"


def outbox_entry(event: Event) -> Document:
    return {
        "id": event.id,
        "subject": str(event.subject),
        "payload": event.to_json().decode(),
        "createdAt": event.occurred_at,
    }


def pending_events_update(*events: Event) -> dict[str, Any]:
    """The `$push` that embeds events in the document a single-document write changes."""
    return {PENDING_EVENTS_FIELD: {"$each": [outbox_entry(e) for e in events]}}


class Outbox:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self.collection = collection

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("sentAt", ASCENDING), ("createdAt", ASCENDING)])

    async def add(self, session: AsyncClientSession, *events: Event) -> None:
        documents = [{"_id": e.id, **outbox_entry(e), "sentAt": None} for e in events]
        await self.collection.insert_many(documents, session=session)


class _Relay(ABC):
    def __init__(self, publisher: Publisher, poll_seconds: float = 1.0) -> None:
        self.publisher = publisher
        self.poll_seconds = poll_seconds
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Ask for a pass now (after a commit) instead of at the next poll."""
        self._wakeup.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=type(self).__name__)

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                await self.publish_pending()
            except Exception:
                log.exception("outbox relay pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), self.poll_seconds)
            self._wakeup.clear()

    @abstractmethod
    async def publish_pending(self) -> int:
        """Publish every unsent event; returns how many were sent."""


class OutboxRelay(_Relay):
    def __init__(self, outbox: Outbox, publisher: Publisher, poll_seconds: float = 1.0) -> None:
        super().__init__(publisher, poll_seconds)
        self.collection = outbox.collection

    async def publish_pending(self) -> int:
        sent = 0
        cursor = self.collection.find({"sentAt": None}).sort("createdAt", ASCENDING).limit(500)
        async for entry in cursor:
            await self.publisher.publish_raw(
                entry["subject"], entry["payload"].encode(), entry["id"]
            )
            await self.collection.update_one({"_id": entry["_id"]}, {"$set": {"sentAt": utc_now()}})
            sent += 1
        return sent


class EmbeddedOutboxRelay(_Relay):
    """Relays events embedded in documents of one collection (see `pending_events_update`)."""

    def __init__(
        self, collection: AsyncCollection[Document], publisher: Publisher, poll_seconds: float = 1.0
    ) -> None:
        super().__init__(publisher, poll_seconds)
        self.collection = collection

    async def ensure_indexes(self) -> None:
        await self.collection.create_index(f"{PENDING_EVENTS_FIELD}.id", sparse=True)

    async def publish_pending(self) -> int:
        sent = 0
        query = {f"{PENDING_EVENTS_FIELD}.0": {"$exists": True}}
        async for document in self.collection.find(query, {PENDING_EVENTS_FIELD: 1}).limit(500):
            for entry in document[PENDING_EVENTS_FIELD]:
                await self.publisher.publish_raw(
                    entry["subject"], entry["payload"].encode(), entry["id"]
                )
                await self.collection.update_one(
                    {"_id": document["_id"]}, {"$pull": {PENDING_EVENTS_FIELD: {"id": entry["id"]}}}
                )
                sent += 1
        return sent
