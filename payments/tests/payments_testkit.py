"""Helpers of the payments suites: a buyer with a session, order events, stream recording.

Imported by the tests and by conftest.py (pytest puts this directory on sys.path).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

from payments.config import PaymentsSettings
from payments.store.payments import MongoPaymentStore
from payments.store.replica import MongoOrderReplicas
from ticketing_common.auth import SessionUser, issue_token
from ticketing_common.events import OrderCancelled, OrderCompleted, OrderCreated, utc_now
from ticketing_common.messaging import Publisher
from ticketing_common.mongo import Document, MongoClient
from ticketing_common.outbox import Outbox


@dataclass
class StreamRecorder:
    """Every message on the subjects it watches, decoded, in arrival order."""

    messages: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def on_message(self, msg: Any) -> None:
        self.messages.append((msg.subject, json.loads(msg.data)))
        self.arrived.set()

    def of(self, subject: str, order_id: str) -> list[dict[str, Any]]:
        return [m for s, m in self.messages if s == subject and m.get("orderId") == order_id]

    async def wait_for(self, subject: str, order_id: str, within: float = 5) -> dict[str, Any]:
        async with asyncio.timeout(within):
            while not (found := self.of(subject, order_id)):
                self.arrived.clear()
                await self.arrived.wait()
        return found[0]


ServeApp = Callable[..., AbstractAsyncContextManager[str]]


@dataclass
class Buyer:
    """A signed-in user of the payments API, and the order events that concern them."""

    id: str
    settings: PaymentsSettings
    publisher: Publisher

    def client(self, base_url: str) -> httpx.AsyncClient:
        token = issue_token(SessionUser(id=self.id, email=f"{self.id}@x.test"), self.settings)
        return httpx.AsyncClient(base_url=base_url, cookies={"session": token}, timeout=30)

    def order(self, amount: int = 2050, expires_in: float = 600) -> OrderCreated:
        expires_at: datetime = utc_now() + timedelta(seconds=expires_in)
        return OrderCreated(
            order_id=str(ObjectId()),
            user_id=self.id,
            version=0,
            amount=amount,
            currency="usd",
            expires_at=expires_at,
        )

    async def publish_order(self, http: httpx.AsyncClient, amount: int = 2050) -> OrderCreated:
        """Publish order.created and wait until the payments replica has it."""
        order = self.order(amount)
        await self.publisher.publish(order)
        await wait_replicated(http, order.order_id)
        return order

    async def cancel(self, order: OrderCreated, version: int = 1) -> None:
        await self.publisher.publish(
            OrderCancelled(**_order_fields(order, version), reason="expired")
        )

    async def complete(self, order: OrderCreated, version: int = 1) -> None:
        await self.publisher.publish(OrderCompleted(**_order_fields(order, version)))


def _order_fields(order: OrderCreated, version: int) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "user_id": order.user_id,
        "version": version,
        "amount": order.amount,
        "currency": order.currency,
    }


async def wait_replicated(http: httpx.AsyncClient, order_id: str, within: float = 5) -> None:
    async with asyncio.timeout(within):
        while (await http.get("/api/payments", params={"orderId": order_id})).status_code != 200:
            await asyncio.sleep(0.05)


def payment_store(db: AsyncDatabase[Document]) -> MongoPaymentStore:
    """The service's payment store outside the app, for setting up what a worker left."""
    return MongoPaymentStore(db, Outbox(db["outbox"]), wake_relay=lambda: None)


async def pending_attempt(
    mongo_client: MongoClient, database: str, order_id: str, started_ago: timedelta
) -> str:
    """A charge attempt some worker started `started_ago` and never finished."""
    db = mongo_client[database]
    replica = await MongoOrderReplicas(db).get(order_id)
    assert replica is not None
    payment = await payment_store(db).start_attempt(replica, 1, utc_now())
    started = utc_now() - started_ago
    await db["payments"].update_one({"_id": payment.id}, {"$set": {"attemptedAt": started}})
    return payment.id


# ---- localstripe, reached the way a browser-side Stripe.js would ----

STRIPE_TEST_KEY = "sk_test_embedded"


async def stripe_object(stripe_url: str, path: str, **form: str) -> dict[str, object]:
    """Create an object on localstripe the way a browser-side Stripe.js would."""
    async with httpx.AsyncClient(base_url=stripe_url, auth=(STRIPE_TEST_KEY, "")) as http:
        response = await http.post(path, data=form)
    response.raise_for_status()
    body: dict[str, object] = response.json()
    return body


def card(number: str) -> dict[str, str]:
    return {
        "card[number]": number,
        "card[exp_month]": "12",
        "card[exp_year]": "2030",
        "card[cvc]": "123",
    }


async def card_token(stripe_url: str, number: str) -> str:
    return str((await stripe_object(stripe_url, "/v1/tokens", **card(number)))["id"])


async def payment_method(stripe_url: str, number: str) -> str:
    form = {"type": "card", **card(number)}
    return str((await stripe_object(stripe_url, "/v1/payment_methods", **form))["id"])


async def intents_for(stripe_url: str, order_id: str) -> list[dict[str, Any]]:
    """Every PaymentIntent localstripe holds for an order (paging through all of them)."""
    found: list[dict[str, Any]] = []
    params = {"limit": "100"}
    async with httpx.AsyncClient(base_url=stripe_url, auth=(STRIPE_TEST_KEY, "")) as http:
        while True:
            page = (await http.get("/v1/payment_intents", params=params)).json()
            found += [pi for pi in page["data"] if pi["metadata"].get("orderId") == order_id]
            if not page.get("has_more") or not page["data"]:
                return found
            params["starting_after"] = page["data"][-1]["id"]


async def refunds_for(stripe_url: str, intent_id: str) -> list[dict[str, object]]:
    async with httpx.AsyncClient(base_url=stripe_url, auth=(STRIPE_TEST_KEY, "")) as http:
        listed = (await http.get("/v1/refunds", params={"payment_intent": intent_id})).json()
    refunds: list[dict[str, object]] = listed["data"]
    return refunds
