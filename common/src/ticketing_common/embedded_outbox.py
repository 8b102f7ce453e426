"""The relay of events embedded in the documents a hot path changes (see
`outbox.pending_events_update`): published, then pulled from their documents; and of
the first events of new documents, kept beside them (creations.py): published once
their document exists, then deleted."""

from __future__ import annotations

import asyncio
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from ticketing_common.creations import Creations, Settled, entries_of
from ticketing_common.messaging.publisher import Publisher
from ticketing_common.mongo import Document
from ticketing_common.outbox import PENDING_EVENTS_FIELD, Relay


class EmbeddedOutboxRelay(Relay):
    """Relays events embedded in documents of one collection (see `pending_events_update`)
    and, with `creations`, the first events of its new documents.

    A writer names the documents it changed (`wake(document_id)`) or inserted
    (`wake(document_id, created=True)`), so a pass reads just those by `_id`; a full
    sweep every `sweep_seconds` finds what a crashed process or another replica left
    behind.

    A document's creation goes out before its later changes: a pass reads the changed
    documents first and the creations' records after — a change read has its document's
    record (inserted before the document) in the second read, unless it was sent — and
    publishes the records' events first.
    """

    batch_size = 500
    pull_chunk = 32  # documents a pull statement (`_pull`)

    def __init__(
        self,
        collection: AsyncCollection[Document],
        publisher: Publisher,
        poll_seconds: float = 1.0,
        sweep_seconds: float = 10.0,
        creations: Creations | None = None,
    ) -> None:
        super().__init__(publisher, poll_seconds)
        self.collection = collection
        self.creations = creations
        self.sweep_seconds = sweep_seconds
        self._changed: set[Any] = set()
        self._created: set[Any] = set()
        self._next_sweep = 0.0

    async def ensure_indexes(self) -> None:
        await self.collection.create_index(f"{PENDING_EVENTS_FIELD}.id", sparse=True)

    def wake(self, document_id: Any = None, *, created: bool = False) -> None:
        if document_id is not None:
            (self._created if created else self._changed).add(document_id)
        super().wake()

    async def publish_pending(self) -> int:
        now = asyncio.get_running_loop().time()
        if now >= self._next_sweep:
            self._next_sweep = now + self.sweep_seconds
            self._changed.clear()
            self._created.clear()
            changed: list[Any] | None = None  # every document
            named: set[Any] | None = None  # every record
        elif self._changed or self._created:
            changed, self._changed = list(self._changed), set()
            named, self._created = self._created | set(changed), set()
        else:
            return 0
        documents = await self._changed_documents(changed)
        records, settled = await self._creations_of(documents, named)
        entries = entries_of(settled.ready)
        entries += [entry for doc in documents for entry in doc[PENDING_EVENTS_FIELD]]
        if entries:
            await self._publish(entries)
        done = [record["_id"] for record in settled.ready] + settled.dropped
        if done and self.creations is not None:
            await self.creations.delete(done)
        if documents:
            await self._pull(documents)
        if self.batch_size in (len(documents), len(records)):
            self._next_sweep = 0.0  # more may be waiting: sweep again on the next pass
            self._wakeup.set()
        return len(entries)

    async def _changed_documents(self, changed: list[Any] | None) -> list[Document]:
        # Every entry has an `id`: its sparse index serves this (`pendingEvents.0` had none).
        query: Document = {f"{PENDING_EVENTS_FIELD}.id": {"$exists": True}}
        if changed is not None:
            if not changed:
                return []
            query = {"_id": {"$in": changed}, **query}  # `_id` first: fetched by it
        cursor = self.collection.find(query, {PENDING_EVENTS_FIELD: 1}).limit(self.batch_size)
        return await cursor.to_list()

    async def _creations_of(
        self, documents: list[Document], named: set[Any] | None
    ) -> tuple[list[Document], Settled]:
        """The records of the documents named (all on a sweep), read after the documents;
        the named and the read documents exist."""
        if self.creations is None:
            return [], Settled([], [])
        records = await self.creations.read(named, self.batch_size)
        existing = {doc["_id"] for doc in documents} | (named or set())
        return records, await self.creations.settle(records, existing)

    async def _pull(self, documents: list[Document]) -> None:
        # Each document loses the entries it had: entry ids are unique, so one statement
        # over a chunk of documents pulls the chunk's ids from each (an entry added since
        # the read has an id of its own and stays). A statement a chunk: the embedded
        # database writes each document in its own statement of a bulk write, a quarter
        # slower than in one for a few dozen; past a few hundred, matching every entry
        # against the chunk's ids costs more than that saves.
        for start in range(0, len(documents), self.pull_chunk):
            chunk = documents[start : start + self.pull_chunk]
            entry_ids = [entry_id for doc in chunk for entry_id in _ids(doc)]
            await self.collection.update_many(
                {"_id": {"$in": [doc["_id"] for doc in chunk]}},
                {"$pull": {PENDING_EVENTS_FIELD: {"id": {"$in": entry_ids}}}},
            )


def _ids(document: Document) -> list[Any]:
    return [entry["id"] for entry in document[PENDING_EVENTS_FIELD]]
