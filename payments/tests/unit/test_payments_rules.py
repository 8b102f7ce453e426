"""Payment rules without I/O: payable orders, the buyer-facing state, settings, signatures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from payments.config import DEV_WEBHOOK_SECRET, PaymentsSettings
from payments.domain import (
    ORDER_GONE,
    ORDER_PAID,
    REFUNDED_MESSAGE,
    OrderReplica,
    Payment,
    PaymentStatus,
    check_payable,
    payment_state,
)
from payments.webhook import InvalidWebhook, sign, verify_signature
from ticketing_common.domain_errors import RuleViolation

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
SECRET = "whsec_test_secret"


def _order(status: str = "created", expires_in: float = 60) -> OrderReplica:
    return OrderReplica("o1", "u1", status, 2050, "usd", 0, NOW + timedelta(seconds=expires_in))


def _payment(status: PaymentStatus, message: str | None = None) -> Payment:
    return Payment("p", "o1", "u1", status, 2050, "usd", 1, NOW, failure_message=message)


def test_a_pending_order_within_its_hold_is_payable() -> None:
    check_payable(_order(), NOW)


@pytest.mark.parametrize(
    ("order", "message"),
    [
        (_order("cancelled"), ORDER_GONE),
        (_order(expires_in=0), ORDER_GONE),
        (_order(expires_in=-1), ORDER_GONE),
        (_order("complete"), ORDER_PAID),
    ],
)
def test_cancelled_expired_or_completed_orders_are_refused(
    order: OrderReplica, message: str
) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_payable(order, NOW)
    assert refused.value.message == message


def test_payment_state_for_the_buyer() -> None:
    assert payment_state([]) == ("unpaid", None)
    failed = _payment(PaymentStatus.FAILED, "Payment failed due to not enough money")
    assert payment_state([failed]) == ("failed", "Payment failed due to not enough money")
    assert payment_state([_payment(PaymentStatus.SUCCEEDED), failed]) == ("paid", None)
    assert payment_state([_payment(PaymentStatus.REFUNDED), failed]) == (
        "refunded",
        REFUNDED_MESSAGE,
    )


def test_a_live_key_requires_a_webhook_secret() -> None:
    with pytest.raises(ValidationError, match="STRIPE_WEBHOOK_SECRET"):
        PaymentsSettings(jwt_key="k" * 32, stripe_secret_key="sk_live_abc")


def test_a_test_key_gets_the_development_webhook_secret() -> None:
    settings = PaymentsSettings(jwt_key="k" * 32, stripe_secret_key="sk_test_abc")
    assert settings.webhook_secret == DEV_WEBHOOK_SECRET


def test_a_correctly_signed_recent_webhook_passes() -> None:
    body = b'{"id": "evt_1"}'
    verify_signature(body, sign(body, SECRET, 1000), SECRET, now=1100, tolerance=300)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "t=1000",
        "v1=abc",
        "t=abc,v1=abc",
        sign(b'{"id": "evt_1"}', "whsec_someone_else", 1000),
        sign(b'{"id": "evt_2"}', SECRET, 1000),
        sign(b'{"id": "evt_1"}', SECRET, 1000).replace("t=1000", "t=1001"),
    ],
)
def test_unsigned_forged_or_altered_webhooks_are_refused(header: str | None) -> None:
    with pytest.raises(InvalidWebhook):
        verify_signature(b'{"id": "evt_1"}', header, SECRET, now=1000, tolerance=300)


def test_a_stale_webhook_is_refused_even_when_signed() -> None:
    body = b"{}"
    with pytest.raises(InvalidWebhook, match="tolerance"):
        verify_signature(body, sign(body, SECRET, 1000), SECRET, now=1301, tolerance=300)


def test_any_of_several_v1_signatures_may_match() -> None:
    body = b"{}"
    header = sign(body, SECRET, 1000).replace("t=1000,", "t=1000,v1=deadbeef,")
    verify_signature(body, header, SECRET, now=1000, tolerance=300)
