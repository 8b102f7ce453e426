"""Stripe webhooks without I/O: signatures; events applied once on in-memory fakes."""

from __future__ import annotations

import pytest
from payments_fakes import FakeWorld

from payments.domain import Payment, PaymentStatus, charge_idempotency_key
from payments.stripe_provider import CHARGE_KEY
from payments.webhook import InvalidWebhook, WebhookEvent, handle_event, sign, verify_signature
from ticketing_common.events import PaymentCreated, PaymentFailed

SECRET = "whsec_test_secret"


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


@pytest.mark.parametrize(
    "header",
    [
        "t=" + "9" * 5000 + ",v1=abc",  # past Python's limit on digits in int()
        "t=\u00b2,v1=abc",  # a digit to str.isdigit, not to int()
        "t=\u0661\u0662,v1=abc",  # Arabic-Indic digits
        "t=1000,v1=\u00b2" + "0" * 63,  # non-ASCII: compare_digest would raise
        "t=1000,v1=" + "0" * 64 + "," * 5000,  # no longer a Stripe header
        "t= ,v1=abc",
        "t=-1000,v1=abc",
        "t=1000,t=1000,v1=abc",
    ],
)
def test_malformed_headers_are_refused_as_malformed(header: str) -> None:
    with pytest.raises(InvalidWebhook):
        verify_signature(b"{}", header, SECRET, now=1000, tolerance=300)


def test_a_stale_webhook_is_refused_even_when_signed() -> None:
    body = b"{}"
    with pytest.raises(InvalidWebhook, match="tolerance"):
        verify_signature(body, sign(body, SECRET, 1000), SECRET, now=1301, tolerance=300)


def test_any_of_several_v1_signatures_may_match() -> None:
    body = b"{}"
    header = sign(body, SECRET, 1000).replace("t=1000,", "t=1000,v1=deadbeef,")
    verify_signature(body, header, SECRET, now=1000, tolerance=300)


async def pending(world: FakeWorld) -> Payment:
    """An attempt whose charge the provider is still processing."""
    replica = await world.orders.get(await world.order())
    assert replica is not None
    return await world.payments.start_attempt(replica, 1, world.clock())


def intent_event(event_id: str, kind: str, payment: Payment, attempt: int = 1) -> WebhookEvent:
    key = charge_idempotency_key(payment.order_id, attempt)
    metadata = {"orderId": payment.order_id, CHARGE_KEY: key}
    return WebhookEvent(event_id, kind, {"id": "pi_async", "metadata": metadata})


async def test_a_confirmation_settles_a_pending_payment_once(world: FakeWorld) -> None:
    payment = await pending(world)
    event = intent_event("evt_1", "payment_intent.succeeded", payment)
    first = await handle_event(world.ctx, world.webhook_events, event)
    again = await handle_event(world.ctx, world.webhook_events, event)
    [created] = world.payments.of_type(PaymentCreated)
    assert (first, again) == (True, False)
    assert (created.payment_id, created.provider_ref) == (payment.id, "pi_async")


async def test_an_asynchronous_decline_fails_the_payment_with_its_reason(
    world: FakeWorld,
) -> None:
    payment = await pending(world)
    event = intent_event("evt_2", "payment_intent.payment_failed", payment)
    event.object["last_payment_error"] = {"decline_code": "insufficient_funds"}
    await handle_event(world.ctx, world.webhook_events, event)
    [failed] = world.payments.of_type(PaymentFailed)
    assert (failed.reason, failed.message) == (
        "insufficient_funds",
        "Payment failed due to not enough money",
    )


async def test_a_late_confirmation_of_an_earlier_attempt_settles_nothing(
    world: FakeWorld,
) -> None:
    payment = await pending(world)
    event = intent_event("evt_3", "payment_intent.succeeded", payment, attempt=0)
    await handle_event(world.ctx, world.webhook_events, event)
    [stored] = await world.payments.for_order(payment.order_id)
    assert stored.status == PaymentStatus.PENDING
    assert world.payments.events == []
