"""After the sale: every buyer with a hold pays through the gateway (the payment fake
charges `tok_visa`); the stream tells when every paid order is complete (lag.py)."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from bench.flash_sale.checks import counter_units, units_by_status
from bench.flash_sale.dbops import db_snapshot, ops_per_hold
from bench.flash_sale.figures import cpu_figures
from bench.flash_sale.gateway import GatewayClient
from bench.flash_sale.lag import ORDER_COMPLETED, consumer_lag, messages_on, seconds_until_published
from bench.flash_sale.stack import Stack
from bench.flash_sale.traffic import Call, SaleEvent, closed_loop, pay
from bench.support import latency_ms, progress


async def pay_holds(
    stack: Stack, client: GatewayClient, event: SaleEvent, held: list[Call], loop: int
) -> dict[str, Any]:
    """`loop` buyers at a time pay their holds → purchases/s, latency of POST
    /api/payments, and the seconds until every paid order is complete."""
    completed_before = await messages_on(stack.js, ORDER_COMPLETED)
    db_before, cpu_before = await db_snapshot(stack.mongo), stack.cpu_seconds()
    started, load_before = time.perf_counter(), time.process_time()
    calls = await closed_loop(held, loop, lambda h: pay(client, h))
    last_answer, lag = time.perf_counter(), await consumer_lag(stack.js, ("orders",))
    paid = [c for c in calls if c.status == 201]
    expected = completed_before + len(paid)
    complete_after = await seconds_until_published(stack.js, ORDER_COMPLETED, expected)
    total = time.perf_counter() - started
    load_cpu = time.process_time() - load_before
    cpu = cpu_figures(cpu_before, stack.cpu_seconds(), load_cpu, len(calls), len(calls))
    db_ops = ops_per_hold(db_before, await db_snapshot(stack.mongo), max(1, len(paid)))
    units = await units_by_status(stack, event)
    done = f"{complete_after}s after the last" if complete_after is not None else "not all"
    progress(f"{stack.label}: {len(paid)} paid, {units['complete']} complete ({done})")
    return {
        "payments_201": len(paid),
        "other_statuses": dict(Counter(c.status for c in calls if c.status != 201)),
        "other_reasons": dict(Counter(c.reason for c in calls if c.status != 201)),
        "completed_purchases_per_second": round(len(paid) / total, 1),
        "post_payments_latency_ms": latency_ms([c.seconds for c in calls]),
        "paying_seconds": round(last_answer - started, 2),
        "orders_consumer_lag_at_last_payment": lag["orders"],
        "seconds_after_last_payment_until_all_complete": complete_after,
        "units_complete": units["complete"],
        "counters_sold": (await counter_units(stack, event))["sold"],
        "cpu_until_all_complete": cpu,
        "db_ops_per_purchase": db_ops,
    }
