"""The public JSON of an event's availability: the whole snapshot, as GET and the stream's
first frame show it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from orders.availability.snapshot import Snapshot, event_status, remaining_by_type, seat_state
from ticketing_common.money import to_major


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
            if not t.hidden  # sold only with a voucher: not public
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
