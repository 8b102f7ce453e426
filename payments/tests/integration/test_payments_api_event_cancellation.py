"""A paid order of a cancelled event (orders' `order.cancelled` with `wasPaid`): its money
goes back through Stripe once, `payment.refunded` is published, and the buyer is told
why — on the real servers and the Stripe fake."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from payments_testkit import Buyer, ServeApp, StreamRecorder, intents_for, refunds_for

from payments.domain import REFUND_REASON_MESSAGES
from ticketing_common.events import OrderCancelled, OrderCompleted
from ticketing_common.testing.endpoints import Endpoints

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Message ids are de-duplicated by the broker across the whole test session: unique.
RUN = uuid.uuid4().hex[:12]


async def test_a_paid_order_of_a_cancelled_event_is_refunded_once(
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
        fields = {
            "order_id": order.order_id,
            "user_id": order.user_id,
            "amount": order.amount,
            "currency": order.currency,
        }
        await buyer.publisher.publish(OrderCompleted(**fields, version=1))
        cancelled = OrderCancelled(**fields, version=2, reason="event_cancelled", was_paid=True)
        await buyer.publisher.publish(cancelled)
        # Redelivered with a new envelope id: nothing is refunded twice.
        await buyer.publisher.publish(cancelled.model_copy(update={"id": f"again-{RUN}"}))
        refunded = await payment_events.wait_for("payment.refunded", order.order_id)
        await asyncio.sleep(0.5)  # room for a second refund to show up
        state = (await http.get("/api/payments", params={"orderId": order.order_id})).json()

    [intent] = await intents_for(embedded_servers.stripe_url, order.order_id)
    refunds = await refunds_for(embedded_servers.stripe_url, str(intent["id"]))
    assert [r["id"] for r in refunds] == [refunded["refundId"]]
    assert len(payment_events.of("payment.refunded", order.order_id)) == 1
    assert (refunded["amount"], refunded["paymentId"]) == (2050, paid.json()["id"])
    assert state["status"] == "refunded"
    assert state["message"] == REFUND_REASON_MESSAGES["event_cancelled"]
    assert state["payments"][0]["status"] == "refunded"
