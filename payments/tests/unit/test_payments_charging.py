"""A charge attempt and a charge look-up on fake providers: decline codes become the reason
the buyer reads; what a look-up of an abandoned attempt means."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from payments.charging import attempt_charge, look_up_charge
from payments.domain import Payment, PaymentStatus, charge_idempotency_key
from payments.failures import ChargeDeclined, Failure, ProviderUnavailable
from payments.provider import ChargeResult, RefundResult


class ChargingProvider:
    """Answers every charge with a scripted result or failure and records the calls."""

    name = "fake"

    def __init__(self, outcome: ChargeResult | Exception) -> None:
        self.outcome = outcome
        self.charges: list[dict[str, object]] = []

    async def charge(
        self,
        *,
        order_id: str,
        amount: int,
        currency: str,
        payment_method: str,
        idempotency_key: str,
    ) -> ChargeResult:
        self.charges.append(
            {"order_id": order_id, "amount": amount, "key": idempotency_key, "pm": payment_method}
        )
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome

    async def refund(self, *, provider_ref: str, amount: int, idempotency_key: str) -> RefundResult:
        return RefundResult("re_fake", amount)


def _payment(amount: int = 2050, attempt: int = 1, ref: str | None = None) -> Payment:
    return Payment(
        id="p1",
        order_id="o1",
        user_id="u1",
        status=PaymentStatus.PENDING,
        amount=amount,
        currency="usd",
        attempt=attempt,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        provider_ref=ref,
    )


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (ChargeDeclined("card_declined", "insufficient_funds"), "not enough money"),
        (ChargeDeclined("insufficient_funds"), "not enough money"),
        (ChargeDeclined("card_declined", "card_velocity_exceeded"), "not enough money"),
        (ChargeDeclined("incorrect_cvc", "incorrect_cvc"), "wrong credentials"),
        (ChargeDeclined("expired_card"), "wrong credentials"),
        (ChargeDeclined("incorrect_number"), "wrong credentials"),
        (ChargeDeclined("card_declined", "invalid_cvc"), "wrong credentials"),
        (ChargeDeclined("resource_missing"), "wrong credentials"),
        (ChargeDeclined("processing_error"), "connection failure"),
        (ChargeDeclined("card_declined", "try_again_later"), "connection failure"),
        (ProviderUnavailable("connection refused"), "connection failure"),
        (RuntimeError("a bug in the adapter"), "connection failure"),
        (ChargeDeclined("card_declined", "generic_decline"), "card declined"),
        (ChargeDeclined("card_declined"), "card declined"),
    ],
)
async def test_each_failure_becomes_a_reason(failure: Exception, message: str) -> None:
    outcome = await attempt_charge(ChargingProvider(failure), _payment(), "pm_x")
    assert isinstance(outcome, Failure)
    assert outcome.message == f"Payment failed due to {message}"


async def test_the_decline_code_wins_over_the_generic_code() -> None:
    declined = ChargeDeclined("incorrect_cvc", "insufficient_funds")
    outcome = await attempt_charge(ChargingProvider(declined), _payment(), "pm_x")
    assert outcome == Failure("insufficient_funds")


async def test_success_passes_the_order_amount_and_an_order_derived_key() -> None:
    provider = ChargingProvider(ChargeResult("pi_1", "succeeded"))
    outcome = await attempt_charge(provider, _payment(attempt=3), "tok_visa")
    assert outcome == ChargeResult("pi_1", "succeeded")
    assert provider.charges == [
        {"order_id": "o1", "amount": 2050, "key": "order-o1-charge-3", "pm": "tok_visa"}
    ]


def test_the_same_attempt_always_gets_the_same_idempotency_key() -> None:
    assert charge_idempotency_key("o1", 1) == charge_idempotency_key("o1", 1)
    assert charge_idempotency_key("o1", 1) != charge_idempotency_key("o1", 2)
    assert charge_idempotency_key("o1", 1) != charge_idempotency_key("o2", 1)


async def test_a_free_order_never_reaches_the_provider() -> None:
    provider = ChargingProvider(ProviderUnavailable("must not be called"))
    outcome = await attempt_charge(provider, _payment(amount=0), "tok_visa")
    assert isinstance(outcome, ChargeResult)
    assert provider.charges == []


class LookupProvider:
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
    provider = LookupProvider(ChargeResult("pi_1", "succeeded"))
    outcome = await look_up_charge(provider, _payment(attempt=3, ref="pi_1"))
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
    assert await look_up_charge(LookupProvider(answer), _payment()) == outcome


async def test_a_free_attempt_succeeds_without_asking_the_provider() -> None:
    provider = LookupProvider(ProviderUnavailable("must not be asked"))
    outcome = await look_up_charge(provider, _payment(amount=0))
    assert outcome == ChargeResult("free-o1", "succeeded")
    assert provider.asked == []
