"""Event in, command out. Idempotence comes from version guards and conditional writes
on the documents themselves, so no listener needs a transaction (`idempotent = False`)
— a transaction touching a hot inventory document would conflict with the holds.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from nats.js import JetStreamContext
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from orders.handlers.expiry import expire_orders
from orders.handlers.lifecycle import expire_order
from orders.handlers.ports import OrdersUnit
from orders.handlers.replica import apply_event_definition, apply_listing
from orders.handlers.settlement import settle_payment, settle_payments
from orders.handlers.withdrawals import withdraw_listing
from ticketing_common.events import (
    Event,
    EventCreated,
    EventUpdated,
    ExpirationComplete,
    PaymentCreated,
    TicketCancelled,
    TicketCreated,
    TicketUpdated,
    utc_now,
)
from ticketing_common.messaging import Listener
from ticketing_common.mongo import Document

E = TypeVar("E", bound=Event)


class OrdersListener(Listener[E], Generic[E]):
    idempotent: ClassVar[bool] = False

    def __init__(
        self, service: str, js: JetStreamContext, db: AsyncDatabase[Document], ctx: OrdersUnit
    ) -> None:
        super().__init__(service, js, db)
        self.ctx = ctx


class EventCreatedListener(OrdersListener[EventCreated]):
    event_type = EventCreated

    async def handle(self, event: EventCreated, session: AsyncClientSession | None) -> None:
        await apply_event_definition(self.ctx, event, utc_now())


class EventUpdatedListener(OrdersListener[EventUpdated]):
    event_type = EventUpdated

    async def handle(self, event: EventUpdated, session: AsyncClientSession | None) -> None:
        await apply_event_definition(self.ctx, event, utc_now())


class TicketCreatedListener(OrdersListener[TicketCreated]):
    event_type = TicketCreated

    async def handle(self, event: TicketCreated, session: AsyncClientSession | None) -> None:
        await apply_listing(self.ctx, event)


class TicketUpdatedListener(OrdersListener[TicketUpdated]):
    event_type = TicketUpdated

    async def handle(self, event: TicketUpdated, session: AsyncClientSession | None) -> None:
        await apply_listing(self.ctx, event)


class TicketCancelledListener(OrdersListener[TicketCancelled]):
    event_type = TicketCancelled

    async def handle(self, event: TicketCancelled, session: AsyncClientSession | None) -> None:
        await withdraw_listing(self.ctx, event, utc_now())


class ExpirationCompleteListener(OrdersListener[ExpirationComplete]):
    event_type = ExpirationComplete
    batch_size: ClassVar[int] = 64  # an expiry wave is taken in large bites

    async def handle(self, event: ExpirationComplete, session: AsyncClientSession | None) -> None:
        await expire_order(self.ctx, event.order_id, utc_now())

    async def handle_batch(self, events: list[ExpirationComplete]) -> list[ExpirationComplete]:
        # An expiry wave: the fetched batch is cancelled together (handlers/expiry.py).
        early = set(await expire_orders(self.ctx, [e.order_id for e in events], utc_now()))
        return [event for event in events if event.order_id in early]


class PaymentCreatedListener(OrdersListener[PaymentCreated]):
    event_type = PaymentCreated

    batch_size: ClassVar[int] = 32  # a sale's payments are settled side by side

    async def handle(self, event: PaymentCreated, session: AsyncClientSession | None) -> None:
        await settle_payment(self.ctx, event.order_id, event.payment_id, utc_now())

    async def handle_batch(self, events: list[PaymentCreated]) -> list[PaymentCreated]:
        paid = [(event.order_id, event.payment_id) for event in events]
        retry = await settle_payments(self.ctx, paid, utc_now())
        return [event for event in events if (event.order_id, event.payment_id) in retry]


LISTENERS: tuple[type[OrdersListener[Any]], ...] = (
    EventCreatedListener,
    EventUpdatedListener,
    TicketCreatedListener,
    TicketUpdatedListener,
    TicketCancelledListener,
    ExpirationCompleteListener,
    PaymentCreatedListener,
)
