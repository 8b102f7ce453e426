"""The event page (details, remaining tickets, seat map) and taking a hold from it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from client.forms import NO_ERRORS, FormErrors
from client.gateway import ServiceUnavailable, api_path
from client.pages.catalog import number
from client.shapes import (
    Availability,
    first,
    read_availability,
    seat_sections,
    seated_type_ids,
    ticket_types,
)
from client.waitlist import open_by_type, waitlist_entries
from client.web import GatewayDep, UserDep, form_fields, form_lists, redirect, render

router = APIRouter(tags=["events"])

_HOLD_FIELDS = ("items", "seats", "ticketTypeId", "quantity", "eventId")
TYPE_COLOURS = 8  # as many as app.css defines (`.seat[data-type="0"]` ... "7")


async def _event_page(
    request: Request,
    gateway: GatewayDep,
    user: Any,
    event_id: str,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
) -> Response:
    api = await gateway.get(api_path("/api/events/{}", event_id), request)
    if api.status == 404 or not isinstance(api.body, dict):
        return render(request, "error.html", user, status_code=404, message="Event not found")
    event = api.body
    availability: Availability | None = None
    try:
        # Orders may not have built its replica yet (or may be down): show the event anyway.
        live = await gateway.get(api_path("/api/availability/{}", event_id), request)
        availability = read_availability(live.body) if live.ok else None
    except ServiceUnavailable:
        availability = None
    sections = seat_sections(event)
    seated = seated_type_ids(sections)
    types = ticket_types(event)
    # One colour per ticket type, the same in the legend and on the seats.
    colour = {str(t.get("id")): i % TYPE_COLOURS for i, t in enumerate(types)}
    return render(
        request,
        "event.html",
        user,
        status_code=status,
        event=event,
        event_id=event_id,
        types=types,
        types_by_id={str(t.get("id")): t for t in types},
        type_colour=colour,
        general_types=[t for t in types if str(t.get("id")) not in seated],
        seated_types=[t for t in types if str(t.get("id")) in seated],
        sections=sections,
        availability=availability,
        currency=first(event, "currency", default="usd"),
        errors=errors,
        waitlist=open_by_type(await waitlist_entries(gateway, request, event_id)) if user else {},
    )


# The waiting list's join form answers with this page too (pages/waitlist.py).
event_page_with = _event_page


@router.get("/events/{event_id}")
async def event_page(
    request: Request, event_id: str, gateway: GatewayDep, user: UserDep
) -> Response:
    return await _event_page(request, gateway, user, event_id)


def hold_body(event_id: str, form: dict[str, str], lists: dict[str, list[str]]) -> dict[str, Any]:
    """POST /api/orders body for the chosen way of holding: by type, seats, or together."""
    mode = form.get("mode", "items")
    if mode == "seats":
        return {"eventId": event_id, "seats": lists["seat"]}
    if mode == "together":
        return {
            "eventId": event_id,
            "ticketTypeId": form.get("ticketTypeId", ""),
            "quantity": number(form.get("quantity", "")),
            "together": True,
        }
    items = [
        {"ticketTypeId": type_id, "quantity": number(quantity)}
        for type_id, quantity in zip(lists["typeId"], lists["typeQuantity"], strict=False)
        if quantity not in ("", "0")
    ]
    return {"eventId": event_id, "items": items}


def with_voucher(body: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """The hold body with the buyer's voucher code, when one was typed."""
    code = form.get("voucher", "").strip()
    return {**body, "voucher": code} if code else body


@router.post("/events/{event_id}/hold")
async def hold(request: Request, event_id: str, gateway: GatewayDep, user: UserDep) -> Response:
    if user is None:
        return redirect(f"/signin?next=/events/{event_id}")
    form = await form_fields(request)
    lists = await form_lists(request, "seat", "typeId", "typeQuantity")
    body = with_voucher(hold_body(event_id, form, lists), form)
    if body.get("items") == [] or body.get("seats") == []:
        errors = FormErrors.single("Choose at least one ticket or seat")
        return await _event_page(request, gateway, user, event_id, errors, 400)
    api = await gateway.call("POST", "/api/orders", request, json=body)
    order_id = first(api.body, "id")
    if not api.ok or order_id is None:
        errors = FormErrors.of_api(api.errors, _HOLD_FIELDS)
        return await _event_page(request, gateway, user, event_id, errors, api.status)
    return redirect(f"/orders/{order_id}")
