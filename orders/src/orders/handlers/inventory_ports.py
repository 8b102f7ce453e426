"""What the use cases need of the inventory, as protocols: seat and listing units,
general-admission counters, the claims the recovery sweep looks at, and grouped claims.

Implemented by `orders.store` (and `handlers/group_claims.py`) for the service and by
the in-memory fakes of the unit tests (`tests/orders_fakes.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from orders.domain.counters import HoldEntry, ShardClaim, TypeRoom
from orders.domain.holds import TicketType
from orders.domain.listing import Listing
from orders.domain.recovery import Holding


class UnitInventory(Protocol):
    """Seats and resale listings, one unit each."""

    async def hold_units(
        self, unit_ids: list[str], order_id: str, expires_at: datetime, now: datetime
    ) -> bool:
        """All or none: claim every unit that is free (or whose hold expired)."""
        ...

    async def release_units(self, unit_ids: list[str], order_id: str) -> None:
        """Free the units the order holds or bought; idempotent."""
        ...

    async def release_orders(self, order_ids: list[str]) -> None:
        """Free every unit these orders hold or bought; idempotent."""
        ...

    async def sell_units(self, unit_ids: list[str], order_id: str) -> bool: ...

    async def count_free_units(self, unit_ids: list[str], now: datetime) -> int: ...

    async def seat_types(self, event_id: str, seat_ids: list[str]) -> dict[str, str]: ...

    async def listing(self, ticket_id: str) -> Listing | None: ...


class CounterInventory(Protocol):
    """General admission: counter shards whose hold entries carry order id and expiry."""

    async def claim(
        self, shard: str, order_id: str, n: int, expires_at: datetime, now: datetime
    ) -> bool:
        """Take `n` units on one shard while that many are free."""
        ...

    async def claim_all(self, shard: str, entries: list[HoldEntry], now: datetime) -> bool:
        """Group commit: take every entry where the shard has room for them all, or none."""
        ...

    async def claim_many(self, shard: str, entries: list[HoldEntry], now: datetime) -> ShardClaim:
        """Group commit: take the entries in arrival order while the shard has room."""
        ...

    async def free_by_shard(self, event_id: str, type_id: str, now: datetime) -> dict[str, int]: ...

    async def room_of_type(self, event_id: str, type_id: str, now: datetime) -> TypeRoom:
        """Free units by shard, and when the first live entry expires (one read)."""
        ...

    async def release_shards(self, shards: list[str], order_id: str) -> None: ...

    async def release(self, event_id: str, type_ids: list[str], order_id: str) -> None: ...

    async def release_orders(self, event_ids: list[str], order_ids: list[str]) -> None: ...

    async def entries_of_order(
        self, event_id: str, type_ids: list[str], order_id: str
    ) -> list[tuple[str, str, int]]: ...

    async def sell(self, shard: str, order_id: str, n: int, now: datetime) -> bool: ...

    async def fold(self, shard: str, order_id: str) -> None: ...


class ClaimFinder(Protocol):
    """Where the recovery sweep finds claims: counter entries and held units."""

    async def claimed_between(
        self, since: datetime, until: datetime, now: datetime
    ) -> dict[str, Holding]:
        """By order: its live, unsold claims made in (since, until]."""
        ...

    async def held_by(self, order_ids: list[str], event_ids: list[str]) -> dict[str, Holding]:
        """By order: what these orders (their counters among these events) still hold."""
        ...


class ClaimGroups(Protocol):
    """Claims of general-admission units, grouped per ticket type (handlers/group_claims)."""

    async def claim(
        self,
        event_id: str,
        ticket_type: TicketType,
        order_id: str,
        n: int,
        expires_at: datetime,
        now: datetime,
    ) -> int | None:
        """None when claimed, else the units the type had left."""
        ...

    def released(self, event_id: str) -> None:
        """Units of the event may have come free: a room bound read before no longer holds."""
        ...
