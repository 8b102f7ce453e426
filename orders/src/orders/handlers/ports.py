"""What the use cases need of their stores and neighbours, as protocols.

The Mongo stores in `orders.store` implement them for the service (the container in
`orders.container` bundles them); the in-memory fakes of the unit tests
(`tests/orders_fakes.py`) implement them with the same conditional-write semantics.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from orders.availability.snapshot import Snapshot
from orders.domain.counters import HoldEntry, ShardClaim
from orders.domain.holds import EventInfo, HoldTimes, SeatMapChanges, TicketType
from orders.domain.listing import Listing
from orders.domain.order import Order
from orders.domain.recovery import Holding
from ticketing_common.events import Event, EventCreated, EventUpdated, TicketCreated, TicketUpdated


class OrderRepository(Protocol):
    async def insert(self, order: Order, *events: Event) -> None:
        """Record a new order; raises `OrderIdTaken` if its id was fenced meanwhile."""
        ...

    async def get(self, order_id: str) -> Order | None:
        """The order; None for an unknown id or a fence."""
        ...

    async def fence(self, order_id: str, now: datetime) -> bool:
        """Take the id of an order never recorded (a tombstone) → True if it is fenced now
        (by this call or before), False if the order was recorded after all."""
        ...

    async def statuses(self, order_ids: list[str]) -> dict[str, str]:
        """Status of each stored id ("abandoned" for a fence); unknown ids are left out."""
        ...

    async def cancelled_between(self, since: datetime, until: datetime) -> dict[str, str | None]:
        """Orders cancelled in (since, until] → their event ids."""
        ...

    async def pending_of_event(self, event_id: str) -> list[str]: ...

    async def replace_if_unchanged(self, before: Order, after: Order, *events: Event) -> bool:
        """Write `after` (with its events) only while the stored order is still `before`."""
        ...

    async def order_with_ticket(self, ticket_id: str) -> Order | None: ...

    async def mark_ticket_used(self, ticket_id: str, now: datetime) -> bool:
        """Mark an issued ticket used, once: False if it already was."""
        ...


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

    async def claim_many(self, shard: str, entries: list[HoldEntry], now: datetime) -> ShardClaim:
        """Group commit: take the entries in arrival order while the shard has room."""
        ...

    async def free_by_shard(self, event_id: str, type_id: str, now: datetime) -> dict[str, int]: ...

    async def release_shards(self, shards: list[str], order_id: str) -> None: ...

    async def release(self, event_id: str, type_ids: list[str], order_id: str) -> None: ...

    async def entries_of_order(
        self, event_id: str, type_ids: list[str], order_id: str
    ) -> list[tuple[str, str, int]]: ...

    async def sell(self, shard: str, order_id: str, n: int, now: datetime) -> bool: ...

    async def fold(self, shard: str, order_id: str, n: int) -> None: ...


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


class CatalogReplica(Protocol):
    async def event(self, event_id: str) -> EventInfo | None: ...

    async def version_of(self, event_id: str) -> int | None: ...

    async def save_event(
        self, event: EventCreated | EventUpdated, shards: dict[str, int]
    ) -> bool: ...


class InventoryReplica(Protocol):
    async def apply_counters(self, event: EventCreated | EventUpdated) -> dict[str, int]: ...

    async def apply_inventory(self, event: EventCreated | EventUpdated) -> SeatMapChanges: ...

    async def apply_listing(self, event: TicketCreated | TicketUpdated) -> None: ...

    async def listing_version(self, ticket_id: str) -> int | None: ...


class AvailabilityView(Protocol):
    async def changed(self, event_id: str, delta: dict[str, Any] | None = None) -> None: ...

    async def snapshot(self, event_id: str) -> Snapshot | None: ...

    async def fresh_snapshot(self, event_id: str, newer_than: float) -> Snapshot | None: ...


class EventRelay(Protocol):
    def wake(self, document_id: Any = None) -> None: ...


class OrdersUnit(Protocol):
    """Everything a use case works with: the stores, the live availability view, the
    outbox relay, and the settings that are rules (hold times, the ticket-key secret)."""

    @property
    def orders(self) -> OrderRepository: ...

    @property
    def inventory(self) -> UnitInventory: ...

    @property
    def counters(self) -> CounterInventory: ...

    @property
    def claims(self) -> ClaimFinder: ...

    @property
    def group_claims(self) -> ClaimGroups: ...

    @property
    def catalog(self) -> CatalogReplica: ...

    @property
    def replica(self) -> InventoryReplica: ...

    @property
    def availability(self) -> AvailabilityView: ...

    @property
    def relay(self) -> EventRelay: ...

    @property
    def hold_times(self) -> HoldTimes: ...

    @property
    def key_secret(self) -> bytes: ...
