"""The payment rules and the payment's state machine, without I/O."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from payments.domain import (
    ORDER_GONE,
    ORDER_PAID,
    REFUNDED_MESSAGE,
    TRANSITIONS,
    IllegalTransition,
    OrderReplica,
    Payment,
    PaymentStatus,
    check_payable,
    payment_state,
    refund_due,
)
from ticketing_common.domain_errors import Conflict, RuleViolation

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


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
    refunded = [_payment(PaymentStatus.REFUNDED)]
    assert payment_state(refunded, "event_cancelled") == (
        "refunded",
        "The event was cancelled: your order is cancelled and we returned you your money",
    )
    assert payment_state(refunded, "expired") == ("refunded", REFUNDED_MESSAGE)
    assert payment_state([_payment(PaymentStatus.SUCCEEDED)], "event_cancelled") == ("paid", None)


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


def test_a_payment_moves_pending_succeeded_refunding_refunded() -> None:
    pending = _payment(PaymentStatus.PENDING)
    succeeded = pending.succeed("pi_1")
    refunding = succeeded.start_refund()
    refunded = refunding.refunded("re_1")
    assert [p.status for p in (succeeded, refunding, refunded)] == [
        PaymentStatus.SUCCEEDED,
        PaymentStatus.REFUNDING,
        PaymentStatus.REFUNDED,
    ]
    assert (refunded.provider_ref, refunded.refund_id) == ("pi_1", "re_1")
    assert pending.status == PaymentStatus.PENDING  # each move returns a new state


def test_a_pending_payment_fails_with_the_reason_the_buyer_reads() -> None:
    failed = _payment(PaymentStatus.PENDING).fail("insufficient_funds", "not enough money")
    assert (failed.status, failed.failure_reason, failed.failure_message) == (
        PaymentStatus.FAILED,
        "insufficient_funds",
        "not enough money",
    )


@pytest.mark.parametrize(
    ("status", "move"),
    [
        (PaymentStatus.SUCCEEDED, lambda p: p.succeed("pi_2")),  # settled twice
        (PaymentStatus.FAILED, lambda p: p.succeed("pi_2")),
        (PaymentStatus.SUCCEEDED, lambda p: p.fail("declined", "card declined")),
        (PaymentStatus.PENDING, lambda p: p.start_refund()),  # nothing taken yet
        (PaymentStatus.REFUNDED, lambda p: p.start_refund()),  # given back already
        (PaymentStatus.SUCCEEDED, lambda p: p.refunded("re_1")),  # never claimed
        (PaymentStatus.FAILED, lambda p: p.refunded("re_1")),
    ],
)
def test_an_illegal_move_is_a_conflict(
    status: PaymentStatus, move: Callable[[Payment], Payment]
) -> None:
    with pytest.raises(IllegalTransition) as refused:
        move(_payment(status))
    assert isinstance(refused.value, Conflict)
    assert str(status) in refused.value.message


def test_each_move_starts_from_the_state_the_table_names() -> None:
    for target, source in TRANSITIONS.items():
        assert _payment(source).may_become(target)
        others = set(PaymentStatus) - {source}
        assert not any(_payment(other).may_become(target) for other in others)
    assert not any(_payment(s).may_become(PaymentStatus.PENDING) for s in PaymentStatus)
