"""Routes under /api/orders: take a hold, list and read orders, cancel, check in (and
how many are), and the public keys of ticket keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from orders.api.checkin_schemas import (
    CheckInsOut,
    TicketKeyOut,
    TicketKeysOut,
    VerifyOut,
    VerifyRequest,
)
from orders.api.deps import ContextDep
from orders.api.schemas import HoldRequest, OrderOut
from orders.domain.order import owned_order
from orders.domain.vouchers import VoucherRefused
from orders.handlers.checkin import check_in_figures, verify_ticket
from orders.handlers.holds import Hold, hold_general, hold_listing
from orders.handlers.lifecycle import cancel_order
from orders.handlers.seats import hold_seats, hold_together
from ticketing_common.auth import CurrentUser
from ticketing_common.events import utc_now
from ticketing_common.paging import PageDep, add_paging_headers

router = APIRouter(prefix="/api/orders", tags=["orders"])
# Scanners refetch the keys this often; a rotation keeps the retired key verifying longer.
TICKET_KEYS_MAX_AGE = 300


async def _take_hold(body: HoldRequest, user_id: str, ctx: ContextDep) -> Hold:
    now = utc_now()
    if body.ticket_id is not None:
        if body.voucher is not None:
            raise VoucherRefused("Vouchers apply to an event's tickets, not to resale listings")
        return await hold_listing(ctx, user_id, body.ticket_id, now)
    assert body.event_id is not None
    if body.items is not None:
        wanted: dict[str, int] = {}
        for item in body.items:
            wanted[item.ticket_type_id] = wanted.get(item.ticket_type_id, 0) + item.quantity
        return await hold_general(ctx, user_id, body.event_id, wanted, now, body.voucher)
    if body.seats is not None:
        return await hold_seats(ctx, user_id, body.event_id, body.seats, now, body.voucher)
    assert body.ticket_type_id is not None
    assert body.quantity is not None
    return await hold_together(
        ctx, user_id, body.event_id, body.ticket_type_id, body.quantity, now, body.voucher
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_order(body: HoldRequest, user: CurrentUser, ctx: ContextDep) -> OrderOut:
    hold = await _take_hold(body, user.id, ctx)
    return OrderOut.of(hold.order, hold.notice)


@router.get("")
async def list_orders(
    request: Request,
    response: Response,
    user: CurrentUser,
    ctx: ContextDep,
    page: PageDep,
) -> list[OrderOut]:
    orders, total = await ctx.orders.of_user(user.id, page.skip, page.size)
    add_paging_headers(request, response, page, total)
    return [OrderOut.of(order) for order in orders]


@router.post("/verify")
async def verify(body: VerifyRequest, user: CurrentUser, ctx: ContextDep) -> VerifyOut:
    return VerifyOut.of(await verify_ticket(ctx, body.key, user.id, utc_now()))


@router.get("/checkins")
async def check_ins(
    user: CurrentUser, ctx: ContextDep, event_id: Annotated[str, Query(alias="eventId")]
) -> CheckInsOut:
    """Tickets issued and checked in for an event (its organizer only)."""
    return CheckInsOut.of(await check_in_figures(ctx, event_id, user.id))


@router.get("/ticket-keys")
async def ticket_keys(response: Response, ctx: ContextDep) -> TicketKeysOut:
    """The public keys that verify ticket keys offline, active and retired (public)."""
    response.headers["Cache-Control"] = f"public, max-age={TICKET_KEYS_MAX_AGE}"
    published = ctx.ticket_keys.published()
    return TicketKeysOut(keys=[TicketKeyOut(kid=kid, public_key=key) for kid, key in published])


@router.get("/{order_id}")
async def get_order(order_id: str, user: CurrentUser, ctx: ContextDep) -> OrderOut:
    return OrderOut.of(owned_order(await ctx.orders.get(order_id), user.id))


@router.delete("/{order_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_order(order_id: str, user: CurrentUser, ctx: ContextDep) -> Response:
    await cancel_order(ctx, order_id, "cancelled_by_buyer", utc_now(), buyer=user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
