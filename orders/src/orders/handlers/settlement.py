"""payment.created in: the paid order completes and its tickets are issued.

Settling first marks the order `settling` (`Order.start_settling`), so a racing cancel
cannot slip between turning the hold into a sale and completing the order. If the hold
was lost meanwhile (it expired and someone else took the units), or its event was
cancelled, the order is cancelled instead and payments refunds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime

from bson import ObjectId

from orders.domain.key_ring import KeyRing
from orders.domain.order import Order, ticket_slots
from orders.domain.order_parts import IssuedTicket
from orders.domain.signed_keys import TicketClaims
from orders.domain.units import unit_ids
from orders.handlers.ga_claims import sell_units
from orders.handlers.lifecycle import cancel_order
from orders.handlers.order_changes import announce_order_change, release_inventory
from orders.handlers.ports import OrdersUnit
from ticketing_common.messaging import RetryLater

log = logging.getLogger(__name__)


async def _sell_hold(uow: OrdersUnit, order: Order, now: datetime) -> list[str] | None:
    """Turn the hold into a sale → the counter shards its entries were sold on, or None if
    units were lost; idempotent."""
    if (units := unit_ids(order)) and not await uow.inventory.sell_units(units, order.id):
        return None
    return await sell_units(uow.counters, order, now)


def issue_tickets(keys: KeyRing, order: Order, ends_at: datetime | None) -> list[IssuedTicket]:
    """One ticket per slot, each with its Ed25519-signed key (`ends_at`: the event's)."""
    tickets = []
    listing_id = order.listing.id if order.listing else None
    for type_id, seat_id in ticket_slots(order):
        ticket_id = str(ObjectId())
        claims = TicketClaims(
            ticket_id, order.id, order.event_id, listing_id, type_id, seat_id, ends_at
        )
        tickets.append(IssuedTicket(ticket_id, keys.sign(claims), type_id, seat_id))
    return tickets


async def settle_payment(uow: OrdersUnit, order_id: str, payment_id: str, now: datetime) -> None:
    """Complete a pending order; a cancelled or complete one is left (payments refunds)."""
    order = await uow.orders.get(order_id)
    if order is None:
        raise RetryLater(f"order {order_id} not stored yet")
    if not order.pending:
        return
    show = await uow.catalog.event(order.event_id) if order.event_id else None
    if show is not None and show.status == "cancelled" and not order.settling:
        # Paid as its event was being cancelled: no tickets, and payments refunds. (One
        # already being settled completes, then the cancellation's retry ends it.)
        await cancel_order(uow, order_id, "event_cancelled", now)
        return
    settling = order.start_settling(payment_id)
    if settling is not order and not await uow.orders.replace_if_unchanged(order, settling):
        raise RetryLater("order changed while settling")
    if (sold := await _sell_hold(uow, settling, now)) is not None:
        tickets = issue_tickets(uow.ticket_keys, settling, show.ends_at if show else None)
        done, event = settling.complete(tickets)
        await uow.orders.replace_if_unchanged(settling, done, event)
        for shard in sold:
            await uow.counters.fold(shard, settling.id)
        await announce_order_change(uow, done)
        log.info("order completed", extra={"order_id": order_id})
        return
    await release_inventory(uow, settling)
    cancelled, cancel_event = settling.hold_lost(now)
    await uow.orders.replace_if_unchanged(settling, cancelled, cancel_event)
    await announce_order_change(uow, cancelled)
    log.warning("paid after the hold was lost", extra={"order_id": order_id})


async def settle_payments(
    uow: OrdersUnit, payments: Sequence[tuple[str, str]], now: datetime
) -> set[tuple[str, str]]:
    """Settle a fetched batch of (order id, payment id) at once, each order on its own path
    concurrently (one by one, a sale's payments completed a minute after the last was
    made) → the payments to try again later: those whose settling asked for it or
    failed, and a second payment of an order already in the batch (its redelivery finds
    the order complete, and payments refunds it)."""
    first: dict[str, str] = {}
    for order_id, payment_id in payments:
        first.setdefault(order_id, payment_id)
    retry = {(order_id, paid) for order_id, paid in payments if first[order_id] != paid}
    outcomes = await asyncio.gather(
        *(settle_payment(uow, order_id, paid, now) for order_id, paid in first.items()),
        return_exceptions=True,
    )
    for (order_id, paid), outcome in zip(first.items(), outcomes, strict=True):
        if isinstance(outcome, BaseException):
            if not isinstance(outcome, RetryLater):
                log.error("settling failed", extra={"order_id": order_id}, exc_info=outcome)
            retry.add((order_id, paid))
    return retry
