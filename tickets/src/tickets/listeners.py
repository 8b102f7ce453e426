"""Listeners: orders' events in, translated into order records for the order use case."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from nats.aio.msg import Msg
from pymongo.asynchronous.client_session import AsyncClientSession

from ticketing_common.events import Event, OrderCancelled, OrderCompleted, OrderCreated
from ticketing_common.messaging import Listener
from tickets.catalog import Catalog
from tickets.domain.sales import OrderLine, OrderRecord, OrderState
from tickets.handlers.orders import apply_orders

E = TypeVar("E", OrderCreated, OrderCancelled, OrderCompleted)
OrderEvent = OrderCreated | OrderCancelled | OrderCompleted


def record_of(event: OrderEvent, state: OrderState) -> OrderRecord:
    return OrderRecord(
        order_id=event.order_id,
        state=state,
        event_id=event.event_id,
        ticket_id=event.ticket.id if event.ticket else None,
        ticket_price=event.ticket.price if event.ticket else None,
        lines=tuple(
            OrderLine(
                item.ticket_type_id,
                item.quantity,
                item.unit_price,
                item.seat_id,
                item.discount,
                item.tax_amount,
                item.tax_included,
            )
            for item in event.items
        ),
        expires_at=event.expires_at if isinstance(event, OrderCreated) else None,
        completed_at=event.occurred_at if isinstance(event, OrderCompleted) else None,
    )


class _OrderListener(Listener[E], Generic[E]):
    state: ClassVar[OrderState]

    def __init__(self, catalog: Catalog) -> None:
        runtime = catalog.runtime
        super().__init__(runtime.settings.service_name, runtime.js, runtime.db)
        self.catalog = catalog
        self._relay_due = False

    def record(self, event: OrderEvent) -> OrderRecord:
        if isinstance(event, OrderCancelled) and event.was_paid:
            # A sale undone (its event was cancelled): refunded, no longer sold.
            return record_of(event, "refunded")
        return record_of(event, self.state)

    async def handle(self, event: E, session: AsyncClientSession | None) -> None:
        assert session is not None  # idempotent listeners always run in a transaction
        await self.handle_many([event], session)

    async def handle_many(self, events: list[E], session: AsyncClientSession) -> None:
        # A fetched batch in one transaction: one read and one write of order records.
        records = [self.record(event) for event in events]
        # Only a listing's order can add a ticket.updated to the outbox.
        self._relay_due = self._relay_due or any(r.ticket_id for r in records)
        await apply_orders(self.catalog.joined(session), records)

    async def process(self, msg: Msg) -> None:
        await super().process(msg)
        self._wake_relay()

    async def process_batch(self, messages: list[Msg]) -> None:
        await super().process_batch(messages)
        self._wake_relay()

    def _wake_relay(self) -> None:
        # After the commit, so the relay's pass sees the ticket.updated it may have added.
        if self._relay_due:
            self._relay_due = False
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
