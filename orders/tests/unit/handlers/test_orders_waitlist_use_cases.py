"""The waiting list's use cases on in-memory fakes: who may join, first in first served,
a lapse passing to the next, the public kept off units the line is owed, the sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from orders_fakes import NOW, FakeUnit, general_type, seated_type

from orders.domain.order import Order
from orders.domain.waitlist import (
    AlreadyWaiting,
    OfferAlreadyMade,
    TicketsOnSale,
    WaitingListFirst,
    WaitlistEntryNotFound,
)
from orders.handlers.holds import hold_general
from orders.handlers.lifecycle import cancel_order
from orders.handlers.waitlist import join_waitlist, leave_waitlist, sweep_waitlist
from orders.handlers.waitlist_events import orders_ended
from ticketing_common.domain_errors import RuleViolation
from ticketing_common.events import OrderCancelled, OrderCreated, WaitlistOffered

GRACE = timedelta(seconds=10)


async def sold_out(quantity: int = 2) -> tuple[FakeUnit, Order]:
    """An event whose only type is held whole by one buyer."""
    uow = FakeUnit()
    uow.add_event(NOW, general_type(quantity=quantity))
    hold = await hold_general(uow, "holder", "e1", {"ga": quantity}, NOW)
    return uow, hold.order


async def ended(uow: FakeUnit, order_id: str, reason: str = "cancelled_by_buyer") -> None:
    """The order is cancelled, and its `order.cancelled` reaches the waiting list."""
    at = NOW + timedelta(minutes=1)
    if reason == "expired":
        at = uow.orders.stored[order_id].expires_at
    await cancel_order(uow, order_id, reason, at)  # type: ignore[arg-type]
    event = uow.orders.recorded[order_id][-1]
    assert isinstance(event, OrderCancelled)
    await orders_ended(uow, [event], at)


def offers(uow: FakeUnit) -> dict[str, Order]:
    """The holds made for waiting buyers, by buyer."""
    return {
        o.user_id: o
        for o in uow.orders.stored.values()
        if any(isinstance(e, WaitlistOffered) for e in uow.orders.recorded[o.id])
    }


async def test_a_buyer_joins_only_a_sold_out_type_once_and_within_the_order_maximum() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type(quantity=2, max_per_order=3), seated_type())
    with pytest.raises(TicketsOnSale, match="2 tickets of GA are on sale"):
        await join_waitlist(uow, "b", "e1", "ga", 1, NOW)
    await hold_general(uow, "holder", "e1", {"ga": 2}, NOW)

    entry = await join_waitlist(uow, "b", "e1", "ga", 3, NOW)

    assert (entry.status, entry.quantity, entry.user_id) == ("waiting", 3, "b")
    with pytest.raises(AlreadyWaiting):
        await join_waitlist(uow, "b", "e1", "ga", 1, NOW)
    with pytest.raises(RuleViolation, match="At most 3 tickets"):
        await join_waitlist(uow, "c", "e1", "ga", 4, NOW)
    with pytest.raises(RuleViolation, match="seated"):
        await join_waitlist(uow, "c", "e1", "std", 1, NOW)


async def test_freed_units_go_to_the_line_first_in_first_served() -> None:
    uow, held = await sold_out(quantity=2)
    first = await join_waitlist(uow, "first", "e1", "ga", 1, NOW)
    second = await join_waitlist(uow, "second", "e1", "ga", 1, NOW + timedelta(seconds=1))
    third = await join_waitlist(uow, "third", "e1", "ga", 1, NOW + timedelta(seconds=2))
    assert await uow.waitlist.position(third) == 3

    await ended(uow, held.id)

    made = offers(uow)
    assert sorted(made) == ["first", "second"]
    order = made["first"]
    assert order.pending
    assert order.units == 1
    assert order.expires_at == NOW + timedelta(minutes=1, seconds=30 * 60)
    created, offered = uow.orders.recorded[order.id]
    assert isinstance(created, OrderCreated)
    assert isinstance(offered, WaitlistOffered)
    assert (offered.entry_id, offered.quantity, offered.ticket_type_name) == (first.id, 1, "GA")
    assert uow.waitlist.entries[first.id].status == "offered"
    assert uow.waitlist.entries[first.id].order_id == order.id
    assert uow.waitlist.entries[second.id].status == "offered"
    assert uow.waitlist.entries[third.id].status == "waiting"
    assert await uow.waitlist.position(third) == 1


async def test_a_lapsed_offer_passes_to_the_next_in_line() -> None:
    uow, held = await sold_out(quantity=1)
    first = await join_waitlist(uow, "first", "e1", "ga", 1, NOW)
    second = await join_waitlist(uow, "second", "e1", "ga", 1, NOW + timedelta(seconds=1))
    await ended(uow, held.id, "expired")
    offer = offers(uow)["first"]

    await ended(uow, offer.id, "expired")

    assert uow.waitlist.entries[first.id].status == "lapsed"
    assert uow.waitlist.entries[second.id].status == "offered"
    assert offers(uow)["second"].pending


async def test_a_declined_offer_is_declined_and_the_next_buyer_is_offered() -> None:
    uow, held = await sold_out(quantity=1)
    first = await join_waitlist(uow, "first", "e1", "ga", 1, NOW)
    await join_waitlist(uow, "second", "e1", "ga", 1, NOW + timedelta(seconds=1))
    await ended(uow, held.id)

    await ended(uow, offers(uow)["first"].id, "cancelled_by_buyer")

    assert uow.waitlist.entries[first.id].status == "declined"
    assert "second" in offers(uow)


async def test_the_first_in_line_waits_for_enough_and_nobody_jumps_the_line() -> None:
    uow, held = await sold_out(quantity=1)
    big = await join_waitlist(uow, "big", "e1", "ga", 2, NOW)
    small = await join_waitlist(uow, "small", "e1", "ga", 1, NOW + timedelta(seconds=1))

    await ended(uow, held.id)

    assert offers(uow) == {}
    assert uow.waitlist.entries[big.id].status == "waiting"
    assert uow.waitlist.entries[small.id].status == "waiting"
    with pytest.raises(WaitingListFirst, match="waiting list first"):
        await hold_general(uow, "public", "e1", {"ga": 1}, NOW + timedelta(minutes=2))
    assert uow.counters.counters_of_event("e1")[0]["holds"] == []  # given back


async def test_a_public_hold_on_an_expired_unit_gives_it_to_the_line() -> None:
    uow, held = await sold_out(quantity=1)
    waiting = await join_waitlist(uow, "waiting", "e1", "ga", 1, NOW)
    # The hold ran out; no expiry event yet, so the unit is free to the counter.
    later = held.expires_at + timedelta(seconds=1)

    with pytest.raises(WaitingListFirst):
        await hold_general(uow, "public", "e1", {"ga": 1}, later)

    assert uow.waitlist.entries[waiting.id].status == "offered"
    assert "public" not in {o.user_id for o in uow.orders.stored.values()}


async def test_a_public_hold_goes_through_when_nobody_waits() -> None:
    uow, held = await sold_out(quantity=1)
    await ended(uow, held.id)

    hold = await hold_general(uow, "public", "e1", {"ga": 1}, NOW + timedelta(minutes=2))

    assert hold.order.pending


async def test_leaving_a_line_only_while_waiting_and_only_ones_own() -> None:
    uow, held = await sold_out(quantity=1)
    first = await join_waitlist(uow, "first", "e1", "ga", 1, NOW)
    second = await join_waitlist(uow, "second", "e1", "ga", 1, NOW + timedelta(seconds=1))
    with pytest.raises(WaitlistEntryNotFound):
        await leave_waitlist(uow, "someone", second.id, NOW)
    await leave_waitlist(uow, "second", second.id, NOW)
    await ended(uow, held.id)

    with pytest.raises(OfferAlreadyMade):
        await leave_waitlist(uow, "first", first.id, NOW)
    assert uow.waitlist.entries[second.id].status == "left"
    assert sorted(offers(uow)) == ["first"]
    # Having left, a buyer may join again (behind everyone).
    assert (await join_waitlist(uow, "second", "e1", "ga", 1, NOW)).status == "waiting"


async def test_the_sweep_offers_what_a_crash_left_free_and_requeues_an_unrecorded_offer() -> None:
    uow, held = await sold_out(quantity=1)
    first = await join_waitlist(uow, "first", "e1", "ga", 1, NOW)
    # A crash between the release and the offer: the units are free, nobody was offered.
    await cancel_order(uow, held.id, "cancelled_by_buyer", NOW)

    made = await sweep_waitlist(uow, GRACE, NOW + timedelta(seconds=1))

    assert [uow.orders.stored[i].user_id for i in made] == ["first"]
    # An offer whose order was never recorded (a crash, then the recovery fenced it).
    order_id = uow.waitlist.entries[first.id].order_id
    assert order_id is not None
    del uow.orders.stored[order_id]
    uow.orders.fences[order_id] = NOW
    await uow.counters.release("e1", ["ga"], order_id)
    await uow.availability.changed("e1")  # as the recovery announces what it freed
    await sweep_waitlist(uow, GRACE, NOW + timedelta(seconds=30))
    again = uow.waitlist.entries[first.id]
    assert again.status == "offered"  # its place kept: offered again
    assert again.order_id != order_id


async def test_a_cancelled_event_closes_its_lines() -> None:
    uow, _ = await sold_out(quantity=1)
    entry = await join_waitlist(uow, "first", "e1", "ga", 1, NOW)
    event = uow.catalog.events["e1"]
    uow.catalog.events["e1"] = type(event)(**{**event.__dict__, "status": "cancelled"})

    await sweep_waitlist(uow, GRACE, NOW)

    assert uow.waitlist.entries[entry.id].status == "closed"
