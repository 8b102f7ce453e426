"""An organizer's vouchers: create, list, read and disable the codes of their event.

Only the event's organizer (as orders' replica of the catalog records it) may; for
anyone else the event's vouchers are forbidden, an unknown event is not found.
"""

from __future__ import annotations

import logging
from datetime import datetime

from orders.domain import EventNotFound
from orders.domain.holds import EventInfo
from orders.domain.order import new_order_id
from orders.domain.vouchers import Voucher, VoucherSpec, check_organizer, new_voucher
from orders.handlers.ports import OrdersUnit
from ticketing_common.domain_errors import NotFound

log = logging.getLogger(__name__)


async def organized_event(uow: OrdersUnit, event_id: str, user_id: str) -> EventInfo:
    event = await uow.catalog.event(event_id)
    if event is None:
        raise EventNotFound()
    check_organizer(event, user_id)
    return event


async def create_voucher(
    uow: OrdersUnit, user_id: str, event_id: str, spec: VoucherSpec, now: datetime
) -> Voucher:
    event = await organized_event(uow, event_id, user_id)
    voucher = new_voucher(new_order_id(), event, spec, now)
    await uow.vouchers.insert(voucher)
    log.info("voucher created", extra={"voucher_id": voucher.id, "event_id": event_id})
    return voucher


async def list_vouchers(
    uow: OrdersUnit, user_id: str, event_id: str, skip: int, limit: int
) -> tuple[list[Voucher], int]:
    await organized_event(uow, event_id, user_id)
    return await uow.vouchers.of_event(event_id, skip, limit)


async def read_voucher(uow: OrdersUnit, user_id: str, event_id: str, voucher_id: str) -> Voucher:
    await organized_event(uow, event_id, user_id)
    voucher = await uow.vouchers.get(voucher_id)
    if voucher is None or voucher.event_id != event_id:
        raise NotFound("Voucher not found")
    return voucher


async def disable_voucher(uow: OrdersUnit, user_id: str, event_id: str, voucher_id: str) -> Voucher:
    """Stop the code from being redeemed; holds that redeemed it keep their discount."""
    voucher = await read_voucher(uow, user_id, event_id, voucher_id)
    if not voucher.disabled:
        await uow.vouchers.disable(voucher.id)
        log.info("voucher disabled", extra={"voucher_id": voucher.id, "event_id": event_id})
    return voucher.disabled_now()
