"""How a general-admission type's quantity is spread over its counter shards — no I/O.

A type's counter is K documents, each owning a slice of the quantity, so concurrent
holds land on different documents and no document carries every live hold. K is chosen
when the type first appears and never shrinks; a later quantity change moves slices,
never the sold or held units inside them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

MAX_SHARDS = 32
# A claim's guarded write evaluates the shard's live entries in the embedded database
# (~0.06 ms each): at 200 units a shard a late claim cost 16 ms, at 50 it costs 6-8 ms
# (10 buyers of a 1,000-ticket sale: 110 -> 125 holds/s, `make bench ONLY=flash_sale`).
UNITS_PER_SHARD = 50


def shard_count(quantity: int) -> int:
    return min(MAX_SHARDS, max(1, quantity // UNITS_PER_SHARD))


def shard_id(event_id: str, ticket_type_id: str, shard: int) -> str:
    """Shard 0 keeps the id of the former single counter, so its state carries over."""
    base = f"{event_id}:{ticket_type_id}"
    return base if shard == 0 else f"{base}:{shard}"


def shard_ids(event_id: str, ticket_type_id: str, count: int) -> list[str]:
    return [shard_id(event_id, ticket_type_id, k) for k in range(count)]


def even_slices(total: int, count: int) -> list[int]:
    base, extra = divmod(total, count)
    return [base + (1 if k < extra else 0) for k in range(count)]


def rebalance(quantities: Sequence[int], taken: Sequence[int], total: int) -> list[int]:
    """New slices summing to `total`, moving as little as possible.

    Added units are spread evenly; removed units come out of the shards with the most
    free room first, so no slice drops below what is sold or held in it while the
    total allows (a slice below its taken units would let the other shards oversell).
    """
    slices = list(quantities)
    change = total - sum(slices)
    if change >= 0:
        return [
            q + extra for q, extra in zip(slices, even_slices(change, len(slices)), strict=True)
        ]
    remove = -change
    by_room = sorted(range(len(slices)), key=lambda k: slices[k] - taken[k], reverse=True)
    for k in by_room:
        cut = min(remove, max(0, slices[k] - taken[k]))
        slices[k] -= cut
        remove -= cut
    for k in by_room:  # the total is below what is taken: cut the rest anyway, evenly
        cut = min(remove, slices[k])
        slices[k] -= cut
        remove -= cut
    return slices


def split_claim(free: dict[str, int], wanted: int, rng: random.Random) -> list[tuple[str, int]]:
    """Parts of a claim spread over shards with room, in random order; [] if not enough.

    Whole-shard claims come first (one write, one entry); only when no shard has room
    for all of `wanted` is it split, taking each shard's free units in turn.
    """
    order = [shard for shard, room in free.items() if room > 0]
    rng.shuffle(order)
    whole = [shard for shard in order if free[shard] >= wanted]
    if whole:
        return [(whole[0], wanted)]
    parts = []
    left = wanted
    for shard in order:
        take = min(left, free[shard])
        parts.append((shard, take))
        left -= take
        if left == 0:
            return parts
    return []


def spread_claims(free: dict[str, int], sizes: Sequence[int]) -> dict[str, list[int]]:
    """Claims of these sizes (in arrival order) given out whole to the shards with room,
    the roomiest shard filled first, so as few shards as can be are written → per shard,
    the indexes of its claims in order. A claim no shard has room for stays out (it may
    still be split)."""
    room = dict(free)
    by_room = sorted(room, key=lambda shard: room[shard], reverse=True)
    plan: dict[str, list[int]] = {}
    for index, size in enumerate(sizes):
        shard = next((shard for shard in by_room if room[shard] >= size), None)
        if shard is None:
            continue
        room[shard] -= size
        plan.setdefault(shard, []).append(index)
    return plan
