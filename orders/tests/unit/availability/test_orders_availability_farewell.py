"""A stream ended by a shutdown: the viewer wakes at once, nothing more is sent for it but
the farewell, which tells the browser to reconnect soon (spread over a second)."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable

from orders_availability_kit import availability_snapshot

from orders.availability.feed import AvailabilityFeeds
from orders.availability.frames import FAREWELL_RETRY_MS, Viewer, farewell
from orders.availability.snapshot import ChangeListener, Snapshot
from ticketing_common.events import utc_now


class OneSnapshot:
    """A snapshot source holding one event's snapshot that never changes."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.held = snapshot

    def current(self, event_id: str) -> Snapshot | None:
        return self.held

    async def snapshot(self, event_id: str) -> Snapshot | None:
        return self.held

    def watch(self, event_id: str, listener: ChangeListener) -> Callable[[], None]:
        return lambda: None


async def test_ending_a_viewer_wakes_its_wait_at_once() -> None:
    viewer = Viewer()
    waiting = asyncio.create_task(viewer.next(60))
    await asyncio.sleep(0)
    started = time.monotonic()
    viewer.end()
    assert await asyncio.wait_for(waiting, 1) is None
    assert viewer.ended
    assert time.monotonic() - started < 0.5


async def test_an_ended_viewer_gets_no_keep_alive_and_no_frames() -> None:
    feeds = AvailabilityFeeds(OneSnapshot(availability_snapshot(utc_now(), 4)))
    async with feeds.watch("e1") as (feed, viewer):
        assert feed.welcome(viewer) is not None
        assert await feed.next_text(viewer, 0.01) == ": keep-alive\n\n"
        viewer.end()
        assert await feed.next_text(viewer, 60) is None


def test_the_farewell_is_a_comment_and_a_retry_in_the_spread_with_no_event() -> None:
    low, high = FAREWELL_RETRY_MS
    retries = set()
    for _ in range(50):
        text = farewell()
        match = re.fullmatch(r": server stopping, reconnect\nretry: (\d+)\n\n", text)
        assert match is not None
        retries.add(int(match.group(1)))
    assert low <= min(retries)
    assert max(retries) <= high
    assert len(retries) > 1  # spread, not one instant for every browser
