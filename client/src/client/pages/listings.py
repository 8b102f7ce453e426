"""Resale listings: sell a ticket, view one, buy it, reprice it, withdraw it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from client.forms import NO_ERRORS, FormErrors
from client.gateway import Gateway, api_path
from client.pages.catalog import number
from client.shapes import first
from client.web import GatewayDep, UserDep, form_fields, redirect, render, sign_in_first

router = APIRouter(tags=["listings"])

_FIELDS = ("title", "price")


def _listing_form(
    request: Request,
    user: Any,
    errors: FormErrors,
    values: dict[str, Any],
    status: int = 200,
    ticket_id: str | None = None,
) -> Response:
    return render(
        request,
        "listing_form.html",
        user,
        status_code=status,
        errors=errors,
        values=values,
        ticket_id=ticket_id,
    )


@router.get("/sell")
async def sell_page(request: Request, user: UserDep) -> Response:
    if user is None:
        return sign_in_first(request)
    return _listing_form(request, user, NO_ERRORS, {})


@router.post("/sell")
async def sell(request: Request, gateway: GatewayDep, user: UserDep) -> Response:
    if user is None:
        return sign_in_first(request)
    form = await form_fields(request)
    body = {"title": form.get("title", ""), "price": number(form.get("price", ""))}
    api = await gateway.call("POST", "/api/tickets", request, json=body)
    if not api.ok:
        return _listing_form(
            request, user, FormErrors.of_api(api.errors, _FIELDS), form, api.status
        )
    return redirect(f"/tickets/{first(api.body, 'id', default='')}")


async def _listing_page(
    request: Request, gateway: Gateway, user: Any, ticket_id: str, errors: FormErrors, status: int
) -> Response:
    api = await gateway.get(api_path("/api/tickets/{}", ticket_id), request)
    if not api.ok or not isinstance(api.body, dict):
        return render(request, "error.html", user, status_code=404, message="Ticket not found")
    return render(request, "listing.html", user, status_code=status, ticket=api.body, errors=errors)


@router.get("/tickets/{ticket_id}")
async def listing_page(
    request: Request, ticket_id: str, gateway: GatewayDep, user: UserDep
) -> Response:
    return await _listing_page(request, gateway, user, ticket_id, NO_ERRORS, 200)


@router.post("/tickets/{ticket_id}/buy")
async def buy_listing(
    request: Request, ticket_id: str, gateway: GatewayDep, user: UserDep
) -> Response:
    if user is None:
        return redirect(f"/signin?next=/tickets/{ticket_id}")
    api = await gateway.call("POST", "/api/orders", request, json={"ticketId": ticket_id})
    order_id = first(api.body, "id")
    if not api.ok or order_id is None:
        errors = FormErrors.of_api(api.errors, ())
        return await _listing_page(request, gateway, user, ticket_id, errors, api.status)
    return redirect(f"/orders/{order_id}")


@router.get("/tickets/{ticket_id}/edit")
async def edit_page(
    request: Request, ticket_id: str, gateway: GatewayDep, user: UserDep
) -> Response:
    if user is None:
        return sign_in_first(request)
    api = await gateway.get(api_path("/api/tickets/{}", ticket_id), request)
    if not api.ok or not isinstance(api.body, dict):
        return render(request, "error.html", user, status_code=404, message="Ticket not found")
    return _listing_form(request, user, NO_ERRORS, api.body, ticket_id=ticket_id)


@router.post("/tickets/{ticket_id}/edit")
async def reprice(request: Request, ticket_id: str, gateway: GatewayDep, user: UserDep) -> Response:
    if user is None:
        return sign_in_first(request)
    form = await form_fields(request)
    body = {"title": form.get("title", ""), "price": number(form.get("price", ""))}
    if form.get("version", "").isdigit():
        # The version read with the form: a concurrent edit makes this one fail (409).
        body["version"] = int(form["version"])
    api = await gateway.call("PUT", api_path("/api/tickets/{}", ticket_id), request, json=body)
    if not api.ok:
        errors = FormErrors.of_api(api.errors, _FIELDS)
        return _listing_form(request, user, errors, form, api.status, ticket_id)
    return redirect(f"/tickets/{ticket_id}")


@router.post("/tickets/{ticket_id}/withdraw")
async def withdraw(
    request: Request, ticket_id: str, gateway: GatewayDep, user: UserDep
) -> Response:
    if user is None:
        return sign_in_first(request)
    api = await gateway.call("DELETE", api_path("/api/tickets/{}", ticket_id), request)
    if not api.ok:
        # e.g. 400 "Cannot withdraw a reserved ticket": shown on the listing, kept as is.
        errors = FormErrors.of_api(api.errors, ())
        return await _listing_page(request, gateway, user, ticket_id, errors, api.status)
    return redirect("/?withdrawn=1#listings")
