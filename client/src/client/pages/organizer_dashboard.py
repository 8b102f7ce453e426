"""The organizer's dashboard of one event: figures, sales chart, price and quantity edits.

The figures (sold, held, remaining, revenue, check-ins, the chart) are one fragment,
`/events/:id/dashboard/figures`, which the page shows at once and `dashboard.js`
fetches again every few seconds to keep it live; the edit forms sit outside it so a
refresh never wipes what the organizer is typing.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from client.forms import FormErrors
from client.gateway import ApiError, Gateway, ServiceUnavailable, api_path
from client.pages.catalog import number
from client.pages.organizer import OrganizedEvent
from client.pages.organizer_chart import cumulative_buckets, sales_chart_svg
from client.pages.organizer_stats import EventFigures, read_stats
from client.shapes import Json, first, seat_sections, seated_type_ids, ticket_types
from client.web import GatewayDep, UserDep, form_fields, redirect, render

router = APIRouter(tags=["organizer"])

REFRESH_SECONDS = 5
_EDIT_FIELDS = ("price", "quantity")


async def event_figures(request: Request, gateway: Gateway, event: Json) -> EventFigures | None:
    """The event's statistics (the catalog's) with its check-ins (orders'); None when the
    catalog cannot say right now, check-ins unknown when orders cannot."""
    event_id = str(first(event, "id", default=""))
    try:
        api = await gateway.get(api_path("/api/events/{}/stats", event_id), request)
    except ServiceUnavailable:
        return None
    if not api.ok:
        return None
    figures = read_stats(api.body, str(first(event, "currency", default="usd")))
    figures.checked_in = await checked_in(request, gateway, event_id)
    return figures


async def checked_in(request: Request, gateway: Gateway, event_id: str) -> int | None:
    try:
        api = await gateway.get("/api/orders/checkins", request, eventId=event_id)
    except ServiceUnavailable:
        return None
    count = first(api.body, "checkedIn") if api.ok else None
    return count if isinstance(count, int) else None


def _figures_context(event: Json, figures: EventFigures | None) -> dict[str, Any]:
    points = cumulative_buckets(figures.sales) if figures else []
    # Sales without a timeline: the statistics route does not send one (yet).
    untimed = figures is not None and figures.sold > 0 and not figures.sales
    note = "Sales over time are not available" if untimed else "No sales yet"
    return {
        "event": event,
        "figures": figures,
        "currency": first(event, "currency", default="usd"),
        "chart": sales_chart_svg(points, note),
    }


async def dashboard_page(
    request: Request,
    gateway: Gateway,
    user: Any,
    event: Json,
    edit: tuple[str, FormErrors, dict[str, str]] | None = None,
    status: int = 200,
) -> Response:
    """The dashboard; `edit` = (ticket type id, its errors, the values posted) after a refusal."""
    figures = await event_figures(request, gateway, event)
    seated = seated_type_ids(seat_sections(event))
    return render(
        request,
        "organizer_dashboard.html",
        user,
        status_code=status,
        types=ticket_types(event),
        seated=seated,
        edit=edit,
        refresh_seconds=REFRESH_SECONDS,
        notice=request.query_params.get("notice"),
        **_figures_context(event, figures),
    )


@router.get("/events/{event_id}/dashboard")
async def dashboard(
    request: Request, event: OrganizedEvent, gateway: GatewayDep, user: UserDep
) -> Response:
    if isinstance(event, Response):
        return event
    return await dashboard_page(request, gateway, user, event)


@router.get("/events/{event_id}/dashboard/figures")
async def dashboard_figures(
    request: Request, event: OrganizedEvent, gateway: GatewayDep, user: UserDep
) -> Response:
    """The live part of the dashboard alone, as an HTML fragment for `dashboard.js`."""
    if isinstance(event, Response):
        return event
    figures = await event_figures(request, gateway, event)
    context = _figures_context(event, figures)
    response = render(request, "organizer_figures.html", user, **context)
    response.headers["cache-control"] = "no-store"
    return response


def type_change(type_id: str, form: dict[str, str], seated: bool) -> dict[str, Any]:
    """One entry of PATCH /api/events/:id `ticketTypes`; blank fields are left unchanged."""
    change: dict[str, Any] = {"id": type_id}
    if form.get("price"):
        change["price"] = number(form["price"])
    if form.get("quantity") and not seated:
        change["quantity"] = number(form["quantity"])
    return change


def edit_errors(errors: list[ApiError]) -> FormErrors:
    """API fields like "ticketTypes.0.price" placed on the row's "price" input."""
    placed = []
    for error in errors:
        name = (error.field or "").rsplit(".", 1)[-1]
        placed.append(ApiError(error.message, name if name in _EDIT_FIELDS else error.field))
    return FormErrors.of_api(placed, _EDIT_FIELDS)


@router.post("/events/{event_id}/ticket-types/{type_id}")
async def edit_ticket_type(
    request: Request,
    event_id: str,
    type_id: str,
    event: OrganizedEvent,
    gateway: GatewayDep,
    user: UserDep,
) -> Response:
    if isinstance(event, Response):
        return event
    form = await form_fields(request)
    seated = type_id in seated_type_ids(seat_sections(event))
    change = type_change(type_id, form, seated)
    if len(change) == 1:
        errors = FormErrors.single("Give a new price or quantity", "price")
        return await dashboard_page(request, gateway, user, event, (type_id, errors, form), 400)
    path = api_path("/api/events/{}", event_id)
    api = await gateway.call("PATCH", path, request, json={"ticketTypes": [change]})
    if not api.ok:
        edit = (type_id, edit_errors(api.errors), form)
        return await dashboard_page(request, gateway, user, event, edit, api.status)
    return redirect(f"/events/{event_id}/dashboard?notice=saved")
