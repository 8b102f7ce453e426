"""Where the database's time goes in a flash sale, command by command.

One 50-buyer sale of the flash-sale benchmark (2,000 holds for 1,000 tickets, through
the gateway, disk-backed stack, 5 availability readers), with the database's profiler on
for every service's database, every operation recorded (`profile` level 2: it costs the
database time of its own, so this run's hold rate is not the sale's figure; the
`flash_sale` section's is). Each row is a collection and a kind of command: how many
commands, how many statements they carried (an `update` or `insert` command carries many
when it is a bulk write), and the milliseconds the database spent in them (its own wall
time, which includes waiting for the other commands it interleaves with), in total, per
successful hold and at most in one command. Run alone: `make bench ONLY=flash_sale_writes`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bench.flash_sale.buyers import add_users, mint_buyers, sign_up_organizer
from bench.flash_sale.db_profile import database_time, profile_entries, profiled
from bench.flash_sale.plan import QUANTITY, READERS, REQUESTS
from bench.flash_sale.sale import timed_holds
from bench.flash_sale.stack import running_stack
from bench.flash_sale.traffic import create_event, gateway_client
from bench.support import ROWS, progress

BUYERS = 50
METHOD = (
    "one 50-buyer sale with every operation of every service's database profiled; "
    "ms = the database's own wall time in the command (waiting for the commands it "
    "interleaves with included); the profiler's cost makes this run slower than the sale"
)


async def run(report: dict[str, Any]) -> None:
    async with running_stack("writes") as stack:
        organizer, model = await sign_up_organizer(stack)
        buyers, users = mint_buyers(REQUESTS, model)
        await add_users(stack, users)
        async with gateway_client(stack.gateway, BUYERS + READERS + 4) as client:
            event = await create_event(client, organizer, QUANTITY, timedelta(days=2))
            await profiled(stack, 2)
            progress(f"writes: {REQUESTS} holds, {BUYERS} buyers, every operation profiled")
            calls, _ = await timed_holds(client, event, buyers, BUYERS, READERS)
            await profiled(stack, 0)
        entries = await profile_entries(stack)
    holds = sum(1 for call in calls if call.status == 201)
    rows = database_time(entries, holds, "hold")
    report["flash_sale_writes"] = {
        ROWS: rows,
        "holds_201": holds,
        "operations_profiled": len(entries),
        "method": METHOD,
    }
