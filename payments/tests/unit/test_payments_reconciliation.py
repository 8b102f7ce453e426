"""The reconciler on in-memory fakes: refunds left undone, attempts left pending."""

from __future__ import annotations

import pytest
from payments_fakes import FakeWorld

from payments.domain import PaymentStatus, charge_idempotency_key
from payments.failures import ProviderUnavailable
from payments.handlers import pay_order
from payments.reconciler import Reconciler
from payments.refunds import refund_if_cancelled
from ticketing_common.events import PaymentCreated, PaymentFailed, PaymentRefunded


def reconciler(world: FakeWorld) -> Reconciler:
    return Reconciler(world.ctx, every_seconds=3600)


async def paid_then_cancelled(world: FakeWorld, order_id: str) -> str:
    """An order paid, then cancelled in the replica after the cancel listener had run."""
    await world.order(order_id)
    payment = await pay_order(world.ctx, order_id, "tok_visa", "buyer")
    await world.cancel(order_id)
    return payment.id


async def test_the_reconciler_retries_a_refund_that_failed(world: FakeWorld) -> None:
    payment_id = await paid_then_cancelled(world, "o1")
    world.provider.refunds_down = True
    with pytest.raises(ProviderUnavailable):
        await refund_if_cancelled(world.ctx, "o1")
    world.provider.refunds_down = False
    early = await reconciler(world).run_pass()  # the claim may still be its worker's
    world.clock.advance(world.ctx.refund_claim_seconds + 1)
    retried = await reconciler(world).run_pass()
    again = await reconciler(world).run_pass()
    [refunded] = world.payments.of_type(PaymentRefunded)
    [stored] = await world.payments.for_order("o1")
    assert (early, retried, again) == ((0, 0), (0, 1), (0, 0))
    assert refunded.payment_id == stored.id == payment_id
    assert stored.status == PaymentStatus.REFUNDED
    assert len(world.provider.refunds) == 1


async def test_a_payment_whose_cancellation_check_never_ran_is_refunded(
    world: FakeWorld,
) -> None:
    await paid_then_cancelled(world, "cancelled")
    await world.order("live")
    await pay_order(world.ctx, "live", "tok_visa", "buyer")
    world.clock.advance(world.ctx.refund_claim_seconds + 1)
    assert await reconciler(world).run_pass() == (0, 1)
    assert await reconciler(world).run_pass() == (0, 0)  # the live order's check is done
    assert [e.order_id for e in world.payments.of_type(PaymentRefunded)] == ["cancelled"]


async def test_an_abandoned_attempt_that_was_charged_is_recorded(world: FakeWorld) -> None:
    order_id = await world.order()
    replica = await world.orders.get(order_id)
    assert replica is not None
    abandoned = await world.payments.start_attempt(replica, 1, world.clock())
    charged = await world.provider.charge(
        order_id=order_id,
        amount=2050,
        currency="usd",
        payment_method="tok_visa",
        idempotency_key=charge_idempotency_key(order_id, 1),
    )
    assert await reconciler(world).run_pass() == (0, 0)  # its worker may be alive
    world.clock.advance(world.ctx.pending_takeover_seconds + 1)
    assert await reconciler(world).run_pass() == (1, 0)
    [created] = world.payments.of_type(PaymentCreated)
    assert (created.payment_id, created.provider_ref) == (abandoned.id, charged.provider_ref)


async def test_an_abandoned_attempt_never_sent_fails_and_frees_the_order(
    world: FakeWorld,
) -> None:
    order_id = await world.order()
    replica = await world.orders.get(order_id)
    assert replica is not None
    await world.payments.start_attempt(replica, 1, world.clock())
    world.clock.advance(world.ctx.pending_takeover_seconds + 1)
    assert await reconciler(world).run_pass() == (1, 0)
    [failed] = world.payments.of_type(PaymentFailed)
    paid = await pay_order(world.ctx, order_id, "tok_visa", "buyer")
    assert failed.reason == "connection_failure"
    assert paid.attempt == 2
