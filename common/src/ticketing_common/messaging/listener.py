"""The listener base: a durable pull consumer that validates, de-duplicates and acks.

A concrete listener names its event type and implements `handle`; the base class
acks on success, naks with back-off on an exception, and terminates a payload
that fails validation so it is not redelivered forever. With `idempotent = True`
(the default) the processed-event record is written in the same transaction as
the handler's effect, so a redelivery after a crash applies nothing twice.

A fetched batch is applied at once (one read and one write of records, one commit); after
one that did not fill, the next fetch waits `linger_seconds`, so under load the events of
that moment make one batch (an event after a quiet spell is fetched at once).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import ClassVar, Generic, TypeVar

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from pydantic import ValidationError
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from ticketing_common.events import STREAM_NAME, Event
from ticketing_common.failpoints import crash_here
from ticketing_common.logs import event_context
from ticketing_common.messaging.processed import record_new_events
from ticketing_common.messaging.redelivery import RetryLater, redelivery_delay
from ticketing_common.mongo import Document, in_transaction
from ticketing_common.tasks import stop_task

E = TypeVar("E", bound=Event)
log = logging.getLogger(__name__)


class Listener(ABC, Generic[E]):
    event_type: ClassVar[type[Event]]
    idempotent: ClassVar[bool] = True
    batch_size: ClassVar[int] = 16
    # How long the broker waits for an ack before it redelivers (a crashed consumer's work).
    ack_wait_seconds: ClassVar[float] = 30
    # See the module doc: in a 10-buyer sale, batches of about four became about ten.
    linger_seconds: ClassVar[float] = 0.05

    def __init__(self, service: str, js: JetStreamContext, db: AsyncDatabase[Document]) -> None:
        self.service = service
        self.js = js
        self.db = db
        self._task: asyncio.Task[None] | None = None
        self._subscription: JetStreamContext.PullSubscription | None = None

    @property
    def subject(self) -> str:
        return str(self.event_type.subject)

    @property
    def durable(self) -> str:
        return f"{self.service}-{self.subject.replace('.', '-')}"

    @abstractmethod
    async def handle(self, event: E, session: AsyncClientSession | None) -> None:
        """Apply the event; `session` is the open transaction when `idempotent` is set."""

    async def start(self) -> None:
        config = ConsumerConfig(
            durable_name=self.durable,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            filter_subject=self.subject,
            ack_wait=self.ack_wait_seconds,
            max_ack_pending=1000,
        )
        self._subscription = await self.js.pull_subscribe(
            self.subject, durable=self.durable, stream=STREAM_NAME, config=config
        )
        self._task = asyncio.create_task(self._consume(self._subscription), name=self.durable)

    async def stop(self) -> None:
        await stop_task(self._task)
        if self._subscription:
            # Leaves the durable consumer in place; only this process stops pulling.
            with contextlib.suppress(Exception):
                await self._subscription.unsubscribe()

    async def _consume(self, subscription: JetStreamContext.PullSubscription) -> None:
        # A listener never stops: a failed fetch is tried again, and what a failed batch
        # left unacknowledged is redelivered after ack_wait.
        while True:
            try:
                messages = await subscription.fetch(self.batch_size, timeout=1)
                await self.process_batch(messages)
                if len(messages) < self.batch_size:
                    await asyncio.sleep(self.linger_seconds)
            except (NatsTimeoutError, TimeoutError):
                continue
            except Exception:
                log.exception("fetch or batch failed", extra={"durable": self.durable})
                await asyncio.sleep(1)

    async def process_batch(self, messages: list[Msg]) -> None:
        """Apply a fetched batch in one transaction (one read and one write of records,
        one commit); if anything in it fails, apply its events one by one instead."""
        parsed = [(msg, event) for msg in messages if (event := await self._parse(msg))]
        if len(parsed) > 1:
            try:
                retry = await self._apply_batch([event for _, event in parsed])
            except Exception as exc:
                log.info("batch not applied whole; one by one", extra={"why": repr(exc)})
            else:
                if retry is not None:
                    await self._settle_batch(parsed, {event.id for event in retry})
                    return
        for msg, event in parsed:
            await self._process_parsed(msg, event)

    async def _apply_batch(self, events: list[E]) -> list[E] | None:
        """Apply the batch at once → the events to retry later, or None if this listener
        applies events one at a time."""
        if self.idempotent:
            await in_transaction(self.db.client, self._batch_work(events))
            return []
        return await self.handle_batch(events)

    async def _settle_batch(self, parsed: list[tuple[Msg, E]], retry: set[str]) -> None:
        for msg, event in parsed:
            if event.id in retry:
                await self._nak(msg, "retry later")
                continue
            crash_here("listener.after_commit", self.durable)
            await msg.ack()

    async def handle_batch(self, events: list[E]) -> list[E] | None:
        """A listener without transactions (`idempotent = False`) whose effects can be
        applied for a whole fetched batch at once overrides this → the events that came
        too early (retried later). None: apply one at a time."""
        return None

    async def process(self, msg: Msg) -> None:
        if event := await self._parse(msg):
            await self._process_parsed(msg, event)

    async def _parse(self, msg: Msg) -> E | None:
        try:
            return self.event_type.model_validate_json(msg.data)  # type: ignore[return-value]
        except ValidationError as exc:
            log.error(
                "malformed event terminated",
                extra={"durable": self.durable, "error": str(exc)[:500]},
            )
            await msg.term()
            return None

    async def _process_parsed(self, msg: Msg, event: E) -> None:
        with event_context(event.id):
            try:
                await self._apply(event)
            except RetryLater as exc:
                await self._nak(msg, f"retry later: {exc}")
            except Exception:
                log.exception("event handling failed", extra={"durable": self.durable})
                await self._nak(msg, "error")
            else:
                # A crash here (after the effect committed, before the ack) is what the
                # processed-event record is for: the redelivery applies nothing twice.
                crash_here("listener.after_commit", self.durable)
                await msg.ack()

    async def _nak(self, msg: Msg, why: str) -> None:
        attempt = msg.metadata.num_delivered or 1
        delay = redelivery_delay(attempt)
        log.info("event redelivery scheduled", extra={"why": why, "delay": delay})
        await msg.nak(delay=delay)

    async def _apply(self, event: E) -> None:
        if not self.idempotent:
            await self.handle(event, None)
            return
        await in_transaction(self.db.client, self._batch_work([event]))

    def _batch_work(self, events: list[E]) -> Callable[[AsyncClientSession], Awaitable[None]]:
        async def record_and_handle(session: AsyncClientSession) -> None:
            new = await record_new_events(self.db, self.durable, events, session)
            if len(new) < len(events):
                log.info("duplicate event skipped", extra={"durable": self.durable})
            await self.handle_many(new, session)

        return record_and_handle

    async def handle_many(self, events: list[E], session: AsyncClientSession) -> None:
        """Apply new events in order inside one transaction; a listener whose effects can
        be written in bulk overrides this."""
        for event in events:
            await self.handle(event, session)
