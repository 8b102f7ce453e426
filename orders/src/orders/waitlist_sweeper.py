"""The background task that runs the waiting list's repair pass (handlers/waitlist.py
`sweep_waitlist`) in every orders replica, every `WAITLIST_SWEEP_SECONDS`: a crash
between a release and its offer, or between an offer and its order, is repaired within
that (plus the recovery grace for the latter). Replicas sweeping at once are safe: every
offer is a guarded claim and a write guarded on the entry's status."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from orders.handlers.ports import OrdersUnit
from orders.handlers.waitlist import sweep_waitlist
from ticketing_common.events import utc_now
from ticketing_common.tasks import stop_task

log = logging.getLogger(__name__)


class WaitlistSweeper:
    def __init__(self, uow: OrdersUnit, grace_seconds: float, sweep_seconds: float) -> None:
        self.uow = uow
        self.grace = timedelta(seconds=grace_seconds)
        self.period = sweep_seconds
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=type(self).__name__)

    async def stop(self) -> None:
        await stop_task(self._task)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.period)
            try:
                await sweep_waitlist(self.uow, self.grace, utc_now())
            except Exception:
                log.exception("waiting list sweep failed")
