"""One run of the flash sale on a fresh stack: 2,000 buyers after 1,000 tickets in a
closed loop, then every buyer with a hold pays.

The timed window runs from the first hold request to the last answer. CPU is read
around that window; database operations from its start until the consumers caught up
(so a hold's downstream work counts with it); the consumers' lag at its end.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

from bench.flash_sale.checks import oversold
from bench.flash_sale.dbops import db_snapshot, ops_per_hold
from bench.flash_sale.figures import cpu_figures, selling_figures
from bench.flash_sale.gateway import GatewayClient
from bench.flash_sale.lag import ORDER_CREATED, consumer_lag, messages_on, seconds_to_catch_up
from bench.flash_sale.paying import pay_holds
from bench.flash_sale.plan import QUANTITY, REQUESTS, Buyer
from bench.flash_sale.profile import profiled
from bench.flash_sale.stack import Stack
from bench.flash_sale.traffic import (
    Call,
    SaleEvent,
    closed_loop,
    create_event,
    gateway_client,
    hold,
    read_availability,
)
from bench.support import latency_ms, progress

PROFILED = ("mongo", "orders")  # the parts that take most of the CPU in a sale


async def timed_holds(
    client: GatewayClient, event: SaleEvent, buyers: list[Buyer], loop: int, readers: int
) -> tuple[list[Call], list[float]]:
    """The closed loop of holds, with `readers` availability pollers alongside."""
    stop = asyncio.Event()
    reading = asyncio.create_task(read_availability(client, event.id, readers, stop))
    try:
        calls = await closed_loop(buyers, loop, lambda buyer: hold(client, event, buyer))
    finally:
        stop.set()
    return calls, await reading


async def sell(
    stack: Stack,
    buyers: list[Buyer],
    organizer: Buyer,
    loop: int,
    readers: int,
    profile: bool = False,
) -> dict[str, Any]:
    """One sale; with `profile`, the database and orders are profiled while it runs."""
    profiles: dict[str, Any] = {}
    async with gateway_client(stack.gateway, loop + readers + 4) as client:
        event = await create_event(client, organizer, QUANTITY, timedelta(days=2))
        created_before = await messages_on(stack.js, ORDER_CREATED)
        await seconds_to_catch_up(stack.js, created_before)  # start from a quiet stack
        db_before = await db_snapshot(stack.mongo)
        cpu_before, load_before = stack.cpu_seconds(), time.process_time()
        progress(f"{stack.label}: {REQUESTS} holds, {loop} buyers at a time, {readers} readers")
        pids = {part: stack.pid_of(part) for part in PROFILED} if profile else {}
        with profiled(pids, profiles):
            calls, reads = await timed_holds(client, event, buyers[:REQUESTS], loop, readers)
        load_cpu = time.process_time() - load_before
        requests = len(calls) + len(reads)
        cpu = cpu_figures(cpu_before, stack.cpu_seconds(), load_cpu, requests, len(calls))
        lag, selling = await consumer_lag(stack.js), selling_figures(calls)
        held = [c for c in calls if c.status == 201]
        caught_up = await seconds_to_catch_up(stack.js, created_before + len(held))
        db_ops = ops_per_hold(db_before, await db_snapshot(stack.mongo), max(1, len(held)))
        checked = await oversold(stack, event, len(held))
        rate = selling["holds_per_second_while_selling"]
        progress(f"{stack.label}: {len(held)} holds at {rate}/s, lag {lag}; they pay")
        paying = await pay_holds(stack, client, event, held, loop)
    reading = {"readers": readers, "count": len(reads), **latency_ms(reads)}
    return {
        "selling": {"buyers_at_a_time": loop, **selling},
        **({"availability_reads_ms": reading} if readers else {}),
        "cpu": cpu,
        "db_ops_per_hold": db_ops,
        "sold_out_check": checked,
        "consumers": {"lag_at_end": lag, "seconds_until_caught_up": caught_up},
        "payments": paying,
        **({"profile_while_selling": profiles} if profiles else {}),
    }
