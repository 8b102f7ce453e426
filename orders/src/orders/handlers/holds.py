"""Taking holds: a resale listing, general-admission units, chosen seats, seats together.

Each hold is decided by conditional writes on the inventory that carry the order id
and expiry; the order document (with `order.created` embedded) is written after. A
crash in between leaves a hold nobody owns, which simply expires.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bson import ObjectId

from orders.domain import EventNotFound, NotEnoughTickets, RuleViolation
from orders.domain.holds import EventInfo, HoldWindow, hold_window
from orders.domain.order import Line, ListingRef, Order
from orders.handlers.context import OrdersContext, release_inventory
from orders.handlers.ga_claims import claim_units
from orders.store.inventory import listing_unit_id
from ticketing_common.domain_errors import NotFound

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hold:
    order: Order
    notice: str | None


async def open_event(ctx: OrdersContext, event_id: str, now: datetime) -> EventInfo:
    event = await ctx.catalog.event(event_id)
    if event is None:
        raise EventNotFound()
    event.ensure_on_sale(now)
    return event


def new_event_order(
    user_id: str, event: EventInfo, lines: list[Line], window: HoldWindow, now: datetime
) -> Order:
    return Order(
        id=str(ObjectId()),
        user_id=user_id,
        kind="event",
        status="created",
        version=0,
        created_at=now,
        expires_at=window.expires_at,
        currency=event.currency,
        lines=lines,
        event_id=event.id,
        event_name=event.name,
        event_starts_at=event.starts_at,
    )


async def record_hold(ctx: OrdersContext, order: Order, window: HoldWindow) -> Hold:
    """Store the order with its `order.created`; if that fails, give the hold back."""
    try:
        await ctx.orders.insert(order, order.created_event())
    except Exception:
        await release_inventory(ctx, order)
        raise
    await ctx.published(order)
    log.info("hold taken", extra={"order_id": order.id, "units": order.units})
    return Hold(order, window.notice)


async def hold_listing(ctx: OrdersContext, user_id: str, ticket_id: str, now: datetime) -> Hold:
    listing = await ctx.inventory.listing(ticket_id)
    if listing is None:
        raise NotFound("Ticket not found", "ticketId")
    if listing["sellerId"] == user_id:
        raise RuleViolation("You cannot buy your own ticket", "ticketId")
    window = hold_window(now, ctx.hold_length(ctx.settings.listing_hold_minutes), None)
    order = Order(
        id=str(ObjectId()),
        user_id=user_id,
        kind="listing",
        status="created",
        version=0,
        created_at=now,
        expires_at=window.expires_at,
        currency=listing["currency"],
        listing=ListingRef(ticket_id, listing["title"], listing["price"]),
    )
    if not await ctx.inventory.hold_units(
        [listing_unit_id(ticket_id)], order.id, window.expires_at, now
    ):
        raise RuleViolation("Ticket is already reserved", "ticketId")
    return await record_hold(ctx, order, window)


async def hold_general(
    ctx: OrdersContext, user_id: str, event_id: str, wanted: dict[str, int], now: datetime
) -> Hold:
    """N units of one or more general-admission types: every type, or none."""
    event = await open_event(ctx, event_id, now)
    lines = []
    for type_id, quantity in wanted.items():
        ticket_type = event.check_quantity(type_id, quantity)
        if ticket_type.seated:
            raise RuleViolation(f"{ticket_type.name} is seated: choose seats", "items")
        lines.append(Line(type_id, quantity, ticket_type.price))
    window = hold_window(now, ctx.hold_length(event.hold_minutes), event.ends_at)
    order = new_event_order(user_id, event, lines, window, now)
    for number, line in enumerate(lines):
        available = await claim_units(
            ctx.inventory.ga,
            event_id,
            event.ticket_type(line.ticket_type_id),
            order.id,
            line.quantity,
            window.expires_at,
            now,
        )
        if available is not None:
            if number:
                taken = [done.ticket_type_id for done in lines[:number]]
                await ctx.inventory.ga.release(event_id, taken, order.id)
            raise NotEnoughTickets(line.quantity, available, "items")
    return await record_hold(ctx, order, window)
