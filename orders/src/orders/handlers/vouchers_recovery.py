"""Giving voucher redemptions back: for ended orders in a batch, and in the recovery sweep.

An order that ends unpaid (expired, cancelled) gives its redemption back with its units
(`release_inventory`, `release_inventory_of`), after the order's cancel is written. Two
crashes can leave a redemption behind, and the sweep (run with the abandoned-hold sweep,
same windows and bound) repairs both:
- between the redemption and the order's record (the hold died): the redemption's order
  does not exist, so its id is fenced first (a slow hold can then no longer record the
  order) and the redemption given back;
- between an order's cancel and the give-back: a redelivered `expiration.complete` (or
  cancel) finishes it, and the sweep gives back the redemptions of orders cancelled in
  its window.
Every give-back only removes the order's own entry, so repeating one changes nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from orders.domain.order import Order
from orders.domain.recovery import EVERY_CLAIM, RELEASABLE
from orders.handlers.ports import OrdersUnit

log = logging.getLogger(__name__)


async def give_back_vouchers(uow: OrdersUnit, orders: Iterable[Order]) -> None:
    """The redemptions of these ended orders: one write per voucher."""
    await _give_back(uow, {o.id: o.voucher.id for o in orders if o.voucher is not None})


async def _give_back(uow: OrdersUnit, voucher_of: dict[str, str]) -> None:
    by_voucher: dict[str, list[str]] = defaultdict(list)
    for order_id, voucher_id in voucher_of.items():
        by_voucher[voucher_id].append(order_id)
    for voucher_id, order_ids in sorted(by_voucher.items()):
        await uow.vouchers.give_back(voucher_id, sorted(order_ids))


async def release_abandoned_redemptions(
    uow: OrdersUnit, since: datetime | None, until: datetime, now: datetime
) -> list[str]:
    """One pass over the window (since, until] → the order ids whose redemption went back."""
    redeemed = await uow.vouchers.redeemed_between(since or EVERY_CLAIM, until)
    released: dict[str, str] = {}
    if redeemed:
        statuses = await uow.orders.statuses(list(redeemed))
        for order_id, voucher_id in redeemed.items():
            status = statuses.get(order_id)
            if status is None and not await uow.orders.fence(order_id, now):
                continue  # the order was recorded meanwhile: the redemption is its
            if status is None or status in RELEASABLE:
                released[order_id] = voucher_id
    if since is not None and (cancelled := await uow.orders.cancelled_between(since, until)):
        released.update(await uow.vouchers.held_by(list(cancelled)))
    await _give_back(uow, released)
    if released:
        log.warning("abandoned voucher redemptions given back", extra={"orders": len(released)})
    return sorted(released)
