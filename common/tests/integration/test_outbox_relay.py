"""Outbox against the real Mongo and NATS: a publish that fails after commit is not lost;
a relay lingers after a pass that sent events."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from nats.aio.client import Client as NatsClient
from nats.js.api import ConsumerConfig, DeliverPolicy

from ticketing_common.embedded_outbox import EmbeddedOutboxRelay
from ticketing_common.events import STREAM_NAME, UserCreated
from ticketing_common.messaging import Publisher, connect_nats
from ticketing_common.mongo import MongoClient, in_transaction
from ticketing_common.outbox import Outbox, OutboxRelay, outbox_entry, pending_events_update
from ticketing_common.testing.endpoints import Endpoints

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _stream_messages(nc: NatsClient, subject: str) -> list[dict[str, object]]:
    js = nc.jetstream()
    sub = await js.pull_subscribe(
        subject, stream=STREAM_NAME, config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL)
    )
    messages: list[dict[str, object]] = []
    try:
        while batch := await sub.fetch(50, timeout=1):
            messages.extend(json.loads(m.data) for m in batch)
    except TimeoutError:
        pass
    await sub.unsubscribe()
    return messages


async def test_event_committed_while_nats_is_down_is_published_by_the_next_relay_pass(
    mongo_client: MongoClient,
    clean_stream: NatsClient,
    embedded_servers: Endpoints,
    database_name: str,
) -> None:
    outbox = Outbox(mongo_client[database_name]["outbox"])
    await outbox.ensure_indexes()
    event = UserCreated(user_id="u1", email="ada@example.com")

    async def save(session: object) -> None:
        await mongo_client[database_name]["users"].insert_one({"_id": "u1"}, session=session)
        await outbox.add(session, event)  # type: ignore[arg-type]

    await in_transaction(mongo_client, save)

    # The process "crashes" between commit and publish: its connection is gone.
    dead = await connect_nats(embedded_servers.nats_url, "doomed")
    await dead.close()
    with pytest.raises(Exception):  # noqa: B017, PT011 - any publish failure will do
        await OutboxRelay(outbox, Publisher(dead.jetstream())).publish_pending()
    assert await outbox.collection.count_documents({"sentAt": None}) == 1

    # After restart the relay finds the unsent event and publishes it, once.
    relay = OutboxRelay(outbox, Publisher(clean_stream.jetstream()))
    assert await relay.publish_pending() == 1
    assert await relay.publish_pending() == 0
    delivered = await _stream_messages(clean_stream, "user.created")
    assert [m["id"] for m in delivered] == [event.id]
    assert delivered[0]["email"] == "ada@example.com"


async def test_republishing_an_event_id_is_deduplicated_by_the_stream(
    mongo_client: MongoClient, clean_stream: NatsClient, database_name: str
) -> None:
    # The relay may publish and then crash before marking the event sent.
    outbox = Outbox(mongo_client[database_name]["outbox"])
    event = UserCreated(user_id="u2", email="grace@example.com")

    async def save(session: object) -> None:
        await outbox.add(session, event)  # type: ignore[arg-type]

    await in_transaction(mongo_client, save)
    relay = OutboxRelay(outbox, Publisher(clean_stream.jetstream()))
    await relay.publish_pending()
    await outbox.collection.update_one({"_id": event.id}, {"$set": {"sentAt": None}})
    await relay.publish_pending()
    assert len(await _stream_messages(clean_stream, "user.created")) == 1


async def test_embedded_pending_events_are_published_and_pulled(
    mongo_client: MongoClient, clean_stream: NatsClient, database_name: str
) -> None:
    orders = mongo_client[database_name]["orders"]
    first = UserCreated(user_id="u3", email="a@example.com")
    second = UserCreated(user_id="u4", email="b@example.com")
    await orders.insert_one({"_id": "o1", "status": "created"})
    await orders.update_one(
        {"_id": "o1"}, {"$set": {"status": "cancelled"}, "$push": pending_events_update(first)}
    )
    await orders.update_one({"_id": "o1"}, {"$push": pending_events_update(second)})

    relay = EmbeddedOutboxRelay(orders, Publisher(clean_stream.jetstream()))
    await relay.ensure_indexes()
    assert await relay.publish_pending() == 2
    document = await orders.find_one({"_id": "o1"})
    assert document is not None
    assert document["pendingEvents"] == []
    assert document["status"] == "cancelled"
    delivered = await _stream_messages(clean_stream, "user.created")
    assert [m["id"] for m in delivered] == [first.id, second.id]


class PushedWhilePublishing(EmbeddedOutboxRelay):
    """Pulls two documents a statement; a writer adds an event to `c0` while the pass
    publishes (after its read, before its pull)."""

    pull_chunk = 2
    late: dict[str, Any] | None = None

    async def _publish(self, entries: list[dict[str, Any]]) -> None:
        await super()._publish(entries)
        if self.late is not None:
            await self.collection.update_one({"_id": "c0"}, {"$push": self.late})


async def test_the_pull_takes_every_sent_entry_in_chunks_and_only_those(
    mongo_client: MongoClient, clean_stream: NatsClient, database_name: str
) -> None:
    orders = mongo_client[database_name]["orders"]
    events = [UserCreated(user_id=f"c{n}", email=f"c{n}@example.com") for n in range(5)]
    for n, event in enumerate(events):
        await orders.insert_one({"_id": f"c{n}"})
        await orders.update_one({"_id": f"c{n}"}, {"$push": pending_events_update(event)})
    late = UserCreated(user_id="late", email="late@example.com")
    relay = PushedWhilePublishing(orders, Publisher(clean_stream.jetstream()))
    relay.late = pending_events_update(late)

    assert await relay.publish_pending() == 5  # a sweep: three chunks of two, one
    left = {doc["_id"]: [e["id"] for e in doc["pendingEvents"]] async for doc in orders.find()}
    assert left == {"c0": [late.id], "c1": [], "c2": [], "c3": [], "c4": []}


async def test_embedded_relay_reads_named_documents_and_sweeps_for_the_rest(
    mongo_client: MongoClient, clean_stream: NatsClient, database_name: str
) -> None:
    orders = mongo_client[database_name]["orders"]
    relay = EmbeddedOutboxRelay(orders, Publisher(clean_stream.jetstream()), sweep_seconds=3600)
    assert await relay.publish_pending() == 0  # the first pass is a sweep

    named = UserCreated(user_id="u5", email="named@example.com")
    unnamed = UserCreated(user_id="u6", email="left-behind@example.com")
    await orders.insert_one({"_id": "o-named"})
    await orders.update_one({"_id": "o-named"}, {"$push": pending_events_update(named)})
    await orders.insert_one({"_id": "o-unnamed"})
    await orders.update_one({"_id": "o-unnamed"}, {"$push": pending_events_update(unnamed)})

    relay.wake("o-named")
    assert await relay.publish_pending() == 1
    assert await relay.publish_pending() == 0  # nothing named, no sweep due yet

    # A crashed writer's leftovers are found by the periodic sweep.
    sweeping = EmbeddedOutboxRelay(orders, Publisher(clean_stream.jetstream()))
    assert await sweeping.publish_pending() == 1
    delivered = await _stream_messages(clean_stream, "user.created")
    assert [m["id"] for m in delivered] == [named.id, unnamed.id]


class TimedRelay(EmbeddedOutboxRelay):
    """Notes when each pass that sent something starts and ends."""

    linger_seconds = 0.5

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.passes: list[tuple[int, float, float]] = []  # sent, started, ended
        self.sent_once = asyncio.Event()

    async def publish_pending(self) -> int:
        started = time.monotonic()
        sent = await super().publish_pending()
        if sent:
            self.passes.append((sent, started, time.monotonic()))
            self.sent_once.set()
        return sent


async def test_after_a_pass_that_sent_events_the_next_pass_lingers(
    mongo_client: MongoClient, clean_stream: NatsClient, database_name: str
) -> None:
    orders = mongo_client[database_name]["orders"]
    relay = TimedRelay(orders, Publisher(clean_stream.jetstream()), sweep_seconds=3600)
    first = UserCreated(user_id="u7", email="first@example.com")
    second = UserCreated(user_id="u8", email="second@example.com")
    await orders.insert_one({"_id": "o-first", "pendingEvents": [outbox_entry(first)]})
    relay.start()
    try:
        await asyncio.wait_for(relay.sent_once.wait(), 10)  # the start-up sweep sends it
        # Written and named right after that pass: without the linger, sent at once.
        await orders.insert_one({"_id": "o-second", "pendingEvents": [outbox_entry(second)]})
        relay.wake("o-second")
        async with asyncio.timeout(10):
            while len(relay.passes) < 2:
                await asyncio.sleep(0.05)
    finally:
        await relay.stop()
    (sent, _, first_ended), (sent_next, next_started, _) = relay.passes
    assert (sent, sent_next) == (1, 1)
    assert next_started - first_ended >= 0.4
    delivered = await _stream_messages(clean_stream, "user.created")
    assert [m["id"] for m in delivered] == [first.id, second.id]
