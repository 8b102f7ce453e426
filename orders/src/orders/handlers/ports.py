"""What the use cases need of their stores and neighbours, as protocols.

The Mongo stores in `orders.store` implement them for the service (the container in
`orders.container` bundles them); the in-memory fakes of the unit tests
(`tests/orders_fakes.py`) implement them with the same conditional-write semantics.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from orders.availability.snapshot import Snapshot
from orders.domain.holds import EventInfo, HoldTimes, SeatMapChanges
from orders.domain.key_ring import KeyRing
from orders.domain.order import Order
from orders.handlers.inventory_ports import (
    ClaimFinder,
    ClaimGroups,
    CounterInventory,
    UnitInventory,
)
from orders.handlers.vouchers_ports import VoucherBook
from orders.handlers.waitlist_ports import WaitlistRepository
from ticketing_common.events import (
    Event,
    EventCreated,
    EventUpdated,
    TicketCancelled,
    TicketCreated,
    TicketUpdated,
)


class OrderRepository(Protocol):
    async def insert(self, order: Order, *events: Event) -> None:
        """Record a new order, its events first (unless `record_events` did); raises
        `OrderIdTaken` if its id was fenced meanwhile."""
        ...

    async def record_events(self, order_id: str, events: Sequence[Event]) -> None:
        """Keep a new order's events where they wait for it (before `insert`)."""
        ...

    async def forget_events(self, order_id: str) -> None:
        """Drop the recorded events of an order that will not be inserted."""
        ...

    async def get(self, order_id: str) -> Order | None:
        """The order; None for an unknown id or a fence."""
        ...

    async def get_many(self, order_ids: list[str]) -> list[Order]: ...

    async def units_held(self, user_id: str, event_id: str, now: datetime) -> int:
        """Tickets the buyer holds for the event in pending, unexpired orders."""
        ...

    async def replace_many_if_unchanged(
        self, changes: list[tuple[Order, Order, Event]]
    ) -> set[str]:
        """`replace_if_unchanged` for many orders at once → the ids written."""
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

    async def live_of_event(self, event_id: str) -> list[str]:
        """Ids of the event's orders not cancelled: pending and complete ones."""
        ...

    async def replace_if_unchanged(self, before: Order, after: Order, *events: Event) -> bool:
        """Write `after` (with its events) only while the stored order is still `before`."""
        ...

    async def order_with_ticket(self, ticket_id: str) -> Order | None: ...

    async def mark_ticket_used(self, ticket_id: str, now: datetime) -> bool:
        """Mark an issued ticket used, once: False if it already was."""
        ...

    async def check_in_counts(self, event_id: str) -> tuple[int, int]:
        """(tickets issued, tickets checked in) of the event's complete orders."""
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

    async def withdraw_listing(self, event: TicketCancelled) -> None: ...

    async def retire_listing(self, ticket_id: str, now: datetime) -> str | None:
        """Take a withdrawn listing off sale once nothing holds it → None; else the id of
        the order holding it."""
        ...


class AvailabilityView(Protocol):
    async def changed(self, event_id: str, delta: dict[str, Any] | None = None) -> None: ...

    async def snapshot(self, event_id: str) -> Snapshot | None: ...

    async def fresh_snapshot(self, event_id: str, newer_than: float) -> Snapshot | None: ...


class EventRelay(Protocol):
    def wake(self, document_id: Any = None, *, created: bool = False) -> None: ...


class OrdersUnit(Protocol):
    """Everything a use case works with: the stores, the live availability view, the
    outbox relay, and the settings that are rules (hold times, the ticket-key ring)."""

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
    def vouchers(self) -> VoucherBook: ...

    @property
    def waitlist(self) -> WaitlistRepository: ...

    @property
    def waitlist_offer_minutes(self) -> float:
        """How long a hold made for the first buyer on a waiting list lasts."""
        ...

    @property
    def replica(self) -> InventoryReplica: ...

    @property
    def availability(self) -> AvailabilityView: ...

    @property
    def relay(self) -> EventRelay: ...

    @property
    def hold_times(self) -> HoldTimes: ...

    @property
    def buyer_cap_factor(self) -> int:
        """A buyer holds at most this many orders' worth of an event's tickets at once."""
        ...

    @property
    def ticket_keys(self) -> KeyRing:
        """Signs issued tickets' keys and verifies them (and the legacy HMAC ones)."""
        ...
