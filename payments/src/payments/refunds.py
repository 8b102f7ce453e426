"""Giving back money kept for a cancelled order, exactly once.

A refund is claimed (succeeded -> refunding) before the provider is asked, with an
idempotency key derived from the order, and finished (refunding -> refunded) with
`payment.refunded`; a claim whose worker died or whose provider was down goes stale
and is taken over, asking again with the same key.
"""

from __future__ import annotations

import logging

from payments.context import Payments
from payments.domain import Payment, PaymentStatus, refund_idempotency_key
from ticketing_common.events import PaymentRefunded

log = logging.getLogger(__name__)


async def refund_if_cancelled(ctx: Payments, order_id: str) -> None:
    order = await ctx.orders.get(order_id)
    if order is not None and order.status == "cancelled":
        await refund_if_paid(ctx, order_id)


async def refund_if_paid(ctx: Payments, order_id: str) -> bool:
    """Refund the order's succeeded payment, once.

    False while that cannot be decided yet: a charge is still pending (it may succeed
    and need refunding) or another worker is refunding.
    """
    payment = await _claim_refund(ctx, order_id)
    if payment is None:
        return not await ctx.payments.unsettled(order_id)
    if payment.amount == 0 or payment.provider_ref is None:
        refund_id = f"free-{order_id}"
    else:
        result = await ctx.provider.refund(
            provider_ref=payment.provider_ref,
            amount=payment.amount,
            idempotency_key=refund_idempotency_key(order_id),
        )
        refund_id = result.refund_id
    event = PaymentRefunded(
        payment_id=payment.id,
        order_id=order_id,
        refund_id=refund_id,
        amount=payment.amount,
        currency=payment.currency,
    )
    await ctx.payments.save(payment.refunded(refund_id), ctx.clock(), event)
    log.info("payment refunded", extra={"order_id": order_id, "refund_id": refund_id})
    return True


async def _claim_refund(ctx: Payments, order_id: str) -> Payment | None:
    """The order's payment under this worker's refund claim; None when there is nothing
    to claim (no money taken, a charge still on its way, a refund claimed or done)."""
    payment = await ctx.payments.active_for(order_id)
    if payment is None:
        return None
    now = ctx.clock()
    if payment.status == PaymentStatus.REFUNDING:
        stale_before = ctx.refund_claims_before(now)
        return await ctx.payments.take_over_refund(payment.id, stale_before, now)
    if not payment.may_become(PaymentStatus.REFUNDING):
        return None
    claimed = payment.start_refund()
    return claimed if await ctx.payments.save(claimed, now) else None
