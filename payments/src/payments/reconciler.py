"""The background loop that runs a reconciliation pass every few seconds.

Started by `main.wire`, stopped through `runtime.on_shutdown`: a pass under way is
given a moment to finish, so a refund is not cut between the provider and the store
(even then, its claim goes stale and the next pass finishes it with the same key).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from payments.context import Payments
from payments.reconciliation import refund_cancelled_orders, settle_stale_attempts

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 10.0


class Reconciler:
    def __init__(self, ctx: Payments, every_seconds: float, batch_size: int = 100) -> None:
        self.ctx = ctx
        self.every_seconds = every_seconds
        self.batch_size = batch_size
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="payments-reconciler")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is None:
            return
        try:
            # On timeout wait_for cancels the pass (and waits for it to unwind).
            await asyncio.wait_for(self._task, STOP_GRACE_SECONDS)
        except TimeoutError:
            log.warning("reconciliation pass cut short at shutdown")

    async def run_pass(self) -> tuple[int, int]:
        """One pass: (attempts settled, refunds handled)."""
        # Attempts first: one that turns out paid for a cancelled order is refunded in it.
        settled = await settle_stale_attempts(self.ctx, self.batch_size)
        refunds = await refund_cancelled_orders(self.ctx, self.batch_size)
        if settled or refunds:
            log.info(
                "reconciliation pass",
                extra={"attempts_settled": settled, "refunds_handled": refunds},
            )
        return settled, refunds

    async def _run(self) -> None:
        # The first pass runs at start-up: what a crashed predecessor left is found at once.
        while not self._stopping.is_set():
            try:
                await self.run_pass()
            except Exception:
                log.exception("reconciliation pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.every_seconds)
