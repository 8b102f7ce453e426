"""Reading an availability snapshot at a moment: seat states and counts per type.

States are evaluated at read time, so a hold whose expiry has passed reads as free at
once, before any write releases it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from orders.store.counters import counter_free
from ticketing_common.mongo import Document

if TYPE_CHECKING:  # the projection imports the feeds, which read snapshots through here
    from orders.availability import Snapshot


def seat_state(doc: Document, now: datetime) -> str:
    if doc["status"] == "sold":
        return "sold"
    if doc["status"] == "held" and doc["holdExpiresAt"] and doc["holdExpiresAt"] > now:
        return "held"
    return "available"


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
