"""A hold burst with one part killed in the middle of it, and what every burst is judged
by: orders' database against the buyers' answers, and the events of every 201 in the
services that consume them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.chaos.load import (
    Burst,
    Outcome,
    SaleEvent,
    created,
    errors_5xx,
    per_second,
    put_on_sale,
    statuses,
)
from bench.chaos.orders_db import OrdersTruth, recovery
from bench.chaos.reach import reached
from bench.chaos.stack import ChaosStack
from bench.chaos.streams import consumer_figures
from bench.chaos.verdict import Verdict

BUYERS = 2_000
QUANTITY = 1_000
CONCURRENCY = 30
RECOVERY_BOUND = 20.0  # seconds: orders' abandoned-hold recovery, grace + 2 x sweep
CATCH_UP_SECONDS = 60.0  # seconds a killed part's consumers may take to catch up


@dataclass
class KilledBurst:
    event: SaleEvent
    outcomes: list[Outcome]
    victim: str
    killed_at: float  # monotonic
    back_seconds: float  # until the victim answered again (restarted by the supervisor)
    burst_seconds: float
    # From the kill until every order answered 201 before the victim was back had reached
    # every consumer (polled while the burst goes on); None if not within the burst + 60 s.
    caught_up_seconds: float | None

    def around_kill(self) -> dict[str, Any]:
        killed = datetime.now(UTC) - timedelta(seconds=time.monotonic() - self.killed_at)
        return {
            "killed": self.victim,
            "killed_at": killed.isoformat(),
            "back_after_seconds": self.back_seconds,
            "caught_up_after_kill_seconds": self.caught_up_seconds,
            "statuses_per_second": per_second(self.outcomes, self.killed_at, before=2, after=9),
        }


async def burst_with_kill(
    stack: ChaosStack, kill_after: int, victim: Callable[[], Awaitable[str]]
) -> KilledBurst:
    """BUYERS holds on a new show of QUANTITY; `victim()` (a part's name) is killed once
    `kill_after` requests have finished."""
    event = await put_on_sale(stack.gateway, QUANTITY)
    burst = Burst(stack.gateway, event, BUYERS, CONCURRENCY)

    async def fault() -> tuple[str, float, float, float | None]:
        await burst.reached(kill_after)
        name = await victim()
        at = stack.kill(name)
        back = await stack.back(name, at)
        early = created(burst.outcomes)
        caught_up, _ = await reached(stack, early, at, within=CATCH_UP_SECONDS)
        return name, at, back, caught_up

    started = time.monotonic()
    outcomes, (name, at, back, caught_up) = await asyncio.gather(burst.run(), fault())
    seconds = time.monotonic() - started
    return KilledBurst(event, outcomes, name, at, back, seconds, caught_up)


@dataclass
class Settled:
    """The burst's orders after the fault: in orders' database and downstream."""

    truth: OrdersTruth
    reach_seconds: float | None  # from the burst's end until every 201 reached every consumer
    reach: dict[str, Any]
    consumers: dict[str, dict[str, int]]  # the order.created consumers, once settled


async def settle(stack: ChaosStack, burst: KilledBurst, within: float = 60.0) -> Settled:
    ended = time.monotonic()
    seconds, reach = await reached(stack, created(burst.outcomes), ended, within)
    _, truth = await recovery(stack, burst.event, burst.killed_at, RECOVERY_BOUND + 10)
    return Settled(truth, seconds, reach, await consumer_figures(stack.js, "order.created"))


def check_truth(verdict: Verdict, outcomes: list[Outcome], truth: OrdersTruth) -> None:
    """Orders' database against what the buyers were told, once the fault is over."""
    lost = truth.lost(created(outcomes))
    verdict.check(not lost, f"{len(lost)} orders answered 201 are not in the database")
    verdict.check(truth.duplicated() == 0, f"{truth.duplicated()} buyers with two orders")
    verdict.check(truth.oversold == 0, f"oversold by {truth.oversold}")
    verdict.check(truth.undrained == 0, f"{truth.undrained} orders with unpublished events")
    verdict.check(truth.leaked == 0, f"{truth.leaked} units held for nobody at the end")
    nothing = truth.holding_nothing()
    verdict.check(not nothing, f"{len(nothing)} pending orders hold no units: {nothing[:3]}")


def check_reach(verdict: Verdict, reach: dict[str, Any]) -> None:
    """Every 201's `order.created` in every consumer, and expired once at most."""
    missing = {service: n for service, n in reach["missing"].items() if n}
    verdict.check(not missing, f"order.created of 201s missing downstream: {missing}")
    doubles = reach["double_schedules"]
    verdict.check(doubles == 0, f"{doubles} orders with two pending expiries")


def burst_standard(
    outcomes: list[Outcome], truth: OrdersTruth, reach: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The standard figures of a burst (the recovery time is the scenario's to say)."""
    missing = max(reach["missing"].values(), default=0) if reach else 0
    doubles = reach["double_schedules"] if reach else 0
    return {
        "requests": len(outcomes),
        "created_201": len(created(outcomes)),
        "errors_5xx": errors_5xx(outcomes),
        "acknowledged_lost": len(truth.lost(created(outcomes))) + missing,
        "duplicated": truth.duplicated() + doubles,
        "oversold": truth.oversold,
        "leaked_units": truth.leaked,
    }


def burst_measured(burst: KilledBurst, settled: Settled) -> dict[str, Any]:
    answered = {o.order_id: round(o.finished - burst.killed_at, 2) for o in burst.outcomes}
    return {
        "statuses": statuses(burst.outcomes),
        "burst_seconds": round(burst.burst_seconds, 1),
        **burst.around_kill(),
        "every_201_reached_every_consumer_after_burst_seconds": settled.reach_seconds,
        **settled.reach,
        "missing_answered_after_kill_seconds": {
            service: [answered.get(i) for i in ids]
            for service, ids in settled.reach["missing_examples"].items()
        },
        "order_created_consumers": settled.consumers,
        **settled.truth.figures(),
    }
