"""The door check-in page of an event (organizer only).

Everything after the page loads happens in `static/checkin.js`: it verifies signed keys
in the browser with the public keys from `GET /api/orders/ticket-keys`, records each
check-in with `POST /api/orders/verify`, and queues them while the connection is lost.
The page only hands it the event and the count of check-ins the API knows of.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from client.pages.organizer import OrganizedEvent
from client.pages.organizer_dashboard import event_figures
from client.security import SECURITY_HEADERS
from client.web import GatewayDep, UserDep, render

router = APIRouter(tags=["organizer"])

# The page may use the camera to read QR codes; every other page keeps it off.
CHECKIN_PERMISSIONS = SECURITY_HEADERS["Permissions-Policy"].replace("camera=()", "camera=(self)")


@router.get("/events/{event_id}/checkin")
async def checkin_page(
    request: Request, event_id: str, event: OrganizedEvent, gateway: GatewayDep, user: UserDep
) -> Response:
    if isinstance(event, Response):
        return event
    figures = await event_figures(request, gateway, event)
    response = render(
        request,
        "checkin.html",
        user,
        event=event,
        event_id=event_id,
        checked_in=figures.checked_in if figures else None,
    )
    response.headers["permissions-policy"] = CHECKIN_PERMISSIONS
    # Keys and queued check-ins live in this browser; the page itself must not be cached
    # by a shared proxy with one organizer's session in it.
    response.headers["cache-control"] = "no-store"
    return response
