"""Paying for an order against the real embedded Mongo, NATS and localstripe."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from payments_testkit import (
    Buyer,
    ServeApp,
    StreamRecorder,
    card_token,
    intents_for,
    payment_method,
    pending_attempt,
)

from ticketing_common.mongo import MongoClient
from ticketing_common.testing.endpoints import Endpoints
from ticketing_common.testing.http import free_port

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_pay_with_the_original_body_publishes_payment_created(
    serve_payments: ServeApp,
    buyer: Buyer,
    payment_events: StreamRecorder,
    embedded_servers: Endpoints,
) -> None:
    async with serve_payments() as base_url, buyer.client(base_url) as http:
        order = await buyer.publish_order(http, amount=2050)
        response = await http.post(
            "/api/payments", json={"token": "tok_visa", "orderId": order.order_id}
        )
        assert response.status_code == 201, response.text
        created = await payment_events.wait_for("payment.created", order.order_id)
        state = (await http.get("/api/payments", params={"orderId": order.order_id})).json()
    assert created["paymentId"] == response.json()["id"]
    assert (created["amount"], created["currency"]) == (2050, "usd")
    [intent] = await intents_for(embedded_servers.stripe_url, order.order_id)
    assert (intent["id"], intent["status"], intent["amount"]) == (
        created["providerRef"],
        "succeeded",
        2050,
    )
    assert state["status"] == "paid"
    assert state["payments"][0]["amount"] == 20.5


async def test_a_card_token_and_a_payment_method_both_pay(
    serve_payments: ServeApp, buyer: Buyer, embedded_servers: Endpoints
) -> None:
    url = embedded_servers.stripe_url
    async with serve_payments() as base_url, buyer.client(base_url) as http:
        by_token = await buyer.publish_order(http)
        by_method = await buyer.publish_order(http)
        token = await card_token(url, "4242424242424242")
        method = await payment_method(url, "4242424242424242")
        first = await http.post(
            "/api/payments", json={"token": token, "orderId": by_token.order_id}
        )
        second = await http.post(
            "/api/payments", json={"paymentMethod": method, "orderId": by_method.order_id}
        )
    assert (first.status_code, second.status_code) == (201, 201)


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        ("token", "4000000000000002"),  # generic decline
        ("token", "4000000000009995"),  # insufficient funds (localstripe: card_declined)
        ("token", "4000000000000127"),  # incorrect CVC (localstripe: card_declined)
        ("token", "4000000000000069"),  # expired card (localstripe: card_declined)
        ("paymentMethod", "4000000000000341"),  # attaches, then the charge is declined
    ],
)
async def test_declines_answer_402_publish_payment_failed_and_allow_a_retry(
    serve_payments: ServeApp,
    buyer: Buyer,
    payment_events: StreamRecorder,
    embedded_servers: Endpoints,
    kind: str,
    number: str,
) -> None:
    url = embedded_servers.stripe_url
    method = await (card_token if kind == "token" else payment_method)(url, number)
    async with serve_payments() as base_url, buyer.client(base_url) as http:
        order = await buyer.publish_order(http)
        declined = await http.post("/api/payments", json={kind: method, "orderId": order.order_id})
        failed = await payment_events.wait_for("payment.failed", order.order_id)
        retried = await http.post(
            "/api/payments", json={"token": "tok_visa", "orderId": order.order_id}
        )
    # localstripe reports every decline as a bare `card_declined` (no decline code).
    assert declined.status_code == 402
    assert declined.json() == {"errors": [{"message": "Payment failed due to card declined"}]}
    assert (failed["reason"], failed["message"]) == (
        "declined",
        declined.json()["errors"][0]["message"],
    )
    assert retried.status_code == 201


async def test_an_unknown_token_is_wrong_credentials(
    serve_payments: ServeApp, buyer: Buyer
) -> None:
    async with serve_payments() as base_url, buyer.client(base_url) as http:
        order = await buyer.publish_order(http)
        response = await http.post(
            "/api/payments", json={"token": "tok_doesnotexist", "orderId": order.order_id}
        )
    assert response.status_code == 402
    assert response.json()["errors"][0]["message"] == "Payment failed due to wrong credentials"


async def test_an_unreachable_provider_is_a_connection_failure(
    serve_payments: ServeApp, buyer: Buyer, payment_events: StreamRecorder
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    async with serve_payments(stripe_api_base=closed) as base_url, buyer.client(base_url) as http:
        order = await buyer.publish_order(http)
        response = await http.post(
            "/api/payments", json={"token": "tok_visa", "orderId": order.order_id}
        )
        failed = await payment_events.wait_for("payment.failed", order.order_id)
    assert response.status_code == 402
    assert response.json()["errors"][0]["message"] == "Payment failed due to connection failure"
    assert failed["reason"] == "connection_failure"


async def test_a_double_submit_charges_once(
    serve_payments: ServeApp,
    buyer: Buyer,
    payment_events: StreamRecorder,
    embedded_servers: Endpoints,
) -> None:
    async with serve_payments() as base_url, buyer.client(base_url) as http:
        order = await buyer.publish_order(http)
        body = {"token": "tok_visa", "orderId": order.order_id}
        responses = await asyncio.gather(*(http.post("/api/payments", json=body) for _ in range(2)))
        await payment_events.wait_for("payment.created", order.order_id)
        again = await http.post("/api/payments", json=body)
        await asyncio.sleep(0.5)  # room for a second payment.created to show up
    assert sorted(r.status_code for r in responses)[0] == 201
    assert sorted(r.status_code for r in responses)[1] in (400, 409)
    assert again.status_code == 400
    assert len(payment_events.of("payment.created", order.order_id)) == 1
    assert len(await intents_for(embedded_servers.stripe_url, order.order_id)) == 1


async def test_a_payment_in_progress_holds_the_order(
    serve_payments: ServeApp, buyer: Buyer, mongo_client: MongoClient, database_name: str
) -> None:
    async with serve_payments() as base_url, buyer.client(base_url) as http:
        order = await buyer.publish_order(http)
        await pending_attempt(mongo_client, database_name, order.order_id, timedelta(seconds=5))
        response = await http.post(
            "/api/payments", json={"token": "tok_visa", "orderId": order.order_id}
        )
    assert response.status_code == 409
    assert response.json()["errors"][0]["message"] == (
        "A payment for this order is already in progress"
    )


async def test_an_attempt_abandoned_mid_charge_is_taken_over_with_its_key(
    serve_payments: ServeApp,
    buyer: Buyer,
    payment_events: StreamRecorder,
    mongo_client: MongoClient,
    database_name: str,
) -> None:
    async with serve_payments() as base_url, buyer.client(base_url) as http:
        order = await buyer.publish_order(http)
        stale = await pending_attempt(
            mongo_client, database_name, order.order_id, timedelta(minutes=10)
        )
        response = await http.post(
            "/api/payments", json={"token": "tok_visa", "orderId": order.order_id}
        )
        created = await payment_events.wait_for("payment.created", order.order_id)
    assert response.status_code == 201
    assert response.json()["id"] == created["paymentId"] == stale
