"""An expiry wave, on in-memory fakes: a batch of expired orders cancelled together,
their units free, early ones left to retry, changed ones decided again."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from orders_fakes import NOW, FakeUnit, general_type, seated_type

from orders.domain.order import Order
from orders.handlers.expiry import expire_orders
from orders.handlers.holds import hold_general, hold_listing
from orders.handlers.seats import hold_seats
from ticketing_common.events import OrderCancelled

LATER = NOW + timedelta(minutes=16)


async def _stored(uow: FakeUnit, order_id: str) -> Order:
    order = await uow.orders.get(order_id)
    assert order is not None
    return order


async def _wave(uow: FakeUnit, buyers: int) -> list[Order]:
    uow.add_event(NOW, general_type("ga", quantity=buyers, max_per_order=1, shards=2))
    return [
        (await hold_general(uow, f"buyer-{i}", "e1", {"ga": 1}, NOW)).order for i in range(buyers)
    ]


async def test_a_wave_of_expired_holds_is_cancelled_together_and_frees_every_unit() -> None:
    uow = FakeUnit()
    orders = await _wave(uow, 20)
    assert sum((await uow.counters.free_by_shard("e1", "ga", NOW)).values()) == 0

    early = await expire_orders(uow, [o.id for o in orders], LATER)

    assert early == []
    for order in orders:
        stored = await _stored(uow, order.id)
        assert (stored.status, stored.cancel_reason, stored.cancelled_at) == (
            "cancelled",
            "expired",
            LATER,
        )
        assert isinstance(uow.orders.recorded[order.id][-1], OrderCancelled)
    assert sum((await uow.counters.free_by_shard("e1", "ga", LATER)).values()) == 20
    assert all(shard["holds"] == [] for shard in uow.counters.shards.values())
    assert {order.id for order in orders} <= set(uow.relay.woken)


async def test_early_expirations_are_left_to_retry_and_nothing_else_changes() -> None:
    uow = FakeUnit()
    (order,) = await _wave(uow, 1)

    assert await expire_orders(uow, [order.id], NOW + timedelta(minutes=1)) == [order.id]

    assert (await _stored(uow, order.id)).status == "created"


async def test_seats_and_listings_are_released_and_paid_or_paying_orders_are_left() -> None:
    uow = FakeUnit()
    uow.add_event(NOW, seated_type("std"))
    uow.add_seats("e1", "std", "A", 2)
    uow.add_listing("seller")
    seat = (await hold_seats(uow, "buyer", "e1", ["A-0"], NOW)).order
    listing = (await hold_listing(uow, "buyer", "t1", NOW)).order
    paying = (await hold_seats(uow, "buyer", "e1", ["A-1"], NOW)).order
    uow.orders.stored[paying.id] = replace(paying, settling="pay-1")

    await expire_orders(uow, [seat.id, listing.id, paying.id, "unknown"], LATER)

    assert (await _stored(uow, seat.id)).status == "cancelled"
    assert (await _stored(uow, listing.id)).status == "cancelled"
    assert (await _stored(uow, paying.id)).status == "created"  # its payment decides
    assert uow.inventory.unit("seat:e1:A-0")["status"] == "available"
    assert uow.inventory.unit("listing:t1")["status"] == "available"
    assert uow.inventory.unit("seat:e1:A-1")["status"] == "held"


async def test_a_redelivered_wave_changes_nothing_but_finishes_releases() -> None:
    uow = FakeUnit()
    orders = await _wave(uow, 3)
    await expire_orders(uow, [o.id for o in orders], LATER)
    events_before = {o.id: len(uow.orders.recorded[o.id]) for o in orders}
    # As if the first wave's release had not happened: claims still on the counter.
    shard = next(iter(uow.counters.shards.values()))
    shard["holds"].append(
        {"orderId": orders[0].id, "n": 1, "expiresAt": LATER + timedelta(hours=1)}
    )

    await expire_orders(uow, [o.id for o in orders], LATER)

    assert {o.id: len(uow.orders.recorded[o.id]) for o in orders} == events_before
    assert all(h["orderId"] != orders[0].id for h in shard["holds"])
