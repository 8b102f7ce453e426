"""The organizer's voucher page of one event: its codes with their redemptions, a form
to create one, and disabling a code. Orders owns vouchers; the routes are under
`/api/orders/events/{id}/vouchers`, which also decide who may (the event's organizer)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from client.forms import NO_ERRORS, FormErrors
from client.gateway import Gateway, api_path
from client.pages.catalog import number
from client.pages.organizer import OrganizedEvent
from client.shapes import Json, first, page_items, ticket_types
from client.web import GatewayDep, UserDep, form_fields, redirect, render

router = APIRouter(tags=["organizer"])

_FIELDS = ("code", "percentOff", "amountOff", "fixedPrice", "maxRedemptions", "validUntil")
# What the form's discount kinds are called in the API.
DISCOUNT_FIELDS = {"percent": "percentOff", "amount": "amountOff", "fixed": "fixedPrice"}


def voucher_body(form: dict[str, str]) -> dict[str, Any]:
    """POST body from the form; blank optional fields are left out."""
    body: dict[str, Any] = {
        "code": form.get("code", "").strip(),
        "maxRedemptions": number(form.get("maxRedemptions", "")),
    }
    kind = DISCOUNT_FIELDS.get(form.get("kind", ""))
    if kind and form.get("value", "").strip():
        body[kind] = number(form["value"])
    if form.get("ticketTypeId"):
        body["ticketTypeIds"] = [form["ticketTypeId"]]
    if form.get("unlocks"):
        body["unlocks"] = form["unlocks"]
    if form.get("validUntil"):
        body["validUntil"] = f"{form['validUntil']}:00Z"
    return body


async def _page(
    request: Request,
    gateway: Gateway,
    user: Any,
    event: Json,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
) -> Response:
    event_id = str(first(event, "id", default=""))
    api = await gateway.get(api_path("/api/orders/events/{}/vouchers", event_id), request)
    vouchers = page_items(api.body) if api.ok else None
    types = ticket_types(event)
    return render(
        request,
        "vouchers.html",
        user,
        status_code=status,
        event=event,
        vouchers=vouchers,
        types=types,
        hidden_types=[t for t in types if first(t, "hidden")],
        currency=first(event, "currency", default="usd"),
        errors=errors,
        notice=request.query_params.get("notice"),
    )


@router.get("/events/{event_id}/vouchers")
async def vouchers_page(
    request: Request, event: OrganizedEvent, gateway: GatewayDep, user: UserDep
) -> Response:
    if isinstance(event, Response):
        return event
    return await _page(request, gateway, user, event)


@router.post("/events/{event_id}/vouchers")
async def create_voucher(
    request: Request, event_id: str, event: OrganizedEvent, gateway: GatewayDep, user: UserDep
) -> Response:
    if isinstance(event, Response):
        return event
    body = voucher_body(await form_fields(request))
    path = api_path("/api/orders/events/{}/vouchers", event_id)
    api = await gateway.call("POST", path, request, json=body)
    if not api.ok:
        errors = FormErrors.of_api(api.errors, _FIELDS)
        return await _page(request, gateway, user, event, errors, api.status)
    return redirect(f"/events/{event_id}/vouchers?notice=created")


@router.post("/events/{event_id}/vouchers/{voucher_id}/disable")
async def disable_voucher(
    voucher_id: str,
    event_id: str,
    request: Request,
    gateway: GatewayDep,
    event: OrganizedEvent,
    user: UserDep,
) -> Response:
    if isinstance(event, Response):
        return event
    path = api_path("/api/orders/events/{}/vouchers/{}/disable", event_id, voucher_id)
    api = await gateway.call("POST", path, request)
    if not api.ok:
        return await _page(request, gateway, user, event, FormErrors.of_api(api.errors, ()), 400)
    return redirect(f"/events/{event_id}/vouchers?notice=disabled")
