"""Transactional outbox: an event is stored with the state change, then relayed to NATS.

Two forms, one relay loop:
- `Outbox.add` inserts the event into the service's `outbox` collection inside the
  caller's transaction;
- hot paths that avoid transactions embed pending events in the document they change
  (`pending_events_update`); `EmbeddedOutboxRelay` (embedded_outbox.py) publishes and
  pulls them.
A crash between commit and publish loses nothing: the relay finds unsent events
on its next pass (and at start-up); a re-sent event keeps its id, so the stream's
duplicate window and the consumers' processed-event records make it harmless.

Under load a pass is followed by a short wait (`Relay.linger_seconds`) before the next:
the events written meanwhile go out in one pass, one read and one delete or update for
many, instead of a pass for every few. An event after a quiet spell goes out at once.
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
from ticketing_common.tasks import stop_task

log = logging.getLogger(__name__)

PENDING_EVENTS_FIELD = "pendingEvents"
# How long a stopping relay may spend publishing what is still pending.
FLUSH_SECONDS = 2.0


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


class Relay(ABC):
    # After a pass that sent something, wait this long before the next (module doc). In a
    # 10-buyer sale passes of about four events each became passes of about ten:
    # `make bench-compare LOOP=10`.
    linger_seconds = 0.05

    def __init__(self, publisher: Publisher, poll_seconds: float = 1.0) -> None:
        self.publisher = publisher
        self.poll_seconds = poll_seconds
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Ask for a pass now (after a commit) instead of at the next poll."""
        self._wakeup.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=type(self).__name__)

    async def stop(self, flush_seconds: float = FLUSH_SECONDS) -> None:
        """Publish what is pending in last passes, then stop; cancelled after `flush_seconds`."""
        self._stopping = True
        self._wakeup.set()
        if self._task is not None:
            await asyncio.wait({self._task}, timeout=flush_seconds)
        await stop_task(self._task)

    async def _run(self) -> None:
        while True:
            # Read before the pass: a stop during it wakes the loop for one more.
            last = self._stopping
            published = await self._pass()
            if last:
                flushed = published
                while published:  # until a pass finds nothing more
                    published = await self._pass()
                    flushed += published
                relay = type(self).__name__
                log.info("outbox relay stopped", extra={"relay": relay, "flushed": flushed})
                return
            if published:
                await asyncio.sleep(self.linger_seconds)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), self.poll_seconds)
            self._wakeup.clear()

    async def _pass(self) -> int:
        try:
            return await self.publish_pending()
        except Exception:
            log.exception("outbox relay pass failed")
            return 0

    async def _publish(self, entries: list[Document]) -> None:
        # Sent in the order they were written, acks awaited together.
        await self.publisher.publish_many_raw(
            [(e["subject"], e["payload"].encode(), e["id"]) for e in entries]
        )

    @abstractmethod
    async def publish_pending(self) -> int:
        """Publish every unsent event; returns how many were sent."""


class OutboxRelay(Relay):
    batch_size = 500

    def __init__(self, outbox: Outbox, publisher: Publisher, poll_seconds: float = 1.0) -> None:
        super().__init__(publisher, poll_seconds)
        self.collection = outbox.collection

    async def publish_pending(self) -> int:
        cursor = self.collection.find({"sentAt": None}).sort("createdAt", ASCENDING)
        entries = await cursor.limit(self.batch_size).to_list()
        if not entries:
            return 0
        await self._publish(entries)
        # One write marks the batch. A crash before it re-sends the batch under the
        # same ids: the stream's duplicate window and the consumers drop the repeats.
        await self.collection.update_many(
            {"_id": {"$in": [e["_id"] for e in entries]}}, {"$set": {"sentAt": utc_now()}}
        )
        return len(entries)
