"""Listeners that keep the replicas: buyers' addresses, shows and resale listings.

Idempotent by construction (an upsert of the same address, writes guarded by the
entity's version), so they run without the processed-event transaction.
"""

from __future__ import annotations

from typing import Any, ClassVar

from nats.js import JetStreamContext
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from notifications.domain.show import Show
from notifications.store.replica import MongoReplicas
from ticketing_common.events import (
    Event,
    EventCreated,
    EventUpdated,
    TicketCreated,
    TicketUpdated,
    UserCreated,
)
from ticketing_common.messaging import Listener
from ticketing_common.mongo import Document


class _ReplicaListener(Listener[Any]):
    idempotent: ClassVar[bool] = False

    def __init__(
        self,
        service: str,
        js: JetStreamContext,
        db: AsyncDatabase[Document],
        replicas: MongoReplicas,
    ) -> None:
        super().__init__(service, js, db)
        self.replicas = replicas


class UserCreatedListener(_ReplicaListener):
    event_type: ClassVar[type[Event]] = UserCreated

    async def handle(self, event: UserCreated, session: AsyncClientSession | None) -> None:
        await self.replicas.save_user(event.user_id, event.email)


def show_of(event: EventCreated | EventUpdated) -> Show:
    # The catalog's events carry no venue yet; a later field fills `venue` here.
    names = {t.id: t.name for t in event.ticket_types}
    return Show(event.name, event.starts_at, None, names)


class EventCreatedListener(_ReplicaListener):
    event_type: ClassVar[type[Event]] = EventCreated

    async def handle(self, event: EventCreated, session: AsyncClientSession | None) -> None:
        await self.replicas.apply_show(event.event_id, event.version, show_of(event))


class EventUpdatedListener(_ReplicaListener):
    event_type: ClassVar[type[Event]] = EventUpdated

    async def handle(self, event: EventUpdated, session: AsyncClientSession | None) -> None:
        await self.replicas.apply_show(event.event_id, event.version, show_of(event))


class TicketCreatedListener(_ReplicaListener):
    event_type: ClassVar[type[Event]] = TicketCreated

    async def handle(self, event: TicketCreated, session: AsyncClientSession | None) -> None:
        await self.replicas.apply_listing(event.ticket_id, event.version, event.title)


class TicketUpdatedListener(_ReplicaListener):
    event_type: ClassVar[type[Event]] = TicketUpdated

    async def handle(self, event: TicketUpdated, session: AsyncClientSession | None) -> None:
        await self.replicas.apply_listing(event.ticket_id, event.version, event.title)


REPLICA_LISTENERS: tuple[type[_ReplicaListener], ...] = (
    UserCreatedListener,
    EventCreatedListener,
    EventUpdatedListener,
    TicketCreatedListener,
    TicketUpdatedListener,
)
