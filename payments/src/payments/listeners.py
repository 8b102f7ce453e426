"""Event in, command out: the order replica, and refunds for cancelled paid orders.

The replica writes are guarded by the order's version (newest wins, repeats change
nothing) and refunds by the payment's state, so these listeners are idempotent by
construction and run without the processed-event transaction.
"""

from __future__ import annotations

from typing import Any, ClassVar

from nats.js import JetStreamContext
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from payments.context import Payments
from payments.refunds import refund_if_paid
from ticketing_common.events import Event, OrderCancelled, OrderCompleted, OrderCreated
from ticketing_common.messaging import Listener, RetryLater
from ticketing_common.mongo import Document


def _replica_fields(event: OrderCreated | OrderCancelled | OrderCompleted) -> dict[str, Any]:
    return {"userId": event.user_id, "amount": event.amount, "currency": event.currency}


class _OrderListener(Listener[Any]):
    idempotent: ClassVar[bool] = False

    def __init__(
        self, service: str, js: JetStreamContext, db: AsyncDatabase[Document], ctx: Payments
    ) -> None:
        super().__init__(service, js, db)
        self.ctx = ctx


class OrderCreatedListener(_OrderListener):
    event_type: ClassVar[type[Event]] = OrderCreated

    async def handle(self, event: OrderCreated, session: AsyncClientSession | None) -> None:
        await self.ctx.orders.apply(event.order_id, event.version, self._fields(event))

    async def handle_batch(self, events: list[OrderCreated]) -> list[OrderCreated]:
        # A sale's holds: the fetched batch goes into the replica in one insert.
        changes = [(e.order_id, e.version, self._fields(e)) for e in events]
        await self.ctx.orders.add_many(changes)
        return []

    @staticmethod
    def _fields(event: OrderCreated) -> dict[str, Any]:
        return {**_replica_fields(event), "status": event.status, "expiresAt": event.expires_at}


class OrderCancelledListener(_OrderListener):
    event_type: ClassVar[type[Event]] = OrderCancelled

    async def handle(self, event: OrderCancelled, session: AsyncClientSession | None) -> None:
        await self.ctx.orders.apply(event.order_id, event.version, self._fields(event))
        # Money that landed for a cancelled order goes back (whatever the versions say):
        # a hold that ended without payment, a payment that came late, or a paid order
        # whose event was cancelled (`was_paid`).
        if not await refund_if_paid(self.ctx, event.order_id):
            raise RetryLater("a charge or a refund of this order is still on its way")

    async def handle_batch(self, events: list[OrderCancelled]) -> list[OrderCancelled]:
        """An expiry wave: the batch goes into the replica in one write, and one read finds
        the orders with a payment on record; only those can have money to give back (an
        order without one has neither a charge on its way nor a refund)."""
        changes = [(e.order_id, e.version, self._fields(e)) for e in events]
        await self.ctx.orders.apply_many(changes)
        with_payments = await self.ctx.payments.orders_with_payments([e.order_id for e in events])
        return [
            event
            for event in events
            if event.order_id in with_payments
            and not await refund_if_paid(self.ctx, event.order_id)
        ]

    @staticmethod
    def _fields(event: OrderCancelled) -> dict[str, Any]:
        return {
            **_replica_fields(event),
            "status": "cancelled",
            "cancelReason": event.reason,
            "wasPaid": event.was_paid,
        }


class OrderCompletedListener(_OrderListener):
    event_type: ClassVar[type[Event]] = OrderCompleted

    async def handle(self, event: OrderCompleted, session: AsyncClientSession | None) -> None:
        fields = {**_replica_fields(event), "status": "complete"}
        await self.ctx.orders.apply(event.order_id, event.version, fields)
