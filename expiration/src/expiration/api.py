"""Routes of the expiration service: health comes from common; one read-only look-up.

`GET /schedules/{orderId}` is for operators (not routed by the gateway): the expiry
the broker still holds for an order, or 404 once it fired or was never scheduled.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from expiration.store import ExpirationSchedules
from ticketing_common.app import RuntimeDep
from ticketing_common.errors import NotFound

router = APIRouter(prefix="/schedules", tags=["expiration"])


class PendingExpiration(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    order_id: str
    expires_at: datetime


def get_schedules(runtime: RuntimeDep) -> ExpirationSchedules:
    schedules: ExpirationSchedules = runtime.extras["schedules"]
    return schedules


SchedulesDep = Annotated[ExpirationSchedules, Depends(get_schedules)]


@router.get("/{order_id}", response_model_by_alias=True)
async def pending_expiration(order_id: str, schedules: SchedulesDep) -> PendingExpiration:
    pending = await schedules.pending(order_id)
    if pending is None:
        raise NotFound()
    event, expires_at = pending
    return PendingExpiration(order_id=event.order_id, expires_at=expires_at)
