"""After the hold: cancel an order (the buyer, its expiry, its event's cancellation —
which ends many at once: handlers/event_cancellation.py).

What may be cancelled is the order's rule (`Order.cancel`); here the order document is
read, changed and written back on the version read (optimistic concurrency), retried on
a lost race, and what follows the write is done by name.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from orders.domain import OrderNotFound
from orders.domain.order import Order, owned_order
from orders.handlers.order_changes import announce_order_change, release_inventory
from orders.handlers.ports import OrdersUnit
from ticketing_common.events import CancelReason
from ticketing_common.failpoints import crash_here
from ticketing_common.messaging import RetryLater

log = logging.getLogger(__name__)
RACE_RETRIES = 10
# expiration.complete is scheduled for expiresAt; tolerate small clock differences.
EXPIRY_TOLERANCE = timedelta(seconds=1)


async def _stored(uow: OrdersUnit, order_id: str, buyer: str | None) -> Order:
    order = await uow.orders.get(order_id)
    if buyer is not None:
        return owned_order(order, buyer)
    if order is None:
        raise OrderNotFound()
    return order


async def cancel_order(
    uow: OrdersUnit,
    order_id: str,
    reason: CancelReason,
    now: datetime,
    *,
    buyer: str | None = None,
) -> Order:
    """Cancel a pending order and release its hold (`buyer`: only if it is theirs).

    A crash between the order write and the release leaves a cancelled order holding
    units: the recovery sweep finds it by its `cancelledAt` (handlers/recovery.py)."""
    for _ in range(RACE_RETRIES):
        order = await _stored(uow, order_id, buyer)
        cancelled, event = order.cancel(reason, now, by_buyer=buyer is not None)
        if event is None:  # nothing to cancel: `cancelled` is the order as it is
            if cancelled.status == "cancelled":
                await release_inventory(uow, cancelled)  # a redelivery finishes a cancel
            return cancelled
        if await uow.orders.replace_if_unchanged(order, cancelled, event):
            crash_here("orders.cancel.before_release")
            await release_inventory(uow, cancelled)
            await announce_order_change(uow, cancelled)
            log.info("order cancelled", extra={"order_id": order_id, "reason": reason})
            return cancelled
    raise RetryLater(f"order {order_id} kept changing")


async def expire_order(uow: OrdersUnit, order_id: str, now: datetime) -> None:
    order = await uow.orders.get(order_id)
    if order is None:
        log.warning("expiration for unknown order", extra={"order_id": order_id})
        return
    if order.pending and order.expires_at - EXPIRY_TOLERANCE > now:
        raise RetryLater("expiration arrived before expiresAt")
    await cancel_order(uow, order_id, "expired", now)
