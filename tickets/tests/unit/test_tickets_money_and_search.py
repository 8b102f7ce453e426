"""Unit tests: money at the JSON edge, search words and prefixes, the in-memory index."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from ticketing_common.money import to_major, to_minor
from tickets.domain.drafts import Venue
from tickets.domain.search import MAX_TERMS, build_search_terms, prefixes, query_terms, words
from tickets.domain.shows import Show, TicketType
from tickets.store.search_index import SearchIndex
from tickets.store.shows_query import ShowQuery

NOW = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("major", "minor"), [("20.5", 2050), ("0.01", 1), ("19.99", 1999), ("1000000", 100000000)]
)
def test_money_round_trips_between_major_and_minor_units(major: str, minor: int) -> None:
    assert to_minor(Decimal(major)) == minor
    assert to_major(minor) == float(major)


def test_money_refuses_fractions_of_a_cent() -> None:
    with pytest.raises(ValueError, match="2 decimal"):
        to_minor(Decimal("1.005"))


def test_words_are_lower_cased_without_accents_or_punctuation() -> None:
    assert words("Beyoncé's WORLD-Tour, 2030!") == ["beyonce", "s", "world", "tour", "2030"]


def test_prefixes_are_capped() -> None:
    assert prefixes("jazz") == ["j", "ja", "jaz", "jazz"]
    assert len(prefixes("a" * 40)) == 15


def test_search_terms_put_primary_words_first_and_stop_at_the_cap() -> None:
    terms = build_search_terms(["Jazz Night"], ["word" + str(n) for n in range(500)])
    assert terms[:4] == ["j", "ja", "jaz", "jazz"]
    assert "night" in terms
    assert len(terms) == MAX_TERMS


def test_query_terms_are_unique_and_most_selective_first() -> None:
    assert query_terms("  jazz  Berlin jazz ") == ["berlin", "jazz"]
    assert query_terms("!!!") == []


def _show(show_id: str, name: str, days: int, category: str = "music") -> Show:
    starts = NOW + timedelta(days=days)
    return Show(
        show_id,
        "org1",
        name,
        "An evening out",
        category,
        Venue("Berlin Arena", "1 Main St"),
        starts,
        starts + timedelta(hours=2),
        15,
        "eur",
        (TicketType("t1", "GA", 1000, 10),),
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
