"""One charge attempt against the provider, its outcome normalized; no database here.

Whatever the provider does — succeed, decline, fail to answer — comes back as a
`ChargeResult` or a `Failure` the buyer can read, never as a stray exception.
"""

from __future__ import annotations

import logging

from payments.domain import Payment, charge_idempotency_key
from payments.failures import Failure, PaymentProviderError, failure_reason
from payments.provider import ChargeResult, PaymentProvider

log = logging.getLogger(__name__)


async def attempt_charge(
    provider: PaymentProvider, payment: Payment, payment_method: str
) -> ChargeResult | Failure:
    if payment.amount == 0:
        return ChargeResult(f"free-{payment.order_id}", "succeeded")  # nothing to take
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
