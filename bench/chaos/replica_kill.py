"""Scenario 1: `kill -9` one orders replica three times during a 2,000-request hold burst.

On the cluster (two replicas behind the gateway), one show with 1,000 GA tickets and
2,000 distinct buyers, 30 at a time. Each kill waits until the replica is back from the
previous one. Then: every 201 is an order in the database, nothing is oversold, no buyer
has two orders, the outbox drains, nothing is left held for nobody, and no unit a kill
left claimed stayed so longer than the bound of orders' abandoned-hold recovery (grace
+ 2 x sweep, 20 s by default; each release is in orders' logs); around each kill, the
statuses per second show the other replica answering.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from bench.chaos.burst import (
    BUYERS,
    CONCURRENCY,
    QUANTITY,
    RECOVERY_BOUND,
    burst_standard,
    check_truth,
)
from bench.chaos.load import Burst, Outcome, errors_5xx, per_second, put_on_sale, statuses
from bench.chaos.logs import held_for_nobody, said
from bench.chaos.orders_db import OrdersTruth, recovery
from bench.chaos.stack import ChaosStack, chaos_stack
from bench.chaos.verdict import Verdict

# Requests finished before each kill (and the replica back from the previous one): all
# while units remain, since a kill can only leave units claimed for nobody while holds
# are being taken.
KILL_AFTER = (200, 450, 700)
VICTIM = "orders-1"
CLAIM_TIME_SLACK = 1.0  # seconds: a claim's time is known to the second (its order id's)


async def _kill_thrice(stack: ChaosStack, burst: Burst) -> list[tuple[float, float]]:
    """→ (monotonic time of the kill, seconds until the replica answered again) each."""
    kills = []
    for finished in KILL_AFTER:
        if not await burst.reached(finished):
            break
        at = stack.kill(VICTIM)
        kills.append((at, await stack.back(VICTIM, at)))
    return kills


def _around(outcomes: list[Outcome], at: float, back: float) -> dict[str, Any]:
    """What the buyers got while the replica was down: the other one kept answering?"""
    down = [o for o in outcomes if at <= o.finished <= at + back]
    return {
        "back_after_seconds": back,
        "answered_while_down": sum(1 for o in down if o.status in (201, 409)),
        "5xx_while_down": errors_5xx(down),
        "no_response_while_down": sum(1 for o in down if o.status is None),
        "per_second": per_second(outcomes, at, before=2, after=9),
    }


@dataclass
class Observed:
    outcomes: list[Outcome]
    kills: list[tuple[float, float]]
    truth: OrdersTruth
    burst_seconds: float
    first_look: float  # seconds after the last kill the burst ended and the checks began
    settled_seconds: float | None  # from the last kill until nothing leaked, outbox drained
    held_for_nobody: list[float]  # each released hold: seconds from its claim to its release
    exits: dict[str, int]


async def _observe(stack: ChaosStack) -> Observed:
    event = await put_on_sale(stack.gateway, QUANTITY)
    burst = Burst(stack.gateway, event, BUYERS, CONCURRENCY)
    started = time.monotonic()
    outcomes, kills = await asyncio.gather(burst.run(), _kill_thrice(stack, burst))
    burst_seconds = time.monotonic() - started
    last_kill = kills[-1][0] if kills else time.monotonic()
    first_look = time.monotonic() - last_kill
    within = max(RECOVERY_BOUND + 10 - first_look, 5.0)
    settled, truth = await recovery(stack, event, last_kill, within)
    releases = said(stack, "orders", "abandoned hold released")
    return Observed(
        outcomes,
        kills,
        truth,
        burst_seconds,
        first_look,
        settled,
        held_for_nobody(releases),
        stack.service_exits(),
    )


def _judge(seen: Observed) -> Verdict:
    verdict = Verdict()
    truth = seen.truth
    verdict.check(len(seen.kills) == len(KILL_AFTER), f"only {len(seen.kills)} kills in the burst")
    check_truth(verdict, seen.outcomes, truth)
    longest = max(seen.held_for_nobody, default=0.0)
    verdict.check(
        longest <= RECOVERY_BOUND + CLAIM_TIME_SLACK,
        f"a unit stayed held for nobody {longest}s (bound {RECOVERY_BOUND:g}s)",
    )
    windows = [_around(seen.outcomes, at, back) for at, back in seen.kills]
    verdict.check(
        all(w["answered_while_down"] for w in windows),
        "the other replica answered nothing while one was down",
    )
    others = sorted(set(seen.exits) - {VICTIM})
    verdict.check(not others, f"other services restarted: {others}")
    return verdict


async def run() -> dict[str, Any]:
    async with chaos_stack("replica-kill", "cluster") as stack:
        seen = await _observe(stack)
    truth, outcomes = seen.truth, seen.outcomes
    standard = {
        **burst_standard(outcomes, truth),
        "recover_seconds": max(seen.held_for_nobody, default=None),
    }
    measured = {
        "topology": "cluster: 3 NATS nodes, 2 replicas per service, gateway",
        "statuses": statuses(outcomes),
        "burst_seconds": round(seen.burst_seconds, 1),
        "holds_released_by_recovery": len(seen.held_for_nobody),
        "held_for_nobody_seconds": sorted(seen.held_for_nobody),
        "checked_after_last_kill_seconds": round(seen.first_look, 1),
        "settled_after_last_kill_seconds": seen.settled_seconds,
        "service_exits": seen.exits,
        **truth.figures(),
        "kills": [_around(outcomes, at, back) for at, back in seen.kills],
    }
    meaning = {
        "recover_seconds": "the longest a unit stayed held for nobody: from its claim (the "
        "order id's time, to the second) to its release by orders' recovery sweep (its "
        "'abandoned hold released' log lines); none if no hold was released",
    }
    return _judge(seen).row(standard, measured, meaning)
