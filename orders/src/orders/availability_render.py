"""The public JSON of an event's availability: the whole snapshot, as GET and the stream's
first frame show it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from orders.availability_reads import remaining_by_type, seat_state
from orders.domain.holds import EventInfo
from ticketing_common.money import to_major

if TYPE_CHECKING:
    from orders.availability import Snapshot


def event_status(event: EventInfo, now: datetime) -> str:
    return "ended" if event.ends_at <= now and event.status == "active" else event.status


def render(snapshot: Snapshot, now: datetime) -> dict[str, Any]:
    counts = remaining_by_type(snapshot, now)
    event = snapshot.event
    return {
        "eventId": event.id,
        "status": event_status(event, now),
        "ticketTypes": [
            {
                "id": t.id,
                "name": t.name,
                "price": to_major(t.price),
                "quantity": t.quantity,
                "seated": t.seated,
                "sold": counts[t.id][0],
                "held": counts[t.id][1],
                "remaining": counts[t.id][2],
            }
            for t in event.ticket_types
        ],
        "seats": [
            {
                "id": s["seatId"],
                "section": s["section"],
                "row": s["row"],
                "label": s["label"],
                "ticketTypeId": s["ticketTypeId"],
                "state": seat_state(s, now),
            }
            for s in snapshot.seats
        ],
    }
