"""In-memory fakes of what the orders use cases work with (`orders.handlers.ports`), so
the use cases run in unit tests without Mongo or NATS.

They keep the stores' conditional-write semantics: a unit or counter is claimed only
while free (or its hold expired), releases are idempotent and only touch the order's
own holds, and an order is replaced only while it is still the version (and settling
state) the change was decided on; a fenced order id (the recovery's tombstone) cannot
be recorded any more. Documents keep the stores' field names (`claimedAt` included),
so the availability snapshot reads them as it reads the database's, and the recovery's
reads (`FakeClaims`) find what `orders.store.claims` finds on the same documents
(tests/integration/store/test_orders_claims.py checks it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from orders_vouchers_fakes import FakeVouchers
from orders_waitlist_fakes import FakeWaitlist

from orders.availability.snapshot import Snapshot
from orders.domain.counters import (
    HoldEntry,
    ShardClaim,
    TypeRoom,
    counter_free,
    entry_is_live,
    merge_shards,
    take_in_order,
    type_room,
)
from orders.domain.errors import OrderIdTaken
from orders.domain.holds import EventInfo, HoldTimes, SeatMapChanges, TicketType
from orders.domain.key_ring import KeyRing, key_ring
from orders.domain.listing import Listing
from orders.domain.order import Order
from orders.domain.recovery import ABANDONED, Claim, Holding, by_order, claimed_within
from orders.domain.shards import even_slices, shard_id
from orders.domain.units import listing_unit_id, seat_unit_id
from orders.handlers.group_claims import GroupClaims
from ticketing_common.events import Event, EventCreated, EventUpdated, TicketCreated, TicketUpdated

Document = dict[str, Any]
HELD_OR_SOLD = ("held", "sold")
FREE: Document = {"status": "available", "orderId": None, "holdExpiresAt": None}


class FakeOrders:
    def __init__(self) -> None:
        self.stored: dict[str, Order] = {}
        self.recorded: dict[str, list[Event]] = {}  # the events written with each order
        self.fences: dict[str, datetime] = {}  # the recovery's tombstones: id -> abandonedAt

    async def insert(self, order: Order, *events: Event) -> None:
        if order.id in self.fences:
            raise OrderIdTaken(order.id)
        if order.id in self.stored:
            return  # as the store: the same order again (a driver's retry) is no change
        self.stored[order.id] = order
        if events:
            self.recorded[order.id] = list(events)

    async def record_events(self, order_id: str, events: Sequence[Event]) -> None:
        self.recorded[order_id] = list(events)

    async def forget_events(self, order_id: str) -> None:
        self.recorded.pop(order_id, None)

    async def get(self, order_id: str) -> Order | None:
        return self.stored.get(order_id)

    async def units_held(self, user_id: str, event_id: str, now: datetime) -> int:
        return sum(
            o.units
            for o in self.stored.values()
            if (o.user_id, o.event_id) == (user_id, event_id) and o.pending and o.expires_at > now
        )

    async def get_many(self, order_ids: list[str]) -> list[Order]:
        return [self.stored[i] for i in order_ids if i in self.stored]

    async def replace_many_if_unchanged(
        self, changes: list[tuple[Order, Order, Event]]
    ) -> set[str]:
        return {
            before.id
            for before, after, event in changes
            if await self.replace_if_unchanged(before, after, event)
        }

    async def fence(self, order_id: str, now: datetime) -> bool:
        if order_id in self.stored:
            return False
        self.fences.setdefault(order_id, now)
        return True

    async def statuses(self, order_ids: list[str]) -> dict[str, str]:
        found = {i: self.stored[i].status for i in order_ids if i in self.stored}
        return {**found, **{i: ABANDONED for i in order_ids if i in self.fences}}

    async def cancelled_between(self, since: datetime, until: datetime) -> dict[str, str | None]:
        return {
            o.id: o.event_id
            for o in self.stored.values()
            if o.cancelled_at is not None and since < o.cancelled_at <= until
        }

    async def live_of_event(self, event_id: str) -> list[str]:
        return [
            o.id for o in self.stored.values() if o.event_id == event_id and o.status != "cancelled"
        ]

    async def replace_if_unchanged(self, before: Order, after: Order, *events: Event) -> bool:
        current = self.stored.get(before.id)
        if current is None or (current.version, current.settling) != (
            before.version,
            before.settling,
        ):
            return False
        if after == current and not events:
            return False  # nothing modified, as the database reports it
        self.stored[before.id] = after
        self.recorded[before.id].extend(events)
        return True

    async def order_with_ticket(self, ticket_id: str) -> Order | None:
        return next(
            (o for o in self.stored.values() if any(t.id == ticket_id for t in o.tickets)), None
        )

    async def mark_ticket_used(self, ticket_id: str, now: datetime) -> bool:
        order = await self.order_with_ticket(ticket_id)
        if order is None or order.status != "complete":
            return False
        ticket = next(t for t in order.tickets if t.id == ticket_id)
        if ticket.used_at is not None:
            return False
        used = [replace(t, used_at=now) if t.id == ticket_id else t for t in order.tickets]
        self.stored[order.id] = replace(order, tickets=used)
        return True

    async def check_in_counts(self, event_id: str) -> tuple[int, int]:
        tickets = [
            t
            for o in self.stored.values()
            if o.event_id == event_id and o.status == "complete"
            for t in o.tickets
        ]
        return len(tickets), sum(1 for t in tickets if t.used_at is not None)


def _unit_is_free(unit: Document, now: datetime) -> bool:
    """Available, or held with an expired hold (as `store.inventory.free_unit`)."""
    expires = unit.get("holdExpiresAt")
    return unit["status"] in ("available", "held") and not (expires is not None and expires > now)


class FakeInventory:
    """Seat and listing units, one document each."""

    def __init__(self) -> None:
        self.units: dict[str, Document] = {}

    def add_seat(self, event_id: str, seat_id: str, type_id: str, row: str, index: int) -> None:
        self.units[seat_unit_id(event_id, seat_id)] = {
            "kind": "seat",
            "eventId": event_id,
            "seatId": seat_id,
            "section": "Stalls",
            "row": row,
            "label": str(index + 1),
            "index": index,
            "ticketTypeId": type_id,
            "layout": len(self.units),
            **FREE,
        }

    def add_listing(self, listing: Listing) -> None:
        self.units[listing_unit_id(listing.id)] = {"kind": "listing", "listing": listing, **FREE}

    def unit(self, unit_id: str) -> Document:
        return self.units[unit_id]

    async def hold_units(
        self, unit_ids: list[str], order_id: str, expires_at: datetime, now: datetime
    ) -> bool:
        claimed = 0
        for unit_id in dict.fromkeys(unit_ids):
            unit = self.units.get(unit_id)
            if unit is not None and _unit_is_free(unit, now):
                unit.update(
                    status="held", orderId=order_id, holdExpiresAt=expires_at, claimedAt=now
                )
                claimed += 1
        if claimed == len(unit_ids):
            return True
        await self.release_units(unit_ids, order_id)
        return False

    def _of_order(self, unit_ids: list[str], order_id: str) -> list[Document]:
        units = [self.units.get(unit_id) for unit_id in dict.fromkeys(unit_ids)]
        return [u for u in units if u and u["orderId"] == order_id and u["status"] in HELD_OR_SOLD]

    async def release_units(self, unit_ids: list[str], order_id: str) -> None:
        for unit in self._of_order(unit_ids, order_id):
            unit.update(FREE)
            unit.pop("claimedAt", None)

    async def release_orders(self, order_ids: list[str]) -> None:
        for unit in self.units.values():
            if unit.get("orderId") in order_ids and unit["status"] in HELD_OR_SOLD:
                unit.update(FREE)
                unit.pop("claimedAt", None)

    async def sell_units(self, unit_ids: list[str], order_id: str) -> bool:
        units = self._of_order(unit_ids, order_id)
        for unit in units:
            unit["status"] = "sold"
            unit.pop("claimedAt", None)
        return len(units) == len(unit_ids)

    def claims(self, keep: Callable[[Document], bool]) -> list[Claim]:
        """Claims on the held units for which `keep(unit)` holds."""
        return [
            Claim(u["orderId"], unit_id, 1, u.get("eventId"))
            for unit_id, u in self.units.items()
            if u["status"] == "held" and keep(u)
        ]

    async def count_free_units(self, unit_ids: list[str], now: datetime) -> int:
        units = [self.units.get(unit_id) for unit_id in dict.fromkeys(unit_ids)]
        return sum(1 for u in units if u and _unit_is_free(u, now))

    async def seat_types(self, event_id: str, seat_ids: list[str]) -> dict[str, str]:
        units = [self.units.get(seat_unit_id(event_id, s)) for s in seat_ids]
        return {u["seatId"]: u["ticketTypeId"] for u in units if u}

    async def listing(self, ticket_id: str) -> Listing | None:
        unit = self.units.get(listing_unit_id(ticket_id))
        return unit["listing"] if unit else None

    def seats_of_event(self, event_id: str) -> list[Document]:
        seats = [u for u in self.units.values() if u.get("eventId") == event_id]
        return sorted(seats, key=lambda u: u["layout"])


class FakeCounters:
    """General-admission counter shards: `{quantity, sold, holds: [{orderId, n,
    expiresAt, sold?}]}` each, claimed against the domain's "live entry" rule."""

    def __init__(self) -> None:
        self.shards: dict[str, Document] = {}

    def add_type(self, event_id: str, type_id: str, quantity: int, shards: int = 1) -> None:
        for k, part in enumerate(even_slices(quantity, shards)):
            self.shards[shard_id(event_id, type_id, k)] = {
                "_id": shard_id(event_id, type_id, k),
                "eventId": event_id,
                "ticketTypeId": type_id,
                "shard": k,
                "quantity": part,
                "sold": 0,
                "holds": [],
            }

    def _of_types(self, event_id: str, type_ids: list[str]) -> list[Document]:
        return [
            d
            for d in self.shards.values()
            if d["eventId"] == event_id and d["ticketTypeId"] in type_ids
        ]

    @staticmethod
    def _free(doc: Document, now: datetime, excluding_order: str | None = None) -> int:
        others = [h for h in doc["holds"] if h["orderId"] != excluding_order]
        return int(counter_free({**doc, "holds": others}, now)[1])

    async def claim(
        self, shard: str, order_id: str, n: int, expires_at: datetime, now: datetime
    ) -> bool:
        return await self.claim_all(shard, [HoldEntry(order_id, n, expires_at, now)], now)

    async def claim_all(self, shard: str, entries: list[HoldEntry], now: datetime) -> bool:
        doc = self.shards.get(shard)
        if doc is None or self._free(doc, now) < sum(e.n for e in entries):
            return False
        kept = [h for h in doc["holds"] if entry_is_live(h, now)]
        doc["holds"] = [*kept, *(e.document() for e in entries)]
        return True

    async def claim_many(self, shard: str, entries: list[HoldEntry], now: datetime) -> ShardClaim:
        doc = self.shards.get(shard)
        if doc is None:
            return ShardClaim(frozenset(), 0)
        doc["holds"] = [h for h in doc["holds"] if entry_is_live(h, now)]
        taking, left = take_in_order(self._free(doc, now), [e.n for e in entries])
        chosen = [e for e, take in zip(entries, taking, strict=True) if take]
        doc["holds"] += [e.document() for e in chosen]
        return ShardClaim(frozenset(e.order_id for e in chosen), left)

    async def free_by_shard(self, event_id: str, type_id: str, now: datetime) -> dict[str, int]:
        return {d["_id"]: max(0, self._free(d, now)) for d in self._of_types(event_id, [type_id])}

    async def room_of_type(self, event_id: str, type_id: str, now: datetime) -> TypeRoom:
        return type_room(self._of_types(event_id, [type_id]), now)

    def _pull(self, docs: list[Document], order_id: str) -> None:
        for doc in docs:
            doc["holds"] = [h for h in doc["holds"] if h["orderId"] != order_id]

    async def release_shards(self, shards: list[str], order_id: str) -> None:
        self._pull([self.shards[s] for s in shards if s in self.shards], order_id)

    async def release(self, event_id: str, type_ids: list[str], order_id: str) -> None:
        self._pull(self._of_types(event_id, type_ids), order_id)

    async def release_orders(self, event_ids: list[str], order_ids: list[str]) -> None:
        for doc in self.shards.values():
            if doc["eventId"] in event_ids:
                doc["holds"] = [h for h in doc["holds"] if h["orderId"] not in order_ids]

    async def entries_of_order(
        self, event_id: str, type_ids: list[str], order_id: str
    ) -> list[tuple[str, str, int]]:
        return [
            (doc["_id"], doc["ticketTypeId"], int(h["n"]))
            for doc in self._of_types(event_id, type_ids)
            for h in doc["holds"]
            if h["orderId"] == order_id
        ]

    async def sell(self, shard: str, order_id: str, n: int, now: datetime) -> bool:
        doc = self.shards.get(shard)
        entry = next((h for h in doc["holds"] if h["orderId"] == order_id), None) if doc else None
        if doc is None or entry is None or self._free(doc, now, order_id) < n:
            return False
        entry["sold"] = True
        return True

    async def fold(self, shard: str, order_id: str) -> None:
        doc = self.shards.get(shard)
        sold = (
            [h for h in doc["holds"] if h["orderId"] == order_id and h.get("sold")] if doc else []
        )
        if doc and sold:
            self._pull([doc], order_id)
            doc["sold"] += sum(h["n"] for h in sold)

    def counters_of_event(self, event_id: str) -> list[Document]:
        return merge_shards([d for d in self.shards.values() if d["eventId"] == event_id])

    def claims(self, keep: Callable[[Document, Document], bool]) -> list[Claim]:
        """Claims on the unsold entries for which `keep(entry, shard)` holds."""
        return [
            Claim(h["orderId"], doc["_id"], int(h["n"]), doc["eventId"])
            for doc in self.shards.values()
            for h in doc["holds"]
            if not h.get("sold") and keep(h, doc)
        ]


