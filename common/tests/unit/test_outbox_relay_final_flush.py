"""A stopping outbox relay publishes what is still pending before it ends, including what
was written during its last pass, and never takes longer than its flush bound."""

from __future__ import annotations

import asyncio
import time
from typing import cast

from ticketing_common.messaging.publisher import Publisher
from ticketing_common.outbox import Relay


class FakeRelay(Relay):
    """Publishes a list instead of a collection; `gate` holds a pass while it is cleared."""

    def __init__(self) -> None:
        super().__init__(cast(Publisher, None), poll_seconds=60)
        self.pending: list[str] = []
        self.published: list[str] = []
        self.passes = 0
        self.gate = asyncio.Event()
        self.gate.set()
        self.in_pass = asyncio.Event()

    async def publish_pending(self) -> int:
        self.passes += 1
        self.in_pass.set()
        await self.gate.wait()
        batch, self.pending = self.pending[:2], self.pending[2:]  # batches of two
        self.published += batch
        return len(batch)


async def test_stop_publishes_what_was_written_since_the_last_pass() -> None:
    relay = FakeRelay()
    relay.start()
    await asyncio.wait_for(relay.in_pass.wait(), 1)
    await asyncio.sleep(0.01)
    relay.pending += ["e1", "e2", "e3"]  # no wake: the next poll is a minute away
    await relay.stop()
    assert relay.published == ["e1", "e2", "e3"]


async def test_an_event_written_during_the_pass_under_way_gets_one_more_pass() -> None:
    relay = FakeRelay()
    relay.start()
    await asyncio.wait_for(relay.in_pass.wait(), 1)
    await asyncio.sleep(0.01)
    relay.gate.clear()
    relay.in_pass.clear()
    relay.wake()
    await asyncio.wait_for(relay.in_pass.wait(), 1)  # a pass is under way, held at the gate
    stopping = asyncio.create_task(relay.stop())
    await asyncio.sleep(0.01)
    relay.pending.append("late")
    relay.gate.set()
    await stopping
    assert relay.published == ["late"]


async def test_a_final_pass_that_hangs_is_cancelled_after_the_flush_bound() -> None:
    relay = FakeRelay()
    relay.start()
    await asyncio.wait_for(relay.in_pass.wait(), 1)
    await asyncio.sleep(0.01)
    relay.gate.clear()  # the next pass never finishes
    started = time.monotonic()
    await relay.stop(flush_seconds=0.2)
    assert 0.2 <= time.monotonic() - started < 1.5


async def test_a_relay_never_started_stops_at_once() -> None:
    await FakeRelay().stop()
