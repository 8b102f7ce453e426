"""The public JSON of an event's availability: the whole snapshot, as GET and the stream's
first frame show it.

GET answers with the encoded body of the last render while nothing changed: no delta
applied since and no hold in it expired (`Snapshot.version`, `next_change_at`). Under a
sale many readers poll one event, and re-rendering a 5,000-seat map (then encoding
it) for each was most of orders' work per read.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from orders.availability.snapshot import (
    Snapshot,
    event_status,
    next_change_at,
    remaining_by_type,
    seat_state,
)
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


def rendered_json(snapshot: Snapshot, now: datetime) -> bytes:
    """`render` encoded as JSON, re-rendered only when the snapshot reads differently."""
    cached = snapshot.rendered
    if cached is not None and cached[0] == snapshot.version and now < cached[1]:
        return cached[2]
    body = json.dumps(render(snapshot, now), ensure_ascii=False, separators=(",", ":"))
    encoded = body.encode()
    snapshot.rendered = (snapshot.version, next_change_at(snapshot, now), encoded)
    return encoded
