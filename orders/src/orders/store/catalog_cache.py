"""The event definitions a hold reads, kept in memory (one database read per event per
`max_age`, not one per hold).

A definition changes only through `event.created`/`event.updated`; applying one calls
`availability.changed(event_id)`, whose notification reaches every replica, and the
projection passes it on here (`invalidate`). Core NATS may lose a notification, so an
entry is never used once it is `max_age` old (from its read's start): a replica that
missed a change sees it within that bound. Concurrent misses share one read (single
flight), and at most `capacity` events are kept (the least recently loaded go first),
unknown ids included, so a flood of holds for made-up events costs one read per id and
no unbounded memory.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from orders.domain.holds import EventInfo
from orders.handlers.ports import CatalogReplica
from ticketing_common.events import EventCreated, EventUpdated


@dataclass(frozen=True)
class _Entry:
    event: EventInfo | None
    generation: int
    loaded_at: float


class CachedCatalog:
    def __init__(
        self,
        store: CatalogReplica,
        max_age: float,
        capacity: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.max_age = max_age
        self.capacity = capacity
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._generations: dict[str, int] = {}
        self._loads: dict[str, asyncio.Future[EventInfo | None]] = {}

    def generation(self, event_id: str) -> int:
        """Changes whenever the event's definition is known to have changed."""
        return self._generations.get(event_id, 0)

    def invalidate(self, event_id: str) -> None:
        self._generations[event_id] = self.generation(event_id) + 1
        self._entries.pop(event_id, None)

    async def event(self, event_id: str) -> EventInfo | None:
        entry = self._entries.get(event_id)
        if entry is not None and entry.generation == self.generation(event_id):
            age = self._clock() - entry.loaded_at
            if age < self.max_age:
                if age >= self.max_age / 2:
                    self._start_load(event_id)  # read again behind the answer: see below
                return entry.event
        # Shielded: one caller giving up (a client gone) does not cancel the others' read.
        return await asyncio.shield(self._start_load(event_id))

    def _start_load(self, event_id: str) -> asyncio.Future[EventInfo | None]:
        """The event's read in flight, or a new one. An entry past half its age is read
        again while it still answers, so a sale's holds do not all wait for that read
        together, once a second."""
        load = self._loads.get(event_id)
        if load is None:
            load = asyncio.ensure_future(self._load(event_id))
            self._loads[event_id] = load
            load.add_done_callback(lambda done: self._load_done(event_id, done))
        return load

    def _load_done(self, event_id: str, load: asyncio.Future[EventInfo | None]) -> None:
        self._loads.pop(event_id, None)
        if not load.cancelled():
            load.exception()  # a read behind the answer: its error is retried, not lost

    async def _load(self, event_id: str) -> EventInfo | None:
        generation, loaded_at = self.generation(event_id), self._clock()
        event = await self.store.event(event_id)
        self._entries[event_id] = _Entry(event, generation, loaded_at)
        self._entries.move_to_end(event_id)
        while len(self._entries) > self.capacity:
            gone, _ = self._entries.popitem(last=False)
            self._generations.pop(gone, None)
        return event

    async def version_of(self, event_id: str) -> int | None:
        return await self.store.version_of(event_id)

    async def save_event(self, event: EventCreated | EventUpdated, shards: dict[str, int]) -> bool:
        saved = await self.store.save_event(event, shards)
        self.invalidate(event.event_id)
        return saved
