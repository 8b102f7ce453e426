"""The background task that runs the recovery sweep (handlers/recovery.py) in every
orders replica: a first pass over every live claim as the replica starts, then a pass
every `sweep` seconds over the window that passed the grace since (see
orders.domain.recovery for the windows and the bound they give).
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta

from orders.domain.recovery import SweepWindows
from orders.handlers.ports import OrdersUnit
from orders.handlers.recovery import release_abandoned_holds
from ticketing_common.events import utc_now
from ticketing_common.tasks import stop_task

log = logging.getLogger(__name__)


class AbandonedHoldSweeper:
    def __init__(self, uow: OrdersUnit, grace_seconds: float, sweep_seconds: float) -> None:
        self.uow = uow
        self.windows = SweepWindows(
            timedelta(seconds=grace_seconds), timedelta(seconds=sweep_seconds)
        )
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=type(self).__name__)

    async def stop(self) -> None:
        # A pass cut short is harmless: every release is idempotent, the next replica's
        # passes (or this one's first pass on restart) look at its claims again.
        await stop_task(self._task)

    async def sweep_once(self) -> list[str]:
        """One pass over the next window → the order ids whose claims were released."""
        now = utc_now()
        until = self.windows.until(now)
        released = await release_abandoned_holds(self.uow, self.windows.since, until, now)
        self.windows.advance(until)  # only after a pass that went through
        return released

    async def _run(self) -> None:
        period = self.windows.sweep.total_seconds()
        while True:
            started = time.monotonic()
            try:
                await self.sweep_once()
            except Exception:
                # The window is kept: the next pass covers this one's too.
                log.exception("abandoned-hold sweep failed")
            await asyncio.sleep(max(0.0, period - (time.monotonic() - started)))
