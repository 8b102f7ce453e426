"""A general-admission order as a hold leaves it, for the store tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from orders.domain.order import Order
from orders.domain.order_parts import Line

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


def held_order(
    order_id: str, buyer: str = "buyer", event: str = "e1", quantity: int = 1, **changes: Any
) -> Order:
    """`quantity` tickets of type `ga` of `event`, held at NOW for 15 minutes."""
    order = Order(
        id=order_id,
        user_id=buyer,
        kind="event",
        status="created",
        version=0,
        created_at=NOW,
        expires_at=NOW + timedelta(minutes=15),
        currency="usd",
        lines=[Line("ga", quantity, 2050)],
        event_id=event,
    )
    return replace(order, **changes)
