"""When a general-admission hold entry still takes its units — the one definition.

A counter shard is `{quantity, sold, holds: [{orderId, n, expiresAt, sold?}]}`. An
entry is live while it is sold or its `expiresAt` is still ahead, so an expired hold is
free at once, before any write prunes it. The rule is written twice by necessity: in
Python (`entry_is_live`, for what is read into memory) and as the aggregation
expression the stores' guarded writes and counts use (`entry_is_live_expression`).
Both sit here, side by side; change them together
(tests/integration/store/test_orders_counters.py checks they agree on the same entries).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

SOLD = "sold"
EXPIRES_AT = "expiresAt"


def entry_is_live(entry: Mapping[str, Any], now: datetime) -> bool:
    return entry.get(SOLD) is True or bool(entry[EXPIRES_AT] > now)


def entry_is_live_expression(now: datetime, entry: str = "$$h") -> dict[str, Any]:
    """`entry_is_live` as an aggregation condition on the variable `entry`."""
    return {"$or": [{"$eq": [f"{entry}.{SOLD}", True]}, {"$gt": [f"{entry}.{EXPIRES_AT}", now]}]}


def counter_free(doc: Mapping[str, Any], now: datetime) -> tuple[int, int]:
    """(held, remaining) of a counter document at `now`."""
    held = sum(h["n"] for h in doc.get("holds", []) if entry_is_live(h, now))
    return held, doc["quantity"] - doc["sold"] - held


@dataclass(frozen=True)
class TypeRoom:
    """What a type's shards have free at a moment, and the earliest moment one of their
    live entries can come free by itself (its expiry): until then only a write (a
    release, a bigger quantity) can give a unit back. `holders`: the orders whose live
    entries it counts."""

    free: dict[str, int]
    next_free_at: datetime | None
    holders: frozenset[str] = frozenset()


def type_room(shards: Sequence[Mapping[str, Any]], now: datetime) -> TypeRoom:
    """The room of a type's shard documents at `now`."""
    free = {doc["_id"]: max(0, counter_free(doc, now)[1]) for doc in shards}
    holders = frozenset(
        h["orderId"] for doc in shards for h in doc.get("holds", []) if entry_is_live(h, now)
    )
    return TypeRoom(free, next_expiry(shards, now), holders)


def earliest_free(next_free_at: datetime | None, added: Iterable[HoldEntry]) -> datetime | None:
    """The first moment a unit can come free by itself once these entries are added."""
    return min(filter(None, [next_free_at, *(e.expires_at for e in added)]), default=None)


def next_expiry(docs: Iterable[Mapping[str, Any]], now: datetime) -> datetime | None:
    """The earliest expiry of a live unsold entry of these counter documents: the first
    moment one of their units comes free by itself."""
    expiries = (
        h[EXPIRES_AT]
        for doc in docs
        for h in doc.get("holds", [])
        if h.get(SOLD) is not True and entry_is_live(h, now)
    )
    return min(expiries, default=None)


@dataclass(frozen=True)
class HoldEntry:
    """A claim of `n` units for an order, as a counter shard keeps it."""

    order_id: str
    n: int
    expires_at: datetime
    claimed_at: datetime

    def document(self) -> dict[str, Any]:
        return {
            "orderId": self.order_id,
            "n": self.n,
            EXPIRES_AT: self.expires_at,
            "claimedAt": self.claimed_at,
        }


@dataclass(frozen=True)
class ShardClaim:
    """What one group write on a shard did: the orders it took, the units left free."""

    taken: frozenset[str]
    free: int


def take_in_order(free: int, wanted: Sequence[int]) -> tuple[list[bool], int]:
    """Group commit's rule: claims are taken in arrival order while the shard has room for
    each (one too big is passed over; a later, smaller one may still fit) → (taken?, left).

    Written twice like the live rule: here, and as the update pipeline the counter store
    sends (`take_in_order_expression`); the store and fake tests check they agree.
    """
    taken = []
    for n in wanted:
        fits = n <= free
        taken.append(fits)
        free -= n if fits else 0
    return taken, free


def take_in_order_expression(free: Any, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """`take_in_order` as an aggregation expression → `{free, taken: [entry, ...]}`."""
    room_for_this = {"$gte": ["$$value.free", "$$this.n"]}
    take_this = {
        "free": {"$subtract": ["$$value.free", "$$this.n"]},
        "taken": {"$concatArrays": ["$$value.taken", ["$$this"]]},
    }
    return {
        "$reduce": {
            "input": entries,
            "initialValue": {"free": free, "taken": []},
            "in": {"$cond": [room_for_this, take_this, "$$value"]},
        }
    }


def merge_shards(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One counter document per type, as if unsharded: what availability reads."""
    merged: dict[str, dict[str, Any]] = {}
    for doc in docs:
        into = merged.setdefault(
            doc["ticketTypeId"],
            {"ticketTypeId": doc["ticketTypeId"], "quantity": 0, "sold": 0, "holds": []},
        )
        into["quantity"] += doc["quantity"]
        into["sold"] += doc["sold"]
        into["holds"] += doc.get("holds", [])
    return list(merged.values())
