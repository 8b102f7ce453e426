"""The outbox of new documents: a document's first events, recorded under its id just
before it is inserted, published by the embedded outbox relay once it exists
(embedded_outbox.py), then deleted.

They could ride in the new document, as later events do (`outbox.pending_events_update`),
but then marking them sent is an update of that document — on an order, every one of its
index entries rewritten — once for every new document. A record here is one insert and
one delete in a collection with no index but its id.

The record comes first, so a document never exists without its events. A record whose
document never comes (a crash in between) waits until its id is fenced — by the
writer's own recovery or, past `fence_after`, by the relay (`Fences.fence`) — and is then
dropped unsent: a fenced id can no longer be inserted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from ticketing_common.batching import Coalescer
from ticketing_common.events import Event, utc_now
from ticketing_common.mongo import Document, duplicate_writes
from ticketing_common.outbox import outbox_entry


class Fences(Protocol):
    """The documents the records wait for, and the fence that gives one up."""

    async def recorded(self, document_ids: list[Any]) -> dict[Any, bool]:
        """Each id stored: True for a document, False for a fence (missing: neither yet)."""
        ...

    async def fence(self, document_id: Any, now: datetime) -> bool:
        """Take the id of a document never inserted → True if it is fenced (now or
        before), False if the document came first."""
        ...


@dataclass(frozen=True)
class Settled:
    """What a relay pass does with the records it read."""

    ready: list[Document]  # their documents exist: publish, then delete
    dropped: list[Any]  # their ids are fenced: delete unsent


class Creations:
    def __init__(
        self, collection: AsyncCollection[Document], fences: Fences, fence_after: float = 10.0
    ) -> None:
        self.collection = collection
        self.fences = fences
        self.fence_after = timedelta(seconds=fence_after)
        # Records of documents inserted together go together (one round trip).
        self._inserts: Coalescer[Document, None] = Coalescer(self._insert_many)

    async def record(self, document_id: Any, events: Sequence[Event]) -> None:
        """Before inserting the document: its events, kept until they are published."""
        entries = [outbox_entry(event) for event in events]
        await self._inserts.submit({"_id": document_id, "events": entries, "at": utc_now()})

    async def _insert_many(self, records: list[Document]) -> list[BaseException | None]:
        try:
            await self.collection.insert_many(records, ordered=False)
        except BulkWriteError as error:
            # A record already there is this one: the driver retried an insert that went
            # through, or the writer retries a document whose record is still waiting.
            duplicate_writes(error)
        return [None] * len(records)

    async def read(self, document_ids: Iterable[Any] | None, limit: int) -> list[Document]:
        """The records of these documents (None: any), oldest first."""
        query: Document = {} if document_ids is None else {"_id": {"$in": list(document_ids)}}
        return await self.collection.find(query).sort("at", 1).limit(limit).to_list()

    async def settle(self, records: list[Document], existing: set[Any]) -> Settled:
        """Sort records into those ready to publish and those fenced off; a record whose
        document is not there yet, and younger than `fence_after`, waits."""
        unknown = [r["_id"] for r in records if r["_id"] not in existing]
        stored = await self.fences.recorded(unknown) if unknown else {}
        now = utc_now()
        ready, dropped = [], []
        for record in records:
            document_id = record["_id"]
            if document_id in existing or stored.get(document_id):
                ready.append(record)
            elif document_id in stored:
                dropped.append(document_id)
            elif record["at"] <= now - self.fence_after:
                if await self.fences.fence(document_id, now):
                    dropped.append(document_id)
                else:
                    ready.append(record)  # inserted between the two reads
        return Settled(ready, dropped)

    async def delete(self, document_ids: list[Any]) -> None:
        await self.collection.delete_many({"_id": {"$in": document_ids}})


def entries_of(records: Iterable[Document]) -> list[Document]:
    return [entry for record in records for entry in record["events"]]
