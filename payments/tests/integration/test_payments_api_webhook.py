"""Stripe webhooks: signature checks and asynchronous confirmations (real Mongo and NATS)."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from payments_testkit import Buyer, ServeApp, StreamRecorder, payment_store

from payments.config import PaymentsSettings
from payments.domain import charge_idempotency_key
from payments.store.replica import MongoOrderReplicas
from payments.webhook import sign
from ticketing_common.events import utc_now
from ticketing_common.mongo import MongoClient

pytestmark = pytest.mark.asyncio(loop_scope="session")


def intent_event(event_id: str, kind: str, intent: dict[str, Any]) -> bytes:
    return json.dumps({"id": event_id, "type": kind, "data": {"object": intent}}).encode()


async def pending_payment(
    mongo_client: MongoClient, database: str, buyer: Buyer, http: Any
) -> tuple[str, str]:
    """An order whose charge is still processing at the provider: (order id, payment id)."""
    order = await buyer.publish_order(http)
    replica = await MongoOrderReplicas(mongo_client[database]).get(order.order_id)
    assert replica is not None
    payment = await payment_store(mongo_client[database]).start_attempt(replica, 1, utc_now())
    return order.order_id, payment.id


def signed_intent(
    settings: PaymentsSettings, event_id: str, kind: str, intent: dict[str, Any]
) -> tuple[bytes, dict[str, str]]:
    """A webhook body about a PaymentIntent and its valid, current signature header."""
    body = intent_event(event_id, kind, intent)
    return body, {"Stripe-Signature": sign(body, settings.webhook_secret, int(time.time()))}


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "t=123,v1=00ff",
        "forged-with-another-secret",
        "stale",
    ],
)
async def test_unsigned_forged_or_stale_webhooks_are_rejected(
    serve_payments: ServeApp, payments_settings: PaymentsSettings, signature: str | None
) -> None:
    body = intent_event("evt_forged", "payment_intent.succeeded", {"id": "pi_x"})
    now = int(time.time())
    headers = {}
    if signature == "forged-with-another-secret":
        headers["Stripe-Signature"] = sign(body, "whsec_attacker", now)
    elif signature == "stale":
        headers["Stripe-Signature"] = sign(body, payments_settings.webhook_secret, now - 301)
    elif signature:
        headers["Stripe-Signature"] = signature
    async with serve_payments() as base_url, httpx.AsyncClient(base_url=base_url) as http:
        response = await http.post("/api/payments/webhook", content=body, headers=headers)
    assert response.status_code == 400
    assert "errors" in response.json()


@pytest.mark.parametrize(
    "signature", ["t=" + "9" * 5000 + ",v1=abc", "t=\u00b2,v1=abc", "t=1,v1=\u00b2"]
)
async def test_a_malformed_signature_is_a_400_and_the_connection_serves_the_next_request(
    serve_payments: ServeApp, signature: str
) -> None:
    async with serve_payments() as base_url, httpx.AsyncClient(base_url=base_url) as http:
        # httpx would refuse to send a non-ASCII header value as text: bytes go as they are.
        headers = {"Stripe-Signature": signature.encode()}
        response = await http.post("/api/payments/webhook", content=b"{}", headers=headers)
        after = await http.get("/healthz")  # on the same kept-alive connection
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].endswith(("header", "signature"))
    assert after.status_code == 200


async def test_an_asynchronous_confirmation_completes_a_pending_payment_once(
    serve_payments: ServeApp,
    payments_settings: PaymentsSettings,
    buyer: Buyer,
    payment_events: StreamRecorder,
    mongo_client: MongoClient,
    database_name: str,
) -> None:
    async with serve_payments() as base_url, buyer.client(base_url) as http:
        order_id, payment_id = await pending_payment(mongo_client, database_name, buyer, http)
        metadata = {"orderId": order_id, "chargeKey": charge_idempotency_key(order_id, 1)}
        intent = {"id": "pi_async_1", "metadata": metadata, "status": "succeeded"}
        body, headers = signed_intent(
            payments_settings, "evt_async_1", "payment_intent.succeeded", intent
        )
        first = await http.post("/api/payments/webhook", content=body, headers=headers)
        again = await http.post("/api/payments/webhook", content=body, headers=headers)
        created = await payment_events.wait_for("payment.created", order_id)
        state = (await http.get("/api/payments", params={"orderId": order_id})).json()
    assert (first.json(), again.json()) == (
        {"received": True, "duplicate": False},
        {"received": True, "duplicate": True},
    )
    assert (created["paymentId"], created["providerRef"]) == (payment_id, "pi_async_1")
    assert len(payment_events.of("payment.created", order_id)) == 1
    assert state["status"] == "paid"


async def test_an_asynchronous_decline_fails_the_payment_with_its_reason(
    serve_payments: ServeApp,
    payments_settings: PaymentsSettings,
    buyer: Buyer,
    payment_events: StreamRecorder,
    mongo_client: MongoClient,
    database_name: str,
) -> None:
    async with serve_payments() as base_url, buyer.client(base_url) as http:
        order_id, _ = await pending_payment(mongo_client, database_name, buyer, http)
        intent = {
            "id": "pi_async_2",
            "metadata": {"orderId": order_id, "chargeKey": charge_idempotency_key(order_id, 1)},
            "last_payment_error": {"code": "card_declined", "decline_code": "insufficient_funds"},
        }
        body, headers = signed_intent(
            payments_settings, "evt_async_2", "payment_intent.payment_failed", intent
        )
        response = await http.post("/api/payments/webhook", content=body, headers=headers)
        failed = await payment_events.wait_for("payment.failed", order_id)
    assert response.status_code == 200
    assert (failed["reason"], failed["message"]) == (
        "insufficient_funds",
        "Payment failed due to not enough money",
    )


async def test_a_late_confirmation_of_an_earlier_attempt_does_not_settle_the_current_one(
    serve_payments: ServeApp,
    payments_settings: PaymentsSettings,
    buyer: Buyer,
    payment_events: StreamRecorder,
    mongo_client: MongoClient,
    database_name: str,
) -> None:
    async with serve_payments() as base_url, buyer.client(base_url) as http:
        order_id, payment_id = await pending_payment(mongo_client, database_name, buyer, http)
        earlier = {"orderId": order_id, "chargeKey": charge_idempotency_key(order_id, 0)}
        intent = {"id": "pi_earlier_attempt", "metadata": earlier, "status": "succeeded"}
        body, headers = signed_intent(
            payments_settings, "evt_earlier", "payment_intent.succeeded", intent
        )
        response = await http.post("/api/payments/webhook", content=body, headers=headers)
        payment = await payment_store(mongo_client[database_name]).active_for(order_id)
    assert response.status_code == 200
    assert payment is not None
    assert (payment.id, payment.status, payment.provider_ref) == (payment_id, "pending", None)
    assert payment_events.of("payment.created", order_id) == []
