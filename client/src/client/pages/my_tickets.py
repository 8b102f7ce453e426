"""My tickets (door-ready cards of every completed order) and an order's tickets as a PDF."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from client.door_tickets import TicketCard, pdf_filename, printable_tickets, ticket_cards
from client.gateway import Gateway, api_path
from client.pages.orders import event_of, optional_get
from client.shapes import Json, first, page_items
from client.web import GatewayDep, UserDep, render, sign_in_first
from ticketing_common.printing import tickets_pdf

router = APIRouter(tags=["tickets"])

MAX_TICKET_ORDERS = 20


async def _with_tickets(gateway: Gateway, order: Json, request: Request) -> Json:
    """The order with its tickets and keys (the list may carry summaries only)."""
    if first(order, "tickets"):
        return order
    path = api_path("/api/orders/{}", str(first(order, "id", default="")))
    detail = await optional_get(gateway, path, request)
    return detail if isinstance(detail, dict) else order


async def _cards(gateway: Gateway, order: Json, request: Request, holder: str) -> list[TicketCard]:
    order = await _with_tickets(gateway, order, request)
    return ticket_cards(order, await event_of(gateway, order, request), holder)


@router.get("/my-tickets")
async def my_tickets(request: Request, gateway: GatewayDep, user: UserDep) -> Response:
    if user is None:
        return sign_in_first(request)
    api = await gateway.get("/api/orders", request, page=1, pageSize=50)
    completed = [o for o in page_items(api.body) if first(o, "status") == "complete"]
    completed = completed[:MAX_TICKET_ORDERS]
    holder = str(first(user, "email", default=""))
    cards = await asyncio.gather(*(_cards(gateway, o, request, holder) for o in completed))
    return render(request, "tickets.html", user, owned=list(zip(completed, cards, strict=True)))


@router.get("/orders/{order_id}/tickets.pdf")
async def order_tickets_pdf(
    request: Request, order_id: str, gateway: GatewayDep, user: UserDep
) -> Response:
    if user is None:
        return sign_in_first(request)
    api = await gateway.get(api_path("/api/orders/{}", order_id), request)
    if not api.ok or not isinstance(api.body, dict):
        return render(request, "error.html", user, status_code=404, message="Order not found")
    order: Json = api.body
    event = await event_of(gateway, order, request)
    tickets = printable_tickets(order, event, str(first(user, "email", default="")))
    if not tickets:
        message = "This order has no tickets yet"
        return render(request, "error.html", user, status_code=404, message=message)
    # Drawing QR codes and pages is CPU work: off the event loop.
    pdf = await run_in_threadpool(tickets_pdf, tickets)
    disposition = f'attachment; filename="{pdf_filename(tickets, order_id)}"'
    # The keys get whoever holds the file in: never kept by a shared cache.
    headers = {"content-disposition": disposition, "cache-control": "private, no-store"}
    return Response(pdf, media_type="application/pdf", headers=headers)
