"""Taking holds, on in-memory fakes: a resale listing, general admission, chosen seats
and seats together — each all or none, refusals leaving nothing held."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from orders_fakes import NOW, FakeUnit, general_type, seated_type

from orders.availability.snapshot import Snapshot
from orders.domain import NotEnoughTickets, OwnTicket, RuleViolation
from orders.domain.errors import HoldCapReached
from orders.domain.units import listing_unit_id, seat_unit_id
from orders.handlers.holds import hold_general, hold_listing
from orders.handlers.seats import hold_seats, hold_together
from ticketing_common.domain_errors import NotFound
from ticketing_common.events import OrderCreated


async def test_a_listing_hold_holds_the_unit_and_records_order_created() -> None:
    uow = FakeUnit()
    uow.add_listing("seller", price=1550)

    hold = await hold_listing(uow, "buyer", "t1", NOW)

    order = hold.order
    assert (order.kind, order.status, order.user_id, order.amount) == (
        "listing",
        "created",
        "buyer",
        1550,
    )
    assert order.expires_at == NOW + timedelta(minutes=15)
    unit = uow.inventory.unit(listing_unit_id("t1"))
    assert (unit["status"], unit["orderId"]) == ("held", order.id)
    assert await uow.orders.get(order.id) == order
    (created,) = uow.orders.recorded[order.id]
    assert isinstance(created, OrderCreated)
    assert uow.relay.woken == [order.id]  # order.created goes out now, not at the next poll


async def test_a_seller_cannot_hold_their_own_listing() -> None:
    uow = FakeUnit()
    uow.add_listing("seller")

    with pytest.raises(OwnTicket, match="You cannot buy your own ticket"):
        await hold_listing(uow, "seller", "t1", NOW)

    assert uow.inventory.unit(listing_unit_id("t1"))["status"] == "available"
    assert uow.orders.stored == {}


async def test_a_held_listing_is_refused_until_its_hold_expires() -> None:
    uow = FakeUnit()
    uow.add_listing("seller")
    await hold_listing(uow, "first", "t1", NOW)

    with pytest.raises(RuleViolation, match="Ticket is already reserved"):
        await hold_listing(uow, "second", "t1", NOW + timedelta(minutes=14))
    later = await hold_listing(uow, "second", "t1", NOW + timedelta(minutes=16))

    assert uow.inventory.unit(listing_unit_id("t1"))["orderId"] == later.order.id
    with pytest.raises(NotFound, match="Ticket not found"):
        await hold_listing(uow, "buyer", "missing", NOW)


async def test_general_admission_holds_units_and_announces_the_change() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga", quantity=10))

    hold = await hold_general(uow, "buyer", "e1", {"ga": 3}, NOW)

    assert hold.order.amount == 3 * 2050
    assert await uow.counters.free_by_shard("e1", "ga", NOW) == {"e1:ga": 7}
    ((event_id, delta),) = uow.availability.changes
    assert event_id == "e1"
    assert delta is not None
    assert (delta["op"], delta["orderId"]) == ("held", hold.order.id)


async def test_general_admission_is_refused_when_sold_out_naming_what_is_left() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga", quantity=10))
    await hold_general(uow, "first", "e1", {"ga": 5}, NOW)
    await hold_general(uow, "second", "e1", {"ga": 3}, NOW)

    with pytest.raises(NotEnoughTickets) as refused:
        await hold_general(uow, "third", "e1", {"ga": 3}, NOW)

    assert (refused.value.requested, refused.value.available) == (3, 2)
    assert len(uow.orders.stored) == 2


async def test_general_admission_over_several_types_is_all_or_none() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga", quantity=10), general_type("vip", quantity=2))

    with pytest.raises(NotEnoughTickets):
        await hold_general(uow, "buyer", "e1", {"ga": 4, "vip": 3}, NOW)

    # The general units taken before the VIP claim failed are given back.
    assert await uow.counters.free_by_shard("e1", "ga", NOW) == {"e1:ga": 10}
    assert uow.orders.stored == {}
    both = await hold_general(uow, "buyer", "e1", {"ga": 4, "vip": 2}, NOW)
    assert both.order.units == 6


async def test_a_claim_is_split_over_shards_when_no_shard_has_room_for_all() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga", quantity=10, max_per_order=10, shards=2))
    await hold_general(uow, "first", "e1", {"ga": 3}, NOW)

    hold = await hold_general(uow, "second", "e1", {"ga": 7}, NOW)

    entries = await uow.counters.entries_of_order("e1", ["ga"], hold.order.id)
    assert sum(n for _, _, n in entries) == 7
    assert await uow.counters.free_by_shard("e1", "ga", NOW) == {"e1:ga": 0, "e1:ga:1": 0}


async def test_an_expired_general_hold_is_free_at_once() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga", quantity=4))
    await hold_general(uow, "first", "e1", {"ga": 4}, NOW)

    later = await hold_general(uow, "second", "e1", {"ga": 4}, NOW + timedelta(minutes=16))

    entries = await uow.counters.entries_of_order("e1", ["ga"], later.order.id)
    assert entries == [("e1:ga", "ga", 4)]


async def test_chosen_seats_are_held_all_or_none() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, seated_type("std"))
    uow.add_seats("e1", "std", "AB", 4)
    first = await hold_seats(uow, "first", "e1", ["A-0", "A-1"], NOW)

    with pytest.raises(NotEnoughTickets) as refused:
        await hold_seats(uow, "second", "e1", ["A-1", "A-2"], NOW)

    assert (refused.value.requested, refused.value.available) == (2, 1)
    assert uow.inventory.unit(seat_unit_id("e1", "A-1"))["orderId"] == first.order.id
    assert uow.inventory.unit(seat_unit_id("e1", "A-2"))["status"] == "available"
    assert [line.seat_id for line in first.order.lines] == ["A-0", "A-1"]


async def test_a_seat_the_live_map_lacks_is_read_and_refused_from_the_database() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, seated_type("std"))
    uow.add_seats("e1", "std", "A", 2)
    await hold_seats(uow, "first", "e1", ["A-1"], NOW)
    live = await uow.availability.snapshot("e1")
    assert live is not None
    del live.seats_by_id["A-1"]  # a seat the map does not have yet

    async def stale(event_id: str) -> Snapshot | None:
        return live

    uow.availability.snapshot = stale  # type: ignore[method-assign]
    with pytest.raises(NotEnoughTickets) as refused:
        await hold_seats(uow, "second", "e1", ["A-0", "A-1"], NOW)

    assert (refused.value.requested, refused.value.available) == (2, 1)


async def test_unknown_seats_are_named() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, seated_type("std"))
    uow.add_seats("e1", "std", "A", 2)

    with pytest.raises(RuleViolation, match="Unknown seats: Z-9"):
        await hold_seats(uow, "buyer", "e1", ["A-0", "Z-9"], NOW)


async def test_seats_together_are_adjacent_in_one_row() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, seated_type("std"))
    uow.add_seats("e1", "std", "AB", 4)
    await hold_seats(uow, "first", "e1", ["A-1"], NOW)

    hold = await hold_together(uow, "buyer", "e1", "std", 3, NOW)

    assert [line.seat_id for line in hold.order.lines] == ["B-0", "B-1", "B-2"]
    with pytest.raises(RuleViolation, match="No 3 adjacent seats left in one row"):
        await hold_together(uow, "other", "e1", "std", 3, NOW)


async def test_one_buyer_may_hold_only_so_many_tickets_of_an_event_at_once() -> None:
    uow = FakeUnit(buyer_cap_factor=2)
    uow.add_event(NOW, general_type("ga", quantity=50, max_per_order=3))
    for _ in range(2):
        await hold_general(uow, "hoarder", "e1", {"ga": 3}, NOW)

    with pytest.raises(
        HoldCapReached, match=r"hold 6 tickets for this event.*at most 6"
    ) as refused:
        await hold_general(uow, "hoarder", "e1", {"ga": 1}, NOW)

    assert refused.value.field == "eventId"
    # Someone else is not limited by it, and expired holds no longer count.
    await hold_general(uow, "other", "e1", {"ga": 3}, NOW)
    later = NOW + timedelta(minutes=16)
    await hold_general(uow, "hoarder", "e1", {"ga": 3}, later)


async def test_the_units_claimed_for_a_hold_over_the_cap_are_given_back() -> None:
    uow = FakeUnit(buyer_cap_factor=1)
    uow.add_event(NOW, general_type("ga", quantity=4, max_per_order=2))
    await hold_general(uow, "hoarder", "e1", {"ga": 2}, NOW)
    with pytest.raises(HoldCapReached):
        await hold_general(uow, "hoarder", "e1", {"ga": 2}, NOW)

    await hold_general(uow, "other", "e1", {"ga": 2}, NOW)  # the last two were free

    with pytest.raises(NotEnoughTickets):
        await hold_general(uow, "third", "e1", {"ga": 1}, NOW)


async def test_the_seats_claimed_for_a_hold_over_the_cap_are_given_back() -> None:
    uow = FakeUnit(buyer_cap_factor=1)
    uow.add_event(NOW, seated_type("std", max_per_order=2))
    uow.add_seats("e1", "std", "A", 4)
    await hold_seats(uow, "hoarder", "e1", ["A-0", "A-1"], NOW)
    with pytest.raises(HoldCapReached):  # read while were claimed
        await hold_seats(uow, "hoarder", "e1", ["A-2", "A-3"], NOW)

    await hold_seats(uow, "other", "e1", ["A-2", "A-3"], NOW)  # given back: free again
    assert sorted(uow.orders.recorded) == sorted(uow.orders.stored)  # two orders, no more


async def test_a_hold_records_its_order_created_and_a_refused_one_leaves_nothing() -> None:
    uow = FakeUnit(buyer_cap_factor=1)
    uow.add_event(NOW, general_type("ga", quantity=4, max_per_order=2))
    hold = await hold_general(uow, "hoarder", "e1", {"ga": 2}, NOW)
    (created,) = uow.orders.recorded[hold.order.id]
    assert (created.subject, created.order_id) == ("order.created", hold.order.id)

    with pytest.raises(HoldCapReached):
        await hold_general(uow, "hoarder", "e1", {"ga": 2}, NOW)

    # The refused hold's events were recorded beside the cap's read, then dropped.
    assert list(uow.orders.recorded) == [hold.order.id]


async def test_a_sold_out_refusal_reads_no_orders_of_the_buyer() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga", quantity=1))
    await hold_general(uow, "first", "e1", {"ga": 1}, NOW)
    reads = 0
    units_held = uow.orders.units_held

    async def counting(user_id: str, event_id: str, now: datetime) -> int:
        nonlocal reads
        reads += 1
        return await units_held(user_id, event_id, now)

    uow.orders.units_held = counting  # type: ignore[method-assign]
    with pytest.raises(NotEnoughTickets):
        await hold_general(uow, "second", "e1", {"ga": 1}, NOW)

    assert reads == 0


async def test_a_quantity_refusal_names_the_item_it_is_about() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga", max_per_order=2), general_type("vip", max_per_order=2))

    with pytest.raises(RuleViolation) as too_many:
        await hold_general(uow, "buyer", "e1", {"ga": 1, "vip": 3}, NOW)
    with pytest.raises(RuleViolation) as unknown:
        await hold_general(uow, "buyer", "e1", {"nope": 1}, NOW)

    assert (too_many.value.field, unknown.value.field) == (
        "items.1.quantity",
        "items.0.ticketTypeId",
    )
