"""Joining a sold-out type's waiting list from its event page, and leaving a line."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from client.forms import FormErrors
from client.gateway import api_path
from client.pages.catalog import number
from client.pages.event import event_page_with
from client.web import GatewayDep, UserDep, form_fields, redirect, safe_next, sign_in_first

router = APIRouter(tags=["waiting list"])
_JOIN_FIELDS = ("ticketTypeId", "quantity", "eventId")


@router.post("/events/{event_id}/waitlist")
async def join(request: Request, event_id: str, gateway: GatewayDep, user: UserDep) -> Response:
    if user is None:
        return redirect(f"/signin?next=/events/{event_id}")
    form = await form_fields(request)
    body = {
        "eventId": event_id,
        "ticketTypeId": form.get("ticketTypeId", ""),
        "quantity": number(form.get("quantity", "")),
    }
    api = await gateway.call("POST", "/api/orders/waitlist", request, json=body)
    if not api.ok:
        errors = FormErrors.of_api(api.errors, _JOIN_FIELDS)
        return await event_page_with(request, gateway, user, event_id, errors, api.status)
    return redirect(f"/events/{event_id}#waitlist")


@router.post("/waitlist/{entry_id}/leave")
async def leave(request: Request, entry_id: str, gateway: GatewayDep, user: UserDep) -> Response:
    if user is None:
        return sign_in_first(request)
    back = safe_next((await form_fields(request)).get("next"), "/orders")
    await gateway.call("DELETE", api_path("/api/orders/waitlist/{}", entry_id), request)
    return redirect(back)
