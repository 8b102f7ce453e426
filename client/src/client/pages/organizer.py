"""Organizer pages: "My events", and the one check that an organizer page is theirs.

Every organizer page (dashboard, check-in, cancel) goes through `organized_event`, so
who may open them is decided in one place: signed in, the event exists, and the
signed-in user created it. The API enforces the same on its own routes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from client.gateway import Gateway, api_path
from client.shapes import Json, first, page_items
from client.web import GatewayDep, UserDep, render, sign_in_first

router = APIRouter(tags=["organizer"])

MY_EVENTS_PAGE_SIZE = 50
# "My events" lists past events too; the catalog's search starts from now by default.
_SINCE_EVER = "2000-01-01T00:00:00Z"


def is_organizer(event: Json, user: dict[str, Any] | None) -> bool:
    organizer = first(event, "organizerId", "userId")
    return user is not None and organizer is not None and str(organizer) == str(user.get("id"))


async def organized_event(
    request: Request, gateway: Gateway, user: dict[str, Any] | None, event_id: str
) -> Json | Response:
    """The event when `user` organizes it, else the page to answer (sign in, 404, 403)."""
    if user is None:
        return sign_in_first(request)
    api = await gateway.get(api_path("/api/events/{}", event_id), request)
    if not api.ok or not isinstance(api.body, dict):
        return render(request, "error.html", user, status_code=404, message="Event not found")
    if not is_organizer(api.body, user):
        message = "Only the organizer of this event can open this page"
        return render(request, "error.html", user, status_code=403, message=message)
    return api.body


async def _organized_event_dep(
    request: Request, event_id: str, gateway: GatewayDep, user: UserDep
) -> Json | Response:
    return await organized_event(request, gateway, user, event_id)


# A route's event when its user organizes it, or the page to answer instead.
OrganizedEvent = Annotated[Json | Response, Depends(_organized_event_dep)]


@router.get("/my-events")
async def my_events(request: Request, gateway: GatewayDep, user: UserDep) -> Response:
    if user is None:
        return sign_in_first(request)
    api = await gateway.get(
        "/api/events",
        request,
        organizerId=user.get("id"),
        status="all",
        page=1,
        pageSize=MY_EVENTS_PAGE_SIZE,
        **{"from": _SINCE_EVER},
    )
    events = [e for e in page_items(api.body) if is_organizer(e, user)] if api.ok else None
    return render(request, "organizer_events.html", user, events=events)
