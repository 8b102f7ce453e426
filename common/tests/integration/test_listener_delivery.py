"""The listener base on real NATS and Mongo: ack, retry with back-off, terminate, de-dup,
linger after a batch that did not fill."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import ClassVar

import pytest
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from ticketing_common.events import STREAM_NAME, Event, UserCreated
from ticketing_common.messaging import Listener, Publisher
from ticketing_common.mongo import Document, MongoClient

pytestmark = pytest.mark.asyncio(loop_scope="session")
Database = AsyncDatabase[Document]


class CountingListener(Listener[UserCreated]):
    """Counts users into Mongo; fails the first `failures` attempts to show redelivery."""

    event_type: ClassVar[type[Event]] = UserCreated

    def __init__(self, *args: object, failures: int = 0) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.failures = failures
        self.attempts = 0

    async def handle(self, event: UserCreated, session: AsyncClientSession | None) -> None:
        self.attempts += 1
        if self.attempts <= self.failures:
            raise RuntimeError("transient failure")
        await self.db["seen"].update_one(
            {"_id": event.user_id}, {"$inc": {"count": 1}}, upsert=True, session=session
        )


async def _wait_for(condition: Callable[[], Awaitable[bool]]) -> None:
    async with asyncio.timeout(10):
        while not await condition():
            await asyncio.sleep(0.05)


async def _consumer_idle(nc: NatsClient, durable: str) -> bool:
    info = await nc.jetstream().consumer_info(STREAM_NAME, durable)
    return info.num_pending == 0 and info.num_ack_pending == 0


@pytest.fixture
def db(mongo_client: MongoClient, database_name: str) -> Database:
    return mongo_client[database_name]


async def test_redelivered_event_is_applied_once(clean_stream: NatsClient, db: Database) -> None:
    js = clean_stream.jetstream()
    listener = CountingListener("svc", js, db)
    await listener.start()
    try:
        event = UserCreated(user_id="u1", email="a@example.com")
        # Same event id under two message ids: what a redelivery after the
        # broker's duplicate window looks like.
        await Publisher(js).publish_raw("user.created", event.to_json(), "m1")
        await Publisher(js).publish_raw("user.created", event.to_json(), "m2")

        async def both_handled() -> bool:
            return await _consumer_idle(clean_stream, listener.durable)

        await _wait_for(both_handled)
        seen = await db["seen"].find_one({"_id": "u1"})
        assert seen is not None
        assert seen["count"] == 1
        assert await db["processed_events"].count_documents({}) == 1
    finally:
        await listener.stop()


async def test_failing_handler_is_retried_until_it_succeeds(
    clean_stream: NatsClient, db: Database
) -> None:
    js = clean_stream.jetstream()
    listener = CountingListener("svc", js, db, failures=2)
    await listener.start()
    try:
        await Publisher(js).publish(UserCreated(user_id="u2", email="b@example.com"))

        async def applied() -> bool:
            return await db["seen"].find_one({"_id": "u2"}) is not None

        await _wait_for(applied)
        assert listener.attempts == 3
    finally:
        await listener.stop()


async def test_malformed_payload_is_terminated_and_later_events_flow(
    clean_stream: NatsClient,
    db: Database,
) -> None:
    js = clean_stream.jetstream()
    listener = CountingListener("svc", js, db)
    await listener.start()
    try:
        await Publisher(js).publish_raw("user.created", b'{"userId": 42}', "bad-1")
        await Publisher(js).publish_raw("user.created", b"not json at all", "bad-2")
        await Publisher(js).publish(UserCreated(user_id="u3", email="c@example.com"))

        async def settled() -> bool:
            return await _consumer_idle(clean_stream, listener.durable)

        await _wait_for(settled)
        info = await js.consumer_info(STREAM_NAME, listener.durable)
        assert info.num_redelivered == 0
        assert listener.attempts == 1
        assert await db["seen"].count_documents({}) == 1
    finally:
        await listener.stop()


async def test_a_batch_is_applied_once_and_a_failing_event_does_not_hold_it_back(
    clean_stream: NatsClient, db: Database
) -> None:
    js = clean_stream.jetstream()
    listener = CountingListener("svc", js, db, failures=1)
    # Published before the listener starts, so its first fetch takes them as one batch:
    # the first attempt fails (the whole batch rolls back), then each is applied alone.
    for n in range(10):
        event = UserCreated(user_id=f"b{n % 5}", email=f"b{n}@example.com")
        await Publisher(js).publish(event)
    duplicate = UserCreated(user_id="b0", email="again@example.com")
    await Publisher(js).publish_raw("user.created", duplicate.to_json(), "dup-1")
    await Publisher(js).publish_raw("user.created", duplicate.to_json(), "dup-2")
    await listener.start()
    try:

        async def settled() -> bool:
            return await _consumer_idle(clean_stream, listener.durable)

        await _wait_for(settled)
        counts = {doc["_id"]: doc["count"] async for doc in db["seen"].find()}
        assert counts == {"b0": 3, "b1": 2, "b2": 2, "b3": 2, "b4": 2}
        assert await db["processed_events"].count_documents({}) == 11
    finally:
        await listener.stop()


async def test_a_batch_without_failures_handles_each_event_once(
    clean_stream: NatsClient, db: Database
) -> None:
    js = clean_stream.jetstream()
    listener = CountingListener("svc", js, db)
    for n in range(8):
        await Publisher(js).publish(UserCreated(user_id=f"c{n}", email=f"c{n}@example.com"))
    await listener.start()
    try:

        async def settled() -> bool:
            return await _consumer_idle(clean_stream, listener.durable)

        await _wait_for(settled)
        assert await db["seen"].count_documents({"count": 1}) == 8
        assert listener.attempts == 8  # each event handled once: no fallback happened
    finally:
        await listener.stop()


class TimedBatches(CountingListener):
    """Notes when each batch starts and ends; its first event takes a while to handle."""

    linger_seconds: ClassVar[float] = 0.5

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.batches: list[tuple[int, float, float]] = []  # size, started, ended
        self.handling_first = asyncio.Event()

    async def handle(self, event: UserCreated, session: AsyncClientSession | None) -> None:
        if event.user_id == "d0":
            self.handling_first.set()
            await asyncio.sleep(0.2)
        await super().handle(event, session)

    async def process_batch(self, messages: list[Msg]) -> None:
        started = time.monotonic()
        await super().process_batch(messages)
        self.batches.append((len(messages), started, time.monotonic()))


async def test_after_a_batch_that_did_not_fill_the_next_fetch_lingers(
    clean_stream: NatsClient, db: Database
) -> None:
    js = clean_stream.jetstream()
    listener = TimedBatches("svc", js, db)
    await listener.start()
    try:
        await Publisher(js).publish(UserCreated(user_id="d0", email="d0@example.com"))
        await asyncio.wait_for(listener.handling_first.wait(), 10)
        # Waiting already when the first batch ends: without the linger, fetched at once.
        await Publisher(js).publish(UserCreated(user_id="d1", email="d1@example.com"))

        async def settled() -> bool:
            return await _consumer_idle(clean_stream, listener.durable)

        await _wait_for(settled)
        assert await db["seen"].count_documents({"count": 1}) == 2
        (first, _, first_ended), (second, second_started, _) = listener.batches
        assert (first, second) == (1, 1)
        assert second_started - first_ended >= 0.4
    finally:
        await listener.stop()
