"""The recovery sweep on in-memory fakes: claims with no order behind them are fenced
and freed, a fence that finds the order recorded frees nothing, cancelled orders give
their units back, live orders and young claims are left, and a hold whose id was
fenced answers 503 with nothing held."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from orders_fakes import NOW, FakeUnit, general_type, seated_type

from orders.domain.errors import HoldTooSlow
from orders.domain.order import Order
from orders.domain.units import listing_unit_id, seat_unit_id
from orders.handlers.holds import hold_general, hold_listing
from orders.handlers.lifecycle import cancel_order
from orders.handlers.recovery import release_abandoned_holds
from orders.handlers.seats import hold_seats
from ticketing_common.events import Event

GRACE = timedelta(seconds=10)
LATER = NOW + timedelta(seconds=11)  # the claims made at NOW are past the grace
EXPIRES = NOW + timedelta(minutes=15)
SEAT = seat_unit_id("e1", "A-0")
LISTING = listing_unit_id("t1")


def _shop() -> FakeUnit:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga", quantity=10, shards=2), seated_type("std"))
    uow.add_seats("e1", "std", "A", 4)
    uow.add_listing("seller")
    return uow


async def _claim_without_order(uow: FakeUnit, order_id: str) -> None:
    """What a process killed between its claims and its order write leaves behind."""
    assert await uow.counters.claim("e1:ga", order_id, 3, EXPIRES, NOW)
    assert await uow.counters.claim("e1:ga:1", order_id, 1, EXPIRES, NOW)  # a split claim
    assert await uow.inventory.hold_units([SEAT, LISTING], order_id, EXPIRES, NOW)


async def _sweep(uow: FakeUnit, at: datetime = LATER) -> list[str]:
    """A replica's first pass at `at`: every live claim made up to `at - GRACE`."""
    return await release_abandoned_holds(uow, None, at - GRACE, at)


def _free_ga(uow: FakeUnit) -> int:
    return sum(uow.counters._free(doc, LATER) for doc in uow.counters.shards.values())


async def test_claims_with_no_order_are_fenced_then_released() -> None:
    uow = _shop()
    await _claim_without_order(uow, "ghost")
    assert _free_ga(uow) == 6

    assert await _sweep(uow) == ["ghost"]

    assert uow.orders.fences == {"ghost": LATER}
    assert await uow.orders.get("ghost") is None  # a fence is no order
    assert _free_ga(uow) == 10
    assert uow.inventory.unit(SEAT)["status"] == "available"
    assert uow.inventory.unit(LISTING)["status"] == "available"
    assert ("e1", None) in uow.availability.changes  # every replica reloads the event
    assert await _sweep(uow) == []  # nothing left to do


async def test_an_order_recorded_meanwhile_keeps_its_claims() -> None:
    uow = _shop()
    order = (await hold_general(uow, "buyer", "e1", {"ga": 2}, NOW)).order

    async def read_before_the_insert(order_ids: list[str]) -> dict[str, str]:
        return {}  # the sweep read the statuses before the order was written

    uow.orders.statuses = read_before_the_insert  # type: ignore[method-assign]

    assert await _sweep(uow) == []

    assert uow.orders.fences == {}  # the fence found the order
    assert await uow.counters.entries_of_order("e1", ["ga"], order.id) != []
    assert _free_ga(uow) == 8


async def test_a_slow_hold_whose_id_was_fenced_answers_503_and_holds_nothing() -> None:
    uow = _shop()
    insert = uow.orders.insert

    async def swept_first(order: Order, *events: Event) -> None:
        # The hold took longer than the grace: a sweep ran between its claim and its insert.
        assert await _sweep(uow) == [order.id]
        await insert(order, *events)

    uow.orders.insert = swept_first  # type: ignore[method-assign]

    with pytest.raises(HoldTooSlow) as refused:
        await hold_seats(uow, "buyer", "e1", ["A-0", "A-1"], NOW)

    assert (refused.value.retry_after, refused.value.message) == (
        1,
        "The hold took too long; please try again",
    )
    assert uow.orders.stored == {}
    assert [u["status"] for u in uow.inventory.seats_of_event("e1")] == ["available"] * 4


async def test_a_cancelled_order_whose_release_never_ran_gives_its_units_back() -> None:
    uow = _shop()
    order = (await hold_listing(uow, "buyer", "t1", NOW)).order
    cancelled, event = order.cancel("cancelled_by_buyer", NOW, by_buyer=True)
    assert await uow.orders.replace_if_unchanged(order, cancelled, event)  # then the crash

    assert await _sweep(uow) == [order.id]  # its claim is in the window: status cancelled

    assert uow.inventory.unit(LISTING)["status"] == "available"
    assert uow.orders.fences == {}


async def test_an_order_cancelled_long_after_its_claim_is_found_by_its_cancel_time() -> None:
    uow = _shop()
    order = (await hold_general(uow, "buyer", "e1", {"ga": 4}, NOW)).order
    assert await _sweep(uow) == []  # the first pass: a live order, left alone
    cancelled_at = NOW + timedelta(minutes=5)
    cancelled, event = order.cancel("cancelled_by_buyer", cancelled_at, by_buyer=True)
    assert await uow.orders.replace_if_unchanged(order, cancelled, event)  # then the crash

    since = cancelled_at - timedelta(seconds=5)  # a later window: the claim is older
    at = cancelled_at + GRACE + timedelta(seconds=1)
    assert await release_abandoned_holds(uow, since, at - GRACE, at) == [order.id]

    assert _free_ga(uow) == 10


async def test_a_completed_cancel_is_not_released_twice_and_live_orders_are_left() -> None:
    uow = _shop()
    live = (await hold_seats(uow, "buyer", "e1", ["A-2"], NOW)).order
    done = (await hold_general(uow, "buyer", "e1", {"ga": 1}, NOW)).order
    await cancel_order(uow, done.id, "cancelled_by_buyer", NOW, buyer="buyer")

    assert await release_abandoned_holds(uow, NOW - GRACE, LATER - GRACE, LATER) == []

    assert uow.inventory.unit(seat_unit_id("e1", "A-2"))["orderId"] == live.id
    assert uow.orders.fences == {}


async def test_claims_younger_than_the_grace_are_left() -> None:
    uow = _shop()
    await _claim_without_order(uow, "in-flight")

    assert await _sweep(uow, at=NOW + GRACE - timedelta(milliseconds=1)) == []

    assert uow.orders.fences == {}
    assert uow.inventory.unit(SEAT)["orderId"] == "in-flight"
    assert await _sweep(uow, at=NOW + GRACE) == ["in-flight"]


async def test_claims_fenced_by_another_replica_are_released_too() -> None:
    uow = _shop()
    await _claim_without_order(uow, "ghost")
    assert await uow.orders.fence("ghost", LATER)  # that replica died before releasing

    assert await _sweep(uow) == ["ghost"]

    assert uow.inventory.unit(SEAT)["status"] == "available"


async def test_expired_and_sold_claims_are_not_looked_at() -> None:
    uow = _shop()
    assert await uow.counters.claim("e1:ga", "expired", 2, NOW + timedelta(seconds=5), NOW)
    await _claim_without_order(uow, "sold")
    assert await uow.inventory.sell_units([SEAT, LISTING], "sold")
    for shard in ("e1:ga", "e1:ga:1"):
        assert await uow.counters.sell(shard, "sold", 3 if shard == "e1:ga" else 1, NOW)

    assert await _sweep(uow) == []

    assert uow.orders.fences == {}
