"""An expiry wave: the orders whose holds ran out, cancelled together.

When a sale's holds expire, `expiration.complete` arrives for many orders within
seconds. One by one, each costs a read, a write and a release; here a fetched batch
costs a read of all its orders, one write of their cancellations (each still guarded
by the version read), one release per collection and the announcements — so the
wave keeps pace with the clock. An order that changed meanwhile (a payment started,
a buyer cancelled) takes the one-by-one path, which retries on the fresh version.
"""

from __future__ import annotations

import logging
from datetime import datetime

from orders.domain.order import Order
from orders.domain.units import ga_type_ids
from orders.handlers.lifecycle import EXPIRY_TOLERANCE, cancel_order
from orders.handlers.order_changes import announce_order_change
from orders.handlers.ports import OrdersUnit
from orders.handlers.vouchers_recovery import give_back_vouchers
from ticketing_common.events import Event

log = logging.getLogger(__name__)


async def expire_orders(uow: OrdersUnit, order_ids: list[str], now: datetime) -> list[str]:
    """Cancel the expired orders among `order_ids` → the ids that came too early (retry)."""
    orders = {order.id: order for order in await uow.orders.get_many(order_ids)}
    early = [o.id for o in orders.values() if o.pending and o.expires_at - EXPIRY_TOLERANCE > now]
    changes: list[tuple[Order, Order, Event]] = []
    finished: list[Order] = []
    for order in orders.values():
        if order.id in early:
            continue
        cancelled, event = order.cancel("expired", now)
        if event is not None:
            changes.append((order, cancelled, event))
        elif cancelled.status == "cancelled":
            finished.append(cancelled)  # a redelivery: finish an interrupted release
    written = await uow.orders.replace_many_if_unchanged(changes)
    done = [after for _, after, _ in changes if after.id in written]
    await release_inventory_of(uow, done + finished)
    for order in done:
        await announce_order_change(uow, order)
    for before, _, _ in changes:
        if before.id not in written:  # changed meanwhile: decide again on what is stored
            await cancel_order(uow, before.id, "expired", now)
    missing = set(order_ids) - set(orders)
    if missing:
        log.warning("expiration for unknown orders", extra={"order_ids": sorted(missing)})
    log.info("orders expired", extra={"count": len(done)})
    return early


async def release_inventory_of(uow: OrdersUnit, orders: list[Order]) -> None:
    """`release_inventory` for many orders: one write per kind of inventory; idempotent."""
    if not orders:
        return
    ids = [order.id for order in orders]
    if any(order.listing is not None or _has_seats(order) for order in orders):
        await uow.inventory.release_orders(ids)
    events = sorted({o.event_id for o in orders if o.event_id is not None and ga_type_ids(o)})
    if events:
        await uow.counters.release_orders(events, ids)
    await give_back_vouchers(uow, orders)


def _has_seats(order: Order) -> bool:
    return any(line.seat_id for line in order.lines)
