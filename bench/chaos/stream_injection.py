"""Scenario 7: duplicated, reordered and malformed events put on the stream by hand.

On a dev stack with real orders (20 holds, 5 of them cancelled by their buyers), raw
messages are published with the nats client: an order's `order.created` again under a
new `Nats-Msg-Id` (same event id), and again as a new event (new envelope id); a
cancelled order's `order.created` after its `order.cancelled`; synthetic orders whose
`order.cancelled` comes before their `order.created`; and, on every subject a service
consumes, garbage and JSON of the wrong shape. Then payments' order replica and tickets'
records must equal orders' truth (synthetic orders: cancelled, version 1), every
malformed message must have been terminated and logged by each consumer of its subject,
nothing may be left pending, and no service may have crashed.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import httpx

from bench.chaos.injections import MALFORMED, inject
from bench.chaos.load import (
    Burst,
    Outcome,
    created,
    errors_5xx,
    put_on_sale,
    session_cookie,
    statuses,
)
from bench.chaos.logs import by_durable, said
from bench.chaos.orders_db import orders_truth
from bench.chaos.reach import replicas
from bench.chaos.stack import ChaosStack, chaos_stack
from bench.chaos.streams import caught_up, durables
from bench.chaos.verdict import Verdict

QUANTITY = 100
HOLDS = 20
CONCURRENCY = 5
CANCELS = 5
WAIT_SECONDS = 60.0
# What tickets says when a duplicate (same event id) or a stale event changes nothing.
TICKETS_SKIPS = ("duplicate event skipped", "order event changes nothing")

Truth = dict[str, tuple[str, int]]  # order id -> (status, version)


async def _cancel(gateway: str, outcomes: list[Outcome]) -> int:
    """The first CANCELS orders cancelled by their buyers → HTTP requests made."""
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        for outcome in [o for o in outcomes if o.order_id][:CANCELS]:
            headers = {"Cookie": session_cookie(outcome.buyer)}
            response = await client.delete(f"/api/orders/{outcome.order_id}", headers=headers)
            response.raise_for_status()
    return CANCELS


async def _converged(
    stack: ChaosStack, truth: Truth, within: float
) -> tuple[float | None, list[str]]:
    """Seconds until nothing is pending and the replicas equal `truth` → (seconds or None,
    the orders still diverging)."""
    started = time.monotonic()
    while True:
        diverging = (await replicas(stack, list(truth))).diverging(truth)
        if not diverging and await caught_up(stack.js):
            return round(time.monotonic() - started, 2), []
        if time.monotonic() - started > within:
            return None, diverging
        await asyncio.sleep(1.0)


async def _truth(stack: ChaosStack, event_id: str, synthetic: list[str]) -> Truth:
    """Orders' word on its orders; a synthetic order ends cancelled at version 1."""
    query = {"eventId": event_id, "status": {"$ne": "abandoned"}}
    real = stack.db("orders")["orders"].find(query, {"status": 1, "version": 1})
    truth = {d["_id"]: (d["status"], d["version"]) async for d in real}
    return truth | dict.fromkeys(synthetic, ("cancelled", 1))


def _terminated(stack: ChaosStack, consumers: list[str]) -> dict[str, int]:
    """Per durable consumer, the malformed events it logged as terminated."""
    services = sorted({durable.split("-")[0] for durable in consumers})
    logged: dict[str, int] = {}
    for service in services:
        logged |= by_durable(said(stack, service, "malformed event terminated"))
    return {durable: logged.get(durable, 0) for durable in consumers}


@dataclass
class Seen:
    outcomes: list[Outcome]
    requests: int
    baseline_seconds: float | None  # replicas equal to orders before anything was injected
    injected: dict[str, int]
    converged_seconds: float | None
    diverging: list[str]
    double_schedules: int
    terminated: dict[str, int]  # durable -> malformed events it logged as terminated
    skipped: dict[str, int]  # what tickets logged of the duplicates and the late created
    redelivering: int
    exits: dict[str, int]
    leaked: int


async def _observe(stack: ChaosStack) -> Seen:
    event = await put_on_sale(stack.gateway, QUANTITY)
    burst = Burst(stack.gateway, event, HOLDS, CONCURRENCY)
    await burst.announce(stack.js)  # buyers the services know, as if signed up
    outcomes = await burst.run()
    cancels = await _cancel(stack.gateway, outcomes)
    synthetic: list[str] = []
    baseline, _ = await _converged(stack, await _truth(stack, event.id, []), WAIT_SECONDS)
    injected = await inject(stack, event.id, created(outcomes), cancels, synthetic)
    truth = await _truth(stack, event.id, synthetic)
    seconds, diverging = await _converged(stack, truth, WAIT_SECONDS)
    infos = await durables(stack.js)
    found = await replicas(stack, list(truth))
    return Seen(
        outcomes,
        len(outcomes) + cancels,
        baseline,
        injected,
        seconds,
        diverging,
        found.double_schedules(list(truth)),
        _terminated(stack, sorted(infos)),
        {line: len(said(stack, "tickets", line)) for line in TICKETS_SKIPS},
        sum(i.num_redelivered or 0 for i in infos.values()),
        stack.notes.exits(),
        (await orders_truth(stack, event)).leaked,
    )


def _judge(seen: Seen) -> Verdict:
    verdict = Verdict()
    verdict.check(seen.baseline_seconds is not None, "replicas differed before any injection")
    verdict.check(seen.converged_seconds is not None, f"replicas diverge: {seen.diverging[:5]}")
    verdict.check(seen.double_schedules == 0, f"{seen.double_schedules} orders expire twice")
    unlogged = {d: n for d, n in seen.terminated.items() if n != len(MALFORMED)}
    verdict.check(not unlogged, f"malformed events terminated per consumer: {unlogged}")
    verdict.check(seen.redelivering == 0, f"{seen.redelivering} messages still redelivered")
    verdict.check(not seen.exits, f"parts restarted (crashed): {seen.exits}")
    verdict.check(seen.leaked == 0, f"{seen.leaked} units held for nobody")
    return verdict


async def run() -> dict[str, Any]:
    async with chaos_stack("stream-injection", "dev") as stack:
        seen = await _observe(stack)
    standard = {
        "requests": seen.requests,
        "created_201": len(created(seen.outcomes)),
        "errors_5xx": errors_5xx(seen.outcomes),
        "acknowledged_lost": len(seen.diverging),
        "duplicated": seen.double_schedules,
        "oversold": 0,
        "leaked_units": seen.leaked,
        "recover_seconds": seen.converged_seconds,
    }
    measured = {
        "statuses": statuses(seen.outcomes),
        "injected": seen.injected,
        "malformed_terminated_by_consumer": seen.terminated,
        "tickets_logged": seen.skipped,
        "service_exits": seen.exits,
    }
    meaning = {
        "recover_seconds": "from the last injected message until every replica equalled "
        "orders' truth and every consumer had nothing pending",
        "acknowledged_lost": "orders whose replicas ended unlike orders' truth",
    }
    return _judge(seen).row(standard, measured, meaning)
