"""Event in, command out: `order.created` schedules the hold's expiry."""

from __future__ import annotations

from typing import ClassVar

from nats.js import JetStreamContext
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from expiration.handlers import schedule_expiration
from expiration.store import ExpirationSchedules
from ticketing_common.events import Event, OrderCreated
from ticketing_common.messaging import Listener
from ticketing_common.mongo import Document


class OrderCreatedListener(Listener[OrderCreated]):
    event_type: ClassVar[type[Event]] = OrderCreated
    # Scheduling is idempotent by itself (one schedule subject per order, replaced on
    # re-publish), so no processed-event record and no Mongo transaction is needed.
    idempotent: ClassVar[bool] = False
    batch_size: ClassVar[int] = 64
    # Scheduling takes milliseconds: an order.created a killed process had fetched comes
    # back after 5 s, not 30 s, so a short hold's expiry is not scheduled late
    # (`make chaos`, scenario expiration_kill). A redelivery only replaces the schedule.
    ack_wait_seconds: ClassVar[float] = 5

    def __init__(
        self,
        service: str,
        js: JetStreamContext,
        db: AsyncDatabase[Document],
        schedules: ExpirationSchedules,
    ) -> None:
        super().__init__(service, js, db)
        self.schedules = schedules

    async def handle(self, event: OrderCreated, session: AsyncClientSession | None) -> None:
        await schedule_expiration(event, self.schedules)