@dataclass
class FakeClaims:
    """The recovery's reads over the fake counters and units."""

    counters: FakeCounters
    inventory: FakeInventory

    async def claimed_between(
        self, since: datetime, until: datetime, now: datetime
    ) -> dict[str, Holding]:
        on_shards = self.counters.claims(
            lambda h, _: claimed_within(h.get("claimedAt"), since, until) and h["expiresAt"] > now
        )
        on_units = self.inventory.claims(
            lambda u: claimed_within(u.get("claimedAt"), since, until) and u["holdExpiresAt"] > now
        )
        return by_order(on_shards, on_units)

    async def held_by(self, order_ids: list[str], event_ids: list[str]) -> dict[str, Holding]:
        on_shards = self.counters.claims(
            lambda h, doc: h["orderId"] in order_ids and doc["eventId"] in event_ids
        )
        return by_order(on_shards, self.inventory.claims(lambda u: u["orderId"] in order_ids))


class FakeCatalog:
    def __init__(self) -> None:
        self.events: dict[str, EventInfo] = {}

    async def event(self, event_id: str) -> EventInfo | None:
        return self.events.get(event_id)

    async def version_of(self, event_id: str) -> int | None:
        event = self.events.get(event_id)
        return event.version if event else None

    async def save_event(self, event: EventCreated | EventUpdated, shards: dict[str, int]) -> bool:
        current = await self.version_of(event.event_id)
        if current is not None and current >= event.version:
            return False
        seated = event.seated_type_ids()
        types = [
            TicketType(
                t.id,
                t.name,
                t.price,
                t.quantity,
                t.max_per_order,
                t.id in seated,
                shards.get(t.id, 1),
                t.tax_rate_bp,
                t.tax_included,
                t.hidden,
            )
            for t in event.ticket_types
        ]
        self.events[event.event_id] = EventInfo(
            event.event_id,
            event.organizer_id,
            event.name,
            event.starts_at,
            event.ends_at,
            event.hold_minutes,
            event.currency,
            event.status,
            event.version,
            types,
        )
        return True


