"""What follows an order write, each named where a use case calls it: announcing the
change, and giving back what the order holds."""

from __future__ import annotations

from orders.availability.deltas import order_delta
from orders.domain.order import Order
from orders.domain.units import ga_type_ids, unit_ids
from orders.handlers.ports import OrdersUnit


async def announce_order_change(uow: OrdersUnit, order: Order, *, created: bool = False) -> None:
    """After an order write (`created`: its insert): wake the outbox relay so the events
    recorded with it go out now (not at the next poll), and refresh the event's
    availability on every replica."""
    uow.relay.wake(order.id, created=created)
    if order.event_id:
        await uow.availability.changed(order.event_id, order_delta(order))


async def release_inventory(uow: OrdersUnit, order: Order) -> None:
    """Give back whatever the order holds, its voucher's redemption included; idempotent,
    so safe on every retry."""
    if units := unit_ids(order):
        await uow.inventory.release_units(units, order.id)
    if order.event_id is not None and (types := ga_type_ids(order)):
        await uow.counters.release(order.event_id, types, order.id)
    if order.voucher is not None:
        await uow.vouchers.give_back(order.voucher.id, [order.id])
