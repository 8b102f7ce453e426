"""What the buyers send through the gateway: the sale's event, holds, payments, and the
availability reads beside them; every request goes to the gateway, never to a service."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from bench.flash_sale.gateway import Answer, GatewayClient
from bench.flash_sale.plan import PRICE, Buyer
from ticketing_common.events import utc_now

T = TypeVar("T")


@dataclass(frozen=True)
class Call:
    """One request of one buyer: its status, when it started and ended (perf_counter)."""

    buyer: Buyer
    status: int
    started: float
    finished: float
    order_id: str | None = None
    reason: str | None = None  # the first error's message of a 4xx or 5xx

    @property
    def seconds(self) -> float:
        return self.finished - self.started


@dataclass(frozen=True)
class SaleEvent:
    id: str
    type_id: str
    quantity: int


def gateway_client(gateway: str, connections: int) -> GatewayClient:
    return GatewayClient(gateway, connections)


async def closed_loop(
    items: Sequence[T], concurrency: int, send: Callable[[T], Awaitable[Call]]
) -> list[Call]:
    """`concurrency` workers, each sending the next item as soon as its last answer came."""
    pending = iter(items)  # shared: each worker takes the next item
    calls: list[Call] = []

    async def worker() -> None:
        for item in pending:
            calls.append(await send(item))

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return calls


async def post(client: GatewayClient, path: str, body: dict[str, Any], buyer: Buyer) -> Call:
    started = time.perf_counter()
    response = await client.post(path, json=body, headers=buyer.headers)
    finished = time.perf_counter()
    order_id = response.json().get("id") if response.status_code == 201 else None
    return Call(buyer, response.status_code, started, finished, order_id, error_reason(response))


def error_reason(response: Answer) -> str | None:
    """The first message of the project's error shape, for the figures to say why."""
    if response.status_code < 400:
        return None
    try:
        return str(response.json()["errors"][0]["message"])
    except (ValueError, LookupError, TypeError):
        return response.body[:200].decode(errors="replace")


async def hold(client: GatewayClient, event: SaleEvent, buyer: Buyer) -> Call:
    """One ticket of the event's type → 201 (the order's id in `order_id`) or 409."""
    items = [{"ticketTypeId": event.type_id, "quantity": 1}]
    return await post(client, "/api/orders", {"eventId": event.id, "items": items}, buyer)


async def pay(client: GatewayClient, held: Call) -> Call:
    """Pay the buyer's hold with the card that succeeds; `order_id` stays the order's."""
    body = {"orderId": held.order_id, "token": "tok_visa"}
    call = await post(client, "/api/payments", body, held.buyer)
    return Call(held.buyer, call.status, call.started, call.finished, held.order_id, call.reason)


async def read_availability(
    client: GatewayClient, event_id: str, readers: int, stop: asyncio.Event
) -> list[float]:
    """`readers` loops of GET /api/availability/{event} until `stop` → latencies (s)."""
    latencies: list[float] = []

    async def reader() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            response = await client.get(f"/api/availability/{event_id}")
            response.raise_for_status()
            latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(reader() for _ in range(readers)))
    return latencies


def event_body(quantity: int, starts_at: datetime, ends_at: datetime) -> dict[str, Any]:
    return {
        "name": "Flash sale",
        "category": "music",
        "venue": {"name": "Bench Arena", "address": "1 Bench Street"},
        "startsAt": starts_at.isoformat(),
        "endsAt": ends_at.isoformat(),
        "ticketTypes": [{"name": "General admission", "price": PRICE, "quantity": quantity}],
    }


async def create_event(
    client: GatewayClient, organizer: Buyer, quantity: int, ends_in: timedelta
) -> SaleEvent:
    """The organizer creates the event through the gateway; returns once orders sells it."""
    now = utc_now()
    body = event_body(quantity, now + min(ends_in / 2, timedelta(days=1)), now + ends_in)
    response = await client.post("/api/events", json=body, headers=organizer.headers)
    response.raise_for_status()
    event = SaleEvent(response.json()["id"], response.json()["ticketTypes"][0]["id"], quantity)
    for _ in range(600):
        answer = await client.get(f"/api/availability/{event.id}")
        if answer.status_code == 200 and answer.json()["ticketTypes"][0]["remaining"] == quantity:
            return event
        await asyncio.sleep(0.05)
    raise RuntimeError(f"event {event.id} never became sellable")
