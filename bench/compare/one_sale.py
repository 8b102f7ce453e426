"""One 50-buyer sale (5 availability readers) on a fresh stack of whichever code is on
`PYTHONPATH`, its figures printed as one JSON line: run by `bench.compare` for each side.

Run as a file, so the `bench` package it imports is the measured side's, not this one's.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from bench.flash_sale.buyers import add_users, mint_buyers, sign_up_organizer
from bench.flash_sale.plan import READERS, REQUESTS
from bench.flash_sale.sale import sell
from bench.flash_sale.stack import running_stack


async def main(loop: int) -> dict[str, Any]:
    async with running_stack(f"compare-{loop}") as stack:
        organizer, model = await sign_up_organizer(stack)
        buyers, users = mint_buyers(REQUESTS, model)
        await add_users(stack, users)
        return await sell(stack, buyers, organizer, loop, READERS if loop == 50 else 0)


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(int(sys.argv[1]))), default=str))
