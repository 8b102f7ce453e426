"""Routes of the expiration service: health comes from common; one read-only look-up.

`GET /schedules/{orderId}` is for operators (not routed by the gateway): the expiry
the broker still holds for an order, or 404 once it fired or was never scheduled.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from expiration.store import ExpirationSchedules
from ticketing_common.domain_errors import NotFound
from ticketing_common.schemas import CamelModel
from ticketing_common.wiring import container_of

router = APIRouter(prefix="/schedules", tags=["expiration"])


class PendingExpiration(CamelModel):
    order_id: str
    expires_at: datetime


async def get_schedules(request: Request) -> ExpirationSchedules:
    return container_of(request, ExpirationSchedules)


SchedulesDep = Annotated[ExpirationSchedules, Depends(get_schedules)]


@router.get("/{order_id}", response_model_by_alias=True)
async def pending_expiration(order_id: str, schedules: SchedulesDep) -> PendingExpiration:
    pending = await schedules.pending(order_id)
    if pending is None:
        raise NotFound()
    event, expires_at = pending
    return PendingExpiration(order_id=event.order_id, expires_at=expires_at)
