"""General-admission claims in groups: the holds of one ticket type that arrive while
that type's previous claim is in flight go out together (group commit).

A group is first one guarded write, all or none (`claim_all`), on a shard heard of here
to have room for the whole group, the one with the least (best fit): its result says it
took them, with nothing to read back, so a sale's group costs one round trip, and as the
shards fill one by one the last units lie whole on a few, where a group still fits. A
group no shard was heard to have room for (a type not yet read here, the last units), or
that its shard could not take whole, goes to the shards the database says have room:
one read, then on each, all together, one all-or-none write of the claims the read gave
it — or, if the shard changed since, a write that takes them in arrival order while
there is room (`claim_many`): no unit is ever given twice and the first to come is
served first. A claim no single shard can hold takes the split path of
`ga_claims` on its own. Refusals are decided by what the database reported in those same
round trips: a type is refused only when the live holds prove there is no room. After a
sold-out answer, the next group starts with the read instead of a write, so refusing
costs a read, not a write.

That read is also a proof that lasts (handlers/sold_out_proofs.py): until a unit can
come free, the type's holds are refused at once, with no round trip and no group to wait
for. So a flash sale's thousands of refusals cost a few reads a second; a unit given
back is offered again as soon as its release is announced.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from orders.domain.counters import HoldEntry, ShardClaim, TypeRoom
from orders.domain.holds import TicketType
from orders.domain.shards import shard_ids, spread_claims
from orders.handlers.ga_claims import claim_units
from orders.handlers.inventory_ports import CounterInventory
from orders.handlers.sold_out_proofs import SoldOutProofs
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
        self._proofs = SoldOutProofs(counters, clock)
        # Free units of each shard as last read or written here: where a group of claims
        # goes first. A hint only (other replicas, releases, expiries change it): the
        # write's guard decides, and a group the hint misleads reads the type's shards.
        self._free_heard: dict[str, int] = {}

    def released(self, event_id: str) -> None:
        """Units of the event may have come free (a release, a changed definition)."""
        self._proofs.released(event_id)

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
        if self._proofs.holds(key, now):
            return 0  # no group to wait for: two turns of a busy loop (a sale's 409s)
        line = self._lines.get(key)
        if line is None:
            line = Coalescer(partial(self._claim_group, event_id, ticket_type), self._max_group)
            self._lines[key] = line
        return await line.submit(ClaimRequest(HoldEntry(order_id, n, expires_at, now), now))

    async def _claim_group(
        self, event_id: str, ticket_type: TicketType, group: list[ClaimRequest]
    ) -> list[Outcome]:
        key = (event_id, ticket_type.id)
        now = max(request.now for request in group)
        if self._proofs.holds(key, now):
            return [0] * len(group)
        waiting = [request.entry for request in group]
        taken: set[str] = set()
        if self._clock() - self._sold_out_at.get(key, -1e9) > SOLD_OUT_MEMORY_SECONDS:
            units = sum(entry.n for entry in waiting)
            first = self._roomy_shard(event_id, ticket_type, units)
            if first is not None and await self._counters.claim_all(first, waiting, now):
                self._free_heard[first] -= units
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
        roomiest filled first) and write those shards at once → units left. No room left,
        as read or as these writes left it, is a proof (the sold-out groups queued behind
        this one need no read of their own). One at a time, a sale's last units, a few on
        each of many shards, took a write and a read each in turn: holds waited 0.4 s."""
        started = self._proofs.read_starts(event_id)
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
        expiries = [e.expires_at for e in waiting if e.order_id in taken]
        left_room = TypeRoom(free, min(filter(None, [room.next_free_at, *expiries]), default=None))
        self._proofs.record((event_id, ticket_type.id), started, left_room)
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
