"""Taking holds: a resale listing, or general-admission units of one or more types.

Each hold is decided by conditional writes on the inventory that carry the order id,
expiry and claim time; the order's `order.created` is recorded next, in the outbox of
new orders (store/orders.py), and the order document written after. A crash in between
leaves claims nobody owns, and maybe a record: the recovery sweep fences their order id
and frees them (handlers/recovery.py), and the outbox relay drops the record unsent.
A hold refused after its record (over the buyer's cap, the line first) drops it; one
refused later (a voucher used up) leaves it to the relay, which fences the order's id
past the grace, as after a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime

from orders.domain import EventNotFound, NotEnoughTickets, RuleViolation
from orders.domain.errors import HoldCapReached, HoldTooSlow, OrderIdTaken
from orders.domain.holds import EventInfo, HoldWindow, hold_window
from orders.domain.order import Order
from orders.domain.order_parts import Line
from orders.domain.units import ga_type_ids, listing_unit_id
from orders.domain.vouchers import Voucher
from orders.handlers.order_changes import announce_order_change, give_back, release_inventory
from orders.handlers.ports import OrdersUnit
from orders.handlers.vouchers_redemption import priced, redeem_voucher, unlocked_by, voucher_for
from orders.handlers.waitlist import keep_line_first
from ticketing_common.domain_errors import NotFound
from ticketing_common.failpoints import crash_here

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hold:
    order: Order
    notice: str | None


async def check_buyer_cap(
    uow: OrdersUnit, event: EventInfo, user_id: str, wanted: int, now: datetime
) -> None:
    held = await uow.orders.units_held(user_id, event.id, now)
    event.check_buyer_cap(held, wanted, uow.buyer_cap_factor)


async def open_event(uow: OrdersUnit, event_id: str, now: datetime) -> EventInfo:
    event = await uow.catalog.event(event_id)
    if event is None:
        raise EventNotFound()
    event.ensure_on_sale(now)
    return event


def event_hold_window(uow: OrdersUnit, event: EventInfo, now: datetime) -> HoldWindow:
    return hold_window(now, uow.hold_times.length(event.hold_minutes), event.ends_at)


async def record_hold(
    uow: OrdersUnit,
    order: Order,
    window: HoldWindow,
    voucher: Voucher | None = None,
    *,
    recorded: bool = False,
) -> Hold:
    """Redeem the order's voucher, then store the order with its `order.created` (already
    recorded if `recorded`); if that fails, give the hold (and the voucher) back.

    A hold slower than the recovery's grace may find its id fenced by the sweep, which
    frees its claims: the buyer is asked to try again (503), nothing is held."""
    if not recorded:
        crash_here("orders.hold.after_claim")
    if voucher is not None:
        await redeem_voucher(uow, voucher, order)
    try:
        await uow.orders.insert(order, *([] if recorded else [order.created_event()]))
    except Exception as error:
        await release_inventory(uow, order)
        if isinstance(error, OrderIdTaken):
            log.warning(
                "hold fenced off before its order was recorded", extra={"order_id": order.id}
            )
            raise HoldTooSlow() from error
        raise
    await announce_order_change(uow, order, created=True)
    log.info("hold taken", extra={"order_id": order.id, "units": order.units})
    return Hold(order, window.notice)


async def hold_listing(uow: OrdersUnit, user_id: str, ticket_id: str, now: datetime) -> Hold:
    listing = await uow.inventory.listing(ticket_id)
    if listing is None:
        raise NotFound("Ticket not found", "ticketId")
    window = hold_window(now, uow.hold_times.listing, None)
    order = listing.order_for(user_id, window, now)
    if not await uow.inventory.hold_units(
        [listing_unit_id(ticket_id)], order.id, window.expires_at, now
    ):
        raise RuleViolation("Ticket is already reserved", "ticketId")
    return await record_hold(uow, order, window)


async def hold_general(
    uow: OrdersUnit,
    user_id: str,
    event_id: str,
    wanted: dict[str, int],
    now: datetime,
    voucher_code: str | None = None,
) -> Hold:
    """N units of one or more general-admission types: every type, or none.

    The units are claimed before the buyer's cap is read: in a sale most requests are
    refused as sold out, and those then cost no read of the buyer's orders. A buyer over
    the cap gives the claimed units straight back."""
    event = await open_event(uow, event_id, now)
    voucher = await voucher_for(uow, event, voucher_code, now)
    lines = []
    for index, (type_id, quantity) in enumerate(wanted.items()):
        item = f"items.{index}"
        ticket_type = event.check_quantity(type_id, quantity, item, unlocked_by(voucher))
        if ticket_type.seated:
            raise RuleViolation(f"{ticket_type.name} is seated: choose seats", "items")
        lines.append(ticket_type.line(quantity))
    window = event_hold_window(uow, event, now)
    lines = priced(voucher, lines)
    order = event.order_for(user_id, lines, window, now, voucher.ref if voucher else None)
    await claim_lines(uow, event, order, lines)
    crash_here("orders.hold.after_claim")
    await _admit(uow, event, order, sum(wanted.values()), now)
    return await record_hold(uow, order, window, voucher, recorded=True)


async def _admit(
    uow: OrdersUnit, event: EventInfo, order: Order, wanted: int, now: datetime
) -> None:
    """After the claims: buyers waiting for a type come first, then the buyer's cap. The
    order's events are recorded meanwhile (store/orders.py), no round trip of their own;
    a refusal here gives the units back and drops the record."""
    created = order.created_event()
    recording = asyncio.ensure_future(uow.orders.record_events(order.id, [created]))
    try:
        held, _ = await asyncio.gather(
            uow.orders.units_held(order.user_id, event.id, now), keep_line_first(uow, order, now)
        )
        try:
            event.check_buyer_cap(held, wanted, uow.buyer_cap_factor)
        except HoldCapReached:
            await give_back(uow, event.id, ga_type_ids(order), order.id)
            raise
        await recording
    except BaseException:
        await _forget_events(uow, order.id, recording)
        raise


async def _forget_events(uow: OrdersUnit, order_id: str, recording: asyncio.Future[None]) -> None:
    """A hold refused after its events were recorded: they go, unsent (else the outbox
    relay would fence the order's id past the grace, and drop them then)."""
    with contextlib.suppress(Exception):
        await recording
        await uow.orders.forget_events(order_id)


async def claim_lines(uow: OrdersUnit, event: EventInfo, order: Order, lines: list[Line]) -> None:
    """Claim every line's units for the order, or none (NotEnoughTickets)."""
    for number, line in enumerate(lines):
        available = await uow.group_claims.claim(
            event.id,
            event.ticket_type(line.ticket_type_id),
            order.id,
            line.quantity,
            order.expires_at,
            order.created_at,
        )
        if available is not None:
            if number:
                taken = [done.ticket_type_id for done in lines[:number]]
                await give_back(uow, event.id, taken, order.id)
            raise NotEnoughTickets(line.quantity, available, "items")