@dataclass
class FakeReplica:
    """Records the catalog events applied to the inventory (the replica's own writes are
    covered by the integration tests on the real database)."""

    applied: list[Event] = field(default_factory=list)
    listing_versions: dict[str, int] = field(default_factory=dict)

    async def apply_counters(self, event: EventCreated | EventUpdated) -> dict[str, int]:
        self.applied.append(event)
        return {}

    async def apply_inventory(self, event: EventCreated | EventUpdated) -> SeatMapChanges:
        return SeatMapChanges(0, 0, 0)

    async def apply_listing(self, event: TicketCreated | TicketUpdated) -> None:
        self.applied.append(event)
        self.listing_versions[event.ticket_id] = event.version

    async def listing_version(self, ticket_id: str) -> int | None:
        return self.listing_versions.get(ticket_id)


class FakeAvailability:
    """Records each change; snapshots read the fake inventory as the projection would."""

    def __init__(self, unit: FakeUnit) -> None:
        self.unit = unit
        self.changes: list[tuple[str, dict[str, Any] | None]] = []

    async def changed(self, event_id: str, delta: dict[str, Any] | None = None) -> None:
        self.changes.append((event_id, delta))
        if delta is None or delta.get("op") == "released":  # as the projection tells them
            self.unit.group_claims.released(event_id)

    async def snapshot(self, event_id: str) -> Snapshot | None:
        event = self.unit.catalog.events.get(event_id)
        if event is None:
            return None
        counters = {d["ticketTypeId"]: d for d in self.unit.counters.counters_of_event(event_id)}
        seats = [dict(s) for s in self.unit.inventory.seats_of_event(event_id)]
        return Snapshot(event, counters, seats, 0, time.monotonic())

    async def fresh_snapshot(self, event_id: str, newer_than: float) -> Snapshot | None:
        return await self.snapshot(event_id)


