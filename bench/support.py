"""What the benchmarks share: embedded servers of their own, percentiles, secrets."""

from __future__ import annotations

import asyncio
import contextlib
import math
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from ticketing_common.devstack import StackSettings, Supervisor
from ticketing_common.devstack.parts import infrastructure_parts
from ticketing_common.testing.http import free_port

JWT_KEY = "bench-signing-key-that-is-long-enough-0123456789"
TICKET_KEY_SECRET = "bench-ticket-key-secret-0123456789abcdef"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


@contextlib.asynccontextmanager
async def embedded_servers(name: str) -> AsyncIterator[tuple[StackSettings, Supervisor]]:
    """SecantusDB (in memory) and nats-server on free ports, stopped afterwards."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    stack = StackSettings(
        data_dir=data_dir,
        in_memory=True,
        mongo_port=free_port(),
        nats_port=free_port(),
        stripe_port=free_port(),
    )
    # The database and the broker only; the payment provider plays no part here.
    supervisor = Supervisor(
        infrastructure_parts(stack)[:2], data_dir / "logs", stack.host, lambda _: None
    )
    await asyncio.to_thread(supervisor.start_all)
    try:
        yield stack, supervisor
    finally:
        with contextlib.suppress(Exception):
            await asyncio.to_thread(supervisor.stop_all)
