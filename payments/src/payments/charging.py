"""A charge attempt against the provider, or a look-up of one, its outcome normalized.

Whatever the provider does — succeed, decline, fail to answer — comes back as a
`ChargeResult` or a `Failure` the buyer can read, never as a stray exception. No
database here.
"""

from __future__ import annotations

import logging

from payments.domain import Payment, charge_idempotency_key
from payments.failures import Failure, PaymentProviderError, ProviderUnavailable, failure_reason
from payments.provider import ChargeResult, PaymentProvider

log = logging.getLogger(__name__)


async def attempt_charge(
    provider: PaymentProvider, payment: Payment, payment_method: str
) -> ChargeResult | Failure:
    if payment.amount == 0:
        return _free(payment)  # nothing to take
    try:
        return await provider.charge(
            order_id=payment.order_id,
            amount=payment.amount,
            currency=payment.currency,
            payment_method=payment_method,
            idempotency_key=charge_idempotency_key(payment.order_id, payment.attempt),
        )
    except PaymentProviderError as exc:
        failure = failure_reason(exc)
        log.info(
            "charge failed",
            extra={"order_id": payment.order_id, "reason": failure.reason, "error": str(exc)},
        )
        return failure
    except Exception:
        # A bug or an unexpected reply: the buyer sees a retryable failure, we see the trace.
        log.exception("charge raised unexpectedly", extra={"order_id": payment.order_id})
        return Failure("connection_failure")


async def look_up_charge(
    provider: PaymentProvider, payment: Payment
) -> ChargeResult | Failure | None:
    """What became of an abandoned attempt; None while the provider cannot tell."""
    if payment.amount == 0:
        return _free(payment)
    context = {"order_id": payment.order_id, "payment_id": payment.id}
    try:
        found = await provider.find_charge(
            idempotency_key=charge_idempotency_key(payment.order_id, payment.attempt),
            provider_ref=payment.provider_ref,
        )
    except ProviderUnavailable as exc:
        log.warning("charge look-up failed", extra={**context, "error": str(exc)})
        return None
    except PaymentProviderError as exc:
        return failure_reason(exc)
    except Exception:
        log.exception("charge look-up raised unexpectedly", extra=context)
        return None
    if found is None:
        # The worker died before its request reached the provider: nothing was taken.
        return Failure("connection_failure")
    return found


def _free(payment: Payment) -> ChargeResult:
    return ChargeResult(f"free-{payment.order_id}", "succeeded")
