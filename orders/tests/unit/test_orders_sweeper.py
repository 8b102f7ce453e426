"""The sweeper task on in-memory fakes: its first pass frees what a crash left, each
pass moves the window on, a failed pass keeps it, and it stops when asked."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from orders_fakes import FakeUnit, general_type

from orders.sweeper import AbandonedHoldSweeper
from ticketing_common.events import utc_now


async def _abandoned_claim() -> FakeUnit:
    """Units claimed 30 s ago by a hold whose order was never written."""
    uow = FakeUnit()
    claimed_at = utc_now() - timedelta(seconds=30)
    uow.add_event(claimed_at, general_type("ga", quantity=10))
    expires = claimed_at + timedelta(minutes=15)
    assert await uow.counters.claim("e1:ga", "ghost", 4, expires, claimed_at)
    return uow


async def test_the_first_pass_frees_abandoned_claims_and_the_window_moves_on() -> None:
    uow = await _abandoned_claim()
    sweeper = AbandonedHoldSweeper(uow, grace_seconds=10, sweep_seconds=5)

    assert await sweeper.sweep_once() == ["ghost"]

    assert uow.counters.shards["e1:ga"]["holds"] == []
    since = sweeper.windows.since
    assert since is not None
    assert timedelta(seconds=14) < utc_now() - since < timedelta(seconds=16)


async def test_a_failed_pass_keeps_its_window_for_the_next() -> None:
    uow = FakeUnit()
    sweeper = AbandonedHoldSweeper(uow, grace_seconds=10, sweep_seconds=5)

    async def unreachable(*args: object) -> None:
        raise ConnectionError("database down")

    uow.orders.cancelled_between = unreachable  # type: ignore[method-assign,assignment]
    assert await sweeper.sweep_once() == []  # a first pass reads no cancels
    since = sweeper.windows.since
    with pytest.raises(ConnectionError):
        await sweeper.sweep_once()
    assert sweeper.windows.since == since


async def test_it_sweeps_in_the_background_until_stopped() -> None:
    uow = await _abandoned_claim()
    sweeper = AbandonedHoldSweeper(uow, grace_seconds=10, sweep_seconds=0.05)
    sweeper.start()
    try:
        async with asyncio.timeout(5):
            while uow.counters.shards["e1:ga"]["holds"]:
                await asyncio.sleep(0.01)
    finally:
        await sweeper.stop()
    task = sweeper._task
    assert task is not None
    assert task.done()
