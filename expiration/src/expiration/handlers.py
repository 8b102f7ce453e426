"""Use cases of the expiration service."""

from __future__ import annotations

import logging

from expiration.domain import expiration_for
from expiration.store import ExpirationSchedules
from ticketing_common.events import OrderCreated

log = logging.getLogger(__name__)


async def schedule_expiration(order: OrderCreated, schedules: ExpirationSchedules) -> None:
    """Hand the hold's expiry to the broker; an `expires_at` in the past fires at once."""
    scheduled = expiration_for(order)
    await schedules.put(scheduled)
    log.info(
        "expiration scheduled",
        extra={"order_id": order.order_id, "expires_at": scheduled.expires_at.isoformat()},
    )
