"""Integration: the database search path (search_in_memory=False) on the real Mongo wire server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pymongo import AsyncMongoClient

from ticketing_common.events import utc_now
from ticketing_common.mongo import Document
from tickets.domain.drafts import ShowDraft, TicketTypeSpec, Venue
from tickets.domain.shows import new_show
from tickets.store.search_index import SearchIndex
from tickets.store.shows import ShowStore
from tickets.store.shows_query import ShowQuery

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_database_search_agrees_with_the_in_memory_index(
    mongo_client: AsyncMongoClient[Document], database_name: str
) -> None:
    now = utc_now()
    store = ShowStore(mongo_client[database_name])
    await store.ensure_indexes()
    shows = []
    for n, (name, category) in enumerate(
        [("Midnight Jazz", "music"), ("Jazz Brunch", "food"), ("Rock Night", "music")]
    ):
        starts = now + timedelta(days=n + 1)
        draft = ShowDraft(
            name, "", category, Venue("Berlin Arena", "1 Main St"), starts,
            starts + timedelta(hours=2), 15, "usd", (TicketTypeSpec("GA", 1000, 10),),
        )  # fmt: skip
        shows.append(new_show(f"e{n}", "org", draft, now))
    await store.insert_many(shows)
    index = SearchIndex()
    index.put_all(await store.all_shows())
    queries = [
        ShowQuery(q="jaz", starts_from=now),
        ShowQuery(q="jazz berl", category="music", starts_from=now),
        ShowQuery(starts_from=now + timedelta(days=2)),
        ShowQuery(q="opera"),
    ]
    for query in queries:
        found, total = await store.search(query, 0, 10)
        assert ([s.id for s in found], total) == index.search(query, 0, 10)
    assert [s.id for s in (await store.search(queries[0], 0, 10))[0]] == ["e0", "e1"]
