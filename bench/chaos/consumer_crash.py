"""Scenario 4: consumers killed between their database write and their ack, in the whole
system (dev topology) under a small rate of holds.

The `listener.after_commit` failpoint is armed for the order-created consumers of
payments (an idempotent replica write) and tickets (a processed-event record in the
effect's transaction), for the first process of each only (`first_start_env`): each
dies with SIGKILL right after committing its first event, the supervisor restarts it
without the failpoint, and the broker redelivers what was not acknowledged once the
ack wait is over. Then every order's effect is there once, and the consumers' figures
show the redelivery.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bench.chaos.burst import burst_standard, check_reach, check_truth
from bench.chaos.load import Burst, Outcome, created, put_on_sale, statuses
from bench.chaos.logs import said
from bench.chaos.orders_db import OrdersTruth, recovery
from bench.chaos.reach import reached
from bench.chaos.stack import ChaosStack, chaos_stack
from bench.chaos.streams import caught_up, durables
from bench.chaos.verdict import Verdict
from bench.support import seconds_until
from ticketing_common.events import STREAM_NAME
from ticketing_common.messaging import Listener

VICTIMS = {"payments": "payments-order-created", "tickets": "tickets-order-created"}
FAILPOINTS = ",".join(f"listener.after_commit:{durable}" for durable in VICTIMS.values())
HOLDS = 40
CONCURRENCY = 2
QUANTITY = 100
WAIT_SECONDS = Listener.ack_wait_seconds + 60
CRASH_LOGGED = "failpoint reached: killing this process"  # ticketing_common.failpoints


async def _consumer_figures(stack: ChaosStack, messages: int) -> dict[str, Any]:
    infos = await durables(stack.js)
    figures = {}
    for service, durable in VICTIMS.items():
        delivered = infos[durable].delivered
        figures[durable] = {
            "order_created_messages": messages,
            "deliveries": delivered.consumer_seq if delivered else 0,
            "redeliveries": (delivered.consumer_seq if delivered else 0) - messages,
            "crashes_logged": len(said(stack, service, CRASH_LOGGED)),
        }
    return figures


async def _effects(stack: ChaosStack, order_ids: list[str]) -> dict[str, int]:
    """How many times each effect is there: tickets' processed records and records,
    payments' replicas (each must be once per order)."""
    prefix = {"$regex": f"^{VICTIMS['tickets']}:"}
    wanted = {"_id": {"$in": order_ids}}
    return {
        "tickets_processed_records": await stack.db("tickets")["processed_events"].count_documents(
            {"_id": prefix}
        ),
        "tickets_order_records": await stack.db("tickets")["order_records"].count_documents(wanted),
        "payments_replicas_at_version_0": await stack.db("payments")["orders"].count_documents(
            {**wanted, "version": 0, "status": "created"}
        ),
        "tickets_duplicates_skipped": len(said(stack, "tickets", "duplicate event skipped")),
    }


def _latest_crash(stack: ChaosStack) -> datetime | None:
    crashes = [e["ts"] for s in VICTIMS for e in said(stack, s, CRASH_LOGGED)]
    return datetime.fromisoformat(max(crashes)) if crashes else None


@dataclass
class Seen:
    outcomes: list[Outcome]
    truth: OrdersTruth
    reach: dict[str, Any]
    messages: int  # order.created on the stream
    consumers: dict[str, Any]
    effects: dict[str, int]
    recover_seconds: float | None
    exits: dict[str, int]


async def _observe(stack: ChaosStack) -> Seen:
    event = await put_on_sale(stack.gateway, QUANTITY)
    outcomes = await Burst(stack.gateway, event, HOLDS, CONCURRENCY).run()
    ids = created(outcomes)
    _, reach = await reached(stack, ids, time.monotonic(), WAIT_SECONDS)
    # The un-acknowledged events come back once the ack wait is over, effects or not.
    await seconds_until(lambda: caught_up(stack.js), WAIT_SECONDS, "redelivery", 0.5)
    done = datetime.now(UTC)
    _, truth = await recovery(stack, event, time.monotonic(), 10)
    info = await stack.js.stream_info(STREAM_NAME, subjects_filter="order.created")
    messages = (info.state.subjects or {}).get("order.created", 0)
    crash = _latest_crash(stack)
    return Seen(
        outcomes,
        truth,
        reach,
        messages,
        await _consumer_figures(stack, messages),
        await _effects(stack, ids),
        round((done - crash).total_seconds(), 1) if crash else None,
        stack.service_exits(),
    )


def _judge(seen: Seen) -> Verdict:
    verdict = Verdict()
    check_truth(verdict, seen.outcomes, seen.truth)
    check_reach(verdict, seen.reach)
    wanted_exits = dict.fromkeys(VICTIMS, 1)
    verdict.check(seen.exits == wanted_exits, f"restarts {seen.exits}, wanted {wanted_exits}")
    for durable, figures in seen.consumers.items():
        crashes = figures["crashes_logged"]
        verdict.check(crashes == 1, f"{durable}: {crashes} crashes logged, wanted 1")
        verdict.check(figures["redeliveries"] > 0, f"{durable}: no redelivery seen")
    orders = len(created(seen.outcomes))
    once = {
        "tickets_processed_records": seen.messages,
        "tickets_order_records": orders,
        "payments_replicas_at_version_0": orders,
    }
    for name, wanted in once.items():
        verdict.check(seen.effects[name] == wanted, f"{name}: {seen.effects[name]} (not {wanted})")
    verdict.check(seen.effects["tickets_duplicates_skipped"] > 0, "tickets skipped no duplicate")
    return verdict


async def run() -> dict[str, Any]:
    armed = {"TICKETING_FAILPOINTS": FAILPOINTS}
    async with chaos_stack("consumer-crash", "dev", first_start_env=armed) as stack:
        seen = await _observe(stack)
    standard = {
        **burst_standard(seen.outcomes, seen.truth, seen.reach),
        "recover_seconds": seen.recover_seconds,
    }
    measured = {
        "statuses": statuses(seen.outcomes),
        "service_exits": seen.exits,
        "consumers": seen.consumers,
        "effects": seen.effects,
        **seen.reach,
    }
    meaning = {
        "recover_seconds": "from the last crash until every order's effects were there and "
        "every consumer had acknowledged everything (a redelivery waits out the ack wait, "
        f"{Listener.ack_wait_seconds:g}s)",
    }
    return _judge(seen).row(standard, measured, meaning)
