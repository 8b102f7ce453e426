"""Checkout (countdown, card form, pay, cancel), the order's ticket cards, my orders."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from client.checkout import OPEN_STATUSES, order_lines, payment_body
from client.config import ClientSettings
from client.door_tickets import ticket_cards
from client.gateway import Gateway, ServiceUnavailable, api_path
from client.payment_form import CardForm
from client.shapes import Json, first, page_items
from client.waitlist import waitlist_entries
from client.web import GatewayDep, UserDep, form_fields, redirect, render, sign_in_first
from ticketing_common.wiring import settings_of

router = APIRouter(tags=["orders"])


async def card_form(request: Request) -> CardForm:
    return CardForm.of(settings_of(request, ClientSettings))


CardFormDep = Annotated[CardForm, Depends(card_form)]


async def optional_get(gateway: Gateway, path: str, request: Request, **params: Any) -> Any:
    """A best-effort read for decoration (event names, payment state): None when it fails."""
    try:
        api = await gateway.get(path, request, **params)
    except ServiceUnavailable:
        return None
    return api.body if api.ok else None


async def _order_page(
    request: Request,
    gateway: Gateway,
    user: Any,
    order_id: str,
    form: CardForm,
    error: str | None = None,
    status: int = 200,
) -> Response:
    api = await gateway.get(api_path("/api/orders/{}", order_id), request)
    if not api.ok or not isinstance(api.body, dict):
        return render(request, "error.html", user, status_code=404, message="Order not found")
    order: Json = api.body
    event = await event_of(gateway, order, request)
    payment = await optional_get(gateway, "/api/payments", request, orderId=order_id)
    is_open = first(order, "status") in OPEN_STATUSES
    page = render(
        request,
        "order.html",
        user,
        status_code=status,
        order=order,
        event=event,
        lines=order_lines(order, event),
        tickets=ticket_cards(order, event, str(first(user, "email", default=""))),
        payment=payment[0] if isinstance(payment, list) and payment else payment,
        is_open=is_open,
        card_form=form,
        error=error,
        paid=request.query_params.get("paid") == "1",
    )
    if is_open and form.enabled:
        page.headers["content-security-policy"] = form.content_security_policy()
    return page


async def event_of(gateway: Gateway, order: Json, request: Request) -> Json | None:
    """The order's event from the catalog (names, venue, seats); None for a listing."""
    event_id = first(order, "eventId")
    if not event_id:
        return None
    event = await optional_get(gateway, api_path("/api/events/{}", str(event_id)), request)
    return event if isinstance(event, dict) else None


@router.get("/orders/{order_id}")
async def order_page(
    request: Request, order_id: str, gateway: GatewayDep, user: UserDep, form: CardFormDep
) -> Response:
    if user is None:
        return sign_in_first(request)
    return await _order_page(request, gateway, user, order_id, form)


@router.post("/orders/{order_id}/pay")
async def pay(
    request: Request, order_id: str, gateway: GatewayDep, user: UserDep, form: CardFormDep
) -> Response:
    if user is None:
        return sign_in_first(request)
    method = form.payment_method(await form_fields(request))
    if method is None:
        message = "Enter your card details to pay."
        return await _order_page(request, gateway, user, order_id, form, message, 400)
    try:
        api = await gateway.call(
            "POST", "/api/payments", request, json=payment_body(order_id, method)
        )
    except ServiceUnavailable:
        message = "Payments are unavailable right now; your hold stays until it expires."
        return await _order_page(request, gateway, user, order_id, form, message, 503)
    if not api.ok:
        message = "; ".join(e.message for e in api.errors)
        return await _order_page(request, gateway, user, order_id, form, message, api.status)
    return redirect(f"/orders/{order_id}?paid=1")


@router.post("/orders/{order_id}/cancel")
async def cancel(
    request: Request, order_id: str, gateway: GatewayDep, user: UserDep, form: CardFormDep
) -> Response:
    if user is None:
        return sign_in_first(request)
    api = await gateway.call("DELETE", api_path("/api/orders/{}", order_id), request)
    if not api.ok:
        message = "; ".join(e.message for e in api.errors)
        return await _order_page(request, gateway, user, order_id, form, message, api.status)
    return redirect(f"/orders/{order_id}")


@router.get("/orders")
async def my_orders(request: Request, gateway: GatewayDep, user: UserDep) -> Response:
    if user is None:
        return sign_in_first(request)
    api = await gateway.get("/api/orders", request, page=1, pageSize=50)
    orders = page_items(api.body) if api.ok else []
    waitlist = await waitlist_entries(gateway, request)
    return render(request, "orders.html", user, orders=orders, waitlist=waitlist)
