"""SIGTERM to a real orders process with 50 availability streams open: every stream ends
with a `retry:` hint, the listeners and relays stop, what was pending is published, and
the process is gone within 10 s (uvicorn alone would wait for the streams forever)."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from nats.aio.client import Client as NatsClient
from nats.js.api import ConsumerConfig, DeliverPolicy

from orders.config import OrdersSettings
from ticketing_common.events import STREAM_NAME, UserCreated
from ticketing_common.mongo import MongoClient
from ticketing_common.outbox import outbox_entry
from ticketing_common.testing.endpoints import Endpoints
from ticketing_common.testing.processes import service_env, service_process

pytestmark = pytest.mark.asyncio(loop_scope="session")

STREAMS = 50
# The stream's last words: a comment, then when to reconnect (0.5-1.5 s), then EOF.
FAREWELL = re.compile(r": server stopping, reconnect\nretry: (1[0-4]\d\d|1500|[5-9]\d\d)\n*$")


async def _watch(
    http: httpx.AsyncClient, event_id: str, opened: asyncio.Queue[None]
) -> tuple[str, float]:
    """Read one stream to its end; returns its text after the first frame and when it ended."""
    async with http.stream("GET", f"/api/availability/{event_id}/stream") as response:
        assert response.status_code == 200
        lines = response.aiter_lines()
        async for line in lines:
            if line.startswith("event: availability"):
                break
        await opened.put(None)
        tail = [line async for line in lines]
    return "\n".join(tail), time.monotonic()


async def _published(nats: NatsClient, subject: str) -> list[dict[str, Any]]:
    sub = await nats.jetstream().pull_subscribe(
        subject, stream=STREAM_NAME, config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL)
    )
    try:
        return [json.loads(m.data) for m in await sub.fetch(10, timeout=2)]
    finally:
        await sub.unsubscribe()


async def test_sigterm_ends_50_streams_flushes_the_relay_and_exits_within_10_seconds(
    embedded_servers: Endpoints,
    orders_settings: OrdersSettings,
    mongo_client: MongoClient,
    clean_stream: NatsClient,
    catalog: Any,
    users: Any,
    helpers: Any,
    tmp_path: Path,
) -> None:
    env = service_env(
        embedded_servers,
        orders_settings.service_name,
        orders_settings.database_name,
        orders_settings.jwt_key.get_secret_value(),
    )
    # The relay finds pending events only when woken or at its final pass, not by polling.
    env["OUTBOX_POLL_SECONDS"] = "60"
    async with service_process("orders", env, tmp_path / "orders.log") as orders:
        event = await catalog.general_event()
        await helpers.wait_for_event(orders.url, event.event_id)
        limits = httpx.Limits(max_connections=STREAMS)
        async with httpx.AsyncClient(base_url=orders.url, timeout=30, limits=limits) as http:
            opened: asyncio.Queue[None] = asyncio.Queue()
            streams = [
                asyncio.create_task(_watch(http, event.event_id, opened)) for _ in range(STREAMS)
            ]
            for _ in range(STREAMS):
                await asyncio.wait_for(opened.get(), 30)
            # Written as a crashed writer would leave it: only the relay's last pass sends it.
            pending = UserCreated(user_id="u-last", email="last@example.com")
            outbox = mongo_client[orders_settings.database_name]["outbox"]
            await outbox.insert_one({"_id": pending.id, **outbox_entry(pending), "sentAt": None})

            async with users.client(orders.url) as buyer:
                hold = {"eventId": event.event_id, "items": [{"ticketTypeId": "ga", "quantity": 1}]}
                held = await buyer.post("/api/orders", json=hold)
                assert held.status_code == 201

            signalled = orders.terminate()
            try:
                exited = await orders.exited(within=10)
                ends = await asyncio.wait_for(asyncio.gather(*streams), 1)
            finally:
                for stream in streams:
                    stream.cancel()

    took = exited - signalled
    print(f"\n{STREAMS} streams open: exited {took:.2f} s after SIGTERM")
    assert took < 10
    # uvicorn re-raises the signal once its shutdown is complete (0 on older versions).
    assert orders.popen.returncode in (0, -signal.SIGTERM)
    for tail, ended in ends:
        assert FAREWELL.search(tail), tail[-200:]
        assert ended <= exited
    assert orders.said("shutdown started")[0]["streams"] == STREAMS
    assert orders.said("listeners stopped")[0]["listeners"] > 0
    relays = {entry["relay"]: entry["flushed"] for entry in orders.said("outbox relay stopped")}
    assert relays.keys() == {"EmbeddedOutboxRelay", "OutboxRelay"}
    assert relays["OutboxRelay"] == 1
    assert orders.said("service stopped")
    assert [e["id"] for e in await _published(clean_stream, "user.created")] == [pending.id]
    created = await _published(clean_stream, "order.created")
    assert [e["orderId"] for e in created] == [held.json()["id"]]
