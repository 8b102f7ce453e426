"""The waiting list's listeners: the orders service's own `order.cancelled` and
`order.completed`, in batches (handlers/waitlist_events.py). Idempotent without a
transaction, like the other orders listeners: every write is guarded on the entry's
status, releases are idempotent, and an offer is a guarded claim."""

from __future__ import annotations

from typing import Any, ClassVar

from pymongo.asynchronous.client_session import AsyncClientSession

from orders.handlers.waitlist_events import orders_ended, orders_paid
from orders.listeners import OrdersListener
from ticketing_common.events import OrderCancelled, OrderCompleted, utc_now


class WaitlistOrderCancelledListener(OrdersListener[OrderCancelled]):
    event_type = OrderCancelled
    batch_size: ClassVar[int] = 64  # an expiry wave's cancellations come in large bites

    async def handle(self, event: OrderCancelled, session: AsyncClientSession | None) -> None:
        await orders_ended(self.ctx, [event], utc_now())

    async def handle_batch(self, events: list[OrderCancelled]) -> list[OrderCancelled]:
        await orders_ended(self.ctx, events, utc_now())
        return []


class WaitlistOrderCompletedListener(OrdersListener[OrderCompleted]):
    event_type = OrderCompleted

    async def handle(self, event: OrderCompleted, session: AsyncClientSession | None) -> None:
        await orders_paid(self.ctx, [event], utc_now())

    async def handle_batch(self, events: list[OrderCompleted]) -> list[OrderCompleted]:
        await orders_paid(self.ctx, events, utc_now())
        return []


WAITLIST_LISTENERS: tuple[type[OrdersListener[Any]], ...] = (
    WaitlistOrderCancelledListener,
    WaitlistOrderCompletedListener,
)
