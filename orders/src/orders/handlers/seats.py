"""Seated holds: chosen seats (all or none) and the best N seats together."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime

from orders.availability.snapshot import Snapshot, seat_state
from orders.domain import NotEnoughTickets, RuleViolation
from orders.domain.errors import HoldCapReached
from orders.domain.holds import EventInfo
from orders.domain.order_parts import Line
from orders.domain.seating import SeatSpot, candidate_runs
from orders.domain.units import seat_unit_id
from orders.domain.vouchers import Voucher
from orders.handlers.holds import (
    Hold,
    check_buyer_cap,
    event_hold_window,
    open_event,
    record_hold,
)
from orders.handlers.ports import OrdersUnit
from orders.handlers.vouchers_redemption import priced, unlocked_by, voucher_for
from ticketing_common.mongo import Document

# How many candidate runs to try before re-reading the seat map (others may be racing).
ATTEMPTS_PER_READ = 5
READS = 3


def _seat_lines(event: EventInfo, seats: dict[str, str], voucher: Voucher | None) -> list[Line]:
    """One line per seat, priced with the voucher; `seats` maps seat id -> ticket type id."""
    per_type: dict[str, int] = {}
    lines = []
    for seat_id, type_id in seats.items():
        per_type[type_id] = per_type.get(type_id, 0) + 1
        ticket_type = event.check_quantity(type_id, per_type[type_id], None, unlocked_by(voucher))
        lines.append(ticket_type.line(1, seat_id))
    return priced(voucher, lines)


async def hold_seats(
    uow: OrdersUnit,
    user_id: str,
    event_id: str,
    seat_ids: list[str],
    now: datetime,
    voucher_code: str | None = None,
) -> Hold:
    event = await open_event(uow, event_id, now)
    voucher = await voucher_for(uow, event, voucher_code, now)
    wanted = list(dict.fromkeys(seat_ids))
    live = _live_seats(await uow.availability.snapshot(event_id), wanted)
    found = (
        {s: live[s]["ticketTypeId"] for s in wanted}
        if live is not None
        else await uow.inventory.seat_types(event_id, wanted)
    )
    missing = [s for s in wanted if s not in found]
    if missing:
        raise RuleViolation(f"Unknown seats: {', '.join(missing)}", "seats")
    lines = _seat_lines(event, {s: found[s] for s in wanted}, voucher)
    window = event_hold_window(uow, event, now)
    order = event.order_for(user_id, lines, window, now, voucher.ref if voucher else None)
    units = [seat_unit_id(event_id, s) for s in wanted]
    # The buyer's holdings are read while the seats are claimed: one round trip less.
    claimed, held = await asyncio.gather(
        uow.inventory.hold_units(units, order.id, window.expires_at, now),
        uow.orders.units_held(user_id, event.id, now),
    )
    if not claimed:
        if live is None:
            free = await uow.inventory.count_free_units(units, now)
        else:  # for the message only: the live view, not another read
            free = sum(seat_state(live[s], now) == "available" for s in wanted)
        raise NotEnoughTickets(len(units), free, "seats")
    try:
        event.check_buyer_cap(held, len(lines), uow.buyer_cap_factor)
    except HoldCapReached:
        await uow.inventory.release_units(units, order.id)
        raise
    return await record_hold(uow, order, window, voucher)


def _live_seats(snapshot: Snapshot | None, seat_ids: list[str]) -> dict[str, Document] | None:
    """The seats' documents in the live seat map (no read), if it has every one of them: a
    seat's type changes only with the event's definition, which reloads the map."""
    seats = snapshot.seats_by_id if snapshot is not None else {}
    if not all(s in seats for s in seat_ids):
        return None
    return seats


async def hold_together(
    uow: OrdersUnit,
    user_id: str,
    event_id: str,
    type_id: str,
    quantity: int,
    now: datetime,
    voucher_code: str | None = None,
) -> Hold:
    """The best adjacent run in one row; a run lost to a racing buyer → the next one."""
    event = await open_event(uow, event_id, now)
    voucher = await voucher_for(uow, event, voucher_code, now)
    ticket_type = event.check_quantity(type_id, quantity, None, unlocked_by(voucher))
    if not ticket_type.seated:
        raise RuleViolation(f"{ticket_type.name} has no seats", "ticketTypeId")
    await check_buyer_cap(uow, event, user_id, quantity, now)
    window = event_hold_window(uow, event, now)
    free_total = 0
    for read in range(READS):
        # First the live in-memory seat map (no database read for 50,000 seats); the
        # holds themselves are conditional, so a stale view only loses a race. After
        # lost races, and before answering "none left", read the database again.
        snapshot = await (
            uow.availability.snapshot(event_id)
            if read == 0
            else uow.availability.fresh_snapshot(event_id, newer_than=time.monotonic())
        )
        spots = _spots(snapshot, type_id, now)
        free_total = sum(s.free for s in spots)
        runs = candidate_runs(spots, quantity, limit=ATTEMPTS_PER_READ)
        if not runs and read > 0:
            break
        for run in runs:
            lines = priced(voucher, [ticket_type.line(1, seat) for seat in run])
            order = event.order_for(user_id, lines, window, now, voucher.ref if voucher else None)
            units = [seat_unit_id(event_id, s) for s in run]
            if await uow.inventory.hold_units(units, order.id, window.expires_at, now):
                return await record_hold(uow, order, window, voucher)
    if free_total >= quantity:
        raise RuleViolation(
            f"No {quantity} adjacent seats left in one row ({free_total} single seats available)",
            "quantity",
        )
    raise NotEnoughTickets(quantity, free_total, "quantity")


def _spots(snapshot: Snapshot | None, type_id: str, now: datetime) -> list[SeatSpot]:
    seats = snapshot.seats if snapshot is not None else []
    return [
        SeatSpot(d["seatId"], d["section"], d["row"], d["index"], seat_state(d, now) == "available")
        for d in seats
        if d["ticketTypeId"] == type_id
    ]
