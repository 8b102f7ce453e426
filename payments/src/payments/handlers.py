"""Use cases of the payments service: pay for an order, refund a paid-but-cancelled order.

Each state change and its outgoing event are written in one transaction through the
outbox; the provider is called outside any transaction, guarded by the payment's
state (a pending attempt holds the order's one payment slot; a refund is claimed).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import DuplicateKeyError

from payments.charging import attempt_charge
from payments.domain import (
    ORDER_PAID,
    Payment,
    PaymentStatus,
    check_payable,
    refund_idempotency_key,
)
from payments.failures import Failure
from payments.provider import PaymentProvider
from payments.replica import OrderReplicas
from payments.store import PaymentStore
from ticketing_common.app import Runtime
from ticketing_common.domain_errors import (
    Conflict,
    DomainError,
    NotFound,
    PaymentFailed,
    RuleViolation,
)
from ticketing_common.events import PaymentCreated, PaymentRefunded, utc_now
from ticketing_common.events import PaymentFailed as PaymentFailedEvent
from ticketing_common.mongo import in_transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Payments:
    """What the use cases work with; built once in `main.wire`."""

    orders: OrderReplicas
    payments: PaymentStore
    provider: PaymentProvider
    runtime: Runtime
    refund_claim_seconds: int = 30
    pending_takeover_seconds: int = 120


async def pay_order(ctx: Payments, order_id: str, payment_method: str, user_id: str) -> Payment:
    order = await ctx.orders.get(order_id)
    if order is None or order.user_id != user_id:
        raise NotFound()  # someone else's order looks exactly like a missing one
    check_payable(order, utc_now())
    attempt = await ctx.payments.failed_attempts(order_id) + 1
    try:
        payment = await ctx.payments.start_attempt(order, attempt)
    except DuplicateKeyError:
        stale_before = utc_now() - timedelta(seconds=ctx.pending_takeover_seconds)
        taken_over = await ctx.payments.take_over_stale(order_id, stale_before)
        if taken_over is None:
            raise await _slot_taken(ctx, order_id) from None
        payment = taken_over
    outcome = await attempt_charge(ctx.provider, payment, payment_method)
    if isinstance(outcome, Failure):
        await record_failure(ctx, payment.id, outcome)
        raise PaymentFailed(outcome.message)
    if outcome.status == "processing":
        await ctx.payments.set_provider_ref(payment.id, outcome.provider_ref)
        return payment  # the provider's webhook settles it
    await record_success(ctx, payment.id, outcome.provider_ref)
    try:
        # The order may have been cancelled while the money was on its way.
        await refund_if_cancelled(ctx, order_id)
    except Exception:
        # The charge stands and the buyer gets its id; the refund stays claimed, and the
        # reconciler retries it once the claim is stale (the listener may be done).
        log.exception("refund after a late payment failed", extra={"order_id": order_id})
    return payment


async def _slot_taken(ctx: Payments, order_id: str) -> DomainError:
    active = await ctx.payments.active_for(order_id)
    if active is not None and active.status == PaymentStatus.PENDING:
        return Conflict("A payment for this order is already in progress")
    return RuleViolation(ORDER_PAID)


async def record_success(ctx: Payments, payment_id: str, provider_ref: str) -> None:
    """pending -> succeeded with `payment.created`; a no-op if already settled."""

    async def save(session: AsyncClientSession) -> None:
        payment = await ctx.payments.mark_succeeded(payment_id, provider_ref, session)
        if payment is not None:
            await ctx.runtime.outbox.add(
                session,
                PaymentCreated(
                    payment_id=payment.id,
                    order_id=payment.order_id,
                    amount=payment.amount,
                    currency=payment.currency,
                    provider=ctx.provider.name,
                    provider_ref=provider_ref,
                ),
            )

    await in_transaction(ctx.runtime.mongo, save)
    ctx.runtime.relay.wake()


async def record_failure(ctx: Payments, payment_id: str, failure: Failure) -> None:
    """pending -> failed with `payment.failed`; the order's slot is free for a retry."""

    async def save(session: AsyncClientSession) -> None:
        payment = await ctx.payments.mark_failed(
            payment_id, failure.reason, failure.message, session
        )
        if payment is not None:
            await ctx.runtime.outbox.add(
                session,
                PaymentFailedEvent(
                    order_id=payment.order_id, reason=failure.reason, message=failure.message
                ),
            )

    await in_transaction(ctx.runtime.mongo, save)
    ctx.runtime.relay.wake()


async def refund_if_cancelled(ctx: Payments, order_id: str) -> None:
    order = await ctx.orders.get(order_id)
    if order is not None and order.status == "cancelled":
        await refund_if_paid(ctx, order_id)


async def refund_if_paid(ctx: Payments, order_id: str) -> bool:
    """Refund the order's succeeded payment, once.

    False while that cannot be decided yet: a charge is still pending (it may succeed
    and need refunding) or another worker is refunding.
    """
    stale_before = utc_now() - timedelta(seconds=ctx.refund_claim_seconds)
    payment = await ctx.payments.claim_refund(order_id, stale_before)
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

    async def save(session: AsyncClientSession) -> None:
        refunded = await ctx.payments.mark_refunded(payment.id, refund_id, session)
        if refunded is not None:
            await ctx.runtime.outbox.add(
                session,
                PaymentRefunded(
                    payment_id=payment.id,
                    order_id=order_id,
                    refund_id=refund_id,
                    amount=payment.amount,
                    currency=payment.currency,
                ),
            )

    await in_transaction(ctx.runtime.mongo, save)
    ctx.runtime.relay.wake()
    log.info("payment refunded", extra={"order_id": order_id, "refund_id": refund_id})
    return True
