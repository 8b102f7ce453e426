"""Money kept for a cancelled order goes back exactly once, on in-memory fakes."""

from __future__ import annotations

import asyncio

from payments_fakes import FakeWorld

from payments.domain import PaymentStatus, refund_idempotency_key
from payments.handlers import pay_order
from payments.refunds import refund_if_cancelled, refund_if_paid
from ticketing_common.events import PaymentCreated, PaymentRefunded


async def test_money_arriving_after_the_hold_ended_is_refunded(world: FakeWorld) -> None:
    order_id = await world.order()
    world.provider.charge_gate = asyncio.Event()
    paying = asyncio.create_task(pay_order(world.ctx, order_id, "tok_visa", "buyer"))
    while not world.payments.rows:  # the charge is on its way...
        await asyncio.sleep(0)
    await world.cancel(order_id)  # ...when the hold ends
    world.provider.charge_gate.set()
    paid = await paying
    [created] = world.payments.of_type(PaymentCreated)
    [refunded] = world.payments.of_type(PaymentRefunded)
    [stored] = await world.payments.for_order(order_id)
    assert created.payment_id == refunded.payment_id == paid.id
    assert (refunded.amount, refunded.currency, refunded.refund_id) == (2050, "usd", "re_1")
    assert list(world.provider.refunds) == [refund_idempotency_key(order_id)]
    assert (stored.status, stored.refund_id) == (PaymentStatus.REFUNDED, "re_1")


async def test_a_refund_is_made_once_however_often_it_is_asked_for(world: FakeWorld) -> None:
    order_id = await world.order()
    await pay_order(world.ctx, order_id, "tok_visa", "buyer")
    await world.cancel(order_id)
    done = [await refund_if_paid(world.ctx, order_id) for _ in range(3)]
    await refund_if_cancelled(world.ctx, order_id)
    assert done == [True, True, True]
    assert len(world.payments.of_type(PaymentRefunded)) == 1
    assert len(world.provider.refunds) == 1


async def test_nothing_is_refunded_for_a_live_order(world: FakeWorld) -> None:
    order_id = await world.order()
    await pay_order(world.ctx, order_id, "tok_visa", "buyer")
    await refund_if_cancelled(world.ctx, order_id)
    [stored] = await world.payments.for_order(order_id)
    assert stored.status == PaymentStatus.SUCCEEDED
    assert world.provider.refunds == {}


async def test_a_refund_cannot_be_decided_while_a_charge_is_on_its_way(world: FakeWorld) -> None:
    order_id = await world.order()
    replica = await world.orders.get(order_id)
    assert replica is not None
    await world.payments.start_attempt(replica, 1, world.clock())
    assert await refund_if_paid(world.ctx, order_id) is False
    assert await refund_if_paid(world.ctx, "never-paid") is True  # nothing to give back
