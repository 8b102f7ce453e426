"""Orders that cannot be paid, and money for a cancelled order going back (real servers)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from payments_testkit import (
    Buyer,
    ServeApp,
    StreamRecorder,
    intents_for,
    refunds_for,
    wait_replicated,
)

from payments.domain import ORDER_GONE, ORDER_PAID, REFUNDED_MESSAGE
from payments.provider import ChargeResult, RefundResult
from payments.stripe_provider import StripeProvider
from ticketing_common.mongo import MongoClient
from ticketing_common.testing.endpoints import Endpoints

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def wait_order_status(
    mongo_client: MongoClient, database: str, order_id: str, status: str
) -> None:
    async with asyncio.timeout(5):
        while not await mongo_client[database]["orders"].find_one(
            {"_id": order_id, "status": status}
        ):
            await asyncio.sleep(0.05)


async def test_a_cancelled_order_cannot_be_paid(
    serve_payments: ServeApp, buyer: Buyer, mongo_client: MongoClient, database_name: str
) -> None:
    async with serve_payments() as base_url, buyer.client(base_url) as http:
        order = await buyer.publish_order(http)
        await buyer.cancel(order)
        await wait_order_status(mongo_client, database_name, order.order_id, "cancelled")
        response = await http.post(
            "/api/payments", json={"token": "tok_visa", "orderId": order.order_id}
        )
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": ORDER_GONE}]}


async def test_an_expired_hold_cannot_be_paid_before_its_cancellation_arrives(
    serve_payments: ServeApp, buyer: Buyer
) -> None:
    async with serve_payments() as base_url, buyer.client(base_url) as http:
        order = buyer.order(expires_in=-1)
        await buyer.publisher.publish(order)
        await wait_replicated(http, order.order_id)
        response = await http.post(
            "/api/payments", json={"token": "tok_visa", "orderId": order.order_id}
        )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == ORDER_GONE


async def test_a_completed_order_cannot_be_paid_again(
    serve_payments: ServeApp, buyer: Buyer, mongo_client: MongoClient, database_name: str
) -> None:
    async with serve_payments() as base_url, buyer.client(base_url) as http:
        order = await buyer.publish_order(http)
        await buyer.complete(order)
        await wait_order_status(mongo_client, database_name, order.order_id, "complete")
        response = await http.post(
            "/api/payments", json={"token": "tok_visa", "orderId": order.order_id}
        )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == ORDER_PAID


async def test_only_the_buyer_may_pay_or_look(
    serve_payments: ServeApp, buyer: Buyer, other_buyer: Buyer
) -> None:
    async with serve_payments() as base_url, buyer.client(base_url) as http:
        order = await buyer.publish_order(http)
        async with other_buyer.client(base_url) as intruder:
            paid = await intruder.post(
                "/api/payments", json={"token": "tok_visa", "orderId": order.order_id}
            )
            looked = await intruder.get("/api/payments", params={"orderId": order.order_id})
        async with httpx.AsyncClient(base_url=base_url) as signed_out:
            anonymous = await signed_out.post(
                "/api/payments", json={"token": "tok_visa", "orderId": order.order_id}
            )
        no_method = await http.post("/api/payments", json={"orderId": order.order_id})
    assert (paid.status_code, looked.status_code) == (404, 404)
    assert order.order_id not in paid.text + looked.text
    assert anonymous.status_code == 401
    assert no_method.status_code == 400


async def test_a_paid_order_that_is_cancelled_is_refunded_once(
    serve_payments: ServeApp,
    buyer: Buyer,
    payment_events: StreamRecorder,
    embedded_servers: Endpoints,
) -> None:
    async with serve_payments() as base_url, buyer.client(base_url) as http:
        order = await buyer.publish_order(http)
        paid = await http.post(
            "/api/payments", json={"token": "tok_visa", "orderId": order.order_id}
        )
        assert paid.status_code == 201
        await buyer.cancel(order)
        await buyer.cancel(order)  # redelivered with a new envelope id
        refunded = await payment_events.wait_for("payment.refunded", order.order_id)
        await asyncio.sleep(0.5)  # room for a second refund to show up
        state = (await http.get("/api/payments", params={"orderId": order.order_id})).json()
    [intent] = await intents_for(embedded_servers.stripe_url, order.order_id)
    refunds = await refunds_for(embedded_servers.stripe_url, str(intent["id"]))
    assert len(payment_events.of("payment.refunded", order.order_id)) == 1
    assert [r["id"] for r in refunds] == [refunded["refundId"]]
    assert (refunded["amount"], refunded["paymentId"]) == (2050, paid.json()["id"])
    assert (state["status"], state["message"]) == ("refunded", REFUNDED_MESSAGE)


class CancelledWhileCharging:
    """The real Stripe provider, with the order cancelled while the charge is on its way."""

    name = "stripe"

    def __init__(self, stripe: StripeProvider, cancel: Any) -> None:
        self.stripe = stripe
        self.cancel = cancel

    async def charge(self, **kwargs: Any) -> ChargeResult:
        await self.cancel()
        return await self.stripe.charge(**kwargs)

    async def refund(self, **kwargs: Any) -> RefundResult:
        return await self.stripe.refund(**kwargs)

    async def find_charge(self, **kwargs: Any) -> ChargeResult | None:
        return await self.stripe.find_charge(**kwargs)


async def test_money_arriving_after_the_cancellation_is_refunded(
    serve_payments: ServeApp,
    buyer: Buyer,
    payment_events: StreamRecorder,
    embedded_servers: Endpoints,
    mongo_client: MongoClient,
    database_name: str,
) -> None:
    order = buyer.order()

    async def cancel_and_wait() -> None:
        await buyer.cancel(order)
        await wait_order_status(mongo_client, database_name, order.order_id, "cancelled")

    stripe = StripeProvider("sk_test_embedded", embedded_servers.stripe_url)
    provider = CancelledWhileCharging(stripe, cancel_and_wait)
    async with serve_payments(provider) as base_url, buyer.client(base_url) as http:
        await buyer.publisher.publish(order)
        await wait_replicated(http, order.order_id)
        paid = await http.post(
            "/api/payments", json={"token": "tok_visa", "orderId": order.order_id}
        )
        created = await payment_events.wait_for("payment.created", order.order_id)
        refunded = await payment_events.wait_for("payment.refunded", order.order_id)
    assert paid.status_code == 201
    assert refunded["paymentId"] == created["paymentId"]
    refunds = await refunds_for(embedded_servers.stripe_url, str(created["providerRef"]))
    assert len(refunds) == 1
