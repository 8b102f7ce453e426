"""Waiting-list use cases: joining and leaving a line, offering freed units to the first
buyer waiting, and keeping public holds off units the line is owed.

The rules and the guarantee are told in orders.domain.waitlist. Freed units are offered
from three places: the listener of `order.cancelled` (a hold expired, a buyer cancelled,
an offer lapsed: handlers/waitlist_events.py), a public hold that found a line waiting
(`keep_line_first`), and every replica's periodic sweep (`sweep_waitlist`), which
repairs what a crash between a release and its offer left undone.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from orders.domain import EventNotFound
from orders.domain.errors import OrderIdTaken
from orders.domain.holds import EventInfo, TicketType, hold_window
from orders.domain.order import Order
from orders.domain.units import ga_type_ids
from orders.domain.waitlist import (
    OfferAlreadyMade,
    WaitingListFirst,
    WaitlistEntry,
    WaitlistEntryNotFound,
    join,
    offer_after,
    public_free,
    waitlisted_type,
)
from orders.handlers.order_changes import announce_order_change, release_inventory
from orders.handlers.ports import OrdersUnit
from ticketing_common.domain_errors import RuleViolation
from ticketing_common.events import WaitlistOffered

log = logging.getLogger(__name__)
# Offers one pass may make in a line (each a claim and two writes); the rest next pass.
MAX_OFFERS_PER_PASS = 50


async def join_waitlist(
    uow: OrdersUnit, user_id: str, event_id: str, type_id: str, quantity: int, now: datetime
) -> WaitlistEntry:
    event = await uow.catalog.event(event_id)
    if event is None:
        raise EventNotFound()
    ticket_type = waitlisted_type(event, type_id, quantity, now)
    free = sum((await uow.counters.free_by_shard(event_id, type_id, now)).values())
    for_public = public_free(free, await uow.waitlist.is_waiting(event_id, type_id))
    entry = join(event, ticket_type, user_id, quantity, for_public, now)
    await uow.waitlist.add(entry)
    log.info("joined waiting list", extra={"entry_id": entry.id, "event_id": event_id})
    return entry


async def leave_waitlist(uow: OrdersUnit, user_id: str, entry_id: str, now: datetime) -> None:
    entry = await uow.waitlist.get(entry_id)
    if entry is None or entry.user_id != user_id:
        raise WaitlistEntryNotFound()
    if entry.status == "offered":
        raise OfferAlreadyMade()
    if not await uow.waitlist.leave(entry_id, user_id, now) and entry.status == "waiting":
        raise OfferAlreadyMade()  # offered in the meantime


async def keep_line_first(uow: OrdersUnit, order: Order, now: datetime) -> None:
    """After a public hold claimed its units, before its order is recorded: if a buyer
    waits for any of its types, the units go back, are offered to the line, and the hold
    is refused. (Claim first, then look: a join this look misses came after the claim.)"""
    if order.event_id is None:
        return
    lines = [t for t in ga_type_ids(order) if await uow.waitlist.is_waiting(order.event_id, t)]
    if not lines:
        return
    await release_inventory(uow, order)
    await offer_freed_units(uow, order.event_id, lines, now)
    raise WaitingListFirst()


async def offer_freed_units(
    uow: OrdersUnit, event_id: str, type_ids: list[str], now: datetime
) -> list[str]:
    """Offer what is free of these types to their lines, first in line first → the ids of
    the orders made. A line whose first buyer wants more than is free waits (strictly)."""
    event = await uow.catalog.event(event_id)
    if event is None:
        return []
    if event.status == "cancelled" or event.ends_at <= now:
        await uow.waitlist.close_lines(event_id, None, now)
        return []
    made: list[str] = []
    for type_id in type_ids:
        try:
            ticket_type = event.ticket_type(type_id)
        except RuleViolation:  # the type is gone from the event: nobody can be served
            await uow.waitlist.close_lines(event_id, [type_id], now)
            continue
        for _ in range(MAX_OFFERS_PER_PASS):
            entry = await uow.waitlist.first_waiting(event_id, type_id)
            if entry is None:
                break
            outcome = await _offer(uow, event, ticket_type, entry, now)
            if outcome is None:
                break  # not enough free yet: the first in line waits for more
            if outcome:
                made.append(outcome)
    return made


def offer_length(uow: OrdersUnit) -> timedelta:
    return uow.hold_times.length(uow.waitlist_offer_minutes)


async def _offer(
    uow: OrdersUnit, event: EventInfo, ticket_type: TicketType, entry: WaitlistEntry, now: datetime
) -> str | None:
    """Hold the entry's units for its buyer → the order id; None if there is no room;
    "" if another replica offered this entry first (the next one may be served)."""
    window = hold_window(now, offer_length(uow), event.ends_at)
    order = event.order_for(entry.user_id, [ticket_type.line(entry.quantity)], window, now)
    left = await uow.group_claims.claim(
        event.id, ticket_type, order.id, entry.quantity, order.expires_at, now
    )
    if left is not None:
        return None
    offered = entry.offered(order.id, order.expires_at, now)
    if not await uow.waitlist.mark_offered(offered):
        await release_inventory(uow, order)
        return ""
    try:
        await uow.orders.insert(order, order.created_event(), _offered_event(offered, order, event))
    except Exception as error:
        # The claim goes back and the buyer keeps their place; a crash instead of this
        # is repaired by the recovery sweep (claims) and `sweep_waitlist` (the entry).
        await release_inventory(uow, order)
        await uow.waitlist.unoffer(entry.id, order.id)
        if isinstance(error, OrderIdTaken):
            return ""
        raise
    await announce_order_change(uow, order, created=True)
    log.info("waiting list offer made", extra={"entry_id": entry.id, "order_id": order.id})
    return order.id


def _offered_event(entry: WaitlistEntry, order: Order, event: EventInfo) -> WaitlistOffered:
    return WaitlistOffered(
        entry_id=entry.id,
        order_id=order.id,
        user_id=entry.user_id,
        event_id=event.id,
        event_name=event.name,
        ticket_type_id=entry.ticket_type_id,
        ticket_type_name=event.ticket_type(entry.ticket_type_id).name,
        quantity=entry.quantity,
        amount=order.amount,
        currency=order.currency,
        expires_at=order.expires_at,
    )


async def sweep_waitlist(uow: OrdersUnit, grace: timedelta, now: datetime) -> list[str]:
    """One pass of the periodic repair → the ids of the orders offered.

    Offers older than the grace whose order was never recorded (a crash between the
    offer and its order) give the buyer their place back; ones whose order ended without
    its event being handled here are ended. Then every line waiting is offered what is
    free (a crash between a release and its offer left it undone)."""
    offers = await uow.waitlist.offers_before(now - grace)
    if offers:
        statuses = await uow.orders.statuses([e.order_id for e in offers if e.order_id])
        for entry in offers:
            assert entry.order_id is not None
            status = offer_after(statuses.get(entry.order_id))
            if status == "waiting":
                await uow.waitlist.unoffer(entry.id, entry.order_id)
            elif status is not None:
                await uow.waitlist.end_offers({entry.order_id: status}, now)
    made: list[str] = []
    by_event: dict[str, list[str]] = {}
    for event_id, type_id in await uow.waitlist.waiting_lines():
        by_event.setdefault(event_id, []).append(type_id)
    for event_id, type_ids in by_event.items():
        made += await offer_freed_units(uow, event_id, type_ids, now)
    return made
