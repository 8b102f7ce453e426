"""Room bounds on in-memory fakes: a sale's last units are spoken for by the claims that
came first, and a claim after them is refused at once — never while a unit could still
be its."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from orders_fakes import NOW, FakeCounters, general_type

from orders.domain.counters import HoldEntry, TypeRoom
from orders.handlers.group_claims import GroupClaims
from orders.handlers.room_bounds import BOUND_SECONDS, RoomBounds

EXPIRES = NOW + timedelta(minutes=15)
KEY = ("e1", "ga")


class GatedCounters(FakeCounters):
    """Writes wait at a gate (a database busy with other work); reads are counted."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.gate.set()
        self.reads = 0

    async def claim_all(self, shard, entries, now):  # type: ignore[no-untyped-def]
        await self.gate.wait()
        return await super().claim_all(shard, entries, now)

    async def claim_many(self, shard, entries, now):  # type: ignore[no-untyped-def]
        await self.gate.wait()
        return await super().claim_many(shard, entries, now)

    async def room_of_type(self, event_id, type_id, now):  # type: ignore[no-untyped-def]
        self.reads += 1
        return await super().room_of_type(event_id, type_id, now)


async def _two_left() -> tuple[GatedCounters, GroupClaims]:
    """A type of 3, one unit taken here (the first claim read the type): 2 left."""
    counters = GatedCounters()
    counters.add_type("e1", "ga", 3)
    groups = GroupClaims(counters)
    assert await _claim(groups, "first") is None
    counters.gate.clear()
    return counters, groups


def _claim(groups: GroupClaims, order_id: str, n: int = 1):  # type: ignore[no-untyped-def]
    return groups.claim("e1", general_type(quantity=3), order_id, n, EXPIRES, NOW)


async def test_a_claim_after_enough_others_to_take_the_last_units_is_refused_at_once() -> None:
    counters, groups = await _two_left()
    ahead = [asyncio.ensure_future(_claim(groups, order_id)) for order_id in ("a", "b")]
    await asyncio.sleep(0)  # both in the line, their write held up

    # Refused while the two ahead of it still wait for their write: nothing to wait for.
    assert await asyncio.wait_for(_claim(groups, "c"), timeout=1) == 0
    assert not any(task.done() for task in ahead)

    counters.gate.set()
    assert await asyncio.gather(*ahead) == [None, None]


async def test_a_claim_ahead_that_wants_more_than_is_left_does_not_count() -> None:
    bounds = RoomBounds(FakeCounters())
    assert bounds.admit(KEY, "three", 3, NOW, heard=lambda: 200) is None  # no bound yet: it goes
    bounds.record(KEY, bounds.read_starts("e1"), TypeRoom({"s0": 2}, None))

    # The claim of 3 will be refused (2 left): the unit behind it is still free for one.
    assert bounds.admit(KEY, "one", 1, NOW, heard=lambda: 2) is None
    assert bounds.admit(KEY, "two", 2, NOW, heard=lambda: 2) == 1


async def test_a_claim_taken_by_a_write_that_a_read_already_counted_is_taken_off_once() -> None:
    bounds = RoomBounds(FakeCounters())
    assert bounds.admit(KEY, "a", 1, NOW, heard=lambda: 200) is None
    started = bounds.read_starts("e1")
    # The read saw a's entry (its write landed first): 2 free, a's unit counted.
    bounds.record(KEY, started, TypeRoom({"s0": 2}, None, frozenset({"a"})))

    bounds.took(KEY, "s0", [HoldEntry("a", 1, EXPIRES, NOW)])  # a's write answers after

    assert bounds.admit(KEY, "b", 2, NOW, heard=lambda: 200) is None  # still 2, not 1


async def test_a_bound_ends_with_a_release_and_after_its_time() -> None:
    clock = [100.0]
    bounds = RoomBounds(FakeCounters(), clock=lambda: clock[0])
    bounds.record(KEY, bounds.read_starts("e1"), TypeRoom({"s0": 0}, None))
    assert bounds.admit(KEY, "a", 1, NOW, heard=lambda: 0) == 0

    bounds.released("e1")
    assert bounds.admit(KEY, "b", 1, NOW, heard=lambda: 0) is None

    bounds.record(KEY, bounds.read_starts("e1"), TypeRoom({"s0": 0}, None))
    clock[0] += BOUND_SECONDS
    assert bounds.admit(KEY, "c", 1, NOW, heard=lambda: 0) is None


async def test_near_the_end_contending_claims_have_the_type_read_in_the_background() -> None:
    counters, groups = await _two_left()
    reads = counters.reads
    first = asyncio.ensure_future(_claim(groups, "a"))
    await asyncio.sleep(0)
    groups.released("e1")  # no bound any more; 2 units heard free, a claim in flight

    second = asyncio.ensure_future(_claim(groups, "b"))
    for _ in range(2):  # the claim comes, then the read it started
        await asyncio.sleep(0)

    assert counters.reads == reads + 1  # read while the claims wait for their write
    counters.gate.set()
    assert await asyncio.gather(first, second) == [None, None]


async def test_a_read_that_a_release_overtook_bounds_nothing() -> None:
    bounds = RoomBounds(FakeCounters())
    started = bounds.read_starts("e1")
    bounds.released("e1")  # heard while the read was on its way: it may not show it

    bounds.record(KEY, started, TypeRoom({"s0": 0}, None))

    assert bounds.admit(KEY, "a", 1, NOW, heard=lambda: 0) is None
