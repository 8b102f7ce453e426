"""What a live stream has to send since its last frame, worked out once per event.

`SentState` remembers every seat's state and every type's counts as last sent. A
frame names each seat and type touched since: by a delta (sent even when the state
is back where it was, because a viewer who connected in between saw the middle
state), by a hold running out (a heap of hold expiries, so nobody scans the seat
map for them), or by a reload of the snapshot (compared seat by seat, once).
Counts of seated types are kept from the seat states, so a frame costs what it
touches, not the size of the seat map.
"""

from __future__ import annotations

import heapq
from collections import Counter
from datetime import datetime
from typing import Any

from orders.availability.snapshot import (
    Counts,
    Snapshot,
    counter_counts,
    event_status,
    seat_state,
)
from orders.domain.holds import TicketType


def same_definition(a: Snapshot, b: Snapshot) -> bool:
    """Same event, types and seat map: only states can differ, a `changes` frame says it."""
    if a is b:
        return True
    return a.event == b.event and [s["seatId"] for s in a.seats] == [s["seatId"] for s in b.seats]


class SentState:
    def __init__(self, snapshot: Snapshot, now: datetime) -> None:
        self.snapshot = snapshot
        self.status = event_status(snapshot.event, now)
        self.seats: dict[str, str] = {}
        self.seated: dict[str, Counter[str]] = {}
        self.types: dict[str, Counts] = {}
        self._expiries: list[tuple[datetime, str]] = []
        for doc in snapshot.seats:
            self._record(doc, seat_state(doc, now))
        for ticket_type in snapshot.event.ticket_types:
            self.types[ticket_type.id] = self._counts(ticket_type, now)

    def advance(
        self, snapshot: Snapshot, now: datetime, seat_ids: set[str], type_ids: set[str]
    ) -> dict[str, Any] | None:
        """The `changes` payload since the last call (None if nothing changed); the
        snapshot must have the same definition (see `same_definition`)."""
        touched = self._touched_seats(snapshot, now, seat_ids)
        by_id = snapshot.seats_by_id
        for seat_id, state in touched.items():
            self._record(by_id[seat_id], state)
        type_ids = type_ids | {by_id[seat_id]["ticketTypeId"] for seat_id in touched}
        types = []
        for ticket_type in snapshot.event.ticket_types:
            if ticket_type.hidden:
                continue  # sold only with a voucher: not public
            counts = self._counts(ticket_type, now)
            if ticket_type.id in type_ids or counts != self.types.get(ticket_type.id):
                self.types[ticket_type.id] = counts
                sold, held, remaining = counts
                types.append({"id": ticket_type.id, "sold": sold, "held": held})
                types[-1]["remaining"] = remaining
        payload: dict[str, Any] = {}
        if (status := event_status(snapshot.event, now)) != self.status:
            payload["status"] = self.status = status
        if types:
            payload["ticketTypes"] = types
        if touched:
            payload["seats"] = [{"id": seat, "state": state} for seat, state in touched.items()]
        return payload or None

    def next_expiry(self, now: datetime) -> datetime | None:
        """When the next hold runs out (seats or general-admission units turn free)."""
        moments = [self._expiries[0][0]] if self._expiries else []
        for counter in self.snapshot.counters.values():
            moments += [h["expiresAt"] for h in counter.get("holds", []) if h["expiresAt"] > now]
        return min(moments, default=None)

    def _touched_seats(
        self, snapshot: Snapshot, now: datetime, seat_ids: set[str]
    ) -> dict[str, str]:
        by_id = snapshot.seats_by_id
        touched = {i: seat_state(by_id[i], now) for i in seat_ids if i in by_id}
        candidates: list[str] = []
        while self._expiries and self._expiries[0][0] <= now:
            candidates.append(heapq.heappop(self._expiries)[1])
        if snapshot is not self.snapshot:
            self.snapshot = snapshot
            candidates = list(by_id)
        for seat_id in candidates:
            doc = by_id.get(seat_id)
            if seat_id in touched or doc is None:
                continue
            if (state := seat_state(doc, now)) != self.seats.get(seat_id):
                touched[seat_id] = state
        return touched

    def _record(self, doc: dict[str, Any], state: str) -> None:
        seat_id, type_id = doc["seatId"], doc["ticketTypeId"]
        counts = self.seated.setdefault(type_id, Counter())
        if (old := self.seats.get(seat_id)) is not None:
            counts[old] -= 1
        counts[state] += 1
        self.seats[seat_id] = state
        if state == "held":
            # Stale entries (a hold released early) only cost a look when they come up.
            heapq.heappush(self._expiries, (doc["holdExpiresAt"], seat_id))

    def _counts(self, ticket_type: TicketType, now: datetime) -> Counts:
        if ticket_type.seated:
            seats = self.seated.get(ticket_type.id, Counter())
            return seats["sold"], seats["held"], seats["available"]
        return counter_counts(self.snapshot, ticket_type, now)
