"""Helpers of the reconciler suites: the app with its context, orders left needing a refund.

Imported by the tests (pytest puts this directory on sys.path).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from payments_testkit import Buyer, StreamRecorder, intents_for, refunds_for

from payments.config import PaymentsSettings
from payments.context import Payments
from payments.domain import REFUNDED_MESSAGE
from payments.main import create_app
from ticketing_common.events import OrderCreated
from ticketing_common.testing.http import serve

QUIET = 3600.0  # a reconciler that only makes its start-up pass
FAST = 0.2


@asynccontextmanager
async def running(
    settings: PaymentsSettings, reconcile_seconds: float
) -> AsyncIterator[tuple[str, Payments]]:
    """The payments app served, with its use-case context."""
    app = create_app(settings.model_copy(update={"reconcile_seconds": reconcile_seconds}))
    async with serve(app) as base_url:
        yield base_url, app.state.container.payments


async def paid_then_cancelled(ctx: Payments, buyer: Buyer, http: httpx.AsyncClient) -> OrderCreated:
    """An order paid through the API whose cancellation then reached the replica.

    Only the replica write of the order.cancelled listener: the listener had nothing
    to refund when it ran (the payment did not exist yet), so it is done with it.
    """
    order = await buyer.publish_order(http)
    paid = await http.post("/api/payments", json={"token": "tok_visa", "orderId": order.order_id})
    assert paid.status_code == 201, paid.text
    fields = {"userId": buyer.id, "amount": order.amount, "currency": "usd", "status": "cancelled"}
    assert await ctx.orders.apply(order.order_id, 1, fields)
    return order


async def order_cancelled(ctx: Payments, order: OrderCreated) -> None:
    async with asyncio.timeout(5):
        while (replica := await ctx.orders.get(order.order_id)) is None or (
            replica.status != "cancelled"
        ):
            await asyncio.sleep(0.05)


async def assert_refunded_once(
    order: OrderCreated, events: StreamRecorder, stripe_url: str, http: httpx.AsyncClient
) -> None:
    [intent] = await intents_for(stripe_url, order.order_id)
    refunds = await refunds_for(stripe_url, str(intent["id"]))
    [refunded] = events.of("payment.refunded", order.order_id)
    assert [r["id"] for r in refunds] == [refunded["refundId"]]
    assert refunded["amount"] == order.amount
    state = (await http.get("/api/payments", params={"orderId": order.order_id})).json()
    assert (state["status"], state["message"]) == ("refunded", REFUNDED_MESSAGE)
