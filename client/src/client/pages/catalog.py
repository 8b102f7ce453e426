"""Browsing: the home page (upcoming events, resale listings) and creating an event."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from client.forms import NO_ERRORS, FormErrors
from client.gateway import ServiceUnavailable
from client.shapes import first, page_items, page_total
from client.web import (
    GatewayDep,
    UserDep,
    form_fields,
    form_lists,
    redirect,
    render,
    sign_in_first,
)

router = APIRouter(tags=["catalog"])

PAGE_SIZE = 12
CATEGORIES = ("concert", "cinema", "conference", "theatre", "sport", "other")
_EVENT_FIELDS = (
    "name",
    "description",
    "category",
    "venue",
    "startsAt",
    "endsAt",
    "holdMinutes",
    "currency",
    "ticketTypes",
    "seating",
)


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


@router.get("/")
async def home(request: Request, gateway: GatewayDep, user: UserDep) -> Response:
    query = request.query_params
    filters = {k: query.get(k, "").strip() for k in ("q", "from", "to", "category")}
    page = _page_number(query.get("page"))
    events: list[dict[str, Any]] | None = None
    listings: list[dict[str, Any]] | None = None
    total = 0
    # Each section degrades on its own: a stopped catalog shows a note, not a 500.
    try:
        api = await gateway.get("/api/events", request, page=page, pageSize=PAGE_SIZE, **filters)
        if api.ok:
            events = page_items(api.body)
            total = page_total(api.body, api.headers, len(events))
    except ServiceUnavailable:
        pass
    try:
        api = await gateway.get("/api/tickets", request, page=1, pageSize=PAGE_SIZE)
        listings = page_items(api.body) if api.ok else None
    except ServiceUnavailable:
        pass
    pages = max(1, -(-total // PAGE_SIZE))
    active_filters = {k: v for k, v in filters.items() if v}
    return render(
        request,
        "home.html",
        user,
        events=events,
        listings=listings,
        withdrawn=query.get("withdrawn") == "1",
        filters=filters,
        categories=CATEGORIES,
        page=page,
        pages=pages,
        total=total,
        page_url=lambda number: "/?" + urlencode({**active_filters, "page": number}),
    )


@router.get("/events/new")
async def new_event_page(request: Request, user: UserDep) -> Response:
    if user is None:
        return sign_in_first(request)
    return _event_form(request, user, NO_ERRORS, {}, 200)


def _event_form(
    request: Request, user: Any, errors: FormErrors, values: dict[str, Any], status: int
) -> Response:
    return render(
        request,
        "event_new.html",
        user,
        status_code=status,
        errors=errors,
        values=values,
        categories=CATEGORIES,
    )


def number(text: str) -> Any:
    """A form number for the JSON body; left as text when invalid so the API names the field."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    return int(value) if value == value.to_integral_value() and "." not in text else float(value)


def _utc(local: str) -> str:
    # <input type=datetime-local> has no zone; the form labels its times as UTC.
    return f"{local}:00Z" if len(local) == 16 else local


def event_body(form: dict[str, str], types: dict[str, list[str]]) -> dict[str, Any]:
    """The POST /api/events body from the form; raises ValueError on bad seating JSON."""
    body: dict[str, Any] = {
        "name": form.get("name", ""),
        "description": form.get("description", ""),
        "category": form.get("category", ""),
        "venue": {"name": form.get("venueName", ""), "address": form.get("venueAddress", "")},
        "startsAt": _utc(form.get("startsAt", "")),
        "endsAt": _utc(form.get("endsAt", "")),
        "holdMinutes": number(form.get("holdMinutes") or "15"),
        "currency": (form.get("currency") or "usd").lower(),
    }
    rows = zip(
        types["typeName"], types["typePrice"], types["typeQuantity"], types["typeMax"], strict=False
    )
    ticket_types = []
    for name, price, quantity, max_per_order in rows:
        if not (name or price or quantity):
            continue  # an unused row of the form
        entry = {"name": name, "price": number(price)}
        if quantity:
            entry["quantity"] = number(quantity)
        if max_per_order:
            entry["maxPerOrder"] = number(max_per_order)
        ticket_types.append(entry)
    body["ticketTypes"] = ticket_types
    if seating := form.get("seating"):
        body["seating"] = json.loads(seating)
    return body


@router.post("/events/new")
async def create_event(request: Request, gateway: GatewayDep, user: UserDep) -> Response:
    if user is None:
        return sign_in_first(request)
    form = await form_fields(request)
    types = await form_lists(request, "typeName", "typePrice", "typeQuantity", "typeMax")
    values: dict[str, Any] = {**form, "types": list(zip(*types.values(), strict=False))}
    try:
        body = event_body(form, types)
    except ValueError:
        errors = FormErrors.single("Seating must be valid JSON", "seating")
        return _event_form(request, user, errors, values, 400)
    api = await gateway.call("POST", "/api/events", request, json=body)
    if not api.ok:
        errors = FormErrors.of_api(api.errors, _EVENT_FIELDS)
        return _event_form(request, user, errors, values, api.status)
    event_id = first(api.body, "id", "eventId")
    return redirect(f"/events/{event_id}" if event_id else "/")
