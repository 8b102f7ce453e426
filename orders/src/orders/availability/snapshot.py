"""An event's availability snapshot and what it reads as at a moment.

States are evaluated at read time, so a hold whose expiry has passed reads as free at
once, before any write releases it. Every other availability module builds on this one
(and it only on the deltas it applies), so the shared types live here: the snapshot,
the listener of its changes and the source the live feeds read snapshots from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from orders.availability.deltas import apply_delta
from orders.domain.counters import counter_free, next_expiry
from orders.domain.holds import EventInfo, TicketType
from ticketing_common.mongo import Document

Counts = tuple[int, int, int]  # sold, held, remaining
# Called with the delta a snapshot took, or None when it changed wholesale (a reload).
ChangeListener = Callable[[dict[str, Any] | None], None]
FOREVER = datetime.max.replace(tzinfo=UTC)


@dataclass
class Snapshot:
    event: EventInfo
    counters: dict[str, Document]
    seats: list[Document]  # in layout order
    generation: int
    loaded_at: float
    # The same seat documents by seat id, so a delta touches only its own seats.
    seats_by_id: dict[str, Document] = field(default_factory=dict)
    # Counts the deltas applied since the load: what was rendered at one count is
    # current until the next, or until a hold in it expires (render.rendered_json).
    version: int = 0
    rendered: tuple[int, datetime, bytes] | None = None

    def __post_init__(self) -> None:
        if not self.seats_by_id:
            self.seats_by_id = {seat["seatId"]: seat for seat in self.seats}

    def apply(self, delta: dict[str, Any]) -> None:
        """Apply one order's delta (idempotent), and count it."""
        apply_delta(self.counters, self.seats_by_id, delta)
        self.version += 1


class SnapshotSource(Protocol):
    """What a live feed needs of the projection (which owns the feeds)."""

    def current(self, event_id: str) -> Snapshot | None: ...

    async def snapshot(self, event_id: str) -> Snapshot | None: ...

    def watch(self, event_id: str, listener: ChangeListener) -> Callable[[], None]: ...


def seat_state(doc: Document, now: datetime) -> str:
    if doc["status"] == "sold":
        return "sold"
    if doc["status"] == "held" and doc["holdExpiresAt"] and doc["holdExpiresAt"] > now:
        return "held"
    return "available"


def event_status(event: EventInfo, now: datetime) -> str:
    return "ended" if event.ends_at <= now and event.status == "active" else event.status


def counter_counts(snapshot: Snapshot, ticket_type: TicketType, now: datetime) -> Counts:
    """(sold, held, remaining) of a general-admission type at `now`."""
    doc = snapshot.counters.get(ticket_type.id)
    if doc is None:
        return 0, 0, ticket_type.quantity
    held, remaining = counter_free(doc, now)
    return doc["sold"], held, max(0, remaining)


def next_change_at(snapshot: Snapshot, now: datetime) -> datetime:
    """The first moment after `now` at which the snapshot reads differently with no
    delta applied: a live hold expires, or the event ends."""
    moments = [snapshot.event.ends_at, next_expiry(snapshot.counters.values(), now)]
    moments.extend(
        seat["holdExpiresAt"]
        for seat in snapshot.seats
        if seat["status"] == "held" and seat["holdExpiresAt"]
    )
    return min((m for m in moments if m is not None and m > now), default=FOREVER)


def remaining_by_type(snapshot: Snapshot, now: datetime) -> dict[str, Counts]:
    """(sold, held, remaining) per ticket type at `now`."""
    result: dict[str, Counts] = {}
    for ticket_type in snapshot.event.ticket_types:
        if not ticket_type.seated:
            result[ticket_type.id] = counter_counts(snapshot, ticket_type, now)
            continue
        states = [seat_state(s, now) for s in snapshot.seats if s["ticketTypeId"] == ticket_type.id]
        result[ticket_type.id] = (
            states.count("sold"),
            states.count("held"),
            states.count("available"),
        )
    return result
