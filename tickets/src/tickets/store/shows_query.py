"""What a search of events asks for, and its Mongo filter over the `searchTerms` index."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ticketing_common.mongo import Document
from tickets.domain.search import query_terms


@dataclass(frozen=True)
class ShowQuery:
    q: str = ""
    starts_from: datetime | None = None
    starts_before: datetime | None = None
    category: str | None = None
    organizer_id: str | None = None
    status: str | None = "active"

    def filter(self) -> Document:
        query: Document = {}
        if self.status:
            query["status"] = self.status
        starts: Document = {}
        if self.starts_from:
            starts["$gte"] = self.starts_from
        if self.starts_before:
            starts["$lt"] = self.starts_before
        if starts:
            query["startsAt"] = starts
        if self.category:
            query["category"] = self.category.strip().lower()
        if self.organizer_id:
            query["organizerId"] = self.organizer_id
        if terms := query_terms(self.q):
            query["searchTerms"] = {"$all": terms} if len(terms) > 1 else terms[0]
        return query
