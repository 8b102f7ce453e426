"""A voucher on the hold path: read and check the code, price the lines with it, and
redeem it for the order once its units are claimed.

The redemption is one guarded write on the voucher (handlers/vouchers_ports.py) made
after the units are claimed and before the order is recorded, carrying the order id:
- refused (used up meanwhile): the units are given back and the buyer told (409);
- the order then fails to be recorded: `record_hold` releases the inventory, which
  gives the voucher back too (`order_changes.release_inventory`);
- the process dies in between: the recovery sweep finds the redemption of an order that
  was never recorded, fences the order id and gives it back
  (handlers/vouchers_recovery.py), as it frees the claimed units.
"""

from __future__ import annotations

from datetime import datetime

from orders.domain.holds import EventInfo
from orders.domain.order import Order
from orders.domain.order_parts import Line
from orders.domain.vouchers import Voucher, VoucherRefused, VoucherUsedUp
from orders.handlers.order_changes import release_inventory
from orders.handlers.ports import OrdersUnit


async def voucher_for(
    uow: OrdersUnit, event: EventInfo, code: str | None, now: datetime
) -> Voucher | None:
    """The event's usable voucher with this code (None without a code)."""
    if code is None:
        return None
    voucher = await uow.vouchers.by_code(event.id, code)
    if voucher is None:
        raise VoucherRefused("Unknown voucher code")
    voucher.check_usable(now)
    return voucher


def unlocked_by(voucher: Voucher | None) -> frozenset[str]:
    return voucher.unlocked if voucher else frozenset()


def priced(voucher: Voucher | None, lines: list[Line]) -> list[Line]:
    return voucher.apply(lines) if voucher else lines


async def redeem_voucher(uow: OrdersUnit, voucher: Voucher, order: Order) -> None:
    """Redeem the voucher for the order, whose units are claimed; if none is left, give
    the units back and refuse."""
    if not await uow.vouchers.redeem(voucher, order.id, order.created_at):
        await release_inventory(uow, order)
        raise VoucherUsedUp()
