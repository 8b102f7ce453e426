"""Cancelling, on in-memory fakes: by the buyer, on expiry and on the event's
cancellation — what the order's rules refuse, and redeliveries that change nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from orders_fakes import NOW, FakeUnit, general_type, seated_type

from orders.domain import OrderAlreadyComplete, OrderNotFound, PaymentInProgress
from orders.domain.order import Order
from orders.domain.units import seat_unit_id
from orders.handlers.event_cancellation import cancel_event_orders
from orders.handlers.holds import hold_general
from orders.handlers.lifecycle import cancel_order, expire_order
from orders.handlers.seats import hold_seats
from ticketing_common.events import OrderCancelled
from ticketing_common.messaging import RetryLater


async def _seat_and_general_hold(uow: FakeUnit) -> Order:
    uow.add_event(NOW, seated_type("std"), general_type("ga", quantity=10))
    uow.add_seats("e1", "std", "A", 4)
    await hold_general(uow, "buyer", "e1", {"ga": 2}, NOW)
    return (await hold_seats(uow, "buyer", "e1", ["A-0"], NOW)).order


async def _stored(uow: FakeUnit, order_id: str) -> Order:
    order = await uow.orders.get(order_id)
    assert order is not None
    return order


async def test_the_buyer_cancels_and_the_hold_is_released() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga", quantity=10))
    order = (await hold_general(uow, "buyer", "e1", {"ga": 3}, NOW)).order

    cancelled = await cancel_order(uow, order.id, "cancelled_by_buyer", NOW, buyer="buyer")

    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "cancelled_by_buyer")
    assert await _stored(uow, order.id) == cancelled
    assert await uow.counters.free_by_shard("e1", "ga", NOW) == {"e1:ga": 10}
    assert isinstance(uow.orders.recorded[order.id][-1], OrderCancelled)
    assert uow.availability.changes[-1][1] is not None
    assert uow.availability.changes[-1][1]["op"] == "released"


async def test_someone_elses_order_cannot_be_cancelled_and_reads_as_missing() -> None:
    uow = FakeUnit()
    order = await _seat_and_general_hold(uow)

    with pytest.raises(OrderNotFound):
        await cancel_order(uow, order.id, "cancelled_by_buyer", NOW, buyer="someone-else")
    with pytest.raises(OrderNotFound):
        await cancel_order(uow, "missing", "cancelled_by_buyer", NOW, buyer="buyer")

    assert (await _stored(uow, order.id)).status == "created"


async def test_a_completed_order_is_refused_to_the_buyer_and_left_by_expiry() -> None:
    uow = FakeUnit()
    order = await _seat_and_general_hold(uow)
    done = replace(order, status="complete", version=1)
    await uow.orders.replace_if_unchanged(order, done)

    with pytest.raises(OrderAlreadyComplete, match="Cannot cancel a completed order"):
        await cancel_order(uow, order.id, "cancelled_by_buyer", NOW, buyer="buyer")
    assert await cancel_order(uow, order.id, "expired", NOW) == done

    assert uow.inventory.unit(seat_unit_id("e1", "A-0"))["status"] == "held"


async def test_an_order_being_paid_is_refused_to_the_buyer_and_left_by_expiry() -> None:
    uow = FakeUnit()
    order = await _seat_and_general_hold(uow)
    settling = replace(order, settling="p1")
    await uow.orders.replace_if_unchanged(order, settling)

    with pytest.raises(PaymentInProgress, match="Payment for this order is being processed"):
        await cancel_order(uow, order.id, "cancelled_by_buyer", NOW, buyer="buyer")
    await expire_order(uow, order.id, NOW + timedelta(minutes=16))

    assert await _stored(uow, order.id) == settling
    assert uow.inventory.unit(seat_unit_id("e1", "A-0"))["orderId"] == order.id


async def test_a_redelivered_cancel_changes_nothing_but_finishes_the_release() -> None:
    uow = FakeUnit()
    order = await _seat_and_general_hold(uow)
    cancelled = await cancel_order(uow, order.id, "expired", NOW)
    events = list(uow.orders.recorded[order.id])
    # As if a crash had come between the order write and the release: hold the seat again.
    await uow.inventory.hold_units([seat_unit_id("e1", "A-0")], order.id, order.expires_at, NOW)

    again = await cancel_order(uow, order.id, "expired", NOW)

    assert again == cancelled
    assert uow.orders.recorded[order.id] == events  # no second order.cancelled
    assert uow.inventory.unit(seat_unit_id("e1", "A-0"))["status"] == "available"


async def test_expiration_before_expires_at_is_retried_later() -> None:
    uow = FakeUnit()
    order = await _seat_and_general_hold(uow)

    with pytest.raises(RetryLater):
        await expire_order(uow, order.id, order.expires_at - timedelta(seconds=5))

    assert (await _stored(uow, order.id)).status == "created"


async def test_expiration_after_expires_at_cancels_and_frees_every_unit() -> None:
    uow = FakeUnit()
    order = await _seat_and_general_hold(uow)

    await expire_order(uow, order.id, order.expires_at)

    stored = await _stored(uow, order.id)
    assert (stored.status, stored.cancel_reason) == ("cancelled", "expired")
    assert uow.inventory.unit(seat_unit_id("e1", "A-0"))["status"] == "available"
    assert await uow.counters.free_by_shard("e1", "ga", NOW) == {"e1:ga": 8}  # the other order
    await expire_order(uow, "unknown", NOW)  # an unknown order is logged, not retried


async def test_cancelling_the_event_cancels_every_order_paid_ones_included() -> None:
    uow = FakeUnit()
    order = await _seat_and_general_hold(uow)
    other = (await hold_general(uow, "buyer", "e1", {"ga": 1}, NOW)).order
    done = replace(other, status="complete", version=1)
    await uow.orders.replace_if_unchanged(other, done)

    await cancel_event_orders(uow, "e1", NOW)

    assert (await _stored(uow, order.id)).cancel_reason == "event_cancelled"
    paid = await _stored(uow, other.id)
    assert (paid.status, paid.cancel_reason, paid.version) == ("cancelled", "event_cancelled", 2)
    assert [o.status for o in uow.orders.stored.values()] == ["cancelled"] * 3
    last = uow.orders.recorded[other.id][-1]
    assert isinstance(last, OrderCancelled)
    assert (last.reason, last.was_paid) == ("event_cancelled", True)
    unpaid = uow.orders.recorded[order.id][-1]
    assert isinstance(unpaid, OrderCancelled)
    assert not unpaid.was_paid
    assert uow.inventory.unit(seat_unit_id("e1", "A-0"))["status"] == "available"
    assert uow.availability.changes[-1] == ("e1", None)

    events_before = sum(len(e) for e in uow.orders.recorded.values())
    await cancel_event_orders(uow, "e1", NOW)  # a redelivery: nothing twice
    assert sum(len(e) for e in uow.orders.recorded.values()) == events_before


async def test_an_order_being_paid_is_waited_for_then_cancelled() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga", quantity=10))
    order = (await hold_general(uow, "buyer", "e1", {"ga": 1}, NOW)).order
    paying = order.start_settling("p1")
    await uow.orders.replace_if_unchanged(order, paying)

    with pytest.raises(RetryLater):
        await cancel_event_orders(uow, "e1", NOW)
    assert (await _stored(uow, order.id)).status == "created"

    await uow.orders.replace_if_unchanged(paying, paying.complete([])[0])
    await cancel_event_orders(uow, "e1", NOW)
    assert (await _stored(uow, order.id)).status == "cancelled"


async def test_a_cancel_that_loses_a_race_decides_again_on_the_new_version() -> None:
    uow = FakeUnit()
    order = await _seat_and_general_hold(uow)
    replace_if_unchanged = uow.orders.replace_if_unchanged

    async def racing(before: Order, after: Order, *events: Any) -> bool:
        # Another replica moves the order on between this cancel's read and write.
        uow.orders.replace_if_unchanged = replace_if_unchanged  # type: ignore[method-assign]
        await replace_if_unchanged(before, replace(before, status="awaiting:payment", version=1))
        return await replace_if_unchanged(before, after, *events)

    uow.orders.replace_if_unchanged = racing  # type: ignore[method-assign]

    cancelled = await cancel_order(uow, order.id, "cancelled_by_buyer", NOW, buyer="buyer")

    assert (cancelled.status, cancelled.version) == ("cancelled", 2)
    assert uow.inventory.unit(seat_unit_id("e1", "A-0"))["status"] == "available"
