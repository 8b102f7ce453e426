"""Seat and listing claims in groups: the claims that arrive while the previous group's
write is in flight go out together (group commit), as general admission's do.

A group is one guarded write over all its units: each unit is set to its own claim's
order, expiry and claim time (`per_document.each`), and only where it is free — the
same guard as a lone claim, so no unit is ever given twice. A read of those units by id
then says which claim got which: a claim is granted when every one of its units is its
own, and gives back what it got otherwise (all or none).

Two claims of one group after the same seat: the first to come is in the write; the
other waits for the next round, where it is refused without a round trip if the seat
went to the first (a lost race, as it would be one by one), and tries again if not. A
lone claim keeps its single conditional write: a group costs a write and a read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from ticketing_common.batching import Coalescer
from ticketing_common.mongo import Document
from ticketing_common.per_document import each

# The guard for "free at `now`" (InventoryStore's), and the release of given-back units.
FreeGuard = Callable[[datetime], Document]
Release = Callable[[list[str], str], Awaitable[None]]


@dataclass(frozen=True)
class UnitClaim:
    unit_ids: tuple[str, ...]
    order_id: str
    expires_at: datetime
    now: datetime


class UnitClaims:
    def __init__(self, units: AsyncCollection[Document], free: FreeGuard, release: Release) -> None:
        self._units = units
        self._free = free
        self._release = release
        self._groups: Coalescer[UnitClaim, bool] = Coalescer(self._claim_group)

    async def claim(self, claim: UnitClaim) -> bool:
        """Every unit for the order, or none."""
        return await self._groups.submit(claim)

    async def _claim_group(self, group: list[UnitClaim]) -> list[bool | BaseException]:
        if len(group) == 1:
            return [await self._claim_alone(group[0])]
        granted: dict[str, bool] = {}
        waiting = group
        while waiting:
            ahead, waiting = _first_claim_per_unit(waiting)
            holders = await self._write_group(ahead)
            granted |= {c.order_id: _all_own(c, holders) for c in ahead}
            for claim in ahead:
                if not granted[claim.order_id] and _owns_any(claim, holders):
                    await self._release(list(claim.unit_ids), claim.order_id)
                    holders |= {u: None for u in claim.unit_ids if holders[u] == claim.order_id}
            # A unit now someone else's is a lost race; the others try again.
            lost = [c for c in waiting if _held_by_other(c, holders)]
            granted |= {c.order_id: False for c in lost}
            waiting = [c for c in waiting if c not in lost]
        return [granted[claim.order_id] for claim in group]

    async def _claim_alone(self, claim: UnitClaim) -> bool:
        ids = list(claim.unit_ids)
        result = await self._units.update_many(
            {"_id": {"$in": ids}, **self._free(claim.now)}, {"$set": _claim_fields(claim)}
        )
        if result.modified_count == len(ids):
            return True
        if result.modified_count:  # a race lost on some units: give back the others
            await self._release(ids, claim.order_id)
        return False

    async def _write_group(self, claims: list[UnitClaim]) -> dict[str, Any]:
        """One guarded write of every claim's units → each unit's order id after it."""
        mine = [(unit, _claim_fields(claim)) for claim in claims for unit in claim.unit_ids]
        ids = [unit for unit, _ in mine]
        # A lone claim's fields, each unit taking its own claim's.
        names = _claim_fields(claims[0])
        claimed = {name: each(ids, [fields[name] for _, fields in mine]) for name in names}
        now = max(claim.now for claim in claims)
        await self._units.update_many({"_id": {"$in": ids}, **self._free(now)}, [{"$set": claimed}])
        cursor = self._units.find({"_id": {"$in": ids}}, {"orderId": 1})
        return {doc["_id"]: doc.get("orderId") async for doc in cursor}


def _claim_fields(claim: UnitClaim) -> Document:
    return {
        "status": "held",
        "orderId": claim.order_id,
        "holdExpiresAt": claim.expires_at,
        "claimedAt": claim.now,
    }


def _first_claim_per_unit(claims: list[UnitClaim]) -> tuple[list[UnitClaim], list[UnitClaim]]:
    """The claims wanting no unit an earlier one wants, and the rest (in arrival order)."""
    taken: set[str] = set()
    ahead, behind = [], []
    for claim in claims:
        if taken.isdisjoint(claim.unit_ids):
            ahead.append(claim)
            taken.update(claim.unit_ids)
        else:
            behind.append(claim)
    return ahead, behind


def _all_own(claim: UnitClaim, holders: dict[str, Any]) -> bool:
    return all(holders.get(unit) == claim.order_id for unit in claim.unit_ids)


def _owns_any(claim: UnitClaim, holders: dict[str, Any]) -> bool:
    return any(holders.get(unit) == claim.order_id for unit in claim.unit_ids)


def _held_by_other(claim: UnitClaim, holders: dict[str, Any]) -> bool:
    return any(holders.get(unit) not in (None, claim.order_id) for unit in claim.unit_ids)
