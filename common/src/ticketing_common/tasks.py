"""Stopping background tasks for certain.

On Python 3.11 one `cancel()` can be lost: an `asyncio.wait_for` inside the task
swallows the cancellation when its inner wait completes at the same moment, and the
task's loop carries on, so a shutdown that cancels once and awaits can hang forever.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger(__name__)


async def stop_task(task: asyncio.Task[Any] | None, retry_seconds: float = 1.0) -> None:
    """Cancel `task`, again if a cancellation was swallowed, until it has finished."""
    if task is None:
        return
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=retry_seconds)
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("background task ended with an error", exc_info=error)
