"""Expiry precision: delay between an order's `expiresAt` and its `expiration.complete`.

Starts its own embedded SecantusDB and nats-server (in memory, free ports), serves the
expiration app in this process, publishes 200 `order.created` with a 2-second hold and
records when each `expiration.complete` reaches a JetStream consumer.
Run alone: `python -m bench.bench_expiration` (prints the report as JSON).
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from datetime import datetime, timedelta
from typing import Any

from bson import ObjectId

from bench.support import embedded_servers
from expiration.config import ExpirationSettings
from expiration.main import create_app
from ticketing_common.events import STREAM_NAME, ExpirationComplete, OrderCreated, utc_now
from ticketing_common.messaging import Publisher, connect_nats, ensure_stream
from ticketing_common.testing.http import serve

HOLDS = 200
HOLD_SECONDS = 2.0
JWT_KEY = "bench-signing-key-that-is-long-enough-0123456789"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


async def _measure(nats_url: str, mongo_uri: str, spread_seconds: float) -> dict[str, Any]:
    """Publish HOLDS orders, `spread_seconds` apart in total, each held HOLD_SECONDS."""
    settings = ExpirationSettings(
        mongo_uri=mongo_uri,
        nats_url=nats_url,
        mongo_db="bench_expiration",
        jwt_key=JWT_KEY,
        log_level="WARNING",
    )
    nc = await connect_nats(nats_url, "bench-expiration")
    js = nc.jetstream()
    await ensure_stream(js)
    await js.purge_stream(STREAM_NAME)  # each measurement sees only its own expirations
    arrivals: dict[str, datetime] = {}
    done = asyncio.Event()

    async def on_expiration(msg: Any) -> None:
        arrivals.setdefault(ExpirationComplete.model_validate_json(msg.data).order_id, utc_now())
        if len(arrivals) >= HOLDS:
            done.set()

    sub = await js.subscribe("expiration.complete", ordered_consumer=True, cb=on_expiration)
    try:
        async with serve(create_app(settings)):
            started = time.perf_counter()
            orders = await _publish_orders(Publisher(js), spread_seconds)
            published_in = time.perf_counter() - started
            await asyncio.wait_for(done.wait(), timeout=HOLD_SECONDS + 30)
    finally:
        await sub.unsubscribe()
        await nc.drain()
    delays = [(arrivals[o.order_id] - o.expires_at).total_seconds() * 1000 for o in orders]
    return {
        "holds": HOLDS,
        "created_over_seconds": spread_seconds,
        "hold_seconds": HOLD_SECONDS,
        "fired": len(arrivals),
        "publish_seconds": round(published_in, 3),
        "delay_ms_p50": round(percentile(delays, 0.50), 1),
        "delay_ms_p99": round(percentile(delays, 0.99), 1),
        "delay_ms_min": round(min(delays), 1),
        "delay_ms_max": round(max(delays), 1),
        "early": sum(1 for d in delays if d < 0),
    }


async def _publish_orders(publisher: Publisher, spread_seconds: float) -> list[OrderCreated]:
    orders: list[OrderCreated] = []
    pause = spread_seconds / HOLDS
    for _ in range(HOLDS):
        order = OrderCreated(
            order_id=str(ObjectId()),
            user_id="bench",
            version=0,
            amount=1000,
            expires_at=utc_now() + timedelta(seconds=HOLD_SECONDS),
        )
        orders.append(order)
        await publisher.publish(order)
        if pause:
            await asyncio.sleep(pause)
    return orders


async def run(report: dict[str, Any]) -> None:
    async with embedded_servers("expiration") as (stack, _):
        # The figure asked for: 200 holds taken at once, all due within a few ms.
        burst = await _measure(stack.nats_url, stack.mongo_uri, spread_seconds=0.0)
        # The same holds taken over 2 s, as real buyers arrive: shows the scheduler's tick.
        burst["spread_over_2s"] = await _measure(
            stack.nats_url, stack.mongo_uri, spread_seconds=2.0
        )
        report["expiration"] = burst


def main() -> None:
    report: dict[str, Any] = {}
    asyncio.run(run(report))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
