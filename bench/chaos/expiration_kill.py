"""Scenario 5: `kill -9` the expiration service with 100 holds pending (dev topology).

Holds last 20 s (orders' `HOLD_SECONDS_OVERRIDE`); expiration is killed the moment the
100th hold is answered, while it may still be scheduling the last ones, and the
supervisor restarts it. Each order must then be cancelled (as expired) within 1 s of
its `expiresAt`: lateness is the time the stream stored its `order.cancelled` minus the
order's `expiresAt` in orders' database (never negative: a hold never ends early), split
into the broker's part (its `expiration.complete` stored, less `expiresAt`) and orders'
(`order.cancelled` stored, less `expiration.complete` stored). An
`order.created` the killed process had fetched but not acknowledged comes back only
after the consumer's ack wait (`Listener.ack_wait_seconds`), so the row also shows the
consumer's deliveries.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bench.chaos.burst import burst_standard, check_truth
from bench.chaos.load import Burst, Outcome, created, put_on_sale, statuses
from bench.chaos.orders_db import OrdersTruth, orders_truth
from bench.chaos.stack import ChaosStack, chaos_stack
from bench.chaos.streams import consumer_figures, messages_on
from bench.chaos.verdict import Verdict
from bench.support import percentile
from ticketing_common.events import utc_now
from ticketing_common.messaging import Listener

HOLD_SECONDS = 20
HOLDS = 100
CONCURRENCY = 10
QUANTITY = 1_000
ON_TIME_SECONDS = 1.0
VICTIM = "expiration"


async def _stored_on_stream(
    stack: ChaosStack, subject: str, order_ids: list[str], within: float
) -> dict[str, datetime]:
    """Order id -> when the stream stored its message on `subject`, once all are (or
    `within`)."""
    deadline = time.monotonic() + within
    while True:
        stored = {
            str(m.field("orderId")): m.stored_at for m in await messages_on(stack.js, subject)
        }
        if all(i in stored for i in order_ids) or time.monotonic() > deadline:
            return stored
        await asyncio.sleep(1.0)


@dataclass
class Seen:
    outcomes: list[Outcome]
    truth: OrdersTruth
    on_stream: dict[str, datetime]  # order id -> when the stream stored its order.cancelled
    fired: dict[str, datetime]  # order id -> when the stream stored its expiration.complete
    back_seconds: float
    exits: dict[str, int]
    consumer: dict[str, int]  # expiration's order.created consumer, afterwards

    @property
    def expires(self) -> dict[str, datetime]:
        """Order id -> its expiresAt in orders' database."""
        return {order_id: doc["expiresAt"] for order_id, doc in self.truth.orders.items()}

    def lateness(self, cancelled: dict[str, datetime]) -> list[float]:
        """Seconds from each order's expiresAt to its cancellation (as `cancelled` says)."""
        return _gaps(created(self.outcomes), self.expires, cancelled)

    def parts(self) -> dict[str, list[float]]:
        """The lateness split: the broker's (expiresAt to expiration.complete) and orders'
        (expiration.complete to order.cancelled)."""
        ids = created(self.outcomes)
        return {
            "broker_fired_seconds": _gaps(ids, self.expires, self.fired),
            "orders_cancelled_seconds": _gaps(ids, self.fired, self.on_stream),
        }


def _gaps(ids: list[str], start: dict[str, datetime], end: dict[str, datetime]) -> list[float]:
    return [(end[i] - start[i]).total_seconds() for i in ids if i in start and i in end]


async def _observe(stack: ChaosStack) -> Seen:
    event = await put_on_sale(stack.gateway, QUANTITY)
    outcomes = await Burst(stack.gateway, event, HOLDS, CONCURRENCY).run()
    killed_at = stack.kill(VICTIM)
    back = await stack.back(VICTIM, killed_at)
    held = await orders_truth(stack, event)
    last = max((doc["expiresAt"] for doc in held.orders.values()), default=utc_now())
    # Nothing is read from the stream during the expiry wave, so as not to slow it down.
    await asyncio.sleep(max(0.0, (last - utc_now()).total_seconds()) + 2)
    on_stream = await _stored_on_stream(stack, "order.cancelled", created(outcomes), 40)
    fired = await _stored_on_stream(stack, "expiration.complete", created(outcomes), 5)
    truth = await orders_truth(stack, event)
    consumers = await consumer_figures(stack.js, "order.created")
    consumer = consumers.get(f"{VICTIM}-order-created", {})
    return Seen(outcomes, truth, on_stream, fired, back, stack.service_exits(), consumer)


def _spread(late: list[float]) -> dict[str, float | None]:
    if not late:
        return {"p50": None, "p99": None, "max": None}
    return {
        "p50": round(percentile(late, 0.5), 3),
        "p99": round(percentile(late, 0.99), 3),
        "max": round(max(late), 3),
    }


def _judge(seen: Seen) -> Verdict:
    ids, late = created(seen.outcomes), seen.lateness(seen.on_stream)
    expired = [i for i in ids if seen.truth.orders.get(i, {}).get("status") == "cancelled"]
    verdict = Verdict()
    check_truth(verdict, seen.outcomes, seen.truth)
    verdict.check(len(ids) == HOLDS, f"only {len(ids)} of {HOLDS} holds answered 201")
    verdict.check(len(late) == len(ids), f"{len(ids) - len(late)} orders never cancelled")
    verdict.check(len(expired) == len(ids), f"{len(ids) - len(expired)} not cancelled in orders")
    worst = max(late, default=0.0)
    verdict.check(worst <= ON_TIME_SECONDS, f"an order was cancelled {worst:.2f}s after expiry")
    early = sum(1 for s in late if s < 0)
    verdict.check(early == 0, f"{early} orders cancelled before their expiry")
    verdict.check(seen.exits == {VICTIM: 1}, f"restarts {seen.exits}, wanted expiration once")
    return verdict


async def run() -> dict[str, Any]:
    extra_env = {"HOLD_SECONDS_OVERRIDE": str(HOLD_SECONDS)}
    async with chaos_stack("expiration-kill", "dev", extra_env=extra_env) as stack:
        seen = await _observe(stack)
    late = seen.lateness(seen.on_stream)
    standard = {**burst_standard(seen.outcomes, seen.truth), "recover_seconds": seen.back_seconds}
    measured = {
        "hold_seconds": HOLD_SECONDS,
        "statuses": statuses(seen.outcomes),
        "cancelled": len(late),
        "lateness_seconds": _spread(late),
        **{part: _spread(gaps) for part, gaps in seen.parts().items()},
        "cancelled_early": sum(1 for s in late if s < 0),
        f"cancelled_over_{ON_TIME_SECONDS:g}s_late": sum(1 for s in late if s > ON_TIME_SECONDS),
        "service_exits": seen.exits,
        "expiration_order_created_consumer": seen.consumer,
        "redelivery_waits_seconds": Listener.ack_wait_seconds,
    }
    meaning = {
        "recover_seconds": "until the killed expiration service answered again",
        "lateness_seconds": "order.cancelled stored in the stream minus the order's expiresAt",
        "broker_fired_seconds": "expiration.complete stored in the stream minus expiresAt",
        "orders_cancelled_seconds": "order.cancelled stored minus expiration.complete stored",
    }
    return _judge(seen).row(standard, measured, meaning)
