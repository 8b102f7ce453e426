"""Use cases of the buyer: pay for an order, and read its payments.

The provider is called outside any transaction, guarded by the payment's state: a
pending attempt holds the order's one payment slot, so two simultaneous requests
cannot both reach the provider.
"""

from __future__ import annotations

import logging

from payments.charging import attempt_charge
from payments.context import Payments
from payments.domain import ORDER_PAID, OrderReplica, Payment, PaymentStatus, check_payable
from payments.failures import Failure
from payments.ports import PaymentSlotTaken
from payments.refunds import refund_if_cancelled
from payments.settlement import record_failure, record_success
from ticketing_common.domain_errors import (
    Conflict,
    DomainError,
    NotFound,
    PaymentFailed,
    RuleViolation,
)

log = logging.getLogger(__name__)


async def buyers_order(ctx: Payments, order_id: str, user_id: str) -> OrderReplica:
    """The order, if it is this user's; someone else's looks exactly like a missing one."""
    order = await ctx.orders.get(order_id)
    if order is None or order.user_id != user_id:
        raise NotFound()
    return order


async def buyers_payments(ctx: Payments, order_id: str, user_id: str) -> list[Payment]:
    """The buyer's order's payments, newest first."""
    return (await buyers_order_payments(ctx, order_id, user_id))[1]


async def buyers_order_payments(
    ctx: Payments, order_id: str, user_id: str
) -> tuple[OrderReplica, list[Payment]]:
    """The buyer's order and its payments, newest first."""
    order = await buyers_order(ctx, order_id, user_id)
    return order, await ctx.payments.for_order(order_id)


async def pay_order(ctx: Payments, order_id: str, payment_method: str, user_id: str) -> Payment:
    order = await buyers_order(ctx, order_id, user_id)
    check_payable(order, ctx.clock())
    payment = await _take_slot(ctx, order)
    outcome = await attempt_charge(ctx.provider, payment, payment_method)
    if isinstance(outcome, Failure):
        await record_failure(ctx, payment, outcome)
        raise PaymentFailed(outcome.message)
    if outcome.status == "processing":
        await ctx.payments.set_provider_ref(payment.id, outcome.provider_ref)
        return payment  # the provider's webhook settles it
    await record_success(ctx, payment, outcome.provider_ref)
    try:
        # The order may have been cancelled while the money was on its way.
        await refund_if_cancelled(ctx, order_id)
    except Exception:
        # The charge stands and the buyer gets its id; the refund stays claimed, and the
        # reconciler retries it once the claim is stale (the listener may be done).
        log.exception("refund after a late payment failed", extra={"order_id": order_id})
    return payment


async def _take_slot(ctx: Payments, order: OrderReplica) -> Payment:
    """A new pending attempt, or one abandoned mid-charge taken over with its key."""
    attempt = await ctx.payments.failed_attempts(order.id) + 1
    now = ctx.clock()
    try:
        return await ctx.payments.start_attempt(order, attempt, now)
    except PaymentSlotTaken:
        stale_before = ctx.attempts_before(now)
        taken_over = await ctx.payments.take_over_attempt(order.id, stale_before, now)
        if taken_over is None:
            raise await _slot_taken(ctx, order.id) from None
        return taken_over


async def _slot_taken(ctx: Payments, order_id: str) -> DomainError:
    active = await ctx.payments.active_for(order_id)
    if active is not None and active.status == PaymentStatus.PENDING:
        return Conflict("A payment for this order is already in progress")
    return RuleViolation(ORDER_PAID)
