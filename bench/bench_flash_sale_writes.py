"""Where the database's time goes in a flash sale, command by command.

One 50-buyer sale of the flash-sale benchmark (2,000 holds for 1,000 tickets, through
the gateway, disk-backed stack, 5 availability readers), with the database's profiler on
for every service's database, every operation recorded (`profile` level 2: it costs the
database time of its own, so this run's hold rate is not the sale's figure; the
`flash_sale` section's is). Each row is a collection and a kind of command: how many
commands, how many statements they carried (an `update` or `insert` command carries many
when it is a bulk write), and the milliseconds the database spent in them (its own wall
time, which includes waiting for the other commands it interleaves with), in total, per
successful hold and at most in one command. Then every buyer with a hold pays (50 at a
time, as the `flash_sale` runs pay), profiled the same way until every paid order is
complete: `flash_sale_payment_writes`, per purchase. Run alone:
`make bench ONLY=flash_sale_writes`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bench.flash_sale.buyers import add_users, mint_buyers, sign_up_organizer
from bench.flash_sale.db_profile import database_time, fresh_profiles, profile_entries, profiled
from bench.flash_sale.paying import pay_holds
from bench.flash_sale.plan import QUANTITY, READERS, REQUESTS
from bench.flash_sale.sale import timed_holds
from bench.flash_sale.stack import running_stack
from bench.flash_sale.traffic import create_event, gateway_client
from bench.support import ROWS, progress

BUYERS = 50
METHOD = (
    "one 50-buyer sale with every operation of every service's database profiled; "
    "ms = the database's own wall time in the command (waiting for the commands it "
    "interleaves with included); the profiler's cost makes this run slower than the sale; "
    "then every buyer with a hold pays, profiled the same way until every paid order is "
    "complete"
)


async def run(report: dict[str, Any]) -> None:
    async with running_stack("writes") as stack:
        organizer, model = await sign_up_organizer(stack)
        buyers, users = mint_buyers(REQUESTS, model)
        await add_users(stack, users)
        async with gateway_client(stack.gateway, BUYERS + READERS + 4) as client:
            event = await create_event(client, organizer, QUANTITY, timedelta(days=2))
            await fresh_profiles(stack)
            await profiled(stack, 2)
            progress(f"writes: {REQUESTS} holds, {BUYERS} buyers, every operation profiled")
            calls, _ = await timed_holds(client, event, buyers, BUYERS, READERS)
            await profiled(stack, 0)
            entries = await profile_entries(stack)
            held = [call for call in calls if call.status == 201]
            await fresh_profiles(stack)
            await profiled(stack, 2)
            progress(f"writes: {len(held)} buyers pay, every operation profiled")
            paying = await pay_holds(stack, client, event, held, BUYERS)
            await profiled(stack, 0)
        payment_entries = await profile_entries(stack)
    report["flash_sale_writes"] = {
        ROWS: database_time(entries, len(held), "hold"),
        "holds_201": len(held),
        "operations_profiled": len(entries),
        "method": METHOD,
    }
    purchases = paying["payments_201"]
    report["flash_sale_payment_writes"] = {
        ROWS: database_time(payment_entries, purchases, "purchase"),
        "purchases": purchases,
        "completed_purchases_per_second_profiled": paying["completed_purchases_per_second"],
        "operations_profiled": len(payment_entries),
        "method": METHOD,
    }
