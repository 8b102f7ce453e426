"""Live availability: an in-memory projection per event, refreshed by change notifications.

After a hold, release or sale a replica applies the order's delta to its snapshot at
once and publishes it on NATS core (`availability.<eventId>`); the other replicas
apply it too and tell their live feeds (`availability.feed`), which turn them into
server-sent-event frames. A read never touches the
database while the snapshot is current (states are evaluated at read time, so an
expired hold shows as free at once). A changed event definition forces a reload;
a snapshot older than `max_age` is refreshed in the background, which repairs a lost
notification (core NATS is at-most-once).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg

from orders.availability.deltas import encode
from orders.availability.feed import AvailabilityFeeds
from orders.availability.snapshot import ChangeListener, Snapshot
from orders.store.catalog import CatalogStore
from orders.store.inventory import InventoryStore
from ticketing_common.tasks import stop_task

SUBJECT_PREFIX = "availability."
# A refresh by age comes at most every this many times the last reload's length: a big
# seat map's reload is a long read (5,000 seats: ~0.2 s of the embedded database's one
# core), which every 2 s was a tenth of its time in a seated sale.
RELOAD_SPACING = 20


@dataclass
class _Slot:
    generation: int = 0
    snapshot: Snapshot | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    watchers: set[ChangeListener] = field(default_factory=set)
    # Deltas seen while a reload is reading the database, re-applied to its result.
    in_flight: list[dict[str, Any]] | None = None
    refresh: asyncio.Task[None] | None = None
    reload_seconds: float = 0.0  # how long the last reload took


class AvailabilityProjection:
    def __init__(
        self, catalog: CatalogStore, inventory: InventoryStore, nats: NatsClient, max_age: float
    ) -> None:
        self.catalog = catalog
        self.inventory = inventory
        self.nats = nats
        self.max_age = max_age
        self.source = uuid.uuid4().hex
        self._slots: dict[str, _Slot] = {}
        self._subscription: Any = None
        self.feeds = AvailabilityFeeds(self)
        # Told of every changed event definition (e.g. the hold path's event cache), and
        # of every change that may free units: a release or a changed definition (e.g.
        # the group claims' room bounds).
        self.definition_listeners: list[Callable[[str], None]] = []
        self.release_listeners: list[Callable[[str], None]] = []

    def _slot(self, event_id: str) -> _Slot:
        return self._slots.setdefault(event_id, _Slot())

    async def start(self) -> None:
        self._subscription = await self.nats.subscribe(SUBJECT_PREFIX + "*", cb=self._on_message)

    async def stop(self) -> None:
        self.feeds.close()
        if self._subscription is not None:
            with contextlib.suppress(Exception):
                await self._subscription.unsubscribe()
        for slot in self._slots.values():
            await stop_task(slot.refresh)

    async def _on_message(self, msg: Msg) -> None:
        event_id = msg.subject.removeprefix(SUBJECT_PREFIX)
        try:
            delta = json.loads(msg.data) if msg.data else None
        except ValueError:
            delta = None
        if delta is not None and delta.get("source") == self.source:
            return  # applied locally already
        self._apply(event_id, delta)

    def _apply(self, event_id: str, delta: dict[str, Any] | None) -> None:
        if delta is None:
            for listener in self.definition_listeners:
                listener(event_id)
        if delta is None or delta.get("op") == "released":
            for listener in self.release_listeners:
                listener(event_id)
        slot = self._slots.get(event_id)
        if slot is None:
            return
        if delta is None:
            slot.generation += 1  # the definition changed: reload before the next read
        else:
            if slot.snapshot is not None:
                slot.snapshot.apply(delta)
            if slot.in_flight is not None:
                slot.in_flight.append(delta)
        self._notify(slot, delta)

    @staticmethod
    def _notify(slot: _Slot, delta: dict[str, Any] | None) -> None:
        for watcher in list(slot.watchers):
            watcher(delta)

    async def changed(self, event_id: str, delta: dict[str, Any] | None = None) -> None:
        """After a write: apply here at once, then tell the other replicas."""
        self._apply(event_id, delta)
        payload = encode(delta, self.source) if delta is not None else b""
        with contextlib.suppress(Exception):
            await self.nats.publish(SUBJECT_PREFIX + event_id, payload)

    def watch(self, event_id: str, listener: ChangeListener) -> Callable[[], None]:
        """Call `listener` on every change of the event's snapshot; returns the unwatch."""
        slot = self._slot(event_id)
        slot.watchers.add(listener)
        return lambda: slot.watchers.discard(listener)

    def current(self, event_id: str) -> Snapshot | None:
        """The snapshot held right now, without waiting for a reload."""
        slot = self._slots.get(event_id)
        return slot.snapshot if slot is not None else None

    async def snapshot(self, event_id: str) -> Snapshot | None:
        slot = self._slot(event_id)
        snap = slot.snapshot
        if snap is not None and snap.generation == slot.generation:
            max_age = max(self.max_age, RELOAD_SPACING * slot.reload_seconds)
            if time.monotonic() - snap.loaded_at > max_age and slot.refresh is None:
                # Only age (a lost notification) speaks for a reload: do it in the background.
                slot.refresh = asyncio.create_task(self._refresh(event_id, slot))
            return snap
        async with slot.lock:
            if slot.snapshot is not None and slot.snapshot.generation == slot.generation:
                return slot.snapshot
            return await self._reload(event_id, slot)

    async def fresh_snapshot(self, event_id: str, newer_than: float) -> Snapshot | None:
        """A snapshot read from the database after `newer_than` (a `time.monotonic()`).

        Callers that lost races on the in-memory view ask for this; concurrent callers
        share one reload instead of each reading the whole seat map again.
        """
        slot = self._slot(event_id)
        async with slot.lock:
            snap = slot.snapshot
            current = snap is not None and snap.generation == slot.generation
            if snap is not None and current and snap.loaded_at >= newer_than:
                return snap
            return await self._reload(event_id, slot)

    async def _refresh(self, event_id: str, slot: _Slot) -> None:
        try:
            async with slot.lock:
                await self._reload(event_id, slot)
        finally:
            slot.refresh = None

    async def _reload(self, event_id: str, slot: _Slot) -> Snapshot | None:
        generation, started = slot.generation, time.monotonic()
        slot.in_flight = []
        try:
            event = await self.catalog.event(event_id)
            if event is None:
                return None
            counters = {
                doc["ticketTypeId"]: doc for doc in await self.inventory.counters_of_event(event_id)
            }
            seats = await self.inventory.seats_of_event(event_id)
            slot.reload_seconds = time.monotonic() - started
            snapshot = Snapshot(event, counters, seats, generation, time.monotonic())
            for delta in slot.in_flight:
                snapshot.apply(delta)
        finally:
            slot.in_flight = None
        slot.snapshot = snapshot
        self._notify(slot, None)  # watchers compare the reloaded states with what they sent
        return slot.snapshot
