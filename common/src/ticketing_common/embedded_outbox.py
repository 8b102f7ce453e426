"""The relay of events embedded in the documents a hot path changes (see
`outbox.pending_events_update`): published, then pulled from their documents."""

from __future__ import annotations

import asyncio
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

from ticketing_common.messaging.publisher import Publisher
from ticketing_common.mongo import Document
from ticketing_common.outbox import PENDING_EVENTS_FIELD, Relay


class EmbeddedOutboxRelay(Relay):
    """Relays events embedded in documents of one collection (see `pending_events_update`).

    A writer names the documents it changed (`wake(document_id)`), so a pass reads
    just those by `_id`; a full sweep every `sweep_seconds` finds what a crashed
    process or another replica left behind.
    """

    batch_size = 500

    def __init__(
        self,
        collection: AsyncCollection[Document],
        publisher: Publisher,
        poll_seconds: float = 1.0,
        sweep_seconds: float = 10.0,
    ) -> None:
        super().__init__(publisher, poll_seconds)
        self.collection = collection
        self.sweep_seconds = sweep_seconds
        self._changed: set[Any] = set()
        self._next_sweep = 0.0

    async def ensure_indexes(self) -> None:
        await self.collection.create_index(f"{PENDING_EVENTS_FIELD}.id", sparse=True)

    def wake(self, document_id: Any = None) -> None:
        if document_id is not None:
            self._changed.add(document_id)
        super().wake()

    async def publish_pending(self) -> int:
        # Every entry has an `id`: its sparse index serves this (`pendingEvents.0` had none).
        query: Document = {f"{PENDING_EVENTS_FIELD}.id": {"$exists": True}}
        now = asyncio.get_running_loop().time()
        if now >= self._next_sweep:
            self._next_sweep = now + self.sweep_seconds
            self._changed.clear()
        elif self._changed:
            changed, self._changed = list(self._changed), set()
            query = {"_id": {"$in": changed}, **query}  # `_id` first: fetched by it
        else:
            return 0
        cursor = self.collection.find(query, {PENDING_EVENTS_FIELD: 1}).limit(self.batch_size)
        documents = await cursor.to_list()
        entries = [entry for doc in documents for entry in doc[PENDING_EVENTS_FIELD]]
        if not entries:
            return 0
        await self._publish(entries)
        # Each document loses the entries it had, by its id: one round trip, and the
        # database matches each document against its own few entries, not the batch's.
        await self.collection.bulk_write(
            [
                UpdateOne(
                    {"_id": doc["_id"]},
                    {"$pull": {PENDING_EVENTS_FIELD: {"id": {"$in": _ids(doc)}}}},
                )
                for doc in documents
            ],
            ordered=False,
        )
        if len(documents) == self.batch_size:
            self._next_sweep = 0.0  # more may be waiting: sweep again on the next pass
            self._wakeup.set()
        return len(entries)


def _ids(document: Document) -> list[Any]:
    return [entry["id"] for entry in document[PENDING_EVENTS_FIELD]]
