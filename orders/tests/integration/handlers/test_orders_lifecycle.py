"""After the hold: expiry, release, cancellation, payment, issued tickets and check-in."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest
from bson import ObjectId
from nats.aio.client import Client as NatsClient

from ticketing_common.events import ExpirationComplete, OrderCancelled, PaymentCreated

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Message ids are de-duplicated by the broker across the whole test session: unique.
RUN = uuid.uuid4().hex[:12]


async def next_message(nats: NatsClient, subject: str, order_id: str, within: float = 10) -> Any:
    """The first event on `subject` about `order_id` (reads the stream from its start)."""
    sub = await nats.jetstream().subscribe(subject, ordered_consumer=True)
    try:
        while True:
            msg = await sub.next_msg(timeout=within)
            payload = json.loads(msg.data)
            if payload["orderId"] == order_id:
                return payload
    finally:
        await sub.unsubscribe()


def ga(event_id: str, quantity: int = 1) -> dict[str, Any]:
    return {"eventId": event_id, "items": [{"ticketTypeId": "ga", "quantity": quantity}]}


async def test_expired_hold_is_free_at_once_and_expiration_cancels_it(
    start_orders: Any, catalog: Any, users: Any, helpers: Any, clean_stream: NatsClient
) -> None:
    async with start_orders(hold_seconds_override=2) as url:
        event = await catalog.general_event(quantity=2)
        await helpers.wait_for_event(url, event.event_id)
        async with users.client(url) as first, users.client(url) as second:
            held = (await first.post("/api/orders", json=ga(event.event_id, 2))).json()
            created = await next_message(clean_stream, "order.created", held["id"])
            assert created["expiresAt"]
            assert created["amount"] == 4100
            assert (await second.post("/api/orders", json=ga(event.event_id))).status_code == 409
            await asyncio.sleep(2.1)
            # No expiration event yet: the expired hold already counts as free.
            assert (await second.post("/api/orders", json=ga(event.event_id))).status_code == 201
            await catalog.publisher.publish(ExpirationComplete(order_id=held["id"]))

            async def cancelled() -> bool:
                order = (await first.get(f"/api/orders/{held['id']}")).json()
                return bool(order["status"] == "cancelled")

            await helpers.wait_until(cancelled)
            event_out = await next_message(clean_stream, "order.cancelled", held["id"])
            assert OrderCancelled.model_validate(event_out).reason == "expired"
            assert event_out["version"] == 1


async def test_buyer_cancels_and_the_hold_is_released(
    orders_url: str, catalog: Any, users: Any, helpers: Any
) -> None:
    event = await catalog.seated_event(rows=1, per_row=4)
    await helpers.wait_for_event(orders_url, event.event_id)
    async with users.client(orders_url) as buyer, users.client(orders_url) as other:
        body = {"eventId": event.event_id, "seats": ["A-0", "A-1"]}
        order = (await buyer.post("/api/orders", json=body)).json()
        assert [i["seatId"] for i in order["items"]] == ["A-0", "A-1"]
        assert (await other.post("/api/orders", json=body)).status_code == 409
        assert (await other.delete(f"/api/orders/{order['id']}")).status_code == 404
        assert (await buyer.delete(f"/api/orders/{order['id']}")).status_code == 204
        assert (await buyer.get(f"/api/orders/{order['id']}")).json()["cancelReason"] == (
            "cancelled_by_buyer"
        )
        assert (await other.post("/api/orders", json=body)).status_code == 201


async def test_payment_completes_issues_keys_and_check_in_marks_them_used(
    orders_url: str, catalog: Any, users: Any, helpers: Any, clean_stream: NatsClient
) -> None:
    event = await catalog.general_event(quantity=5)
    await helpers.wait_for_event(orders_url, event.event_id)
    async with (
        users.client(orders_url) as buyer,
        users.client(orders_url, catalog.organizer) as organizer,
        users.client(orders_url) as stranger,
    ):
        order = (await buyer.post("/api/orders", json=ga(event.event_id, 2))).json()
        payment = PaymentCreated(
            payment_id=str(ObjectId()),
            order_id=order["id"],
            amount=4100,
            currency="usd",
            provider_ref="pi_1",
        )
        await catalog.publisher.publish(payment)

        async def completed() -> bool:
            return bool(
                (await buyer.get(f"/api/orders/{order['id']}")).json()["status"] == "complete"
            )

        await helpers.wait_until(completed)
        done = (await buyer.get(f"/api/orders/{order['id']}")).json()
        assert done["version"] == 1
        assert len(done["tickets"]) == 2
        published = await next_message(clean_stream, "order.completed", order["id"])
        assert sorted(published["ticketIds"]) == sorted(t["id"] for t in done["tickets"])
        assert (await buyer.delete(f"/api/orders/{order['id']}")).status_code == 400
        availability = (await buyer.get(f"/api/availability/{event.event_id}")).json()
        assert availability["ticketTypes"][0]["sold"] == 2
        assert availability["ticketTypes"][0]["remaining"] == 3

        key = done["tickets"][0]["key"]
        verify = "/api/orders/verify"
        assert (await stranger.post(verify, json={"key": key})).status_code == 403
        valid = (await organizer.post(verify, json={"key": key})).json()
        assert (valid["result"], valid["message"]) == ("valid", "Valid ticket: checked in")
        assert (valid["ticketId"], valid["ticketTypeId"]) == (done["tickets"][0]["id"], "ga")
        again = (await organizer.post(verify, json={"key": key})).json()
        assert again["result"] == "already_used"
        assert again["usedAt"] is not None
        assert valid["usedAt"] is None
        forged = key[:-2] + ("AA" if not key.endswith("AA") else "BB")
        refused = (await organizer.post(verify, json={"key": forged})).json()
        assert (refused["result"], refused["ticketId"]) == ("invalid", None)
        # How the door is doing, for the organizer only.
        door = f"/api/orders/checkins?eventId={event.event_id}"
        counts = (await organizer.get(door)).json()
        assert counts == {"eventId": event.event_id, "issued": 2, "checkedIn": 1}
        assert (await stranger.get(door)).status_code == 403
        assert (await organizer.get("/api/orders/checkins?eventId=nope")).status_code == 404
        assert (await organizer.get("/api/orders/checkins")).status_code == 400
        # A redelivered payment changes nothing.
        await catalog.publisher.publish(payment.model_copy(update={"id": f"other-{RUN}"}))
        await asyncio.sleep(0.5)
        again = (await buyer.get(f"/api/orders/{order['id']}")).json()
        assert again["tickets"] == [{**done["tickets"][0], "used": True}, done["tickets"][1]]


async def test_payment_after_the_hold_was_lost_cancels_the_order(
    start_orders: Any, catalog: Any, users: Any, helpers: Any
) -> None:
    async with start_orders(hold_seconds_override=1) as url:
        event = await catalog.seated_event(rows=1, per_row=2)
        await helpers.wait_for_event(url, event.event_id)
        async with users.client(url) as late, users.client(url) as quick:
            body = {"eventId": event.event_id, "seats": ["A-0"]}
            lost = (await late.post("/api/orders", json=body)).json()
            await asyncio.sleep(1.1)
            assert (await quick.post("/api/orders", json=body)).status_code == 201
            await catalog.publisher.publish(
                PaymentCreated(
                    payment_id="p1",
                    order_id=lost["id"],
                    amount=4000,
                    currency="usd",
                    provider_ref="pi_2",
                )
            )

            async def settled() -> bool:
                order = (await late.get(f"/api/orders/{lost['id']}")).json()
                return bool(order["status"] == "cancelled")

            await helpers.wait_until(settled)
            seats = (await quick.get(f"/api/availability/{event.event_id}")).json()["seats"]
            assert [s["state"] for s in seats] == ["held", "available"]


async def test_orders_list_newest_first_paged_and_private(
    orders_url: str, catalog: Any, users: Any, helpers: Any
) -> None:
    event = await catalog.general_event()
    await helpers.wait_for_event(orders_url, event.event_id)
    async with users.client(orders_url) as buyer, users.client(orders_url) as other:
        ids = [
            (await buyer.post("/api/orders", json=ga(event.event_id))).json()["id"]
            for _ in range(3)
        ]
        response = await buyer.get("/api/orders", params={"pageSize": 2})
        assert response.headers["X-Total-Count"] == "3"
        assert 'rel="next"' in response.headers["Link"]
        page = response.json()
        assert [o["id"] for o in page] == ids[::-1][:2]
        assert page[0]["event"]["name"] == "Concert"
        assert (await other.get("/api/orders")).json() == []
        assert (await other.get(f"/api/orders/{ids[0]}")).status_code == 404
        assert (await buyer.get("/api/orders/not-an-id")).status_code == 404


async def test_an_expiry_wave_cancels_every_hold_and_frees_every_unit(
    start_orders: Any,
    catalog: Any,
    users: Any,
    helpers: Any,
    clean_stream: NatsClient,
    mongo_client: Any,
    database_name: str,
) -> None:
    async with start_orders(hold_seconds_override=1) as url:
        event = await catalog.general_event(quantity=30)
        await helpers.wait_for_event(url, event.event_id)
        held = []
        for _ in range(30):
            async with users.client(url) as buyer:
                response = await buyer.post("/api/orders", json=ga(event.event_id))
                assert response.status_code == 201, response.text
                held.append(response.json()["id"])
        await asyncio.sleep(1.1)
        # The whole wave is on the stream before orders reads it: it comes in batches.
        for order_id in held:
            await catalog.publisher.publish(ExpirationComplete(order_id=order_id))
        orders = mongo_client[database_name]["orders"]

        counters = mongo_client[database_name]["counters"]

        async def all_cancelled_and_freed() -> bool:
            # A batch's units are given back right after its orders are written cancelled.
            found = await orders.count_documents({"_id": {"$in": held}, "status": "cancelled"})
            shards = [doc async for doc in counters.find({"eventId": event.event_id})]
            return found == len(held) and not any(doc.get("holds") for doc in shards)

        await helpers.wait_until(all_cancelled_and_freed, within=30)
        shards = [doc async for doc in counters.find({"eventId": event.event_id})]
        assert all(doc["sold"] == 0 for doc in shards)


async def test_a_blank_ticket_key_is_bad_input_not_an_invalid_ticket(
    orders_url: str, users: Any
) -> None:
    async with users.client(orders_url) as organizer:
        response = await organizer.post("/api/orders/verify", json={"key": "   "})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "key"
