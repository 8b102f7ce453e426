"""The in-memory search projection of events: every replica answers searches from RAM.

SecantusDB plans these queries as collection scans (measured: 150-500 ms for 3,000
events, even with the compound indexes), while fetching a page by `_id` takes a few
ms. So each replica keeps a small projection: per event its start, status,
category, organizer and search words, plus an inverted index word -> event ids.
A query word matches every indexed word it is a prefix of (binary search over the
sorted vocabulary). The projection is loaded at start-up, updated after this
replica's own writes, and from `event.*` messages for other replicas' writes
(re-reading the event, newer versions only).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tickets.domain.search import MAX_TERMS, query_terms, words
from tickets.domain.shows import Show
from tickets.store.shows_query import ShowQuery


def to_millis(moment: datetime) -> datetime:
    """Mongo keeps datetimes to the millisecond; comparing at that precision keeps the
    projection's answers identical to the database's."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


@dataclass(frozen=True)
class IndexEntry:
    id: str
    starts_at: datetime
    status: str
    category: str
    organizer_id: str
    version: int
    words: frozenset[str]

    @classmethod
    def of(cls, show: Show) -> IndexEntry:
        texts = [show.name, show.venue.name, show.category, show.venue.address, show.description]
        found: set[str] = set()
        for text in texts:
            for word in words(text):
                if len(found) >= MAX_TERMS:
                    break
                found.add(word)
        return cls(
            show.id,
            to_millis(show.starts_at),
            show.status,
            show.category,
            show.organizer_id,
            show.version,
            frozenset(found),
        )

    def matches(self, query: ShowQuery) -> bool:
        if query.status and self.status != query.status:
            return False
        if query.starts_from and self.starts_at < to_millis(query.starts_from):
            return False
        if query.starts_before and self.starts_at >= to_millis(query.starts_before):
            return False
        if query.category and self.category != query.category.strip().lower():
            return False
        return not (query.organizer_id and self.organizer_id != query.organizer_id)


class SearchIndex:
    def __init__(self) -> None:
        self._entries: dict[str, IndexEntry] = {}
        self._postings: dict[str, set[str]] = {}
        self._vocabulary: list[str] = []
        self._stale_vocabulary = False

    def __len__(self) -> int:
        return len(self._entries)

    def put(self, show: Show) -> None:
        """Index `show` unless a newer version of it is already indexed."""
        current = self._entries.get(show.id)
        if current is not None and current.version > show.version:
            return
        entry = IndexEntry.of(show)
        if current is not None:
            for word in current.words - entry.words:
                self._postings[word].discard(show.id)
        for word in entry.words:
            ids = self._postings.setdefault(word, set())
            if not ids:
                self._stale_vocabulary = True
            ids.add(show.id)
        self._entries[show.id] = entry

    def put_all(self, shows: Iterable[Show]) -> None:
        for show in shows:
            self.put(show)

    def search(self, query: ShowQuery, skip: int, limit: int) -> tuple[list[str], int]:
        """Ids of one page of matches ordered by start, and the number of all matches."""
        candidates: Iterable[str] = self._entries
        for term in query_terms(query.q):
            matching = self._ids_with_prefix(term)
            candidates = matching if candidates is self._entries else set(candidates) & matching
        entries = [self._entries[i] for i in candidates]
        hits = sorted((e for e in entries if e.matches(query)), key=lambda e: (e.starts_at, e.id))
        return [e.id for e in hits[skip : skip + limit]], len(hits)

    def _ids_with_prefix(self, prefix: str) -> set[str]:
        if self._stale_vocabulary:
            self._vocabulary = sorted(w for w, ids in self._postings.items() if ids)
            self._stale_vocabulary = False
        found: set[str] = set()
        position = bisect.bisect_left(self._vocabulary, prefix)
        while position < len(self._vocabulary) and self._vocabulary[position].startswith(prefix):
            found |= self._postings[self._vocabulary[position]]
            position += 1
        return found
