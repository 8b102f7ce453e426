"""Listeners: orders' events in, the order use case out."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from nats.aio.msg import Msg
from pymongo.asynchronous.client_session import AsyncClientSession

from ticketing_common.events import Event, OrderCancelled, OrderCompleted, OrderCreated
from ticketing_common.messaging import Listener
from tickets.domain.sales import OrderState
from tickets.handlers import Catalog
from tickets.handlers.orders import OrderEvent, apply_order, record_of

E = TypeVar("E", OrderCreated, OrderCancelled, OrderCompleted)


class _OrderListener(Listener[E], Generic[E]):
    state: ClassVar[OrderState]

    def __init__(self, catalog: Catalog) -> None:
        runtime = catalog.runtime
        super().__init__(runtime.settings.service_name, runtime.js, runtime.db)
        self.catalog = catalog

    async def handle(self, event: E, session: AsyncClientSession | None) -> None:
        assert session is not None  # idempotent listeners always run in a transaction
        order_event: OrderEvent = event
        await apply_order(self.catalog, record_of(order_event, self.state), session)

    async def process(self, msg: Msg) -> None:
        await super().process(msg)
        # After the commit, so the relay's pass sees the ticket.updated it may have added.
        self.catalog.runtime.relay.wake()


class OrderCreatedListener(_OrderListener[OrderCreated]):
    event_type: ClassVar[type[Event]] = OrderCreated
    state: ClassVar[OrderState] = "created"


class OrderCancelledListener(_OrderListener[OrderCancelled]):
    event_type: ClassVar[type[Event]] = OrderCancelled
    state: ClassVar[OrderState] = "cancelled"


class OrderCompletedListener(_OrderListener[OrderCompleted]):
    event_type: ClassVar[type[Event]] = OrderCompleted
    state: ClassVar[OrderState] = "completed"


def order_listeners(
    catalog: Catalog,
) -> list[Listener[OrderCreated] | Listener[OrderCancelled] | Listener[OrderCompleted]]:
    return [
        OrderCreatedListener(catalog),
        OrderCancelledListener(catalog),
        OrderCompletedListener(catalog),
    ]
