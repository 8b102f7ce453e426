"""The live feed of one event, fed by an in-memory snapshot source (no projection, Mongo
or NATS): the whole snapshot first, then coalesced `changes`, a new welcome when the
seat map changes, and nothing left watching once the last viewer leaves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from orders_availability_kit import availability_snapshot, seat_hold_delta

from orders.availability.deltas import apply_delta
from orders.availability.feed import AvailabilityFeeds
from orders.availability.frames import Frame, Viewer
from orders.availability.snapshot import ChangeListener, Snapshot
from ticketing_common.events import utc_now


class FakeSnapshotSource:
    """Snapshots by event id; `change` does what the projection does after a write."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshots = {snapshot.event.id: snapshot}
        self.watchers: set[ChangeListener] = set()

    def current(self, event_id: str) -> Snapshot | None:
        return self.snapshots.get(event_id)

    async def snapshot(self, event_id: str) -> Snapshot | None:
        return self.snapshots.get(event_id)

    def watch(self, event_id: str, listener: ChangeListener) -> Callable[[], None]:
        self.watchers.add(listener)
        return lambda: self.watchers.discard(listener)

    def change(self, delta: dict[str, Any] | None, reloaded: Snapshot | None = None) -> None:
        if reloaded is not None:
            self.snapshots[reloaded.event.id] = reloaded
        elif delta is not None:
            snap = self.snapshots["e1"]
            apply_delta(snap.counters, snap.seats_by_id, delta)
        for watcher in list(self.watchers):
            watcher(delta)


def hold(source: FakeSnapshotSource, order_id: str, seats: list[str]) -> None:
    source.change(seat_hold_delta(order_id, seats, utc_now() + timedelta(minutes=15)))


async def next_frames(viewer: Viewer) -> list[Frame]:
    frames = await viewer.next(2.0)
    assert frames is not None
    return frames


async def test_a_viewer_gets_the_snapshot_then_one_changes_frame_for_a_burst() -> None:
    source = FakeSnapshotSource(availability_snapshot(utc_now(), 6))
    feeds = AvailabilityFeeds(source)
    async with feeds.watch("e1") as (feed, viewer):
        first = feed.welcome(viewer)
        assert first is not None
        assert first.name == "availability"
        assert [s["state"] for s in first.payload["seats"]] == ["available"] * 6
        hold(source, "o1", ["S-0-1"])
        hold(source, "o2", ["S-0-4"])
        [frame] = await next_frames(viewer)
        assert frame.name == "changes"
        assert frame.id != first.id
        assert frame.payload["ticketTypes"] == [{"id": "std", "sold": 0, "held": 2, "remaining": 4}]
        assert sorted(s["id"] for s in frame.payload["seats"]) == ["S-0-1", "S-0-4"]
    assert not source.watchers


async def test_a_changed_seat_map_welcomes_every_viewer_again() -> None:
    source = FakeSnapshotSource(availability_snapshot(utc_now(), 4))
    feeds = AvailabilityFeeds(source)
    async with feeds.watch("e1") as (feed, viewer):
        feed.welcome(viewer)
        source.change(None, reloaded=availability_snapshot(utc_now(), 5))
        [frame] = await next_frames(viewer)
        assert frame.name == "availability"
        again = feed.welcome(viewer)
        assert again is not None
        assert len(again.payload["seats"]) == 5
    feeds.close()
