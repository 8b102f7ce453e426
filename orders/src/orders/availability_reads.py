"""Reading an availability snapshot at a moment: seat states, counts per type, next expiry.

States are evaluated at read time, so a hold whose expiry has passed reads as free at
once, before any write releases it.
"""

from __future__ import annotations

from datetime import datetime

from orders.availability import Snapshot
from orders.store.inventory import counter_free
from ticketing_common.mongo import Document


def seat_state(doc: Document, now: datetime) -> str:
    if doc["status"] == "sold":
        return "sold"
    if doc["status"] == "held" and doc["holdExpiresAt"] and doc["holdExpiresAt"] > now:
        return "held"
    return "available"


def next_change(snapshot: Snapshot, now: datetime) -> datetime | None:
    """When the next live hold expires (its seats or units turn free without any write)."""
    moments = [
        d["holdExpiresAt"]
        for d in snapshot.seats
        if d["status"] == "held" and d["holdExpiresAt"] and d["holdExpiresAt"] > now
    ]
    for counter in snapshot.counters.values():
        moments += [h["expiresAt"] for h in counter.get("holds", []) if h["expiresAt"] > now]
    return min(moments, default=None)


def remaining_by_type(snapshot: Snapshot, now: datetime) -> dict[str, tuple[int, int, int]]:
    """(sold, held, remaining) per ticket type at `now`."""
    result: dict[str, tuple[int, int, int]] = {}
    for ticket_type in snapshot.event.ticket_types:
        if ticket_type.seated:
            states = [
                seat_state(s, now) for s in snapshot.seats if s["ticketTypeId"] == ticket_type.id
            ]
            sold, held = states.count("sold"), states.count("held")
            result[ticket_type.id] = (sold, held, states.count("available"))
            continue
        doc = snapshot.counters.get(ticket_type.id)
        if doc is None:
            result[ticket_type.id] = (0, 0, ticket_type.quantity)
            continue
        held, remaining = counter_free(doc, now)
        result[ticket_type.id] = (doc["sold"], held, max(0, remaining))
    return result
