"""The reconciler gives back money kept for cancelled orders (real Mongo, NATS, localstripe).

The state a provider outage or a crash leaves behind is built with the service's own
code (a real charge at localstripe, a refund against a closed port); then one or two
reconcilers find it, and each order is refunded exactly once.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

import pytest
from payments_testkit import STRIPE_TEST_KEY, Buyer, StreamRecorder
from reconcile_testkit import FAST, QUIET, assert_refunded_once, paid_then_cancelled, running

from payments.config import PaymentsSettings
from payments.failures import ProviderUnavailable
from payments.reconciler import Reconciler
from payments.refunds import refund_if_cancelled
from payments.store.documents import CANCEL_CHECK
from payments.stripe_provider import StripeProvider
from ticketing_common.events import utc_now
from ticketing_common.mongo import MongoClient
from ticketing_common.testing.endpoints import Endpoints
from ticketing_common.testing.http import free_port

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_refund_that_failed_is_retried_once_by_two_running_reconcilers(
    payments_settings: PaymentsSettings,
    buyer: Buyer,
    payment_events: StreamRecorder,
    embedded_servers: Endpoints,
) -> None:
    unreachable = StripeProvider(
        STRIPE_TEST_KEY, f"http://127.0.0.1:{free_port()}", max_network_retries=0
    )
    async with running(payments_settings, QUIET) as (base_url, ctx), buyer.client(base_url) as http:
        failed_refund = await paid_then_cancelled(ctx, buyer, http)
        never_checked = await paid_then_cancelled(ctx, buyer, http)
        # What pay_order does after a late payment, with the provider down for the refund.
        with pytest.raises(ProviderUnavailable):
            await refund_if_cancelled(
                dataclasses.replace(ctx, provider=unreachable), failed_refund.order_id
            )
        state = await http.get("/api/payments", params={"orderId": failed_refund.order_id})
        assert state.json()["status"] == "refunding"
    await unreachable.close()
    # The second order is a worker that died between the charge and its cancellation check.
    async with (
        running(payments_settings, FAST) as (one, _),
        running(payments_settings, FAST) as (_two, _),
        buyer.client(one) as http,
    ):
        for order in (failed_refund, never_checked):
            await payment_events.wait_for("payment.refunded", order.order_id, within=15)
        await asyncio.sleep(1.5)  # several more passes of both reconcilers
        for order in (failed_refund, never_checked):
            await assert_refunded_once(order, payment_events, embedded_servers.stripe_url, http)


async def test_concurrent_passes_refund_each_order_once(
    payments_settings: PaymentsSettings,
    buyer: Buyer,
    payment_events: StreamRecorder,
    embedded_servers: Endpoints,
    mongo_client: MongoClient,
    database_name: str,
) -> None:
    async with (
        running(payments_settings, QUIET) as (base_url, first),
        running(payments_settings, QUIET) as (_, second),
        buyer.client(base_url) as http,
    ):
        orders = [await paid_then_cancelled(first, buyer, http) for _ in range(3)]
        # Their cancellation checks overdue at once (instead of waiting the grace period).
        overdue = utc_now() - timedelta(minutes=5)
        await mongo_client[database_name]["payments"].update_many(
            {CANCEL_CHECK: {"$exists": True}}, {"$set": {CANCEL_CHECK: overdue}}
        )
        passes = await asyncio.gather(
            Reconciler(first, QUIET).run_pass(), Reconciler(second, QUIET).run_pass()
        )
        again = await Reconciler(second, QUIET).run_pass()
        for order in orders:
            await payment_events.wait_for("payment.refunded", order.order_id)
        await asyncio.sleep(0.5)  # room for a second payment.refunded to show up
        for order in orders:
            await assert_refunded_once(order, payment_events, embedded_servers.stripe_url, http)
    assert sum(refunds for _, refunds in passes) >= 3
    assert again == (0, 0)  # nothing left to do
