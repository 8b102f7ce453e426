"""General-admission claims in groups: the holds of one ticket type that arrive while
that type's previous claim is in flight go out together (group commit).

A group is first one guarded write, all or none (`claim_all`), on the shard heard of
here to have the least room that still fits it (best fit): one round trip, nothing to
read back, and as the shards fill one by one the last units lie whole on a few. A group
no shard was heard to fit (a type not yet read here, the last units), or that its shard
could not take whole, reads the type's shards, then writes each shard the read gave
claims to at once: all or none, or, if the shard changed since, in arrival order while
there is room (`claim_many`). No unit is given twice; the first to come is served first;
a claim no single shard can hold is split (`ga_claims`) on its own. After a sold-out
answer, the next group reads before it writes: refusing costs a read, not a write.

That read, less what was taken here since, bounds the type's room for a while
(handlers/room_bounds.py): a claim behind enough others to take what is left is refused
at once, no round trip, no group to wait for; a sale's refusals cost a few reads a second.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from orders.domain.counters import HoldEntry, ShardClaim, TypeRoom, earliest_free
from orders.domain.holds import TicketType
from orders.domain.shards import shard_ids, spread_claims
from orders.handlers.ga_claims import claim_units
from orders.handlers.inventory_ports import CounterInventory
from orders.handlers.room_bounds import LOW_WATER, RoomBounds
from ticketing_common.batching import Coalescer

# How long a "sold out" answer makes the next group read before it writes.
SOLD_OUT_MEMORY_SECONDS = 0.5
_rng = random.SystemRandom()


@dataclass(frozen=True)
class ClaimRequest:
    entry: HoldEntry
    now: datetime


# None: claimed. An int: refused, with the units the type had left.
Outcome = int | None


class GroupClaims:
    def __init__(
        self,
        counters: CounterInventory,
        max_group: int = 64,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._counters = counters
        self._max_group = max_group
        self._clock = clock
        self._lines: dict[tuple[str, str], Coalescer[ClaimRequest, Outcome]] = {}
        self._sold_out_at: dict[tuple[str, str], float] = {}
        self._bounds = RoomBounds(counters, clock)
        # Free units of each shard as last read or written here: where a group goes first.
        # A hint only: the write's guard decides; a group the hint misleads reads.
        self._free_heard: dict[str, int] = {}

    def released(self, event_id: str) -> None:
        """Units of the event may have come free (a release, a changed definition)."""
        self._bounds.released(event_id)

    async def claim(
        self,
        event_id: str,
        ticket_type: TicketType,
        order_id: str,
        n: int,
        expires_at: datetime,
        now: datetime,
    ) -> Outcome:
        """Hold `n` units of the type for the order → None, or the units left if it can't."""
        key = (event_id, ticket_type.id)
        heard = partial(self._heard_free, event_id, ticket_type)
        if (refused := self._bounds.admit(key, order_id, n, now, heard)) is not None:
            return refused  # no group to wait for: two turns of a busy loop (a sale's 409s)
        line = self._lines.get(key)
        if line is None:
            line = Coalescer(partial(self._claim_group, event_id, ticket_type), self._max_group)
            self._lines[key] = line
        try:
            return await line.submit(ClaimRequest(HoldEntry(order_id, n, expires_at, now), now))
        finally:
            self._bounds.settled(key, order_id)

    def _heard_free(self, event_id: str, ticket_type: TicketType) -> int:
        """Units last heard free here on the type's shards (a shard not heard: LOW_WATER)."""
        shards = shard_ids(event_id, ticket_type.id, ticket_type.shards)
        return sum(self._free_heard.get(shard, LOW_WATER) for shard in shards)

    async def _claim_group(
        self, event_id: str, ticket_type: TicketType, group: list[ClaimRequest]
    ) -> list[Outcome]:
        key = (event_id, ticket_type.id)
        now = max(request.now for request in group)
        if self._bounds.sold_out(key, now):
            return [0] * len(group)
        waiting = [request.entry for request in group]
        taken: set[str] = set()
        if self._clock() - self._sold_out_at.get(key, -1e9) > SOLD_OUT_MEMORY_SECONDS:
            units = sum(entry.n for entry in waiting)
            first = self._roomy_shard(event_id, ticket_type, units)
            if first is not None and await self._counters.claim_all(first, waiting, now):
                self._free_heard[first] -= units
                self._bounds.took(key, first, waiting)
                taken, waiting = {entry.order_id for entry in waiting}, []
        # The units the type has left: known once a group read its shards.
        left: int | None = None
        if waiting:
            left = await self._claim_where_room(event_id, ticket_type, waiting, taken, now)
        if left == 0:
            self._sold_out_at[key] = self._clock()
        else:
            self._sold_out_at.pop(key, None)
        return [await self._outcome(event_id, ticket_type, r, taken, left or 0) for r in group]

    def _roomy_shard(self, event_id: str, ticket_type: TicketType, units: int) -> str | None:
        """Best fit (ties at random; at random, near the end no shard fit the groups: each
        read and spread over a dozen, two round trips). None: the group reads first."""
        shards = shard_ids(event_id, ticket_type.id, ticket_type.shards)
        fits = [(self._free_heard[s], s) for s in shards if self._free_heard.get(s, -1) >= units]
        if not fits:
            return None
        least = min(free for free, _ in fits)
        return _rng.choice([s for free, s in fits if free == least])

    async def _claim_where_room(
        self,
        event_id: str,
        ticket_type: TicketType,
        waiting: list[HoldEntry],
        taken: set[str],
        now: datetime,
    ) -> int:
        """Give the waiting claims out to the shards with room (`spread_claims`: the
        roomiest filled first) and write those shards at once → units left. The room as
        these writes left it is a bound: the groups queued behind need no read of theirs."""
        started = self._bounds.read_starts(event_id)
        room = await self._counters.room_of_type(event_id, ticket_type.id, now)
        free = dict(room.free)
        self._free_heard.update(free)
        plan = spread_claims(free, [entry.n for entry in waiting])
        results = await asyncio.gather(
            *(
                self._claim_planned(shard, [waiting[i] for i in claims], free[shard], now)
                for shard, claims in plan.items()
            )
        )
        for shard, result in zip(plan, results, strict=True):
            taken |= result.taken
            free[shard] = self._free_heard[shard] = result.free
        next_free_at = earliest_free(room.next_free_at, [e for e in waiting if e.order_id in taken])
        left_room = TypeRoom(free, next_free_at, room.holders | taken)
        self._bounds.record((event_id, ticket_type.id), started, left_room)
        return sum(free.values())

    async def _claim_planned(
        self, shard: str, entries: list[HoldEntry], free: int, now: datetime
    ) -> ShardClaim:
        """Claims the read says the shard has room for: all at once, nothing to read back;
        if the shard changed since, in arrival order while it has room."""
        if await self._counters.claim_all(shard, entries, now):
            return ShardClaim(
                frozenset(e.order_id for e in entries), free - sum(e.n for e in entries)
            )
        return await self._counters.claim_many(shard, entries, now)

    async def _outcome(
        self,
        event_id: str,
        ticket_type: TicketType,
        request: ClaimRequest,
        taken: set[str],
        left: int,
    ) -> Outcome:
        entry = request.entry
        if entry.order_id in taken:
            return None
        if entry.n > left:
            return left
        # Room in total but on no single shard: split this claim over several, alone.
        return await claim_units(
            self._counters,
            event_id,
            ticket_type,
            entry.order_id,
            entry.n,
            entry.expires_at,
            request.now,
        )
