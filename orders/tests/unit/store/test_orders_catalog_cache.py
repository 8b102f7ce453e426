"""The in-memory event definitions a hold reads: one read per event per max age, a
changed definition read again at once, concurrent misses sharing one read, bounded."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from orders_fakes import NOW, FakeUnit, general_type

from orders.domain.holds import EventInfo
from orders.store.catalog_cache import CachedCatalog


class CountingCatalog:
    """The fake catalog, counting reads; an answer takes a turn of the event loop."""

    def __init__(self, unit: FakeUnit) -> None:
        self.unit = unit
        self.reads = 0

    async def event(self, event_id: str) -> EventInfo | None:
        self.reads += 1
        event = await self.unit.catalog.event(event_id)
        await asyncio.sleep(0)  # the answer is on its way back
        return event

    async def version_of(self, event_id: str) -> int | None:
        return await self.unit.catalog.version_of(event_id)

    async def save_event(self, event: object, shards: dict[str, int]) -> bool:
        raise NotImplementedError


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def cached(capacity: int = 10) -> tuple[FakeUnit, CountingCatalog, CachedCatalog, Clock]:
    unit = FakeUnit()
    unit.add_event(NOW, general_type())
    store, clock = CountingCatalog(unit), Clock()
    return unit, store, CachedCatalog(store, 1.0, capacity, clock), clock  # type: ignore[arg-type]


async def test_holds_within_the_max_age_read_the_definition_once() -> None:
    _, store, cache, clock = cached()

    first = await cache.event("e1")
    clock.now += 0.9
    again = await cache.event("e1")

    assert first is not None
    assert first == again
    assert store.reads == 1
    clock.now += 0.2  # older than the max age: a lost change notification is repaired
    await cache.event("e1")
    assert store.reads == 2


async def test_past_half_its_age_an_entry_answers_while_it_is_read_again() -> None:
    unit, store, cache, clock = cached()
    before = await cache.event("e1")
    assert before is not None
    unit.catalog.events["e1"] = replace(before, version=1)  # a change nobody announced
    clock.now += 0.6

    assert await cache.event("e1") == before  # at once, with no wait for the read
    assert await cache.event("e1") == before  # one read behind the answers, not two
    for _ in range(3):
        await asyncio.sleep(0)

    assert store.reads == 2
    clock.now += 0.6  # past the first read's max age: the second one's answer is served
    renewed = await cache.event("e1")
    assert renewed is not None
    assert renewed.version == 1
    assert store.reads == 2


async def test_a_changed_definition_is_read_again_at_once() -> None:
    unit, store, cache, _ = cached()
    before = await cache.event("e1")
    assert before is not None
    unit.catalog.events["e1"] = replace(before, status="cancelled", version=1)

    assert await cache.event("e1") == before  # nobody said it changed yet
    cache.invalidate("e1")
    after = await cache.event("e1")

    assert after is not None
    assert after.status == "cancelled"
    assert store.reads == 2


async def test_a_change_during_a_read_leaves_nothing_stale_behind() -> None:
    unit, store, cache, _ = cached()
    reading = asyncio.ensure_future(cache.event("e1"))
    while not store.reads:
        await asyncio.sleep(0)  # until the read has the old definition
    event = unit.catalog.events["e1"]
    unit.catalog.events["e1"] = replace(event, status="cancelled", version=1)
    cache.invalidate("e1")
    await reading

    after = await cache.event("e1")

    assert after is not None
    assert after.status == "cancelled"
    assert store.reads == 2


async def test_concurrent_misses_share_one_read() -> None:
    _, store, cache, _ = cached()

    events = await asyncio.gather(*(cache.event("e1") for _ in range(50)))

    assert store.reads == 1
    assert all(e is not None and e.id == "e1" for e in events)


async def test_unknown_events_are_remembered_too_but_only_up_to_the_capacity() -> None:
    _, store, cache, _ = cached(capacity=3)

    for n in range(5):
        assert await cache.event(f"made-up-{n}") is None
    assert await cache.event("made-up-4") is None  # remembered: no read
    assert store.reads == 5
    assert await cache.event("made-up-0") is None  # evicted: read again
    assert store.reads == 6
