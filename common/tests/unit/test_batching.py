"""Group commit: concurrent submits share a flush; each caller gets its own outcome."""

from __future__ import annotations

import asyncio

import pytest

from ticketing_common.batching import Coalescer

pytestmark = pytest.mark.asyncio(loop_scope="session")


class Recorder:
    def __init__(self, delay: float = 0.01) -> None:
        self.batches: list[list[int]] = []
        self.delay = delay

    async def flush(self, items: list[int]) -> list[int | BaseException]:
        self.batches.append(items)
        await asyncio.sleep(self.delay)
        return [ValueError(f"odd {i}") if i % 2 else i * 10 for i in items]


async def test_calls_arriving_during_a_flush_go_out_together_in_order() -> None:
    recorder = Recorder()
    coalescer = Coalescer(recorder.flush)
    results = await asyncio.gather(
        *(coalescer.submit(i) for i in range(0, 20, 2)), return_exceptions=True
    )
    assert results == [i * 10 for i in range(0, 20, 2)]
    # All ten were submitted before the first flush ran: one round trip for all.
    assert recorder.batches == [[0, 2, 4, 6, 8, 10, 12, 14, 16, 18]]


async def test_each_caller_gets_its_own_error() -> None:
    coalescer = Coalescer(Recorder().flush)
    results = await asyncio.gather(*(coalescer.submit(i) for i in range(4)), return_exceptions=True)
    assert results[0] == 0
    assert isinstance(results[1], ValueError)
    assert str(results[1]) == "odd 1"
    assert results[2] == 20
    assert isinstance(results[3], ValueError)


async def test_batches_are_capped_and_a_failed_flush_fails_only_its_batch() -> None:
    calls: list[list[int]] = []

    async def flush(items: list[int]) -> list[int | BaseException]:
        calls.append(items)
        await asyncio.sleep(0.01)
        if 3 in items:
            raise ConnectionError("database gone")
        return list(items)

    coalescer = Coalescer(flush, max_batch=3)
    results = await asyncio.gather(*(coalescer.submit(i) for i in range(7)), return_exceptions=True)
    assert all(len(batch) <= 3 for batch in calls)
    failed = next(batch for batch in calls if 3 in batch)
    for i, result in enumerate(results):
        if i in failed:
            assert isinstance(result, ConnectionError)
        else:
            assert result == i


async def test_a_caller_that_gives_up_does_not_cancel_the_others() -> None:
    recorder = Recorder(delay=0.05)
    coalescer = Coalescer(recorder.flush)
    first = asyncio.create_task(coalescer.submit(2))
    second = asyncio.create_task(coalescer.submit(4))
    await asyncio.sleep(0.01)
    first.cancel()
    assert await second == 40
    with pytest.raises(asyncio.CancelledError):
        await first
