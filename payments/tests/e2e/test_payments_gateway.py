"""Through the running gateway with every service: hold -> pay -> tickets, and paying
at the very moment the hold expires.

Needs the tickets and orders services (started by `running_stack` when installed).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from bson import ObjectId

from payments.domain import ORDER_GONE
from ticketing_common.auth import SessionUser, issue_token
from ticketing_common.config import BaseServiceSettings
from ticketing_common.events import utc_now
from ticketing_common.testing.plugin import TEST_JWT_KEY

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

RACERS = 50
# A payment request needs ~0.2-0.5 s through the gateway on the 2-core embedded stack with
# 50 buyers at once, so sending starts this much early: arrivals then straddle expiresAt.
SEND_LEAD_MS = 400
_SIGNER = BaseServiceSettings(jwt_key=TEST_JWT_KEY)


def client(gateway: str) -> httpx.AsyncClient:
    """A signed-in user of the gateway (a fresh user id each time)."""
    user_id = str(ObjectId())
    token = issue_token(SessionUser(id=user_id, email=f"{user_id}@e2e.test"), _SIGNER)
    return httpx.AsyncClient(base_url=gateway, cookies={"session": token}, timeout=30)


async def create_event(organizer: httpx.AsyncClient, starts: datetime, ends: datetime) -> Any:
    response = await organizer.post(
        "/api/events",
        json={
            "name": "Payments e2e night",
            "category": "concert",
            "venue": {"name": "Hall", "address": "1 Main St"},
            "startsAt": starts.isoformat(),
            "endsAt": ends.isoformat(),
            "ticketTypes": [{"name": "GA", "price": 20.5, "quantity": 500, "maxPerOrder": 5}],
        },
    )
    assert response.status_code == 201, response.text
    event = response.json()
    async with asyncio.timeout(10):  # until orders has the event in its replica
        while (await organizer.get(f"/api/availability/{event['id']}")).status_code != 200:
            await asyncio.sleep(0.1)
    return event


async def hold_one(buyer: httpx.AsyncClient, event: Any) -> Any:
    ticket_type = event["ticketTypes"][0]["id"]
    response = await buyer.post(
        "/api/orders",
        json={"eventId": event["id"], "items": [{"ticketTypeId": ticket_type, "quantity": 1}]},
    )
    assert response.status_code == 201, response.text
    order = response.json()
    async with asyncio.timeout(10):  # until payments has the order in its replica
        while (
            await buyer.get("/api/payments", params={"orderId": order["id"]})
        ).status_code != 200:
            await asyncio.sleep(0.1)
    return order


async def settled(buyer: httpx.AsyncClient, order_id: str) -> tuple[Any, Any]:
    """The order and its payment state once neither can change any more."""
    async with asyncio.timeout(30):
        while True:
            order = (await buyer.get(f"/api/orders/{order_id}")).json()
            payment = (await buyer.get("/api/payments", params={"orderId": order_id})).json()
            final_order = order["status"] in ("complete", "cancelled")
            final_payment = payment["status"] not in ("pending", "refunding") and not (
                order["status"] == "cancelled" and payment["status"] == "paid"
            )
            if final_order and final_payment:
                return order, payment
            await asyncio.sleep(0.2)


async def test_hold_pay_complete_with_tickets(running_stack: str) -> None:
    async with client(running_stack) as organizer, client(running_stack) as buyer:
        now = utc_now()
        event = await create_event(organizer, now + timedelta(days=1), now + timedelta(days=2))
        order = await hold_one(buyer, event)
        paid = await buyer.post("/api/payments", json={"token": "tok_visa", "orderId": order["id"]})
        assert paid.status_code == 201, paid.text
        done, payment = await settled(buyer, order["id"])
    assert done["status"] == "complete"
    assert len(done["tickets"]) == 1
    assert done["tickets"][0]["key"]
    assert payment["status"] == "paid"


async def test_paying_as_the_hold_expires_never_charges_without_tickets(
    running_stack: str,
) -> None:
    """RACERS holds all expiring at the event's end, paid around that instant.

    Requests are sent from SEND_LEAD_MS + 50 ms before to 50 ms after `expiresAt`; whatever
    wins each race, an order ends completed with its ticket, or cancelled with no money
    kept — never charged without tickets, never tickets twice.
    """
    async with client(running_stack) as organizer:
        now = utc_now()
        # The hold is capped at the event's end: every hold expires at `ends`.
        event = await create_event(
            organizer, now + timedelta(seconds=8), now + timedelta(seconds=14)
        )
        buyers = [client(running_stack) for _ in range(RACERS)]
        orders = await asyncio.gather(*(hold_one(b, event) for b in buyers))
        expires_at = datetime.fromisoformat(orders[0]["expiresAt"])
        assert all(datetime.fromisoformat(o["expiresAt"]) == expires_at for o in orders)
        assert expires_at > utc_now(), "setup took longer than the hold"

        async def pay(buyer: httpx.AsyncClient, order: Any, offset_ms: float) -> int:
            at = expires_at + timedelta(milliseconds=offset_ms)
            await asyncio.sleep(max(0.0, (at - utc_now()).total_seconds()))
            body = {"token": "tok_visa", "orderId": order["id"]}
            response = await buyer.post("/api/payments", json=body)
            assert response.status_code in (201, 400), response.text
            if response.status_code == 400:
                assert response.json()["errors"][0]["message"] == ORDER_GONE
            return response.status_code

        span = SEND_LEAD_MS + 100
        offsets = [-SEND_LEAD_MS - 50 + span * i / (RACERS - 1) for i in range(RACERS)]
        codes = await asyncio.gather(
            *(pay(b, o, d) for b, o, d in zip(buyers, orders, offsets, strict=True))
        )
        outcomes = await asyncio.gather(
            *(settled(b, o["id"]) for b, o in zip(buyers, orders, strict=True))
        )
        for b in buyers:
            await b.aclose()
    tally: dict[str, int] = {}
    for code, (final, payment) in zip(codes, outcomes, strict=True):
        key = f"{code}/{final['status']}/{payment['status']}"
        tally[key] = tally.get(key, 0) + 1
    print("race outcomes (pay status/order/payment):", tally)  # shown with -s
    for code, (final, payment) in zip(codes, outcomes, strict=True):
        # The stack runs its own localstripe; the payments service's records tell the money.
        kept = [p for p in payment["payments"] if p["status"] == "succeeded"]
        returned = [p for p in payment["payments"] if p["status"] == "refunded"]
        if final["status"] == "complete":
            assert (payment["status"], len(final["tickets"])) == ("paid", 1)
            assert (len(kept), len(returned)) == (1, 0)
        else:
            assert final["status"] == "cancelled"
            assert not final["tickets"]
            assert payment["status"] in ("refunded", "unpaid")
            assert not kept
            assert len(returned) <= 1
            assert code == 400 or payment["status"] == "refunded"


async def test_cancelling_the_event_refunds_a_paid_order(running_stack: str) -> None:
    async with client(running_stack) as organizer, client(running_stack) as buyer:
        now = utc_now()
        event = await create_event(organizer, now + timedelta(days=1), now + timedelta(days=2))
        order = await hold_one(buyer, event)
        paid = await buyer.post("/api/payments", json={"token": "tok_visa", "orderId": order["id"]})
        assert paid.status_code == 201, paid.text
        done, _ = await settled(buyer, order["id"])
        assert done["status"] == "complete"
        key = done["tickets"][0]["key"]

        cancelled = await organizer.post(f"/api/events/{event['id']}/cancel")
        assert cancelled.status_code == 200, cancelled.text
        async with asyncio.timeout(30):  # orders cancels, then payments refunds
            while True:
                final = (await buyer.get(f"/api/orders/{order['id']}")).json()
                payment = (await buyer.get("/api/payments", params={"orderId": order["id"]})).json()
                if final["status"] == "cancelled" and payment["status"] == "refunded":
                    break
                await asyncio.sleep(0.2)
        door = (await organizer.post("/api/orders/verify", json={"key": key})).json()
        stats = (await organizer.get(f"/api/events/{event['id']}/stats")).json()
    assert final["cancelReason"] == "event_cancelled"
    assert payment["message"].startswith("The event was cancelled")
    assert payment["payments"][0]["refundId"]
    assert door["result"] == "cancelled"
    assert (stats["totals"]["sold"], stats["totals"]["refunded"]) == (0, 1)
