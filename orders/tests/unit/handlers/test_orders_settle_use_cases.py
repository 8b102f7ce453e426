"""Settling a payment, on in-memory fakes: the order completes with signed tickets, or,
paid after its hold was lost, is cancelled (and payments refunds)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from orders_fakes import NOW, FakeUnit, general_type, seated_type

from orders.domain.order import Order
from orders.domain.signed_keys import TicketClaims
from orders.domain.units import listing_unit_id, seat_unit_id
from orders.handlers.holds import hold_general, hold_listing
from orders.handlers.lifecycle import cancel_order
from orders.handlers.seats import hold_seats
from orders.handlers.settlement import settle_payment, settle_payments
from ticketing_common.events import OrderCompleted
from ticketing_common.messaging import RetryLater


async def _stored(uow: FakeUnit, order_id: str) -> Order:
    order = await uow.orders.get(order_id)
    assert order is not None
    return order


async def test_payment_completes_the_order_and_issues_signed_tickets() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga", quantity=10), seated_type("std"))
    uow.add_seats("e1", "std", "A", 2)
    order = (await hold_general(uow, "buyer", "e1", {"ga": 2}, NOW)).order
    seats = (await hold_seats(uow, "buyer", "e1", ["A-1"], NOW)).order

    await settle_payment(uow, order.id, "p1", NOW + timedelta(minutes=1))
    await settle_payment(uow, seats.id, "p2", NOW + timedelta(minutes=1))

    done = await _stored(uow, order.id)
    assert (done.status, done.settling, len(done.tickets)) == ("complete", None, 2)
    ends_at = uow.catalog.events["e1"].ends_at
    for ticket in done.tickets:
        claims = uow.ticket_keys.read(ticket.key)
        assert claims == TicketClaims(ticket.id, order.id, "e1", None, "ga", None, ends_at)
    completed = uow.orders.recorded[order.id][-1]
    assert isinstance(completed, OrderCompleted)
    assert completed.ticket_ids == [t.id for t in done.tickets]
    # The sold entry is folded into the shard's `sold` counter.
    assert uow.counters.shards["e1:ga"]["sold"] == 2
    assert uow.counters.shards["e1:ga"]["holds"] == []
    assert uow.inventory.unit(seat_unit_id("e1", "A-1"))["status"] == "sold"
    assert (await _stored(uow, seats.id)).tickets[0].seat_id == "A-1"
    assert uow.availability.changes[-1][1] is not None
    assert uow.availability.changes[-1][1]["op"] == "sold"


async def test_a_listing_sale_is_signed_for_the_listing() -> None:
    uow = FakeUnit()
    uow.add_listing("seller")
    order = (await hold_listing(uow, "buyer", "t1", NOW)).order

    await settle_payment(uow, order.id, "p1", NOW)

    (ticket,) = (await _stored(uow, order.id)).tickets
    claims = uow.ticket_keys.read(ticket.key)
    assert claims == TicketClaims(ticket.id, order.id, None, "t1")
    assert claims.signing_event_id == "listing-t1"
    assert uow.inventory.unit(listing_unit_id("t1"))["status"] == "sold"


async def test_a_redelivered_payment_changes_nothing() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga", quantity=10))
    order = (await hold_general(uow, "buyer", "e1", {"ga": 1}, NOW)).order
    await settle_payment(uow, order.id, "p1", NOW)
    done = await _stored(uow, order.id)

    await settle_payment(uow, order.id, "p1", NOW)

    assert await _stored(uow, order.id) == done
    assert uow.counters.shards["e1:ga"]["sold"] == 1


async def test_paid_after_the_hold_was_lost_the_order_is_cancelled() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga", quantity=2))
    late = (await hold_general(uow, "late", "e1", {"ga": 2}, NOW)).order
    after_expiry = late.expires_at + timedelta(minutes=1)
    # Someone else takes the units once the hold has expired (pruning its entry).
    other = (await hold_general(uow, "other", "e1", {"ga": 2}, after_expiry)).order

    await settle_payment(uow, late.id, "p1", after_expiry)

    lost = await _stored(uow, late.id)
    assert (lost.status, lost.cancel_reason, lost.tickets) == ("cancelled", "expired", [])
    entries = await uow.counters.entries_of_order("e1", ["ga"], other.id)
    assert entries == [("e1:ga", "ga", 2)]


async def test_a_late_payment_still_sells_a_seat_nobody_took_meanwhile() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, seated_type("std"))
    uow.add_seats("e1", "std", "A", 2)
    order = (await hold_seats(uow, "buyer", "e1", ["A-0"], NOW)).order

    await settle_payment(uow, order.id, "p1", order.expires_at + timedelta(minutes=5))

    assert (await _stored(uow, order.id)).status == "complete"


async def test_payment_for_a_cancelled_order_is_left_and_an_unknown_one_retried() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga", quantity=2))
    order = (await hold_general(uow, "buyer", "e1", {"ga": 1}, NOW)).order
    cancelled = await cancel_order(uow, order.id, "cancelled_by_buyer", NOW, buyer="buyer")

    await settle_payment(uow, order.id, "p1", NOW)

    assert await _stored(uow, order.id) == cancelled
    with pytest.raises(RetryLater):
        await settle_payment(uow, "not-stored-yet", "p2", NOW)


async def test_a_batch_of_payments_settles_together_and_a_second_payment_waits() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, general_type("ga", quantity=10))
    orders = [(await hold_general(uow, f"b{n}", "e1", {"ga": 1}, NOW)).order for n in range(3)]
    paid = [(order.id, f"p{n}") for n, order in enumerate(orders)]

    retry = await settle_payments(uow, [*paid, (orders[0].id, "p-again"), ("unknown", "p9")], NOW)

    assert retry == {(orders[0].id, "p-again"), ("unknown", "p9")}  # not stored yet: later
    assert [(await _stored(uow, o.id)).status for o in orders] == ["complete"] * 3
    assert uow.counters.shards["e1:ga"]["sold"] == 3
