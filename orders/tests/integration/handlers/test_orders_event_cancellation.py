"""An event's cancellation on the real servers: every order ends, the paid one too (its
`order.cancelled` says it was paid, so payments refunds), its tickets are refused at the
door, and a redelivered cancellation publishes nothing twice."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest
from bson import ObjectId
from nats.aio.client import Client as NatsClient

from ticketing_common.events import EventUpdated, PaymentCreated

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Message ids are de-duplicated by the broker across the whole test session: unique.
RUN = uuid.uuid4().hex[:12]


async def _cancelled_events(nats: NatsClient, order_ids: set[str]) -> list[dict[str, Any]]:
    """Every order.cancelled on the stream about these orders."""
    sub = await nats.jetstream().subscribe("order.cancelled", ordered_consumer=True)
    found = []
    try:
        while True:
            try:
                msg = await sub.next_msg(timeout=1)
            except Exception:
                return found
            payload = json.loads(msg.data)
            if payload["orderId"] in order_ids:
                found.append(payload)
    finally:
        await sub.unsubscribe()


async def test_a_cancelled_event_cancels_paid_orders_and_voids_their_tickets(
    orders_url: str, catalog: Any, users: Any, helpers: Any, clean_stream: NatsClient
) -> None:
    event = await catalog.general_event(quantity=10)
    await helpers.wait_for_event(orders_url, event.event_id)
    body = {"eventId": event.event_id, "items": [{"ticketTypeId": "ga", "quantity": 1}]}
    async with (
        users.client(orders_url) as buyer,
        users.client(orders_url, catalog.organizer) as organizer,
    ):
        paid = (await buyer.post("/api/orders", json=body)).json()
        pending = (await buyer.post("/api/orders", json=body)).json()
        payment = PaymentCreated(
            payment_id=str(ObjectId()),
            order_id=paid["id"],
            amount=2050,
            currency="usd",
            provider_ref="pi_cancel",
        )
        await catalog.publisher.publish(payment)

        async def status_of(order_id: str) -> tuple[str, str | None]:
            got = (await buyer.get(f"/api/orders/{order_id}")).json()
            return got["status"], got["cancelReason"]

        async def completed() -> bool:
            return (await status_of(paid["id"]))[0] == "complete"

        await helpers.wait_until(completed)
        key = (await buyer.get(f"/api/orders/{paid['id']}")).json()["tickets"][0]["key"]
        cancel = EventUpdated(
            **{**event.model_dump(exclude={"id"}), "status": "cancelled", "version": 1}
        )
        await catalog.publisher.publish(cancel)

        async def both_cancelled() -> bool:
            states = [await status_of(o["id"]) for o in (paid, pending)]
            return states == [("cancelled", "event_cancelled")] * 2

        await helpers.wait_until(both_cancelled)
        verdict = (await organizer.post("/api/orders/verify", json={"key": key})).json()
        assert verdict["result"] == "cancelled"
        assert verdict["cancelReason"] == "event_cancelled"
        assert verdict["message"] == "Refused: the event was cancelled and the ticket refunded"

        # Redelivered (a new message id): nothing is cancelled twice.
        await catalog.publisher.publish(cancel.model_copy(update={"id": f"again-{RUN}"}))
        await asyncio.sleep(1)
        # A payment arriving late for the pending one completes nothing.
        await catalog.publisher.publish(
            payment.model_copy(update={"id": f"late-{RUN}", "order_id": pending["id"]})
        )
        await asyncio.sleep(1)
        assert await status_of(pending["id"]) == ("cancelled", "event_cancelled")

    published = await _cancelled_events(clean_stream, {paid["id"], pending["id"]})
    by_order = {p["orderId"]: p for p in published}
    assert len(published) == 2
    assert (by_order[paid["id"]]["wasPaid"], by_order[paid["id"]]["version"]) == (True, 2)
    assert by_order[pending["id"]]["wasPaid"] is False
    assert {p["reason"] for p in published} == {"event_cancelled"}
