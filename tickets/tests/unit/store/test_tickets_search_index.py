"""Unit tests: the in-memory search projection of events."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tickets.domain.drafts import Venue
from tickets.domain.shows import Show
from tickets.domain.ticket_types import TicketType
from tickets.store.search_index import SearchIndex
from tickets.store.shows_query import ShowQuery

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def _show(show_id: str, name: str, days: int, category: str = "music") -> Show:
    starts = NOW + timedelta(days=days)
    return Show(
        name,
        "An evening out",
        category,
        Venue("Berlin Arena", "1 Main St"),
        starts,
        starts + timedelta(hours=2),
        15,
        "eur",
        id=show_id,
        organizer_id="org1",
        ticket_types=(TicketType("t1", "GA", 1000, 10),),
    )


def test_index_matches_every_query_word_as_a_prefix_and_orders_by_start() -> None:
    index = SearchIndex()
    index.put_all(
        [
            _show("a", "Midnight Jazz", 3),
            _show("b", "Jazz Brunch", 1),
            _show("c", "Rock Night", 2, "rock"),
        ]
    )
    assert index.search(ShowQuery(q="jaz"), 0, 10) == (["b", "a"], 2)
    assert index.search(ShowQuery(q="jazz midn"), 0, 10) == (["a"], 1)
    assert index.search(ShowQuery(q="berl", category="ROCK"), 0, 10) == (["c"], 1)
    assert index.search(ShowQuery(starts_from=NOW + timedelta(days=2)), 0, 1) == (["c"], 2)
    assert index.search(ShowQuery(q="opera"), 0, 10) == ([], 0)


def test_index_keeps_the_newest_version_and_forgets_old_words() -> None:
    index = SearchIndex()
    old = _show("a", "Midnight Jazz", 3)
    new = replace(old, name="Morning Blues", version=2)
    index.put(new)
    index.put(old)  # a late, older version changes nothing
    assert index.search(ShowQuery(q="blues"), 0, 10) == (["a"], 1)
    assert index.search(ShowQuery(q="jazz"), 0, 10) == ([], 0)
    cancelled = replace(new, status="cancelled", version=3)
    index.put(cancelled)
    assert index.search(ShowQuery(q="blues"), 0, 10) == ([], 0)
    assert index.search(ShowQuery(q="blues", status="cancelled"), 0, 10) == (["a"], 1)
