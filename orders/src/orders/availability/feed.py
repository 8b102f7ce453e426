"""Live availability feeds: one producer per watched event, fanned out to every viewer.

A viewer gets the whole snapshot once (`availability`), then `changes` frames naming
only the seats and types touched since the previous frame. The producer wakes on a
change or when the next hold runs out, renders each frame once and hands the same
text to every viewer; it sends at most one frame per `FRAME_INTERVAL`, so a burst of
holds arrives as one frame. Frame ids are `<feed>-<n>`: a reconnect naming any id
gets a full snapshot again (a feed keeps no history, and another replica has other ids).
The projection owns the feeds; they reach it only as a `SnapshotSource`, so this module
does not import the projection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import deque
from collections.abc import AsyncIterator
from typing import Any, NamedTuple

from orders.availability.diff import SentState, same_definition
from orders.availability.frames import MAX_BACKLOG, Frame, Viewer, merged, sse
from orders.availability.render import render
from orders.availability.snapshot import Snapshot, SnapshotSource
from ticketing_common.events import utc_now

FRAME_INTERVAL = 0.25
# The producer looks at the snapshot at least this often (an event ending, a reload).
TICK_SECONDS = 15.0
log = logging.getLogger(__name__)


class _Render(NamedTuple):
    snapshot: Snapshot
    frame: Frame


class EventFeed:
    def __init__(self, projection: SnapshotSource, event_id: str) -> None:
        self.projection = projection
        self.event_id = event_id
        self.prefix = uuid.uuid4().hex[:8]
        self.version = 0
        self.viewers: set[Viewer] = set()
        # The baseline of the first frame: what a viewer joining now is shown.
        snapshot = projection.current(event_id)
        self.state = SentState(snapshot, utc_now()) if snapshot is not None else None
        self._seat_ids: set[str] = set()
        self._type_ids: set[str] = set()
        self._wake = asyncio.Event()
        self._render: _Render | None = None
        # The latest `changes` frames: a viewer joining on an older render gets them too.
        self._recent: deque[Frame] = deque(maxlen=MAX_BACKLOG)
        self._unwatch = projection.watch(event_id, self._on_change)
        self._task = asyncio.create_task(self._run())

    @property
    def frame_id(self) -> str:
        return f"{self.prefix}-{self.version}"

    def close(self) -> None:
        self._unwatch()
        self._task.cancel()

    def welcome(self, viewer: Viewer) -> Frame | None:
        """The whole snapshot for `viewer`, plus the frames sent since it was rendered.

        Rendering 50,000 seats takes a tenth of a second, so one render serves every
        viewer joining until the snapshot is reloaded; the `changes` frames sent since
        are queued for the viewer, so it ends up where everyone else is.
        """
        snapshot = self.projection.current(self.event_id)
        if snapshot is None:
            return None
        render_ = self._render
        oldest = self._recent[0].version - 1 if self._recent else self.version
        if render_ is None or render_.snapshot is not snapshot or render_.frame.version < oldest:
            frame = sse(self.version, self.frame_id, "availability", render(snapshot, utc_now()))
            self._render = render_ = _Render(snapshot, frame)
        for later in self._recent:
            if later.version > render_.frame.version:
                viewer.push(later)
        return render_.frame

    async def next_text(self, viewer: Viewer, quiet_seconds: float) -> str | None:
        """What to send `viewer` next: its queued frames as one, a whole snapshot when it
        fell behind, or a keep-alive after `quiet_seconds`; None when it has ended."""
        frames = await viewer.next(quiet_seconds)
        if viewer.ended:
            return None
        if frames is None:
            return ": keep-alive\n\n"
        if viewer.behind or any(f.name == "availability" for f in frames):
            viewer.behind = False
            whole = self.welcome(viewer)
            return whole.text if whole is not None else None
        return merged(frames).text

    def _on_change(self, delta: dict[str, Any] | None) -> None:
        for line in (delta or {}).get("lines", []):
            self._type_ids.add(line["typeId"])
            if line["seatId"]:
                self._seat_ids.add(line["seatId"])
        self._wake.set()

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._timeout())
            self._wake.clear()
            try:
                await self._emit()
            except Exception:  # a bad frame must not end the feed for every viewer
                log.exception("availability frame failed", extra={"eventId": self.event_id})
            await asyncio.sleep(FRAME_INTERVAL)  # what arrives meanwhile goes in one frame

    def _timeout(self) -> float:
        now = utc_now()
        wake_at = self.state.next_expiry(now) if self.state is not None else None
        if wake_at is None:
            return TICK_SECONDS
        return max(0.0, min(TICK_SECONDS, (wake_at - now).total_seconds() + 0.05))

    async def _emit(self) -> None:
        snapshot = await self.projection.snapshot(self.event_id)
        if snapshot is None:
            return
        now = utc_now()
        seat_ids, self._seat_ids = self._seat_ids, set()
        type_ids, self._type_ids = self._type_ids, set()
        if self.state is None:
            self.state = SentState(snapshot, now)
            return
        if not same_definition(self.state.snapshot, snapshot):
            # The seat map or the types changed: a `changes` frame cannot say that.
            self.state = SentState(snapshot, now)
            self._render = None
            self._recent.clear()
            self._broadcast("availability", {})  # each viewer is welcomed again
            return
        payload = self.state.advance(snapshot, now, seat_ids, type_ids)
        if payload is not None:
            self._broadcast("changes", payload)

    def _broadcast(self, name: str, payload: dict[str, Any]) -> None:
        self.version += 1
        frame = sse(self.version, self.frame_id, name, payload)
        if name == "changes":
            self._recent.append(frame)
        for viewer in self.viewers:
            viewer.push(frame)


class AvailabilityFeeds:
    """The feeds of one replica, by event; a feed lives while someone watches."""

    def __init__(self, projection: SnapshotSource) -> None:
        self.projection = projection
        self._feeds: dict[str, EventFeed] = {}

    @contextlib.asynccontextmanager
    async def watch(self, event_id: str) -> AsyncIterator[tuple[EventFeed, Viewer]]:
        await self.projection.snapshot(event_id)  # loaded before the first frame renders
        feed = self._feeds.get(event_id)
        if feed is None:
            feed = self._feeds[event_id] = EventFeed(self.projection, event_id)
        viewer = Viewer()
        # No await from here to `welcome`: every later change reaches the viewer.
        feed.viewers.add(viewer)
        try:
            yield feed, viewer
        finally:
            feed.viewers.discard(viewer)
            if not feed.viewers and self._feeds.get(event_id) is feed:
                feed.close()
                del self._feeds[event_id]

    def close(self) -> None:
        for feed in self._feeds.values():
            feed.close()
        self._feeds.clear()
