"""Background tasks stop for certain, even when a cancellation is swallowed."""

from __future__ import annotations

import asyncio
import logging

import pytest

from ticketing_common.tasks import stop_task

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_task_that_swallows_one_cancellation_is_still_stopped() -> None:
    cancellations = 0

    async def stubborn() -> None:
        nonlocal cancellations
        while True:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                cancellations += 1
                if cancellations == 1:
                    continue  # what a racing asyncio.wait_for does on Python 3.11
                raise

    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    async with asyncio.timeout(5):
        await stop_task(task, retry_seconds=0.05)
    assert task.cancelled()
    assert cancellations == 2


async def test_a_task_that_failed_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    async def broken() -> None:
        raise RuntimeError("relay lost its way")

    task = asyncio.create_task(broken())
    await asyncio.sleep(0)
    with caplog.at_level(logging.ERROR):
        await stop_task(task)
    assert "background task ended with an error" in caplog.text


async def test_no_task_is_nothing_to_stop() -> None:
    await stop_task(None)
