"""Routes of an event's vouchers, for its organizer, under /api/orders/events/{id}/vouchers.

Orders owns vouchers (a redemption is decided on the hold path, next to the units), so
they live under its prefix, which the gateway already routes here.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from orders.api.deps import ContextDep
from orders.api.vouchers_schemas import VoucherIn, VoucherOut
from orders.handlers.vouchers import (
    create_voucher,
    disable_voucher,
    list_vouchers,
    read_voucher,
)
from ticketing_common.auth import CurrentUser
from ticketing_common.events import utc_now
from ticketing_common.paging import PageDep, add_paging_headers

router = APIRouter(prefix="/api/orders/events/{event_id}/vouchers", tags=["vouchers"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create(event_id: str, body: VoucherIn, user: CurrentUser, ctx: ContextDep) -> VoucherOut:
    return VoucherOut.of(await create_voucher(ctx, user.id, event_id, body.spec(), utc_now()))


@router.get("")
async def list_all(
    event_id: str,
    request: Request,
    response: Response,
    user: CurrentUser,
    ctx: ContextDep,
    page: PageDep,
) -> list[VoucherOut]:
    vouchers, total = await list_vouchers(ctx, user.id, event_id, page.skip, page.size)
    add_paging_headers(request, response, page, total)
    return [VoucherOut.of(voucher) for voucher in vouchers]


@router.get("/{voucher_id}")
async def read(event_id: str, voucher_id: str, user: CurrentUser, ctx: ContextDep) -> VoucherOut:
    return VoucherOut.of(await read_voucher(ctx, user.id, event_id, voucher_id))


@router.post("/{voucher_id}/disable")
async def disable(event_id: str, voucher_id: str, user: CurrentUser, ctx: ContextDep) -> VoucherOut:
    return VoucherOut.of(await disable_voucher(ctx, user.id, event_id, voucher_id))
