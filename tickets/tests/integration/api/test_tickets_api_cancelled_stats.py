"""Integration: when an event is cancelled, orders cancels its paid orders too; the
organizer's statistics then count those tickets refunded — not sold, no revenue — and
redelivered events change nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from tickets_testkit import TicketsApi

from ticketing_common.events import OrderCancelled, OrderCompleted, OrderCreated, OrderItem, utc_now
from ticketing_common.messaging import Publisher

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Message ids are de-duplicated by the broker across the whole test session: unique.
RUN = uuid.uuid4().hex[:12]


START = utc_now() + timedelta(days=10)
BODY = {
    "name": "Open Air",
    "category": "Music",
    "venue": {"name": "Park", "address": "1 Main St"},
    "startsAt": START.isoformat(),
    "endsAt": (START + timedelta(hours=3)).isoformat(),
    "currency": "EUR",
    "ticketTypes": [{"name": "GA", "price": 25.5, "quantity": 10}],
}


async def test_refunded_sales_of_a_cancelled_event_add_up(tickets_api: TicketsApi) -> None:
    api = tickets_api
    event = (await api.client.post("/api/events", json=BODY, headers=api.cookie("org"))).json()
    publisher = Publisher(api.nats.jetstream())
    line = OrderItem(ticket_type_id="t1", quantity=3, unit_price=2550)
    order = {"user_id": "b", "event_id": event["id"], "items": [line], "amount": 7650}
    created = OrderCreated(
        order_id="p1", version=0, expires_at=utc_now() + timedelta(minutes=10), **order
    )
    done = OrderCompleted(order_id="p1", version=1, **order)
    held = OrderCreated(
        order_id="h1", version=0, expires_at=utc_now() + timedelta(minutes=10), **order
    )
    for message in (created, done, held):
        await publisher.publish(message)
    await api.processed("tickets-order-completed", done.id)
    await api.processed("tickets-order-created", held.id)
    url = f"/api/events/{event['id']}"
    assert (await api.client.post(f"{url}/cancel", headers=api.cookie("org"))).status_code == 200

    # What orders publishes for the cancelled event: the paid order, then the hold.
    refund = OrderCancelled(
        order_id="p1", version=2, reason="event_cancelled", was_paid=True, **order
    )
    release = OrderCancelled(order_id="h1", version=1, reason="event_cancelled", **order)
    for message in (refund, release):
        await publisher.publish(message)
    await api.processed("tickets-order-cancelled", refund.id)
    await api.processed("tickets-order-cancelled", release.id)
    # Redelivered under new ids, and a late completion of the refunded order.
    await publisher.publish(refund.model_copy(update={"id": f"again-{RUN}"}))
    await publisher.publish(done.model_copy(update={"id": f"late-{RUN}"}))
    await api.processed("tickets-order-cancelled", f"again-{RUN}")
    await api.processed("tickets-order-completed", f"late-{RUN}")

    stats = (await api.client.get(f"{url}/stats", headers=api.cookie("org"))).json()
    (figures,) = stats["ticketTypes"]
    assert (figures["sold"], figures["held"], figures["revenue"]) == (0, 0, 0.0)
    assert (figures["refunded"], figures["remaining"], figures["quantity"]) == (3, 10, 10)
    assert stats["totals"] == {
        "sold": 0,
        "revenue": 0.0,
        "remaining": 10,
        "refunded": 3,
        "gross": 0.0,
        "net": 0.0,
        "tax": 0.0,
    }
