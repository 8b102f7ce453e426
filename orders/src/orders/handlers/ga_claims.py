"""Claiming and selling general-admission units on a type's counter shards.

A claim first tries one random shard (under load most claims end there: one write).
When that fails, the database reports each shard's free units and the claim goes to a
shard with room for all of it, or is split over several; each part is still its own
guarded write, so a lost race only fails that part — the parts already taken are given
back and the claim starts over from a fresh count. The count only picks targets and
words the refusal; it never decides a hold by itself.
"""

from __future__ import annotations

import asyncio
import random
from datetime import datetime

from orders.domain.holds import TicketType
from orders.domain.order import Order
from orders.domain.shards import shard_ids, split_claim
from orders.domain.units import ga_type_ids
from orders.handlers.inventory_ports import CounterInventory
from ticketing_common.failpoints import crash_here

# Rounds of "count, then claim" before a claim racing other splitters gives up.
CLAIM_ROUNDS = 8
_rng = random.SystemRandom()


async def claim_units(
    ga: CounterInventory,
    event_id: str,
    ticket_type: TicketType,
    order_id: str,
    wanted: int,
    expires_at: datetime,
    now: datetime,
) -> int | None:
    """Hold `wanted` units of a type for the order → None, or the units left if it can't."""
    first = _rng.choice(shard_ids(event_id, ticket_type.id, ticket_type.shards))
    if await ga.claim(first, order_id, wanted, expires_at, now):
        return None
    available = 0
    for _ in range(CLAIM_ROUNDS):
        free = await ga.free_by_shard(event_id, ticket_type.id, now)
        available = sum(free.values())
        if available < wanted:
            return available
        taken: list[str] = []
        for shard, part in split_claim(free, wanted, _rng):
            if taken:
                crash_here("orders.hold.split_claim")
            if not await ga.claim(shard, order_id, part, expires_at, now):
                break
            taken.append(shard)
        else:
            return None
        if taken:  # compensate: give back the parts of an incomplete split
            await ga.release_shards(taken, order_id)
        # Racing splitters would collide again in lockstep: spread them out.
        await asyncio.sleep(_rng.uniform(0, 0.02))
    return available


async def sell_units(ga: CounterInventory, order: Order, now: datetime) -> list[str] | None:
    """Mark every entry of the order sold → the shards it was sold on, or None if units
    were lost.

    An entry dropped after its expiry (by another claim's pruning) is gone for good: its
    units may be someone else's now, so the sale fails and the order is cancelled.
    """
    type_ids = ga_type_ids(order)
    if not type_ids or order.event_id is None:
        return []
    entries = await ga.entries_of_order(order.event_id, type_ids, order.id)
    for type_id in type_ids:
        wanted = sum(line.quantity for line in order.lines if line.ticket_type_id == type_id)
        if sum(n for _, of_type, n in entries if of_type == type_id) != wanted:
            return None
    for shard, _, n in entries:
        if not await ga.sell(shard, order.id, n, now):
            return None
    return [shard for shard, _, _ in entries]
