"""The waiting list, moved on by the orders' own events: an order that ended (its hold
expired, the buyer cancelled, an offer lapsed or was declined) frees units for the line;
an offer that was paid is accepted.

A batch costs one write to end the offers among its orders and one read per line it
touches; only lines with a buyer waiting cost more. The cancelling process released the
units before the event left, normally; the release is repeated here (idempotent) in case
the outbox relay published the event first, so the offer finds the units free.
"""

from __future__ import annotations

from datetime import datetime

from orders.domain.waitlist import WaitlistStatus, ended_status
from orders.handlers.ports import OrdersUnit
from orders.handlers.waitlist import offer_freed_units
from ticketing_common.events import OrderCancelled, OrderCompleted


async def orders_ended(uow: OrdersUnit, events: list[OrderCancelled], now: datetime) -> None:
    await uow.waitlist.end_offers({e.order_id: ended_status(e.reason) for e in events}, now)
    freed: dict[tuple[str, str], list[str]] = {}
    for event in events:
        if event.event_id is None:
            continue
        for item in event.items:
            if item.seat_id is None:
                freed.setdefault((event.event_id, item.ticket_type_id), []).append(event.order_id)
    waiting = [line for line in freed if await uow.waitlist.is_waiting(*line)]
    if not waiting:
        return
    order_ids = sorted({order_id for line in waiting for order_id in freed[line]})
    await uow.counters.release_orders(sorted({event_id for event_id, _ in waiting}), order_ids)
    by_event: dict[str, list[str]] = {}
    for event_id, type_id in waiting:
        by_event.setdefault(event_id, []).append(type_id)
    for event_id, type_ids in by_event.items():
        uow.group_claims.released(event_id)  # a room bound read before it holds no more
        await offer_freed_units(uow, event_id, type_ids, now)


async def orders_paid(uow: OrdersUnit, events: list[OrderCompleted], now: datetime) -> None:
    accepted: dict[str, WaitlistStatus] = {e.order_id: "accepted" for e in events}
    await uow.waitlist.end_offers(accepted, now)
