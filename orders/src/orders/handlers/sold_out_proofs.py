"""Sold-out proofs: a read of a type's shards that found no room (or the writes that
took its last units and left none), believed for a while.

With no room, a unit can only come free when a live entry expires (the read says when:
`TypeRoom.next_free_at`) or through a write — a release, or a bigger quantity — which
every replica hears of as an availability change (`released`). Until the first of
those, and for at most PROOF_SECONDS (a change notification can be lost: core NATS is
at most once), the type's holds are refused with no round trip at all.

A proof past half its time is read again in the background while it still answers: a
sale's refusals do not all wait for that read together, once a second, and a proof is
still never older than PROOF_SECONDS.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime

from orders.domain.counters import TypeRoom
from orders.handlers.inventory_ports import CounterInventory

# The longest a sold-out proof is believed without a read (a lost release notification).
PROOF_SECONDS = 1.0

log = logging.getLogger(__name__)
TypeKey = tuple[str, str]  # (event id, ticket type id)


class SoldOutProofs:
    def __init__(
        self, counters: CounterInventory, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._counters = counters
        self._clock = clock
        # A type proven sold out: until when (clock), and the first expiry of its entries.
        self._proven: dict[TypeKey, tuple[float, datetime | None]] = {}
        # Releases heard of, by event: a read that a release overtook proves nothing.
        self._releases: dict[str, int] = {}
        self._renewing: dict[TypeKey, asyncio.Task[None]] = {}

    def released(self, event_id: str) -> None:
        """Units of the event may have come free (a release, a changed definition)."""
        self._releases[event_id] = self._releases.get(event_id, 0) + 1
        for key in [key for key in self._proven if key[0] == event_id]:
            del self._proven[key]

    def read_starts(self, event_id: str) -> tuple[float, int]:
        """What a read of the type's room must be recorded with (`record`)."""
        return self._clock(), self._releases.get(event_id, 0)

    def record(self, key: TypeKey, started: tuple[float, int], room: TypeRoom) -> None:
        """A read started at `started` found `room`: no room, and no release heard since
        it started, is a proof; room ends the one there was."""
        read_at, releases = started
        if not any(room.free.values()) and releases == self._releases.get(key[0], 0):
            self._proven[key] = (read_at + PROOF_SECONDS, room.next_free_at)
        elif any(room.free.values()):
            self._proven.pop(key, None)

    def holds(self, key: TypeKey, now: datetime) -> bool:
        """The type is proven sold out now; a proof past half its time is read again."""
        proof = self._proven.get(key)
        if proof is None:
            return False
        until, next_free_at = proof
        left = until - self._clock()
        if left <= 0 or (next_free_at is not None and now >= next_free_at):
            return False
        if left < PROOF_SECONDS / 2 and key not in self._renewing:
            task = asyncio.get_running_loop().create_task(self._renew(key, now))
            self._renewing[key] = task
            task.add_done_callback(lambda _: self._renewing.pop(key, None))
        return True

    async def _renew(self, key: TypeKey, now: datetime) -> None:
        started = self.read_starts(key[0])
        try:
            room = await self._counters.room_of_type(key[0], key[1], now)
        except Exception:  # the proof runs out and the next group reads instead
            log.warning("sold-out proof not renewed", exc_info=True, extra={"event_id": key[0]})
            return
        self.record(key, started, room)
