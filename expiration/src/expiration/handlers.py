"""Use cases of the expiration service, against the `Schedules` protocol (JetStream in
production, see expiration.store; an in-memory fake in unit tests)."""

from __future__ import annotations

import logging
from typing import Protocol

from expiration.domain import ScheduledExpiration, expiration_for
from ticketing_common.events import OrderCreated

log = logging.getLogger(__name__)


class Schedules(Protocol):
    async def put(self, scheduled: ScheduledExpiration) -> None:
        """Create or replace the order's schedule."""
        ...


async def schedule_expiration(order: OrderCreated, schedules: Schedules) -> None:
    """Hand the hold's expiry to the broker; an `expires_at` in the past fires at once."""
    scheduled = expiration_for(order)
    await schedules.put(scheduled)
    log.info(
        "expiration scheduled",
        extra={"order_id": order.order_id, "expires_at": scheduled.expires_at.isoformat()},
    )
