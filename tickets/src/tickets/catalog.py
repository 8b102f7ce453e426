"""The tickets service's container, built once in `main.wire`: the Mongo stores, the
outbox and the in-memory search projection. It is the `UnitOfWork` the use cases run
against, and what routes, listeners and the event feed reach.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from pymongo.asynchronous.client_session import AsyncClientSession

from ticketing_common.app import Runtime
from ticketing_common.events import Event
from ticketing_common.mongo import in_transaction
from ticketing_common.outbox import Outbox
from tickets.domain.shows import Show
from tickets.handlers.ports import Transaction
from tickets.store.listings import ListingStore
from tickets.store.orders import OrderRecordStore
from tickets.store.search_index import SearchIndex
from tickets.store.shows import ShowStore
from tickets.store.shows_query import ShowQuery

T = TypeVar("T")


@dataclass(frozen=True)
class MongoTransaction:
    """The stores bound to one Mongo transaction, and the outbox written in it."""

    listings: ListingStore
    shows: ShowStore
    orders: OrderRecordStore
    outbox: Outbox
    session: AsyncClientSession

    async def record(self, events: Iterable[Event]) -> None:
        if pending := tuple(events):
            await self.outbox.add(self.session, *pending)


@dataclass
class Catalog:
    runtime: Runtime
    listings: ListingStore
    shows: ShowStore
    orders: OrderRecordStore
    index: SearchIndex | None = None

    @classmethod
    def open(cls, runtime: Runtime, search_in_memory: bool) -> Catalog:
        return cls(
            runtime,
            ListingStore(runtime.db),
            ShowStore(runtime.db),
            OrderRecordStore(runtime.db),
            SearchIndex() if search_in_memory else None,
        )

    async def ensure_indexes(self) -> None:
        await self.listings.ensure_indexes()
        await self.shows.ensure_indexes()
        await self.orders.ensure_indexes()

    def joined(self, session: AsyncClientSession) -> MongoTransaction:
        """The stores inside `session`'s transaction (a commit's, or a listener's)."""
        return MongoTransaction(
            self.listings.within(session),
            self.shows.within(session),
            self.orders.within(session),
            self.runtime.outbox,
            session,
        )

    async def commit(self, work: Callable[[Transaction], Awaitable[T]]) -> T:
        """Run `work` in a transaction, then let the relay publish what it added to the outbox."""
        result = await in_transaction(self.runtime.mongo, lambda s: work(self.joined(s)))
        self.runtime.relay.wake()
        return result

    # The search projection: loaded at start, kept fresh by this replica's own writes
    # (`project`) and by other replicas' (`reindex`, from tickets.feeds).

    async def load_index(self) -> None:
        if self.index is not None:
            self.index.put_all(await self.shows.all_shows())

    def project(self, show: Show) -> None:
        if self.index is not None:
            self.index.put(show)

    async def reindex(self, show_id: str) -> None:
        """Refresh one event from the database (another replica changed it)."""
        if self.index is not None and (show := await self.shows.get(show_id)):
            self.index.put(show)

    async def search_shows(self, query: ShowQuery, skip: int, limit: int) -> tuple[list[Show], int]:
        """One page of matches and their total, from the projection when there is one."""
        if self.index is None:
            return await self.shows.search(query, skip, limit)
        ids, total = self.index.search(query, skip, limit)
        return await self.shows.get_many(ids), total
