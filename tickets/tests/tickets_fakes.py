"""In-memory fakes of the tickets stores and unit of work (`tickets.handlers.ports`).

`FakeCatalog` is the unit of work and, during a commit, the transaction too: a commit
that raises restores every table and drops what it recorded, as a Mongo transaction
would; what a commit recorded is in `published`, in order. Races are staged with
`FakeCatalog.race` (another writer commits between a use case's reads and its
transaction) and `FakeTable.lose_next_write` (a concurrent transaction wins a write).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable
from dataclasses import replace
from typing import Generic, TypeVar

from ticketing_common.events import Event
from tickets.domain.listings import Listing
from tickets.domain.sales import OrderRecord
from tickets.domain.shows import Show
from tickets.handlers.ports import Transaction

T = TypeVar("T")


V = TypeVar("V", Listing, Show)
E = TypeVar("E", bound=Event)


class FakeTable(Generic[V]):
    """Listings or shows by id, with the conditional write the Mongo stores do."""

    def __init__(self) -> None:
        self.rows: dict[str, V] = {}
        self.lose_next_write = False

    async def insert(self, item: V) -> None:
        assert item.id not in self.rows, "duplicate key"
        self.rows[item.id] = replace(item, outgoing=())  # events are never stored

    async def get(self, item_id: str) -> V | None:
        return self.rows.get(item_id)

    async def replace_if_version(self, item: V, previous_version: int) -> bool:
        stored = self.rows.get(item.id)
        lost, self.lose_next_write = self.lose_next_write, False
        if lost or stored is None or stored.version != previous_version:
            return False
        self.rows[item.id] = replace(item, outgoing=())
        return True


class FakeOrderRecords:
    def __init__(self) -> None:
        self.rows: dict[str, OrderRecord] = {}

    async def get(self, order_id: str) -> OrderRecord | None:
        return self.rows.get(order_id)

    async def save(self, record: OrderRecord) -> None:
        self.rows[record.order_id] = record

    async def get_many(self, order_ids: list[str]) -> dict[str, OrderRecord]:
        return {i: self.rows[i] for i in order_ids if i in self.rows}

    async def save_many(self, records: list[OrderRecord], stored: Collection[str]) -> None:
        assert {r.order_id for r in records if r.order_id in self.rows} <= set(stored)
        for record in records:
            self.rows[record.order_id] = record

    async def for_event(self, event_id: str) -> list[OrderRecord]:
        return [r for r in self.rows.values() if r.event_id == event_id and r.state != "cancelled"]


class FakeCatalog:
    def __init__(self) -> None:
        self.listings: FakeTable[Listing] = FakeTable()
        self.shows: FakeTable[Show] = FakeTable()
        self.orders = FakeOrderRecords()
        self.published: list[Event] = []
        self.projected: list[Show] = []
        self._recorded: list[Event] = []
        self.race: Callable[[], None] | None = None  # run once, before the next commit

    async def record(self, events: Iterable[Event]) -> None:
        self._recorded.extend(events)

    async def commit(self, work: Callable[[Transaction], Awaitable[T]]) -> T:
        if self.race is not None:
            race, self.race = self.race, None
            race()
        listings, shows, orders = (
            dict(self.listings.rows),
            dict(self.shows.rows),
            dict(self.orders.rows),
        )
        try:
            result = await work(self)
        except BaseException:
            self.listings.rows, self.shows.rows, self.orders.rows = listings, shows, orders
            self._recorded.clear()
            raise
        self.published.extend(self._recorded)
        self._recorded.clear()
        return result

    def project(self, show: Show) -> None:
        self.projected.append(show)

    def published_as(self, kind: type[E]) -> list[E]:
        return [event for event in self.published if isinstance(event, kind)]
