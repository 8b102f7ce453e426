"""Routes of the waiting list: join a sold-out type's line, see my places and offers,
leave a line.

Under /api/orders rather than /api/events/{id}/waitlist: /api/events belongs to the
tickets service at the gateway, and an Ingress `Prefix` path cannot name a route in the
middle of another service's tree (nginx would need regex paths for the whole host). The
router is registered before the orders router, whose /api/orders/{id} would take it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import Field

from orders.api.deps import ContextDep
from orders.domain.holds import EventInfo
from orders.domain.waitlist import WaitlistEntry, WaitlistStatus
from orders.handlers.waitlist import join_waitlist, leave_waitlist
from ticketing_common.auth import CurrentUser
from ticketing_common.events import utc_now
from ticketing_common.schemas import CamelModel

router = APIRouter(prefix="/api/orders/waitlist", tags=["waiting list"])


class WaitlistJoin(CamelModel):
    event_id: str = Field(min_length=1)
    ticket_type_id: str = Field(min_length=1)
    quantity: int = Field(ge=1)


class WaitlistEntryOut(CamelModel):
    id: str
    event_id: str
    ticket_type_id: str
    quantity: int
    status: WaitlistStatus
    joined_at: datetime
    # 1 for the first in line; only while waiting.
    position: int | None = None
    # The hold made for the buyer (status `offered`): pay it in My orders before it ends.
    order_id: str | None = None
    offer_expires_at: datetime | None = None
    event_name: str | None = None
    ticket_type_name: str | None = None

    @classmethod
    def of(
        cls, entry: WaitlistEntry, position: int | None = None, event: EventInfo | None = None
    ) -> WaitlistEntryOut:
        types = event.ticket_types if event else []
        kind = next((t for t in types if t.id == entry.ticket_type_id), None)
        return cls(
            event_name=event.name if event else None,
            ticket_type_name=kind.name if kind else None,
            id=entry.id,
            event_id=entry.event_id,
            ticket_type_id=entry.ticket_type_id,
            quantity=entry.quantity,
            status=entry.status,
            joined_at=entry.joined_at,
            position=position,
            order_id=entry.order_id,
            offer_expires_at=entry.offer_expires_at,
        )


@router.post("", status_code=status.HTTP_201_CREATED)
async def join(body: WaitlistJoin, user: CurrentUser, ctx: ContextDep) -> WaitlistEntryOut:
    """Wait for a sold-out type (409 while it is on sale, or if already waiting)."""
    entry = await join_waitlist(
        ctx, user.id, body.event_id, body.ticket_type_id, body.quantity, utc_now()
    )
    event = await ctx.catalog.event(entry.event_id)
    return WaitlistEntryOut.of(entry, await ctx.waitlist.position(entry), event)


@router.get("")
async def mine(
    user: CurrentUser,
    ctx: ContextDep,
    event_id: Annotated[str | None, Query(alias="eventId")] = None,
) -> list[WaitlistEntryOut]:
    """My entries (`?eventId=`: of one event), newest first, with my place while waiting."""
    shown = []
    for entry in await ctx.waitlist.of_user(user.id, event_id):
        place = await ctx.waitlist.position(entry) if entry.status == "waiting" else None
        event = await ctx.catalog.event(entry.event_id)  # from memory, mostly
        shown.append(WaitlistEntryOut.of(entry, place, event))
    return shown


@router.delete("/{entry_id}", status_code=status.HTTP_204_NO_CONTENT)
async def leave(entry_id: str, user: CurrentUser, ctx: ContextDep) -> Response:
    """Leave a line while waiting (an offer is given up by cancelling its order)."""
    await leave_waitlist(ctx, user.id, entry_id, utc_now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)
