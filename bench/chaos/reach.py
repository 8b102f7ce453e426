"""Did each order's events reach every service that consumes them? Read where each keeps
what it did: expiration's schedule on the stream (or the expiry it already fired),
tickets' order record and payments' order replica, each in its own database.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import nats.errors

from bench.chaos.stack import ChaosStack
from bench.chaos.streams import messages_on, schedules

# What tickets records for each status of an order in orders' database.
TICKETS_STATE = {
    "created": "created",
    "awaiting:payment": "created",
    "cancelled": "cancelled",
    "complete": "completed",
}


@dataclass(frozen=True)
class Replicas:
    """What the consuming services hold of some orders."""

    scheduled: dict[str, int]  # order id -> messages on its schedule subject
    fired: set[str]  # order ids whose expiry was published
    tickets: dict[str, str]  # order id -> the record's state
    payments: dict[str, tuple[str, int]]  # order id -> (status, version) of the replica

    def missing(self, order_ids: list[str]) -> dict[str, list[str]]:
        """Per service, the orders it has nothing of."""
        expiring = {i for i, n in self.scheduled.items() if n} | self.fired
        return {
            "expiration": [i for i in order_ids if i not in expiring],
            "tickets": [i for i in order_ids if i not in self.tickets],
            "payments": [i for i in order_ids if i not in self.payments],
        }

    def double_schedules(self, order_ids: list[str]) -> int:
        """Orders with more than one pending expiry: a redelivery scheduled it twice."""
        return sum(1 for i in order_ids if self.scheduled.get(i, 0) > 1)

    def diverging(self, truth: dict[str, tuple[str, int]]) -> list[str]:
        """Orders whose replicas differ from `truth` (order id -> status, version)."""
        return [
            order_id
            for order_id, (status, version) in truth.items()
            if self.tickets.get(order_id) != TICKETS_STATE.get(status)
            or self.payments.get(order_id) != (status, version)
        ]


async def replicas(stack: ChaosStack, order_ids: list[str]) -> Replicas:
    wanted = {"_id": {"$in": order_ids}}
    tickets = stack.db("tickets")["order_records"].find(wanted, {"state": 1})
    payments = stack.db("payments")["orders"].find(wanted, {"status": 1, "version": 1})
    fired = await messages_on(stack.js, "expiration.complete")
    return Replicas(
        scheduled=await schedules(stack.js),
        fired={str(m.field("orderId")) for m in fired},
        tickets={d["_id"]: d["state"] async for d in tickets},
        payments={d["_id"]: (d["status"], d["version"]) async for d in payments},
    )


async def reached(
    stack: ChaosStack, order_ids: list[str], since: float, within: float
) -> tuple[float | None, dict[str, Any]]:
    """Seconds from `since` (monotonic) until every order reached every consumer, polled
    for up to `within` seconds from now → (seconds or None, what was missing at the end)."""
    deadline = time.monotonic() + within
    found, missing = None, {"stream": order_ids}
    while True:
        try:
            found = await replicas(stack, order_ids)
            missing = found.missing(order_ids)
        except nats.errors.Error:  # the stream is electing a leader: look again
            missing = {"stream": order_ids}
        if not any(missing.values()) or time.monotonic() > deadline:
            break
        await asyncio.sleep(1.0)
    seconds = None if any(missing.values()) else round(time.monotonic() - since, 2)
    return seconds, {
        "missing": {service: len(ids) for service, ids in missing.items()},
        "missing_examples": {service: ids[:5] for service, ids in missing.items() if ids},
        "double_schedules": found.double_schedules(order_ids) if found else 0,
    }
