"""The flash-sale benchmark's expiry wave alone, twice: as it runs, then with the
database's profiler on while the holds expire (bench/flash_sale/db_profile.py).

1,000 holds of 20 s whose `expiresAt` fall within 15 s (bench/flash_sale/expiry.py): how
late each order's `order.cancelled` was stored, in two legs (the broker's scheduled
`expiration.complete`, then orders), and, in the profiled run, where the database's time
went while they expired, per cancelled order. A minute or two where `make bench
ONLY=flash_sale` takes half an hour: `make bench ONLY=expiry_wave`.
"""

from __future__ import annotations

from typing import Any

from bench.flash_sale.buyers import mint_buyers, sign_up_organizer
from bench.flash_sale.expiry import expiry_wave
from bench.flash_sale.plan import WAVE_HOLDS
from bench.flash_sale.stack import running_stack

METHOD = (
    "the flash_sale benchmark's expiry wave on a fresh stack, then again with every"
    " service's database profiled while the holds expire (the profiler's own cost makes"
    " that run later); ms = the database's own wall time in the commands"
)


async def run(report: dict[str, Any]) -> None:
    async with running_stack("wave-buyers") as stack:
        organizer, model = await sign_up_organizer(stack)
        buyers, users = mint_buyers(WAVE_HOLDS, model)
    crowd = (buyers, organizer, [*users, model])
    report["expiry_wave"] = {
        "wave": await expiry_wave(*crowd),
        "profiled_wave": await expiry_wave(*crowd, profile=True),
        "method": METHOD,
    }
