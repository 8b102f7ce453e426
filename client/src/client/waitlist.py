"""The waiting list as the web app shows it: the buyer's entries, read from orders
(`GET /api/orders/waitlist`), and which of them are still open."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from client.gateway import Gateway, ServiceUnavailable
from client.shapes import Json

OPEN = ("waiting", "offered")


async def waitlist_entries(gateway: Gateway, request: Request, event_id: str = "") -> list[Json]:
    """The signed-in buyer's entries (of one event), newest first; [] when orders is down."""
    try:
        api = await gateway.get("/api/orders/waitlist", request, eventId=event_id)
    except ServiceUnavailable:
        return []
    if not api.ok or not isinstance(api.body, list):
        return []
    return [entry for entry in api.body if isinstance(entry, dict)]


def open_by_type(entries: list[Json]) -> dict[str, Json]:
    """The open entry (waiting or offered) of each ticket type: one per type at most."""
    found: dict[str, Any] = {}
    for entry in entries:
        if entry.get("status") in OPEN:
            found.setdefault(str(entry.get("ticketTypeId")), entry)
    return found