@dataclass
class FakeRelay:
    woken: list[Any] = field(default_factory=list)

    def wake(self, document_id: Any = None, *, created: bool = False) -> None:
        self.woken.append(document_id)


@dataclass
class FakeUnit:
    """The fakes bundled as the `OrdersUnit` a use case takes, with ways to fill them."""

    orders: FakeOrders = field(default_factory=FakeOrders)
    inventory: FakeInventory = field(default_factory=FakeInventory)
    counters: FakeCounters = field(default_factory=FakeCounters)
    catalog: FakeCatalog = field(default_factory=FakeCatalog)
    vouchers: FakeVouchers = field(default_factory=FakeVouchers)
    replica: FakeReplica = field(default_factory=FakeReplica)
    relay: FakeRelay = field(default_factory=FakeRelay)
    hold_times: HoldTimes = field(default_factory=lambda: HoldTimes(listing_minutes=15))
    ticket_keys: KeyRing = field(default_factory=lambda: key_ring(None, "test", {}, b"k" * 32))
    buyer_cap_factor: int = 4
    waitlist: FakeWaitlist = field(default_factory=FakeWaitlist)
    waitlist_offer_minutes: float = 30
    availability: FakeAvailability = field(init=False)
    claims: FakeClaims = field(init=False)
    group_claims: GroupClaims = field(init=False)

    def __post_init__(self) -> None:
        self.availability = FakeAvailability(self)
        self.group_claims = GroupClaims(self.counters)
        self.claims = FakeClaims(self.counters, self.inventory)

    def add_event(
        self,
        now: datetime,
        *types: TicketType,
        event_id: str = "e1",
        ends_in: timedelta = timedelta(days=1),
    ) -> EventInfo:
        """An active event of `types`; general-admission types get their counter shards."""
        event = EventInfo(
            event_id,
            "organizer",
            "Concert",
            now + timedelta(hours=1),
            now + ends_in,
            15,
            "usd",
            "active",
            0,
            list(types),
        )
        self.catalog.events[event_id] = event
        for t in types:
            if not t.seated:
                self.counters.add_type(event_id, t.id, t.quantity, t.shards)
        return event

    def add_seats(self, event_id: str, type_id: str, rows: str, per_row: int) -> list[str]:
        """Seats `<row>-<index>` in layout order; returns their ids."""
        ids = []
        for row in rows:
            for index in range(per_row):
                self.inventory.add_seat(event_id, f"{row}-{index}", type_id, row, index)
                ids.append(f"{row}-{index}")
        return ids

    def add_listing(self, seller_id: str, ticket_id: str = "t1", price: int = 1500) -> Listing:
        listing = Listing(ticket_id, "Resale seat", price, "usd", seller_id)
        self.inventory.add_listing(listing)
        return listing


def general_type(
    type_id: str = "ga", quantity: int = 10, max_per_order: int = 5, shards: int = 1
) -> TicketType:
    return TicketType(type_id, type_id.upper(), 2050, quantity, max_per_order, False, shards)


def seated_type(type_id: str = "std", quantity: int = 24, max_per_order: int = 10) -> TicketType:
    return TicketType(type_id, "Standard", 4000, quantity, max_per_order, seated=True)


NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
