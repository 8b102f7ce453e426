"""Room bounds: the most a type's shards can have free, from a read of them (and the
writes that followed), believed for a while.

Every claim, here or on another replica, only takes units. One comes back only through
a write — a release, a bigger quantity — which every replica hears of as an
availability change (`released`), or when a live entry expires (the read says when:
`TypeRoom.next_free_at`). Until the first of those, and for at most BOUND_SECONDS (a
change notification can be lost: core NATS is at most once), a read's figures less what
was taken here since bound what is free.

A bound of none proves the type sold out: its holds are refused with no round trip. A
bound of a few (a sale's last units) refuses at once the claims that come after enough
others to take them all: first come, first served, the claims ahead counted in arrival
order (`ahead`: admitted here, not yet in the bound). Without that, a sale's last group
left the few dozen claims that came meanwhile waiting for it, then for a read and a
write of their own, to be refused together: the slowest refusals of a sale.

Near the end (fewer than LOW_WATER units heard free) the type is read in the background,
and a bound past half its time is read again while it still answers.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from orders.domain.counters import HoldEntry, TypeRoom, earliest_free
from orders.handlers.inventory_ports import CounterInventory

# The longest a bound is believed without a read (a lost release notification).
BOUND_SECONDS = 1.0
# Fewer units than this heard free: the type's bound is kept fresh in the background.
LOW_WATER = 128

log = logging.getLogger(__name__)
TypeKey = tuple[str, str]  # (event id, ticket type id)
Basis = tuple[float, int]  # when a read started (clock), and the releases heard by then


@dataclass
class Bound:
    until: float  # clock
    free: dict[str, int]  # by shard
    next_free_at: datetime | None

    def left(self, ahead: Iterable[int]) -> int:
        """Units left for one more claim after the claims ahead (arrival order) take theirs."""
        left = sum(self.free.values())
        for n in ahead:
            if n <= left:
                left -= n
        return left


class RoomBounds:
    def __init__(
        self, counters: CounterInventory, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._counters = counters
        self._clock = clock
        self._bounds: dict[TypeKey, Bound] = {}
        # Releases heard of, by event: a read that a release overtook bounds nothing.
        self._releases: dict[str, int] = {}
        self._ahead: dict[TypeKey, dict[str, int]] = {}  # order id -> units, arrival order
        self._reading: dict[TypeKey, asyncio.Task[None]] = {}

    def released(self, event_id: str) -> None:
        """Units of the event may have come free (a release, a changed definition)."""
        self._releases[event_id] = self._releases.get(event_id, 0) + 1
        for key in [key for key in self._bounds if key[0] == event_id]:
            del self._bounds[key]

    def read_starts(self, event_id: str) -> Basis:
        """What a read of the type's room must be recorded with (`record`)."""
        return self._clock(), self._releases.get(event_id, 0)

    def record(self, key: TypeKey, started: Basis, room: TypeRoom) -> None:
        """A read started at `started` found `room` (its holders' claims counted in it)."""
        read_at, releases = started
        if releases != self._releases.get(key[0], 0):
            return
        self._bounds[key] = Bound(read_at + BOUND_SECONDS, dict(room.free), room.next_free_at)
        ahead = self._ahead.get(key, {})
        for order_id in room.holders & ahead.keys():
            del ahead[order_id]

    def took(self, key: TypeKey, shard: str, entries: list[HoldEntry]) -> None:
        """These claims were written on the shard: they count in the bound, not ahead."""
        ahead = self._ahead.get(key, {})
        units = sum(ahead.pop(e.order_id, 0) for e in entries)
        bound = self._bounds.get(key)
        if bound is not None and shard in bound.free:
            bound.free[shard] = max(0, bound.free[shard] - units)
            bound.next_free_at = earliest_free(bound.next_free_at, entries)

    def admit(
        self, key: TypeKey, order_id: str, n: int, now: datetime, heard: Callable[[], int]
    ) -> int | None:
        """A claim comes (`heard`: the units last heard free here, asked only while others
        wait) → None: it goes ahead; or the units left for it, fewer than `n`: refused."""
        bound, ahead = self._valid(key, now), self._ahead.setdefault(key, {})
        contended = bool(ahead) and heard() < LOW_WATER  # claims contend for the last units
        if bound is None:
            if contended:
                self._read_behind(key, now)
        else:
            left = bound.left(ahead.values())
            if self._clock() > bound.until - BOUND_SECONDS / 2 and (contended or not left):
                self._read_behind(key, now)
            if n > left:
                return left
        ahead[order_id] = n
        return None

    def settled(self, key: TypeKey, order_id: str) -> None:
        """The claim was answered: it is not ahead any more."""
        self._ahead.get(key, {}).pop(order_id, None)

    def sold_out(self, key: TypeKey, now: datetime) -> bool:
        bound = self._valid(key, now)
        return bound is not None and not any(bound.free.values())

    def _valid(self, key: TypeKey, now: datetime) -> Bound | None:
        bound = self._bounds.get(key)
        if bound is None or self._clock() >= bound.until:
            return None
        if bound.next_free_at is not None and now >= bound.next_free_at:
            return None
        return bound

    def _read_behind(self, key: TypeKey, now: datetime) -> None:
        if key in self._reading:
            return
        task = asyncio.get_running_loop().create_task(self._read(key, now))
        self._reading[key] = task
        task.add_done_callback(lambda _: self._reading.pop(key, None))

    async def _read(self, key: TypeKey, now: datetime) -> None:
        started = self.read_starts(key[0])
        try:
            room = await self._counters.room_of_type(key[0], key[1], now)
        except Exception:  # the bound runs out and the next group reads instead
            log.warning("room bound not read", exc_info=True, extra={"event_id": key[0]})
            return
        self.record(key, started, room)
