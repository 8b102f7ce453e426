"""Door check-in: verify an issued ticket's key and mark it used, once."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from orders.domain.errors import NotOrganizer
from orders.domain.keys import read_ticket_key
from orders.handlers.ports import OrdersUnit

Verdict = Literal["valid", "invalid", "already_used"]


async def _organizer_of(uow: OrdersUnit, signing_event_id: str) -> str | None:
    if signing_event_id.startswith("listing-"):
        # A resale ticket is checked by whoever sold it.
        listing = await uow.inventory.listing(signing_event_id.removeprefix("listing-"))
        return listing.seller_id if listing else None
    event = await uow.catalog.event(signing_event_id)
    return event.organizer_id if event else None


async def verify_ticket(uow: OrdersUnit, key: str, user_id: str, now: datetime) -> Verdict:
    """valid (now marked used) / invalid (forged, unknown) / already_used."""
    parsed = read_ticket_key(uow.key_secret, key)
    if parsed is None:
        return "invalid"
    order = await uow.orders.order_with_ticket(parsed.ticket_id)
    if order is None or order.status != "complete" or order.signing_event_id != parsed.event_id:
        return "invalid"
    if await _organizer_of(uow, parsed.event_id) != user_id:
        raise NotOrganizer()
    ticket = next((t for t in order.tickets if t.id == parsed.ticket_id), None)
    if ticket is None or ticket.key != key.strip():
        # A re-signed key for a real ticket id is not the key that was issued.
        return "invalid"
    if await uow.orders.mark_ticket_used(parsed.ticket_id, now):
        return "valid"
    return "already_used"
