"""What an order holds: seat and listing units (one document each, named here) and
general-admission units on its ticket types' counters."""

from __future__ import annotations

from orders.domain.order import Order


def seat_unit_id(event_id: str, seat_id: str) -> str:
    return f"seat:{event_id}:{seat_id}"


def listing_unit_id(ticket_id: str) -> str:
    return f"listing:{ticket_id}"


def unit_ids(order: Order) -> list[str]:
    """The seat or listing units the order holds or bought."""
    if order.listing is not None:
        return [listing_unit_id(order.listing.id)]
    assert order.event_id is not None
    return [seat_unit_id(order.event_id, line.seat_id) for line in order.lines if line.seat_id]


def ga_type_ids(order: Order) -> list[str]:
    """The general-admission ticket types the order holds units of."""
    return sorted({line.ticket_type_id for line in order.lines if line.seat_id is None})
