"""Settling a charge attempt: pending -> succeeded or failed, with its event, once.

Called by the pay request, the provider's webhook and the reconciler, in any order and
any number of times: the move is written only while the stored attempt is still
pending, so exactly one of them records it and publishes its event.
"""

from __future__ import annotations

from payments.context import Payments
from payments.domain import Payment, PaymentStatus
from payments.failures import Failure
from ticketing_common.events import PaymentCreated
from ticketing_common.events import PaymentFailed as PaymentFailedEvent


async def record_success(ctx: Payments, payment: Payment, provider_ref: str) -> None:
    """pending -> succeeded with `payment.created`; a no-op if already settled."""
    if not payment.may_become(PaymentStatus.SUCCEEDED):
        return
    succeeded = payment.succeed(provider_ref)
    event = PaymentCreated(
        payment_id=payment.id,
        order_id=payment.order_id,
        amount=payment.amount,
        currency=payment.currency,
        provider=ctx.provider.name,
        provider_ref=provider_ref,
    )
    await ctx.payments.save(succeeded, ctx.clock(), event)


async def record_failure(ctx: Payments, payment: Payment, failure: Failure) -> None:
    """pending -> failed with `payment.failed`; the order's slot is free for a retry."""
    if not payment.may_become(PaymentStatus.FAILED):
        return
    failed = payment.fail(failure.reason, failure.message)
    event = PaymentFailedEvent(
        order_id=payment.order_id, reason=failure.reason, message=failure.message
    )
    await ctx.payments.save(failed, ctx.clock(), event)
