"""Checkout (countdown, pay, cancel), my orders and my tickets."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from client.checkout import (
    OPEN_STATUSES,
    TEST_CARDS,
    issued_tickets,
    order_lines,
    payment_body,
)
from client.gateway import Gateway, ServiceUnavailable, api_path
from client.shapes import Json, first, page_items
from client.web import GatewayDep, UserDep, form_fields, redirect, render, sign_in_first

router = APIRouter(tags=["orders"])

MAX_TICKET_ORDERS = 20


async def _optional_get(gateway: Gateway, path: str, request: Request, **params: Any) -> Any:
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
    error: str | None = None,
    status: int = 200,
) -> Response:
    api = await gateway.get(api_path("/api/orders/{}", order_id), request)
    if not api.ok or not isinstance(api.body, dict):
        return render(request, "error.html", user, status_code=404, message="Order not found")
    order: Json = api.body
    event_id = first(order, "eventId")
    event = (
        await _optional_get(gateway, api_path("/api/events/{}", event_id), request)
        if (event_id)
        else None
    )
    payment = await _optional_get(gateway, "/api/payments", request, orderId=order_id)
    return render(
        request,
        "order.html",
        user,
        status_code=status,
        order=order,
        event=event if isinstance(event, dict) else None,
        lines=order_lines(order, event if isinstance(event, dict) else None),
        tickets=issued_tickets(order, event if isinstance(event, dict) else None),
        payment=payment[0] if isinstance(payment, list) and payment else payment,
        is_open=first(order, "status") in OPEN_STATUSES,
        cards=TEST_CARDS,
        error=error,
        paid=request.query_params.get("paid") == "1",
    )


@router.get("/orders/{order_id}")
async def order_page(
    request: Request, order_id: str, gateway: GatewayDep, user: UserDep
) -> Response:
    if user is None:
        return sign_in_first(request)
    return await _order_page(request, gateway, user, order_id)


@router.post("/orders/{order_id}/pay")
async def pay(request: Request, order_id: str, gateway: GatewayDep, user: UserDep) -> Response:
    if user is None:
        return sign_in_first(request)
    form = await form_fields(request)
    body = payment_body(order_id, form.get("card") or TEST_CARDS[0][0])
    try:
        api = await gateway.call("POST", "/api/payments", request, json=body)
    except ServiceUnavailable:
        message = "Payments are unavailable right now; your hold stays until it expires."
        return await _order_page(request, gateway, user, order_id, message, 503)
    if not api.ok:
        message = "; ".join(e.message for e in api.errors)
        return await _order_page(request, gateway, user, order_id, message, api.status)
    return redirect(f"/orders/{order_id}?paid=1")


@router.post("/orders/{order_id}/cancel")
async def cancel(request: Request, order_id: str, gateway: GatewayDep, user: UserDep) -> Response:
    if user is None:
        return sign_in_first(request)
    api = await gateway.call("DELETE", api_path("/api/orders/{}", order_id), request)
    if not api.ok:
        message = "; ".join(e.message for e in api.errors)
        return await _order_page(request, gateway, user, order_id, message, api.status)
    return redirect(f"/orders/{order_id}")


@router.get("/orders")
async def my_orders(request: Request, gateway: GatewayDep, user: UserDep) -> Response:
    if user is None:
        return sign_in_first(request)
    api = await gateway.get("/api/orders", request, page=1, pageSize=50)
    orders = page_items(api.body) if api.ok else []
    return render(request, "orders.html", user, orders=orders)


@router.get("/my-tickets")
async def my_tickets(request: Request, gateway: GatewayDep, user: UserDep) -> Response:
    if user is None:
        return sign_in_first(request)
    api = await gateway.get("/api/orders", request, page=1, pageSize=50)
    completed = [o for o in page_items(api.body) if first(o, "status") == "complete"]
    owned: list[tuple[Json, list[Json]]] = []
    for order in completed[:MAX_TICKET_ORDERS]:
        tickets = issued_tickets(order)
        if not tickets:
            # The list may carry summaries only; the order itself lists tickets and keys.
            path = api_path("/api/orders/{}", str(first(order, "id", default="")))
            detail = await _optional_get(gateway, path, request)
            tickets = issued_tickets(detail) if isinstance(detail, dict) else []
        owned.append((order, tickets))
    return render(request, "tickets.html", user, owned=owned)
