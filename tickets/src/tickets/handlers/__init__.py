"""Use cases: one async function each, run against the stores and the outbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from pymongo.asynchronous.client_session import AsyncClientSession

from ticketing_common.app import Runtime
from ticketing_common.mongo import in_transaction
from tickets.domain.shows import Show
from tickets.store.listings import ListingStore
from tickets.store.orders import OrderRecordStore
from tickets.store.search_index import SearchIndex
from tickets.store.shows import ShowStore

T = TypeVar("T")


@dataclass
class Catalog:
    """The stores and the runtime a use case needs (built once in main.wire)."""

    listings: ListingStore
    shows: ShowStore
    orders: OrderRecordStore
    runtime: Runtime
    index: SearchIndex | None = None

    @classmethod
    def open(cls, runtime: Runtime, search_in_memory: bool) -> Catalog:
        return cls(
            ListingStore(runtime.db),
            ShowStore(runtime.db),
            OrderRecordStore(runtime.db),
            runtime,
            SearchIndex() if search_in_memory else None,
        )

    async def load_index(self) -> None:
        if self.index is not None:
            self.index.put_all(await self.shows.all_shows())

    def indexed(self, show: Show) -> Show:
        """`show`, now also in the search projection (after its write committed)."""
        if self.index is not None:
            self.index.put(show)
        return show

    async def reindex(self, show_id: str) -> None:
        """Refresh one event from the database (another replica changed it)."""
        if self.index is not None and (show := await self.shows.get(show_id)):
            self.index.put(show)

    async def ensure_indexes(self) -> None:
        await self.listings.ensure_indexes()
        await self.shows.ensure_indexes()
        await self.orders.ensure_indexes()

    async def commit(self, work: Callable[[AsyncClientSession], Awaitable[T]]) -> T:
        """Run `work` in a transaction, then let the relay publish what it added to the outbox."""
        result = await in_transaction(self.runtime.mongo, work)
        self.runtime.relay.wake()
        return result
