"""The seated scenario of the orders benchmark: 50 buyers after specific seats of 5,000.

Half of the requests aim at the front 1,000 seats, so buyers collide; afterwards the
database is read to check that no seat is in two active orders.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
from bson import ObjectId

from bench.support import percentile
from ticketing_common.events import (
    EventCreated,
    SeatRowDefinition,
    TicketTypeDefinition,
    seat_id,
    utc_now,
)
from ticketing_common.messaging import Publisher
from ticketing_common.mongo import connect_mongo

BUYERS = 50
LOAD_SECONDS = 8.0
SEAT_ROWS, SEATS_PER_ROW, FRONT_ROWS = 50, 100, 10  # 5,000 seats; the front 1,000 are wanted
ACTIVE = ["created", "awaiting:payment", "complete"]
Replicated = Callable[[httpx.AsyncClient, str], Awaitable[None]]


def seated_event() -> EventCreated:
    now = utc_now()
    rows = [
        SeatRowDefinition(
            section="Hall",
            row=f"R{r}",
            ticket_type_id="seat",
            labels=[str(n) for n in range(1, SEATS_PER_ROW + 1)],
        )
        for r in range(1, SEAT_ROWS + 1)
    ]
    seat_type = TicketTypeDefinition(
        id="seat", name="Seat", price=3000, quantity=SEAT_ROWS * SEATS_PER_ROW, max_per_order=4
    )
    return EventCreated(
        event_id=str(ObjectId()),
        organizer_id="bench",
        name="Bench seated",
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=2),
        ticket_types=[seat_type],
        seat_rows=rows,
        version=0,
    )


def wanted_seats(rng: random.Random) -> list[str]:
    """1-4 random seats; half the requests aim at the front rows, so buyers collide."""
    rows = FRONT_ROWS if rng.random() < 0.5 else SEAT_ROWS
    count = rng.randint(1, 4)
    picks = {(rng.randint(1, rows), rng.randint(1, SEATS_PER_ROW)) for _ in range(count)}
    return [seat_id("Hall", f"R{r}", str(n)) for r, n in picks]


async def seated_buyers(
    client: httpx.AsyncClient, event_id: str, until: float
) -> list[tuple[int, float]]:
    rng = random.Random(5000)
    results: list[tuple[int, float]] = []

    async def buyer() -> None:
        while time.perf_counter() < until:
            body = {"eventId": event_id, "seats": wanted_seats(rng)}
            started = time.perf_counter()
            response = await client.post("/api/orders", json=body)
            results.append((response.status_code, time.perf_counter() - started))

    await asyncio.gather(*(buyer() for _ in range(BUYERS)))
    return results


async def seats_in_two_active_orders(mongo_uri: str, event_id: str) -> tuple[int, int]:
    """(seats held or sold by more than one active order, seats in active orders)."""
    client = connect_mongo(mongo_uri)
    pipeline: list[dict[str, Any]] = [
        {"$match": {"eventId": event_id, "status": {"$in": ACTIVE}}},
        {"$unwind": "$lines"},
        {"$match": {"lines.seat_id": {"$ne": None}}},
        {"$group": {"_id": "$lines.seat_id", "orders": {"$sum": 1}}},
    ]
    groups = [doc async for doc in await client["bench_orders"]["orders"].aggregate(pipeline)]
    await client.close()
    return sum(1 for g in groups if g["orders"] > 1), len(groups)


async def measure_seated(
    client: httpx.AsyncClient, publisher: Publisher, mongo_uri: str, replicated: Replicated
) -> dict[str, Any]:
    event = seated_event()
    await publisher.publish(event)
    await replicated(client, event.event_id)
    started = time.perf_counter()
    results = await seated_buyers(client, event.event_id, started + LOAD_SECONDS)
    elapsed = time.perf_counter() - started
    ok = [latency for status, latency in results if status == 201]
    doubled, seats_held = await seats_in_two_active_orders(mongo_uri, event.event_id)
    left = (await client.get(f"/api/availability/{event.event_id}")).json()["ticketTypes"][0]
    return {
        "seats": SEAT_ROWS * SEATS_PER_ROW,
        "buyers": BUYERS,
        "load_seconds": LOAD_SECONDS,
        "requests": len(results),
        "holds": len(ok),
        "holds_per_second": round(len(ok) / elapsed, 1),
        "hold_latency_ms_p50": round(percentile(ok, 0.50) * 1000, 1) if ok else None,
        "hold_latency_ms_p99": round(percentile(ok, 0.99) * 1000, 1) if ok else None,
        "rejected_seat_taken": sum(1 for status, _ in results if status == 409),
        "other_errors": sum(1 for status, _ in results if status not in (201, 409)),
        "seats_in_active_orders": seats_held,
        "seats_held_per_availability": left["held"],
        "oversold": doubled,
    }
