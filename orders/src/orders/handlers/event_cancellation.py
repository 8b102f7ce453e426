"""An event's cancellation: every order of it ends, paid ones included.

A pending order is cancelled and its hold released, as on expiry; a complete one is
cancelled too (`OrderCancelled.was_paid`), its tickets no longer pass the door and
payments refunds its money. Orders go in pages: a page costs one read, one write of
its cancellations (each guarded by the version read) and one release per kind of
inventory; an order that changed meanwhile is decided again on its own.

It runs on the `event.updated` that cancels the event and again on any redelivery
of it, every step idempotent. An order being paid is left to its payment: the event
is retried until that order is complete, and then cancelled like the others.
"""

from __future__ import annotations

import logging
from datetime import datetime

from orders.domain.order import Order
from orders.handlers.expiry import release_inventory_of
from orders.handlers.lifecycle import cancel_order
from orders.handlers.ports import OrdersUnit
from ticketing_common.events import Event
from ticketing_common.messaging import RetryLater

log = logging.getLogger(__name__)
PAGE = 200


async def cancel_event_orders(uow: OrdersUnit, event_id: str, now: datetime) -> None:
    order_ids = await uow.orders.live_of_event(event_id)
    being_paid = 0
    for start in range(0, len(order_ids), PAGE):
        being_paid += await _cancel_page(uow, order_ids[start : start + PAGE], now)
    if order_ids:
        await uow.availability.changed(event_id)
        log.info(
            "orders of a cancelled event cancelled",
            extra={"event_id": event_id, "count": len(order_ids) - being_paid},
        )
    if being_paid:
        raise RetryLater(f"{being_paid} orders of cancelled event {event_id} are being paid")


async def _cancel_page(uow: OrdersUnit, order_ids: list[str], now: datetime) -> int:
    """Cancel these orders → how many are being paid (left for a later try)."""
    changes: list[tuple[Order, Order, Event]] = []
    being_paid = 0
    for order in await uow.orders.get_many(order_ids):
        cancelled, event = order.cancel("event_cancelled", now)
        if event is not None:
            changes.append((order, cancelled, event))
        elif order.settling:
            being_paid += 1
    written = await uow.orders.replace_many_if_unchanged(changes)
    await release_inventory_of(uow, [after for _, after, _ in changes if after.id in written])
    for before, _, _ in changes:
        if before.id in written:
            uow.relay.wake(before.id)
            continue
        # Changed since it was read (a payment started, the buyer cancelled): again.
        again = await cancel_order(uow, before.id, "event_cancelled", now)
        being_paid += again.settling is not None
    return being_paid
