"""Sold-out refusals: what a 409 costs once a type is proven sold out.

A flash sale's refusals come in bursts: 50 buyers in a closed loop are answered together
when the last units go, and send again at once. With the type proven sold out no refusal
waits for the database (orders/src/orders/handlers/room_bounds.py), so how fast a burst
drains is the cost of one request through the gateway and orders' HTTP stack, times the
requests ahead of it: this bench measures that cost alone. On a stack started as
`make dev` starts it, one event of one ticket (held first), then 3,000 single-ticket
holds from distinct signed-in buyers, 50 at a time, every one refused (the first 300 warm
the processes and are not counted). Figures: refusals/s, latency, server CPU per request
by part, and a sampling profile of orders: where a refusal's CPU goes.
Run alone: `make bench ONLY=sold_out` (about a minute).
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from bench.flash_sale.buyers import add_users, mint_buyers, sign_up_organizer
from bench.flash_sale.figures import cpu_figures
from bench.flash_sale.profile import profiled
from bench.flash_sale.stack import running_stack
from bench.flash_sale.traffic import closed_loop, create_event, gateway_client, hold
from bench.support import latency_ms, progress

BUYERS = 50
WARM_UP = 300
REFUSALS = 2_700
# Functions of the profile kept: past the dozen frames of the middleware chain every
# request passes through, to where the chain spends (dependencies, the session, logging).
PROFILE_TOP = 40


async def run(report: dict[str, Any]) -> None:
    async with running_stack("sold-out") as stack:
        organizer, model = await sign_up_organizer(stack)
        buyers, users = mint_buyers(1 + WARM_UP + REFUSALS, model)
        await add_users(stack, users)
        async with gateway_client(stack.gateway, BUYERS + 4) as client:
            event = await create_event(client, organizer, 1, timedelta(days=2))
            first = await hold(client, event, buyers[0])
            if first.status != 201:
                raise RuntimeError(f"the only ticket was not held: {first.status}")
            warm, counted = buyers[1 : 1 + WARM_UP], buyers[1 + WARM_UP :]
            await closed_loop(warm, BUYERS, lambda buyer: hold(client, event, buyer))
            progress(f"sold-out: {len(counted)} refusals, {BUYERS} buyers at a time")
            cpu_before, load_before = stack.cpu_seconds(), time.process_time()
            profiles: dict[str, Any] = {}
            started = time.perf_counter()
            with profiled({"orders": stack.pid_of("orders")}, profiles, PROFILE_TOP):
                calls = await closed_loop(counted, BUYERS, lambda buyer: hold(client, event, buyer))
            seconds = time.perf_counter() - started
            load_cpu = time.process_time() - load_before
            cpu = cpu_figures(cpu_before, stack.cpu_seconds(), load_cpu, len(calls), len(calls))
    statuses = sorted({call.status for call in calls})
    report["sold_out"] = {
        "buyers_at_a_time": BUYERS,
        "refusals": len(calls),
        "statuses": statuses,
        "refusals_per_second": round(len(calls) / seconds, 1),
        "latency_ms": latency_ms([call.seconds for call in calls]),
        "cpu": cpu,
        "profile_orders": profiles.get("orders", {}),
    }
    if statuses != [409]:
        raise RuntimeError(f"a sold-out type answered {statuses}, not only 409")
