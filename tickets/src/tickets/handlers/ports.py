"""What the use cases need from storage, as protocols.

A unit of work (`UnitOfWork`) reads outside a transaction and runs a use case's writes
in one (`commit`); inside, a `Transaction` sees the same stores plus the outbox, so a
state change and the events it records commit together or not at all. The Mongo
implementation is `tickets.catalog.Catalog`; unit tests use in-memory fakes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable
from typing import Protocol, TypeVar

from ticketing_common.events import Event
from tickets.domain.listings import Listing
from tickets.domain.sales import OrderRecord
from tickets.domain.shows import Show

T = TypeVar("T")


class Listings(Protocol):
    async def insert(self, listing: Listing) -> None: ...

    async def get(self, listing_id: str) -> Listing | None: ...

    async def replace_if_version(self, listing: Listing, previous_version: int) -> bool:
        """Write `listing` only if the stored one still has `previous_version`."""
        ...


class Shows(Protocol):
    async def insert(self, show: Show) -> None: ...

    async def get(self, show_id: str) -> Show | None: ...

    async def replace_if_version(self, show: Show, previous_version: int) -> bool:
        """Write `show` only if the stored one still has `previous_version`."""
        ...


class OrderRecords(Protocol):
    async def get(self, order_id: str) -> OrderRecord | None: ...

    async def save(self, record: OrderRecord) -> None: ...

    async def get_many(self, order_ids: list[str]) -> dict[str, OrderRecord]:
        """The records of those orders that have one, by order id (one read)."""
        ...

    async def save_many(self, records: list[OrderRecord], stored: Collection[str]) -> None:
        """Store every record (one call): those whose order ids are in `stored` replace
        the stored ones, the others are new."""
        ...

    async def for_event(self, event_id: str) -> list[OrderRecord]:
        """The live, completed and refunded orders of a show (what counts as sold, held
        or refunded)."""
        ...


class Stores(Protocol):
    @property
    def listings(self) -> Listings: ...

    @property
    def shows(self) -> Shows: ...

    @property
    def orders(self) -> OrderRecords: ...


class Transaction(Stores, Protocol):
    async def record(self, events: Iterable[Event]) -> None:
        """Add `events` to the outbox, to be published once the transaction commits."""
        ...


class UnitOfWork(Stores, Protocol):
    async def commit(self, work: Callable[[Transaction], Awaitable[T]]) -> T:
        """Run `work` in one transaction, then have what it recorded published."""
        ...

    def project(self, show: Show) -> None:
        """Show a committed write of `show` in this replica's search projection."""
        ...
