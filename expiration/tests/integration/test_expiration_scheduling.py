"""order.created -> a broker-side schedule -> exactly one expiration.complete, on time.

Real nats-server (JetStream schedules) and the real expiration app over a socket.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio
from bson import ObjectId
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext

from expiration.config import ExpirationSettings
from expiration.domain import expiration_event_id
from expiration.main import create_app
from ticketing_common.events import ExpirationComplete, OrderCreated, utc_now
from ticketing_common.messaging import Publisher
from ticketing_common.testing.http import serve

pytestmark = pytest.mark.asyncio(loop_scope="session")


def order_created(expires_at: datetime, **changes: Any) -> OrderCreated:
    fields: dict[str, Any] = {
        "order_id": str(ObjectId()),
        "user_id": str(ObjectId()),
        "version": 0,
        "amount": 2050,
        "expires_at": expires_at,
    }
    fields.update(changes)
    return OrderCreated.model_validate(fields)


class Expirations:
    """Records every expiration.complete the stream receives, with its arrival time."""

    def __init__(self) -> None:
        self.received: list[tuple[ExpirationComplete, datetime]] = []
        self.arrived = asyncio.Event()

    async def on_message(self, msg: Any) -> None:
        self.received.append((ExpirationComplete.model_validate_json(msg.data), utc_now()))
        self.arrived.set()

    def for_order(self, order_id: str) -> list[tuple[ExpirationComplete, datetime]]:
        return [(e, at) for e, at in self.received if e.order_id == order_id]

    async def wait_for(self, order_id: str, within: float) -> tuple[ExpirationComplete, datetime]:
        async with asyncio.timeout(within):
            while not (found := self.for_order(order_id)):
                self.arrived.clear()
                await self.arrived.wait()
        return found[0]


@pytest_asyncio.fixture(loop_scope="session")
async def expirations(clean_stream: NatsClient) -> AsyncIterator[Expirations]:
    recorder = Expirations()
    sub = await clean_stream.jetstream().subscribe(
        "expiration.complete", ordered_consumer=True, cb=recorder.on_message
    )
    yield recorder
    await sub.unsubscribe()


@pytest.fixture
def settings(service_settings: dict[str, Any]) -> ExpirationSettings:
    return ExpirationSettings(**service_settings)


@pytest.fixture
def js(clean_stream: NatsClient) -> JetStreamContext:
    return clean_stream.jetstream()


async def test_an_order_expires_once_near_its_expiry_even_when_delivered_twice(
    settings: ExpirationSettings, js: JetStreamContext, expirations: Expirations
) -> None:
    order = order_created(utc_now() + timedelta(seconds=2))
    async with serve(create_app(settings)):
        await Publisher(js).publish(order)
        # A redelivery the broker cannot de-duplicate: same order, new envelope id.
        await Publisher(js).publish(order.model_copy(update={"id": "redelivered-" + order.id}))
        event, arrived = await expirations.wait_for(order.order_id, within=6)
        await asyncio.sleep(1.5)  # time enough for a second firing to show up
    delay = (arrived - order.expires_at).total_seconds()
    assert 0 <= delay < 1.0
    assert len(expirations.for_order(order.order_id)) == 1
    assert event.id == expiration_event_id(order.order_id)


async def test_an_expiry_in_the_past_fires_at_once(
    settings: ExpirationSettings, js: JetStreamContext, expirations: Expirations
) -> None:
    order = order_created(utc_now() - timedelta(minutes=5))
    async with serve(create_app(settings)):
        published = utc_now()
        await Publisher(js).publish(order)
        _, arrived = await expirations.wait_for(order.order_id, within=5)
    assert (arrived - published).total_seconds() < 3


async def test_a_restart_between_scheduling_and_firing_still_fires(
    settings: ExpirationSettings, js: JetStreamContext, expirations: Expirations
) -> None:
    order = order_created(utc_now() + timedelta(seconds=4))
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient() as http:
        await Publisher(js).publish(order)
        async with asyncio.timeout(5):
            while (await http.get(f"{base_url}/schedules/{order.order_id}")).status_code != 200:
                await asyncio.sleep(0.05)
    assert not expirations.for_order(order.order_id), "fired before its time"
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient() as http:
        event, arrived = await expirations.wait_for(order.order_id, within=8)
        await asyncio.sleep(0.5)
        gone = await http.get(f"{base_url}/schedules/{order.order_id}")
    assert (arrived - order.expires_at).total_seconds() >= 0
    assert len(expirations.for_order(order.order_id)) == 1
    assert event.order_id == order.order_id
    assert gone.status_code == 404


async def test_health_endpoints(settings: ExpirationSettings) -> None:
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient() as http:
        assert (await http.get(f"{base_url}/healthz")).status_code == 200
        ready = await http.get(f"{base_url}/readyz")
    assert ready.json() == {"ready": True, "nats": True, "mongo": True}
