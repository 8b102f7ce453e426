"""Cancelling an event: a confirmation page, then `POST /api/events/:id/cancel`.

Cancelling is final and costs every buyer their tickets (orders cancels each order
and payments refunds each payment), so it is never one click: the dashboard links to
a page that says so, and only its form cancels.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from client.gateway import Gateway, ServiceUnavailable, api_path
from client.pages.organizer import OrganizedEvent
from client.shapes import Json, first
from client.web import GatewayDep, UserDep, redirect, render

router = APIRouter(tags=["organizer"])


def _confirm_page(
    request: Request, user: Any, event: Json, error: str | None = None, status: int = 200
) -> Response:
    return render(
        request, "organizer_cancel.html", user, status_code=status, event=event, error=error
    )


@router.get("/events/{event_id}/cancel")
async def confirm_cancel(
    request: Request, event_id: str, event: OrganizedEvent, gateway: GatewayDep, user: UserDep
) -> Response:
    if isinstance(event, Response):
        return event
    return _confirm_page(request, user, event)


async def _cancel(request: Request, gateway: Gateway, event_id: str) -> str | None:
    """Cancels the event; the reason it could not, or None."""
    try:
        api = await gateway.call("POST", api_path("/api/events/{}/cancel", event_id), request)
    except ServiceUnavailable:
        return "The catalog is unavailable right now; the event was not cancelled."
    return None if api.ok else "; ".join(e.message for e in api.errors)


@router.post("/events/{event_id}/cancel")
async def cancel_event(
    request: Request, event_id: str, event: OrganizedEvent, gateway: GatewayDep, user: UserDep
) -> Response:
    if isinstance(event, Response):
        return event
    if first(event, "status") == "cancelled":
        return redirect(f"/events/{event_id}/dashboard")
    error = await _cancel(request, gateway, event_id)
    if error is not None:
        return _confirm_page(request, user, event, error, 400)
    return redirect(f"/events/{event_id}/dashboard?notice=cancelled")
