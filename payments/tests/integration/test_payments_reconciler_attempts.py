"""The reconciler settles charge attempts a crashed worker left pending (real servers).

The provider is asked what became of each (localstripe, looked up by the attempt's
idempotency key): charged → recorded (and refunded for a cancelled order); never
sent → failed, so the buyer may pay again and the cancel listener stops waiting.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import ConsumerInfo
from payments_testkit import STRIPE_TEST_KEY, Buyer, StreamRecorder, intents_for, pending_attempt
from reconcile_testkit import FAST, QUIET, assert_refunded_once, order_cancelled, running

from payments.config import PaymentsSettings
from payments.domain import charge_idempotency_key
from payments.reconciler import Reconciler
from payments.stripe_provider import StripeProvider
from ticketing_common.events import STREAM_NAME, utc_now
from ticketing_common.mongo import MongoClient
from ticketing_common.testing.endpoints import Endpoints

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_an_abandoned_attempt_that_was_charged_is_recorded_and_refunded(
    payments_settings: PaymentsSettings,
    buyer: Buyer,
    payment_events: StreamRecorder,
    embedded_servers: Endpoints,
    mongo_client: MongoClient,
    database_name: str,
) -> None:
    crashed_worker = StripeProvider(
        STRIPE_TEST_KEY, embedded_servers.stripe_url, max_network_retries=0
    )
    async with running(payments_settings, FAST) as (base_url, ctx), buyer.client(base_url) as http:
        order = await buyer.publish_order(http)
        await buyer.cancel(order)
        await order_cancelled(ctx, order)  # the listener saw no payment: it is done
        # A worker took the slot and charged, then died before recording anything.
        payment_id = await pending_attempt(
            mongo_client, database_name, order.order_id, timedelta(0)
        )
        charged = await crashed_worker.charge(
            order_id=order.order_id,
            amount=order.amount,
            currency="usd",
            payment_method="tok_visa",
            idempotency_key=charge_idempotency_key(order.order_id, 1),
        )
        await mongo_client[database_name]["payments"].update_one(
            {"_id": payment_id}, {"$set": {"attemptedAt": utc_now() - timedelta(minutes=10)}}
        )
        created = await payment_events.wait_for("payment.created", order.order_id, within=10)
        await payment_events.wait_for("payment.refunded", order.order_id, within=10)
        await asyncio.sleep(0.5)  # more passes: nothing more may happen
        await assert_refunded_once(order, payment_events, embedded_servers.stripe_url, http)
    await crashed_worker.close()
    assert (created["paymentId"], created["providerRef"]) == (payment_id, charged.provider_ref)
    assert len(payment_events.of("payment.created", order.order_id)) == 1


async def test_an_abandoned_attempt_that_never_reached_the_provider_fails_and_frees_the_order(
    payments_settings: PaymentsSettings,
    buyer: Buyer,
    payment_events: StreamRecorder,
    embedded_servers: Endpoints,
    mongo_client: MongoClient,
    database_name: str,
) -> None:
    async with running(payments_settings, FAST) as (base_url, _), buyer.client(base_url) as http:
        order = await buyer.publish_order(http)
        stale = await pending_attempt(
            mongo_client, database_name, order.order_id, timedelta(minutes=10)
        )
        failed = await payment_events.wait_for("payment.failed", order.order_id, within=10)
        state = (await http.get("/api/payments", params={"orderId": order.order_id})).json()
        paid = await http.post(
            "/api/payments", json={"token": "tok_visa", "orderId": order.order_id}
        )
        created = await payment_events.wait_for("payment.created", order.order_id)
    assert failed["reason"] == "connection_failure"
    assert (state["status"], state["payments"][0]["id"]) == ("failed", stale)
    assert paid.status_code == 201, paid.text
    assert created["paymentId"] == paid.json()["id"] != stale
    [intent] = await intents_for(embedded_servers.stripe_url, order.order_id)
    assert intent["metadata"]["chargeKey"] == charge_idempotency_key(order.order_id, 2)


async def test_the_cancel_listener_stops_retrying_once_an_abandoned_attempt_is_settled(
    payments_settings: PaymentsSettings,
    buyer: Buyer,
    payment_events: StreamRecorder,
    mongo_client: MongoClient,
    database_name: str,
    clean_stream: NatsClient,
) -> None:
    js = clean_stream.jetstream()
    async with running(payments_settings, QUIET) as (base_url, ctx), buyer.client(base_url) as http:
        order = await buyer.publish_order(http)
        await pending_attempt(mongo_client, database_name, order.order_id, timedelta(minutes=10))
        await buyer.cancel(order)
        retried = await redelivered(js, "payments-order-cancelled")
        settled = await Reconciler(ctx, QUIET).run_pass()
        await payment_events.wait_for("payment.failed", order.order_id)
        async with asyncio.timeout(15):  # the listener's back-off: 0.5 s, 1 s, 2 s, ...
            while (await consumer(js, "payments-order-cancelled")).num_ack_pending:
                await asyncio.sleep(0.2)
    assert retried >= 2  # it was waiting for the attempt to settle
    assert settled == (1, 0)
    assert not payment_events.of("payment.refunded", order.order_id)


async def consumer(js: JetStreamContext, durable: str) -> ConsumerInfo:
    info: ConsumerInfo = await js.consumer_info(STREAM_NAME, durable)
    return info


async def redelivered(js: JetStreamContext, durable: str) -> int:
    """Wait until the consumer delivered a message twice; its delivery count."""
    async with asyncio.timeout(10):
        while True:
            delivered = (await consumer(js, durable)).delivered
            if delivered is not None and (delivered.consumer_seq or 0) >= 2:
                return delivered.consumer_seq or 0
            await asyncio.sleep(0.1)
