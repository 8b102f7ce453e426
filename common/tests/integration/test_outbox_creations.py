"""The outbox of new documents (ticketing_common.creations) against the real Mongo and
NATS: a record goes out once its document exists and is then deleted; a record whose
document never comes is fenced off and dropped unsent; a document's creation goes out
before its later changes, whichever replica's relay sends them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from nats.aio.client import Client as NatsClient
from nats.js.api import ConsumerConfig, DeliverPolicy
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from ticketing_common.creations import Creations
from ticketing_common.embedded_outbox import EmbeddedOutboxRelay
from ticketing_common.events import STREAM_NAME, UserCreated, utc_now
from ticketing_common.messaging import Publisher
from ticketing_common.mongo import Document, MongoClient
from ticketing_common.outbox import pending_events_update

pytestmark = pytest.mark.asyncio(loop_scope="session")


class DocumentFences:
    """A fence is a document `{_id, fenced: True}` in the documents' own collection."""

    def __init__(self, documents: AsyncCollection[Document]) -> None:
        self.documents = documents

    async def recorded(self, document_ids: list[Any]) -> dict[Any, bool]:
        cursor = self.documents.find({"_id": {"$in": document_ids}})
        return {doc["_id"]: not doc.get("fenced") async for doc in cursor}

    async def fence(self, document_id: Any, now: datetime) -> bool:
        try:
            await self.documents.insert_one({"_id": document_id, "fenced": True})
        except DuplicateKeyError:
            return (await self.recorded([document_id]))[document_id] is False
        return True


def _setup(
    mongo_client: MongoClient, database_name: str, nc: NatsClient, fence_after: float = 60
) -> tuple[AsyncCollection[Document], Creations, EmbeddedOutboxRelay]:
    documents = mongo_client[database_name]["orders"]
    creations = Creations(
        mongo_client[database_name]["creations"], DocumentFences(documents), fence_after
    )
    relay = EmbeddedOutboxRelay(
        documents, Publisher(nc.jetstream()), sweep_seconds=3600, creations=creations
    )
    return documents, creations, relay


async def _delivered(nc: NatsClient) -> list[str]:
    sub = await nc.jetstream().pull_subscribe(
        "user.created", stream=STREAM_NAME, config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL)
    )
    ids: list[str] = []
    try:
        while batch := await sub.fetch(50, timeout=1):
            ids.extend(json.loads(m.data)["id"] for m in batch)
    except TimeoutError:
        pass
    await sub.unsubscribe()
    return ids


async def test_a_record_goes_out_once_its_document_exists_then_is_deleted(
    mongo_client: MongoClient, clean_stream: NatsClient, database_name: str
) -> None:
    documents, creations, relay = _setup(mongo_client, database_name, clean_stream)
    first = UserCreated(user_id="u1", email="first@example.com")
    await creations.record("d1", [first])
    await creations.record("d1", [first])  # a retry of the same insert: one record

    assert await relay.publish_pending() == 0  # a sweep: the document is not there yet
    assert await creations.collection.count_documents({}) == 1

    await documents.insert_one({"_id": "d1"})
    relay.wake("d1", created=True)
    assert await relay.publish_pending() == 1
    assert await creations.collection.count_documents({}) == 0
    assert await relay.publish_pending() == 0
    assert await _delivered(clean_stream) == [first.id]


async def test_a_sweep_finds_a_record_whose_writer_never_woke_the_relay(
    mongo_client: MongoClient, clean_stream: NatsClient, database_name: str
) -> None:
    documents, creations, _ = _setup(mongo_client, database_name, clean_stream)
    left = UserCreated(user_id="u2", email="left@example.com")
    await creations.record("d2", [left])
    await documents.insert_one({"_id": "d2"})  # and the writer died before waking

    _, _, sweeping = _setup(mongo_client, database_name, clean_stream)
    assert await sweeping.publish_pending() == 1
    assert await _delivered(clean_stream) == [left.id]


async def test_a_record_whose_document_never_comes_is_fenced_and_dropped_unsent(
    mongo_client: MongoClient, clean_stream: NatsClient, database_name: str
) -> None:
    documents, creations, relay = _setup(mongo_client, database_name, clean_stream)
    fenced_first = UserCreated(user_id="u3", email="fenced@example.com")
    await creations.record("d3", [fenced_first])
    await documents.insert_one({"_id": "d3", "fenced": True})  # the writer's recovery
    stale = UserCreated(user_id="u4", email="stale@example.com")
    await creations.record("d4", [stale])
    await creations.collection.update_one(
        {"_id": "d4"}, {"$set": {"at": utc_now() - timedelta(seconds=61)}}
    )
    young = UserCreated(user_id="u5", email="young@example.com")
    await creations.record("d5", [young])

    assert await relay.publish_pending() == 0
    # d3 was fenced, d4 is fenced now (past `fence_after`), d5 still waits.
    assert await documents.find_one({"_id": "d4"}) == {"_id": "d4", "fenced": True}
    assert [r["_id"] async for r in creations.collection.find({})] == ["d5"]
    assert await _delivered(clean_stream) == []


class LandsAfterTheRead(DocumentFences):
    """The document is inserted right after the relay's read of stored ids."""

    async def recorded(self, document_ids: list[Any]) -> dict[Any, bool]:
        stored = await super().recorded(document_ids)
        if missing := [i for i in document_ids if i not in stored]:
            await self.documents.insert_many([{"_id": i} for i in missing])
        return stored


async def test_a_stale_record_whose_document_lands_before_the_fence_is_sent(
    mongo_client: MongoClient, clean_stream: NatsClient, database_name: str
) -> None:
    documents, creations, relay = _setup(mongo_client, database_name, clean_stream, 0.001)
    creations.fences = LandsAfterTheRead(documents)
    late = UserCreated(user_id="u6", email="late@example.com")
    await creations.record("d6", [late])

    assert await relay.publish_pending() == 1  # the fence found the document: no fence
    assert await documents.find_one({"_id": "d6"}) == {"_id": "d6"}
    assert await _delivered(clean_stream) == [late.id]


async def test_a_change_named_to_another_relay_goes_out_after_the_creation(
    mongo_client: MongoClient, clean_stream: NatsClient, database_name: str
) -> None:
    documents, creations, writer = _setup(mongo_client, database_name, clean_stream)
    _, _, other = _setup(mongo_client, database_name, clean_stream)
    for relay in (writer, other):
        assert await relay.publish_pending() == 0  # the first sweeps, before the writes
    created = UserCreated(user_id="u7", email="created@example.com")
    changed = UserCreated(user_id="u7", email="changed@example.com")
    await creations.record("d7", [created])
    await documents.insert_one({"_id": "d7"})
    # Another replica changes the document before the writer's relay runs.
    await documents.update_one({"_id": "d7"}, {"$push": pending_events_update(changed)})
    other.wake("d7")
    assert await other.publish_pending() == 2

    writer.wake("d7", created=True)
    assert await writer.publish_pending() == 0  # the record is gone: nothing twice
    assert await _delivered(clean_stream) == [created.id, changed.id]
