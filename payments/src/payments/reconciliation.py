"""Recovery of what a crashed worker or an unreachable provider left half done.

- A charge attempt still pending past the takeover age: the provider says what
  became of it, and it is settled (succeeded, failed, or never sent: failed).
- Money kept for a cancelled order: a succeeded payment whose cancellation check
  never ran (its worker died), or a refund whose claim went stale (the provider
  was down). It goes back through the one refund path, with the same key.
Every step takes the same conditional claims as the request path, so any number of
replicas may reconcile at once: one wins each claim, the others skip.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from payments.charging import look_up_charge
from payments.context import Payments
from payments.domain import Payment, refund_due
from payments.failures import Failure
from payments.refunds import refund_if_cancelled, refund_if_paid
from payments.settlement import record_failure, record_success

log = logging.getLogger(__name__)


async def settle_stale_attempts(ctx: Payments, limit: int) -> int:
    stale = await ctx.payments.stale_attempts(ctx.attempts_before(ctx.clock()), limit)
    return await _each(stale, lambda p: settle_stale_attempt(ctx, p), "settle_attempt")


async def settle_stale_attempt(ctx: Payments, payment: Payment) -> bool:
    """Settle one abandoned attempt; False when another worker has it or nothing is known."""
    now = ctx.clock()
    claimed = await ctx.payments.claim_stale_attempt(payment.id, ctx.attempts_before(now), now)
    if claimed is None:
        return False  # another replica, or the buyer's retry, took it first
    outcome = await look_up_charge(ctx.provider, claimed)
    context = {"order_id": claimed.order_id, "payment_id": claimed.id}
    if outcome is None:
        # Left pending under a fresh claim: looked at again after the takeover age.
        log.warning("abandoned attempt left pending: provider cannot tell", extra=context)
        return False
    if isinstance(outcome, Failure):
        await record_failure(ctx, claimed, outcome)
        log.info("abandoned attempt failed", extra={**context, "reason": outcome.reason})
        return True
    if outcome.status == "processing":
        await ctx.payments.set_provider_ref(claimed.id, outcome.provider_ref)
        log.info("abandoned attempt still processing", extra=context)
        return False  # the provider's webhook settles it
    await record_success(ctx, claimed, outcome.provider_ref)
    log.info("abandoned attempt succeeded", extra={**context, "provider_ref": outcome.provider_ref})
    await refund_if_cancelled(ctx, claimed.order_id)
    return True


async def refund_cancelled_orders(ctx: Payments, limit: int) -> int:
    """Give back money kept for cancelled orders; clear the check of the others."""
    due = await ctx.payments.refunds_due(ctx.refund_claims_before(ctx.clock()), limit)
    cancelled = await ctx.orders.cancelled_among([p.order_id for p in due])
    to_refund = [p for p in due if refund_due(p, p.order_id in cancelled)]
    # Seen not cancelled after it succeeded: a later cancellation's listener finds it.
    await ctx.payments.cancel_checked([p.id for p in due if p not in to_refund])
    return await _each(to_refund, lambda p: _refund(ctx, p), "refund")


async def _refund(ctx: Payments, payment: Payment) -> bool:
    log.info(
        "cancelled order's payment not refunded yet",
        extra={"order_id": payment.order_id, "payment_id": payment.id, "from": payment.status},
    )
    return await refund_if_paid(ctx, payment.order_id)


async def _each(
    payments: Sequence[Payment], act: Callable[[Payment], Awaitable[bool]], step: str
) -> int:
    """Act on each payment, one failure not stopping the rest; how many were acted on."""
    done = 0
    for payment in payments:
        try:
            done += await act(payment)
        except Exception:
            # Left as it was (or under a claim that goes stale): the next pass tries again.
            log.exception(
                "reconciliation step failed",
                extra={"step": step, "order_id": payment.order_id, "payment_id": payment.id},
            )
    return done
