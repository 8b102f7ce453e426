"""Routes under /api/availability: a snapshot, and a server-sent-event stream of changes.

The stream opens with the whole snapshot (event `availability`), then sends `changes`
frames naming only the seats and types touched since the previous frame (at most one
every quarter second), and a keep-alive comment when quiet. A reconnect (with or
without `Last-Event-ID`) starts again from a whole snapshot. When the server begins to
stop, every stream ends at once with a `retry:` hint, so browsers reconnect soon (to
another replica behind the gateway) and the process need not wait for them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from orders.api.deps import ContextDep
from orders.availability import AvailabilityProjection, Snapshot
from orders.availability.frames import farewell
from orders.availability.render import rendered_json
from ticketing_common.domain_errors import NotFound
from ticketing_common.events import utc_now
from ticketing_common.shutdown import ShutdownDep, ShutdownSignal

router = APIRouter(prefix="/api/availability", tags=["availability"])
HEARTBEAT_SECONDS = 15.0
RETRY_MILLISECONDS = 2000


async def _snapshot(projection: AvailabilityProjection, event_id: str) -> Snapshot:
    snapshot = await projection.snapshot(event_id)
    if snapshot is None:
        raise NotFound("Event not found")
    return snapshot


@router.get("/{event_id}", response_model=dict[str, Any])
async def availability(event_id: str, ctx: ContextDep) -> Response:
    body = rendered_json(await _snapshot(ctx.availability, event_id), utc_now())
    return Response(body, media_type="application/json")


@router.get("/{event_id}/stream")
async def availability_stream(
    event_id: str, request: Request, ctx: ContextDep, shutdown: ShutdownDep
) -> StreamingResponse:
    projection = ctx.availability
    await _snapshot(projection, event_id)  # 404 before the stream starts
    return StreamingResponse(
        _frames(projection, event_id, request, shutdown),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _frames(
    projection: AvailabilityProjection, event_id: str, request: Request, shutdown: ShutdownSignal
) -> AsyncIterator[str]:
    async with projection.feeds.watch(event_id) as (feed, viewer):
        with shutdown.on_stop(viewer.end):
            first = feed.welcome(viewer)
            if first is None:
                return
            # Frame ids are the feed's own: whatever `Last-Event-ID` names, start from a snapshot.
            yield f"retry: {RETRY_MILLISECONDS}\n" + first.text
            while not viewer.ended and not await request.is_disconnected():
                if (text := await feed.next_text(viewer, HEARTBEAT_SECONDS)) is not None:
                    yield text
            if viewer.ended:
                yield farewell()
