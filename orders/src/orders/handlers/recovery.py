"""Recovery: freeing units a crash left claimed (the rules: orders.domain.recovery).

One pass looks at the claims made in a window and at the orders cancelled in it:
- a claim whose order does not exist: its id is fenced first (a tombstone takes it, so
  a slow hold can no longer record the order — it answers 503 instead), then its claims
  are released; if the fence finds the order recorded meanwhile, the claims are its;
- a claim of a cancelled (or already fenced) order is released;
- an order cancelled in the window that still holds units (a crash between the cancel
  and its release) is released.
Releases are the inventory's idempotent ones, limited to the order's own claims, so
passes of several replicas at once are safe. Live orders are never touched.
"""

from __future__ import annotations

import logging
from datetime import datetime

from orders.domain.recovery import EVERY_CLAIM, RELEASABLE, Holding
from orders.handlers.ports import OrdersUnit
from orders.handlers.vouchers_recovery import release_abandoned_redemptions

log = logging.getLogger(__name__)


async def release_abandoned_holds(
    uow: OrdersUnit, since: datetime | None, until: datetime, now: datetime
) -> list[str]:
    """One pass over the window (since, until] → the order ids whose claims were released.

    `since` None (a replica's first pass) looks at every live claim made up to `until`;
    then the claims alone find the cancelled orders still holding units."""
    claimed = await uow.claims.claimed_between(since or EVERY_CLAIM, until, now)
    released = await _release_unowned(uow, claimed, now)
    if since is not None:
        released += await _release_cancelled(uow, since, until)
    # Voucher redemptions are claims too: the same windows, fences and bound.
    await release_abandoned_redemptions(uow, since, until, now)
    return released


async def _release_unowned(
    uow: OrdersUnit, claimed: dict[str, Holding], now: datetime
) -> list[str]:
    if not claimed:
        return []
    statuses = await uow.orders.statuses(list(claimed))
    released = []
    for order_id, holding in claimed.items():
        status = statuses.get(order_id)
        if status is None and not await uow.orders.fence(order_id, now):
            continue  # the order was recorded meanwhile: the claims are its
        if status is None or status in RELEASABLE:
            await _release(uow, order_id, holding, status or "no order")
            released.append(order_id)
    return released


async def _release_cancelled(uow: OrdersUnit, since: datetime, until: datetime) -> list[str]:
    cancelled = await uow.orders.cancelled_between(since, until)
    if not cancelled:
        return []
    events = sorted({event_id for event_id in cancelled.values() if event_id is not None})
    held = await uow.claims.held_by(list(cancelled), events)
    for order_id, holding in held.items():
        await _release(uow, order_id, holding, "cancelled")
    return list(held)


async def _release(uow: OrdersUnit, order_id: str, holding: Holding, reason: str) -> None:
    if holding.shards:
        await uow.counters.release_shards(holding.shards, order_id)
    if holding.units:
        await uow.inventory.release_units(holding.units, order_id)
    for event_id in sorted(holding.events):
        await uow.availability.changed(event_id)  # every replica reloads the event
    log.warning(
        "abandoned hold released",
        extra={
            "order_id": order_id,
            "reason": reason,
            "units": holding.count,
            "shards": holding.shards,
            "unit_ids": holding.units,
        },
    )
