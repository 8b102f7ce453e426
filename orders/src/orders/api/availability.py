"""Routes under /api/availability: a snapshot, and a server-sent-event stream of changes."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from orders.api.deps import ContextDep
from orders.api.schemas import major
from orders.availability import AvailabilityProjection, Snapshot
from orders.availability_reads import next_change, remaining_by_type, seat_state
from ticketing_common.errors import NotFound
from ticketing_common.events import utc_now

router = APIRouter(prefix="/api/availability", tags=["availability"])
HEARTBEAT_SECONDS = 15.0


def render(snapshot: Snapshot, now: datetime) -> dict[str, Any]:
    counts = remaining_by_type(snapshot, now)
    event = snapshot.event
    return {
        "eventId": event.id,
        "status": "ended" if event.ends_at <= now and event.status == "active" else event.status,
        "ticketTypes": [
            {
                "id": t.id,
                "name": t.name,
                "price": major(t.price),
                "quantity": t.quantity,
                "seated": t.seated,
                "sold": counts[t.id][0],
                "held": counts[t.id][1],
                "remaining": counts[t.id][2],
            }
            for t in event.ticket_types
        ],
        "seats": [
            {
                "id": s["seatId"],
                "section": s["section"],
                "row": s["row"],
                "label": s["label"],
                "ticketTypeId": s["ticketTypeId"],
                "state": seat_state(s, now),
            }
            for s in snapshot.seats
        ],
    }


async def _snapshot(projection: AvailabilityProjection, event_id: str) -> Snapshot:
    snapshot = await projection.snapshot(event_id)
    if snapshot is None:
        raise NotFound("Event not found")
    return snapshot


@router.get("/{event_id}")
async def availability(event_id: str, ctx: ContextDep) -> dict[str, Any]:
    return render(await _snapshot(ctx.availability, event_id), utc_now())


@router.get("/{event_id}/stream")
async def availability_stream(
    event_id: str, request: Request, ctx: ContextDep
) -> StreamingResponse:
    projection = ctx.availability
    await _snapshot(projection, event_id)  # 404 before the stream starts
    return StreamingResponse(
        _changes(projection, event_id, request),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _changes(
    projection: AvailabilityProjection, event_id: str, request: Request
) -> AsyncIterator[str]:
    """Push the snapshot whenever it changes: a write anywhere, or a hold running out."""
    watcher, unwatch = projection.watch(event_id)
    last = ""
    try:
        while not await request.is_disconnected():
            watcher.clear()
            now = utc_now()
            snapshot = await _snapshot(projection, event_id)
            body = json.dumps(render(snapshot, now))
            if body != last:
                last = body
                yield f"event: availability\ndata: {body}\n\n"
            wake_at = next_change(snapshot, now)
            timeout = HEARTBEAT_SECONDS
            if wake_at is not None:
                timeout = min(timeout, (wake_at - now).total_seconds() + 0.05)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(watcher.wait(), timeout)
                continue
            yield ": keep-alive\n\n"
    finally:
        unwatch()
