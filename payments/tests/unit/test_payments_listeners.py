"""Order events in, commands out, on in-memory fakes: the replica, and refunds on cancel."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from payments_fakes import FakeWorld

from payments.handlers import pay_order
from payments.listeners import (
    OrderCancelledListener,
    OrderCompletedListener,
    OrderCreatedListener,
)
from ticketing_common.events import OrderCancelled, OrderCompleted, OrderCreated, PaymentRefunded
from ticketing_common.messaging import RetryLater

NO_BROKER: Any = None  # `handle` reaches neither NATS nor Mongo: the fakes stand in


def cancelled(order_id: str, version: int = 1) -> OrderCancelled:
    return OrderCancelled(
        order_id=order_id,
        user_id="buyer",
        version=version,
        amount=2050,
        currency="usd",
        reason="expired",
    )


async def test_order_cancelled_of_a_paid_order_refunds_it_once(world: FakeWorld) -> None:
    order_id = await world.order()
    paid = await pay_order(world.ctx, order_id, "tok_visa", "buyer")
    listener = OrderCancelledListener("payments", NO_BROKER, NO_BROKER, world.ctx)
    await listener.handle(cancelled(order_id), None)
    await listener.handle(cancelled(order_id), None)  # redelivered
    [refunded] = world.payments.of_type(PaymentRefunded)
    replica = await world.orders.get(order_id)
    assert refunded.payment_id == paid.id
    assert len(world.provider.refunds) == 1
    assert replica is not None
    assert replica.status == "cancelled"


async def test_order_cancelled_while_a_charge_is_on_its_way_is_retried_later(
    world: FakeWorld,
) -> None:
    order_id = await world.order()
    replica = await world.orders.get(order_id)
    assert replica is not None
    await world.payments.start_attempt(replica, 1, world.clock())
    listener = OrderCancelledListener("payments", NO_BROKER, NO_BROKER, world.ctx)
    with pytest.raises(RetryLater):
        await listener.handle(cancelled(order_id), None)
    assert world.payments.of_type(PaymentRefunded) == []


async def test_an_older_order_event_changes_nothing(world: FakeWorld) -> None:
    order_id = await world.order()
    completed = OrderCompleted(
        order_id=order_id, user_id="buyer", version=2, amount=2050, currency="usd"
    )
    await OrderCompletedListener("payments", NO_BROKER, NO_BROKER, world.ctx).handle(
        completed, None
    )
    await OrderCancelledListener("payments", NO_BROKER, NO_BROKER, world.ctx).handle(
        cancelled(order_id, version=1), None
    )
    replica = await world.orders.get(order_id)
    assert replica is not None
    assert (replica.status, replica.version) == ("complete", 2)
    assert world.payments.rows == {}  # no payment, so nothing to refund


async def test_a_batch_of_new_orders_enters_the_replica_at_once(world: FakeWorld) -> None:
    listener = OrderCreatedListener("payments", NO_BROKER, NO_BROKER, world.ctx)
    expires = datetime(2030, 1, 1, tzinfo=UTC)
    batch = [
        OrderCreated(order_id=f"o{n}", user_id="buyer", version=0, amount=2050, expires_at=expires)
        for n in range(3)
    ]

    assert await listener.handle_batch(batch) == []

    stored = [await world.orders.get(f"o{n}") for n in range(3)]
    assert [(o.status, o.expires_at) for o in stored if o] == [("created", expires)] * 3


async def test_a_batch_of_cancellations_refunds_the_paid_and_retries_the_unsettled(
    world: FakeWorld,
) -> None:
    unpaid, paid, charging = [await world.order(o) for o in ("unpaid", "paid", "charging")]
    payment = await pay_order(world.ctx, paid, "tok_visa", "buyer")
    replica = await world.orders.get(charging)
    assert replica is not None
    await world.payments.start_attempt(replica, 1, world.clock())
    listener = OrderCancelledListener("payments", NO_BROKER, NO_BROKER, world.ctx)

    retry = await listener.handle_batch([cancelled(o) for o in (unpaid, paid, charging)])

    assert [event.order_id for event in retry] == [charging]  # a charge is on its way
    [refunded] = world.payments.of_type(PaymentRefunded)
    assert (refunded.payment_id, refunded.order_id) == (payment.id, paid)
    stored = [await world.orders.get(o) for o in (unpaid, paid, charging)]
    assert [o.status for o in stored if o] == ["cancelled"] * 3
