"""Availability snapshots for unit tests: a seat map with one seated type (and, if asked,
a general-admission type), and the deltas of seat holds, without Mongo or NATS."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from orders.availability import Snapshot
from orders.domain.holds import EventInfo, TicketType


def seated_event(now: datetime, seats: int, general: int = 0) -> EventInfo:
    """Event `e1`: `seats` seats of type `std`, and `general` units of type `ga`."""
    types = [TicketType("std", "Standard", 4000, seats, 10, seated=True)]
    if general:
        types.append(TicketType("ga", "General", 2000, general, 5, seated=False))
    return EventInfo(
        "e1", "org", "Show", now, now + timedelta(days=1), 15, "usd", "active", 0, types
    )


def seat_documents(seats: int) -> list[dict[str, Any]]:
    """Seat `S-<row>-<n>` for each of `seats`, 100 a row, all available."""
    return [
        {
            "seatId": f"S-{n // 100}-{n % 100}",
            "section": "S",
            "row": str(n // 100),
            "label": str(n % 100),
            "ticketTypeId": "std",
            "status": "available",
            "orderId": None,
            "holdExpiresAt": None,
        }
        for n in range(seats)
    ]


def general_counters(general: int) -> dict[str, Any]:
    if not general:
        return {}
    return {"ga": {"ticketTypeId": "ga", "quantity": general, "sold": 0, "holds": []}}


def availability_snapshot(now: datetime, seats: int, general: int = 0) -> Snapshot:
    event = seated_event(now, seats, general)
    return Snapshot(event, general_counters(general), seat_documents(seats), 0, 0.0)


def seat_hold_delta(order_id: str, seats: list[str], expires_at: datetime) -> dict[str, Any]:
    """What holding `seats` for `order_id` until `expires_at` sends every replica."""
    return {
        "op": "held",
        "orderId": order_id,
        "expiresAt": expires_at.isoformat(),
        "lines": [{"typeId": "std", "n": 1, "seatId": seat} for seat in seats],
    }
