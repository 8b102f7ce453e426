"""After the hold: cancel (buyer, expiry, event cancelled) and settle a payment.

The order document is the decision point. Each change is a conditional write on
the version read (optimistic concurrency), retried on a lost race. Settling first
marks the order `settling` so a racing cancel cannot slip between converting the
hold into a sale and completing the order.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from bson import ObjectId

from orders.domain import RuleViolation
from orders.domain.keys import sign_ticket_key
from orders.domain.order import IssuedTicket, Order, ticket_slots
from orders.handlers.context import OrdersContext, release_inventory, unit_ids
from orders.handlers.ga_claims import sell_units
from ticketing_common.events import CancelReason
from ticketing_common.messaging import RetryLater

log = logging.getLogger(__name__)
RACE_RETRIES = 10
# expiration.complete is scheduled for expiresAt; tolerate small clock differences.
EXPIRY_TOLERANCE = timedelta(seconds=1)


class OrderNotFound(Exception):
    pass


async def cancel_order(
    ctx: OrdersContext, order_id: str, reason: CancelReason, *, buyer: str | None = None
) -> Order:
    """Cancel a pending order and release its hold; a no-op for finished orders."""
    for _ in range(RACE_RETRIES):
        order = await ctx.orders.get(order_id)
        if order is None or (buyer is not None and order.user_id != buyer):
            raise OrderNotFound(order_id)
        if order.status == "complete":
            if buyer is not None:
                raise RuleViolation("Cannot cancel a completed order")
            return order
        if order.status == "cancelled":
            await release_inventory(ctx, order)  # a redelivery finishes an interrupted cancel
            return order
        if order.settling:
            if buyer is not None:
                raise RuleViolation("Payment for this order is being processed")
            return order
        cancelled, event = order.cancel(reason)
        if await ctx.orders.replace_if_unchanged(order, cancelled, event):
            await release_inventory(ctx, cancelled)
            await ctx.published(cancelled)
            log.info("order cancelled", extra={"order_id": order_id, "reason": reason})
            return cancelled
    raise RetryLater(f"order {order_id} kept changing")


async def expire_order(ctx: OrdersContext, order_id: str, now: datetime) -> None:
    order = await ctx.orders.get(order_id)
    if order is None:
        log.warning("expiration for unknown order", extra={"order_id": order_id})
        return
    if order.pending and order.expires_at - EXPIRY_TOLERANCE > now:
        raise RetryLater("expiration arrived before expiresAt")
    await cancel_order(ctx, order_id, "expired")


async def cancel_event_orders(ctx: OrdersContext, event_id: str) -> None:
    for order_id in await ctx.orders.pending_of_event(event_id):
        await cancel_order(ctx, order_id, "event_cancelled")


async def _sell_hold(
    ctx: OrdersContext, order: Order, now: datetime
) -> list[tuple[str, int]] | None:
    """Turn the hold into a sale → the counter entries sold (shard, n), or None if units
    were lost; idempotent."""
    if (units := unit_ids(order)) and not await ctx.inventory.sell_units(units, order.id):
        return None
    return await sell_units(ctx.inventory.ga, order, now)


def issue_tickets(ctx: OrdersContext, order: Order) -> list[IssuedTicket]:
    tickets = []
    for type_id, seat_id in ticket_slots(order):
        ticket_id = str(ObjectId())
        key = sign_ticket_key(ctx.key_secret, ticket_id, order.signing_event_id)
        tickets.append(IssuedTicket(ticket_id, key, type_id, seat_id))
    return tickets


async def settle_payment(ctx: OrdersContext, order_id: str, payment_id: str, now: datetime) -> None:
    """payment.created → complete a pending order; a cancelled one is left (payments refunds)."""
    order = await ctx.orders.get(order_id)
    if order is None:
        raise RetryLater(f"order {order_id} not stored yet")
    if not order.pending:
        return
    if order.settling is None:
        claimed = replace(order, settling=payment_id)
        if not await ctx.orders.replace_if_unchanged(order, claimed):
            raise RetryLater("order changed while settling")
        order = claimed
    if (sold := await _sell_hold(ctx, order, now)) is not None:
        done, event = order.complete(issue_tickets(ctx, order))
        await ctx.orders.replace_if_unchanged(order, done, event)
        for shard, n in sold:
            await ctx.inventory.ga.fold(shard, order.id, n)
        await ctx.published(done)
        log.info("order completed", extra={"order_id": order_id})
        return
    # The hold expired and someone else took the units: no tickets, payments refunds.
    await release_inventory(ctx, order)
    cancelled, cancel_event = order.cancel("expired")
    await ctx.orders.replace_if_unchanged(order, cancelled, cancel_event)
    await ctx.published(cancelled)
    log.warning("paid after the hold was lost", extra={"order_id": order_id})
