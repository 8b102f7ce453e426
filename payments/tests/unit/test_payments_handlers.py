"""Paying for an order on in-memory fakes: success, decline, someone else's order, races."""

from __future__ import annotations

import asyncio

import pytest
from payments_fakes import FakeWorld

from payments.domain import ORDER_PAID, PaymentStatus, charge_idempotency_key
from payments.failures import ChargeDeclined
from payments.handlers import buyers_payments, pay_order
from ticketing_common.domain_errors import Conflict, NotFound, PaymentFailed, RuleViolation
from ticketing_common.events import PaymentCreated
from ticketing_common.events import PaymentFailed as PaymentFailedEvent


async def test_a_successful_payment_records_payment_created(world: FakeWorld) -> None:
    order_id = await world.order()
    payment = await pay_order(world.ctx, order_id, "tok_visa", "buyer")
    [created] = world.payments.of_type(PaymentCreated)
    [stored] = await buyers_payments(world.ctx, order_id, "buyer")
    assert (created.payment_id, created.order_id, created.amount, created.currency) == (
        payment.id,
        order_id,
        2050,
        "usd",
    )
    assert (created.provider, created.provider_ref) == ("fake", "pi_1")
    assert (stored.id, stored.status, stored.provider_ref) == (
        payment.id,
        PaymentStatus.SUCCEEDED,
        "pi_1",
    )
    assert list(world.provider.charges) == [charge_idempotency_key(order_id, 1)]


async def test_a_decline_is_a_402_with_its_reason_and_records_payment_failed(
    world: FakeWorld,
) -> None:
    order_id = await world.order()
    world.provider.decline = ChargeDeclined("card_declined", "insufficient_funds")
    with pytest.raises(PaymentFailed) as refused:
        await pay_order(world.ctx, order_id, "pm_poor", "buyer")
    [failed] = world.payments.of_type(PaymentFailedEvent)
    [stored] = await world.payments.for_order(order_id)
    assert refused.value.message == "Payment failed due to not enough money"
    assert (failed.order_id, failed.reason, failed.message) == (
        order_id,
        "insufficient_funds",
        refused.value.message,
    )
    assert (stored.status, stored.failure_message) == (PaymentStatus.FAILED, failed.message)
    assert world.payments.of_type(PaymentCreated) == []


async def test_after_a_decline_the_buyer_may_pay_again_as_a_new_charge(world: FakeWorld) -> None:
    order_id = await world.order()
    world.provider.decline = ChargeDeclined("expired_card")
    with pytest.raises(PaymentFailed, match="wrong credentials"):
        await pay_order(world.ctx, order_id, "pm_expired", "buyer")
    world.provider.decline = None
    retried = await pay_order(world.ctx, order_id, "pm_good", "buyer")
    assert retried.attempt == 2
    assert list(world.provider.charges) == [charge_idempotency_key(order_id, 2)]
    assert len(world.payments.of_type(PaymentCreated)) == 1


async def test_someone_elses_order_is_not_found(world: FakeWorld) -> None:
    order_id = await world.order(user_id="buyer")
    with pytest.raises(NotFound):
        await pay_order(world.ctx, order_id, "tok_visa", "intruder")
    with pytest.raises(NotFound):
        await buyers_payments(world.ctx, order_id, "intruder")
    with pytest.raises(NotFound):
        await pay_order(world.ctx, "no-such-order", "tok_visa", "buyer")
    assert (world.provider.charges, world.payments.rows) == ({}, {})


async def test_a_second_concurrent_payment_is_a_conflict(world: FakeWorld) -> None:
    order_id = await world.order()
    world.provider.charge_gate = asyncio.Event()
    first = asyncio.create_task(pay_order(world.ctx, order_id, "tok_visa", "buyer"))
    while not world.payments.rows:  # the first request holds the slot, its charge on its way
        await asyncio.sleep(0)
    with pytest.raises(Conflict) as refused:
        await pay_order(world.ctx, order_id, "tok_visa", "buyer")
    world.provider.charge_gate.set()
    paid = await first
    assert refused.value.message == "A payment for this order is already in progress"
    assert [e.payment_id for e in world.payments.of_type(PaymentCreated)] == [paid.id]
    assert len(world.provider.charges) == 1


async def test_a_paid_order_cannot_be_paid_again(world: FakeWorld) -> None:
    order_id = await world.order()
    await pay_order(world.ctx, order_id, "tok_visa", "buyer")
    with pytest.raises(RuleViolation) as refused:
        await pay_order(world.ctx, order_id, "tok_visa", "buyer")
    assert refused.value.message == ORDER_PAID
    assert len(world.provider.charges) == 1


async def test_an_attempt_abandoned_mid_charge_is_taken_over_with_its_key(
    world: FakeWorld,
) -> None:
    order_id = await world.order()
    replica = await world.orders.get(order_id)
    assert replica is not None
    abandoned = await world.payments.start_attempt(replica, 1, world.clock())
    world.clock.advance(world.ctx.pending_takeover_seconds - 1)
    with pytest.raises(Conflict):  # not yet: its worker may still be charging
        await pay_order(world.ctx, order_id, "tok_visa", "buyer")
    world.clock.advance(2)
    paid = await pay_order(world.ctx, order_id, "tok_visa", "buyer")
    assert paid.id == abandoned.id
    assert list(world.provider.charges) == [charge_idempotency_key(order_id, 1)]
