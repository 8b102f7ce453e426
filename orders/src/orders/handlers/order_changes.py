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


async def give_back(uow: OrdersUnit, event_id: str, type_ids: list[str], order_id: str) -> None:
    """Release the order's general-admission claims of these types; the claims here hear
    of it at once (a room bound that counted them holds no more)."""
    await uow.counters.release(event_id, type_ids, order_id)
    uow.group_claims.released(event_id)


async def release_inventory(uow: OrdersUnit, order: Order) -> None:
    """Give back whatever the order holds, its voucher's redemption included; idempotent,
    so safe on every retry."""
    if units := unit_ids(order):
        await uow.inventory.release_units(units, order.id)
    if order.event_id is not None and (types := ga_type_ids(order)):
        await give_back(uow, order.event_id, types, order.id)
    if order.voucher is not None:
        await uow.vouchers.give_back(order.voucher.id, [order.id])
