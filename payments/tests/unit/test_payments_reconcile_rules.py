"""The reconciler's decisions without I/O: which payments to refund, what a look-up means."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from payments.charging import look_up_charge
from payments.domain import Payment, PaymentStatus, refund_due
from payments.failures import ChargeDeclined, Failure, ProviderUnavailable
from payments.provider import ChargeResult, RefundResult

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def _payment(
    status: PaymentStatus = PaymentStatus.PENDING, amount: int = 2050, ref: str | None = None
) -> Payment:
    return Payment("p1", "o1", "u1", status, amount, "usd", 3, NOW, provider_ref=ref)


@pytest.mark.parametrize(
    ("status", "cancelled", "due"),
    [
        (PaymentStatus.SUCCEEDED, True, True),
        (PaymentStatus.SUCCEEDED, False, False),  # paid for a live order: tickets follow
        (PaymentStatus.REFUNDING, True, True),  # a stale claim is finished, whatever
        (PaymentStatus.REFUNDING, False, True),
        (PaymentStatus.REFUNDED, True, False),
        (PaymentStatus.FAILED, True, False),
        (PaymentStatus.PENDING, True, False),  # settled first, by the attempt rules
    ],
)
def test_which_payments_the_reconciler_refunds(
    status: PaymentStatus, cancelled: bool, due: bool
) -> None:
    assert refund_due(_payment(status), cancelled) is due


class FakeProvider:
    """Answers every look-up with `answer` (returned, or raised if an exception)."""

    name = "fake"

    def __init__(self, answer: ChargeResult | Exception | None) -> None:
        self.answer = answer
        self.asked: list[dict[str, Any]] = []

    async def find_charge(self, **kwargs: Any) -> ChargeResult | None:
        self.asked.append(kwargs)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer

    async def charge(self, **kwargs: Any) -> ChargeResult:
        raise AssertionError("a look-up never charges")

    async def refund(self, **kwargs: Any) -> RefundResult:
        raise AssertionError("a look-up never refunds")


async def test_a_look_up_asks_with_the_attempts_own_key_and_reference() -> None:
    provider = FakeProvider(ChargeResult("pi_1", "succeeded"))
    outcome = await look_up_charge(provider, _payment(ref="pi_1"))
    assert outcome == ChargeResult("pi_1", "succeeded")
    assert provider.asked == [{"idempotency_key": "order-o1-charge-3", "provider_ref": "pi_1"}]


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        (None, Failure("connection_failure")),  # never reached the provider: nothing taken
        (ChargeDeclined("card_declined", "insufficient_funds"), Failure("insufficient_funds")),
        (ChargeDeclined("authentication_required"), Failure("declined")),
        (ProviderUnavailable("down"), None),  # unknown: stays pending, never marked failed
        (RuntimeError("bug"), None),
        (ChargeResult("pi_2", "processing"), ChargeResult("pi_2", "processing")),
    ],
)
async def test_what_a_look_up_means(
    answer: ChargeResult | Exception | None, outcome: ChargeResult | Failure | None
) -> None:
    assert await look_up_charge(FakeProvider(answer), _payment()) == outcome


async def test_a_free_attempt_succeeds_without_asking_the_provider() -> None:
    provider = FakeProvider(ProviderUnavailable("must not be asked"))
    outcome = await look_up_charge(provider, _payment(amount=0))
    assert outcome == ChargeResult("free-o1", "succeeded")
    assert provider.asked == []
