"""A small stand-in for the gateway: the API routes the client calls, with canned data.

The client owns no database or broker, so its integration tests serve the real client
app over a socket against this fake API (also over a socket) and assert on the HTML.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from client.config import ClientSettings
from client.main import create_app
from ticketing_common.testing.http import serve

GA_EVENT = {
    "id": "e-ga",
    "name": "<script>alert('x')</script> Jazz Night",
    "description": "Smooth & cool",
    "category": "concert",
    "venue": {"name": "Blue Hall", "address": "1 Main St"},
    "startsAt": "2031-05-01T19:30:00Z",
    "endsAt": "2031-05-01T23:00:00Z",
    "currency": "usd",
    "status": "active",
    "ticketTypes": [{"id": "t-std", "name": "Standard", "price": 20.5, "quantity": 100}],
}
SEATED_EVENT = {
    **GA_EVENT,
    "id": "e-seat",
    "name": "Cinema Premiere",
    "currency": "eur",
    "ticketTypes": [{"id": "t-stalls", "name": "Stalls", "price": 12, "quantity": 3}],
    # The catalog's real shape: seats nested in sections and rows.
    "seating": {
        "sections": [
            {
                "name": "Stalls",
                "rows": [
                    {
                        "label": "A",
                        "ticketTypeId": "t-stalls",
                        "seats": [
                            {"id": f"s-A{n}", "label": str(n), "index": n} for n in (1, 2, 3)
                        ],
                    }
                ],
            }
        ]
    },
}
AVAILABILITY = {
    "e-ga": {"ticketTypes": [{"ticketTypeId": "t-std", "remaining": 42}], "seats": []},
    "e-seat": {
        "ticketTypes": [{"id": "t-stalls", "remaining": 1}],
        "seats": [
            {"id": "s-A1", "state": "sold"},
            {"id": "s-A2", "state": "held"},
            {"id": "s-A3", "state": "available"},
        ],
    },
}


@dataclass
class FakeState:
    requests: list[tuple[str, str, Any, dict[str, str]]] = field(default_factory=list)
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The headers of each request, in the order of `requests`.
    headers: list[dict[str, str]] = field(default_factory=list)

    def last(self, method: str, path: str) -> Any:
        return next(b for m, p, b, _ in reversed(self.requests) if m == method and p == path)

    def last_query(self, path: str) -> dict[str, str]:
        return next(q for m, p, _, q in reversed(self.requests) if m == "GET" and p == path)


def _errors(status: int, message: str, field_name: str | None = None) -> JSONResponse:
    error = {"message": message, **({"field": field_name} if field_name else {})}
    return JSONResponse({"errors": [error]}, status_code=status)


def _user(request: Request) -> dict[str, str] | None:
    token = request.cookies.get("session", "")
    return {"id": f"u-{token[4:]}", "email": token[4:]} if token.startswith("tok-") else None


def fake_api(state: FakeState) -> FastAPI:
    app = FastAPI()

    @app.middleware("http")
    async def record(request: Request, call_next: Any) -> Response:
        body = await request.body()
        payload = await request.json() if body else None
        state.requests.append(
            (request.method, request.url.path, payload, dict(request.query_params))
        )
        state.headers.append(dict(request.headers))
        response: Response = await call_next(request)
        return response

    @app.post("/api/users/{action}")
    async def users(action: str, request: Request) -> Response:
        body = await request.json() if action != "signout" else {}
        response: Response
        if action == "signout":
            response = JSONResponse({})
            response.delete_cookie("session", path="/", httponly=True, samesite="lax")
            return response
        if action == "signup" and "@" not in body["email"]:
            return _errors(400, "Email must be valid", "email")
        if action == "signin" and body["password"] != "password123":
            return _errors(400, "Invalid credentials")
        response = JSONResponse({"id": "u-1", "email": body["email"]}, status_code=201)
        response.set_cookie("session", f"tok-{body['email']}", httponly=True, samesite="lax")
        return response

    @app.get("/api/users/currentuser")
    async def currentuser(request: Request) -> dict[str, Any]:
        return {"currentUser": _user(request)}

    @app.get("/api/events")
    async def events(request: Request) -> Response:
        # A bare array with the total in X-Total-Count, as the catalog answers.
        return JSONResponse([GA_EVENT, SEATED_EVENT], headers={"X-Total-Count": "30"})

    @app.post("/api/events")
    async def create_event(request: Request) -> Response:
        body = await request.json()
        if not body["name"]:
            return _errors(400, "Name is required", "name")
        return JSONResponse({**body, "id": "e-new"}, status_code=201)

    @app.get("/api/events/{event_id}")
    async def event(event_id: str) -> Response:
        found = {"e-ga": GA_EVENT, "e-seat": SEATED_EVENT}.get(event_id)
        return JSONResponse(found) if found else _errors(404, "Not found")

    @app.get("/api/availability/{event_id}")
    async def availability(event_id: str) -> Response:
        return JSONResponse(AVAILABILITY.get(event_id, {}))

    @app.get("/api/tickets")
    async def tickets() -> Response:
        listing = {"id": "l-1", "title": "Front row <b>seat</b>", "price": 99.9, "userId": "u-x"}
        return JSONResponse([listing], headers={"X-Total-Count": "1"})

    @app.put("/api/tickets/{ticket_id}")
    async def reprice(ticket_id: str) -> Response:
        return _errors(400, "Cannot edit a reserved ticket")

    @app.delete("/api/tickets/{ticket_id}")
    async def withdraw(ticket_id: str) -> Response:
        if ticket_id == "l-reserved":
            return _errors(400, "Cannot withdraw a reserved ticket")
        return Response(status_code=204)

    @app.get("/api/tickets/{ticket_id}")
    async def ticket(ticket_id: str) -> Response:
        return JSONResponse({"id": ticket_id, "title": "Front row", "price": 99.9, "userId": "u-x"})

    @app.post("/api/orders")
    async def create_order(request: Request) -> Response:
        if _user(request) is None:
            return _errors(401, "Not authorized")
        body = await request.json()
        if body.get("seats") == ["s-A1"]:
            return _errors(400, "Requested amount of tickets (1) not available. Only 0 available.")
        order_id = f"o-{len(state.orders) + 1}"
        items = [{**i, "unitPrice": 20.5} for i in body.get("items", [])]
        state.orders[order_id] = {
            "id": order_id,
            "status": "created",
            "userId": _user(request)["id"],  # type: ignore[index]
            "expiresAt": "2099-01-01T00:00:00Z",
            "eventId": body.get("eventId"),
            "items": items,
            "amount": sum(i["quantity"] for i in items) * 20.5,
            "currency": "usd",
        }
        return JSONResponse(state.orders[order_id], status_code=201)

    @app.get("/api/orders")
    async def orders() -> list[dict[str, Any]]:
        return list(state.orders.values())

    @app.get("/api/orders/{order_id}")
    async def order(order_id: str) -> Response:
        found = state.orders.get(order_id)
        return JSONResponse(found) if found else _errors(404, "Not found")

    @app.post("/api/payments")
    async def pay(request: Request) -> Response:
        body = await request.json()
        if body.get("paymentMethod") == "pm_card_chargeCustomerFail":
            return _errors(402, "Payment failed due to not enough money")
        order = state.orders[body["orderId"]]
        type_id = order["items"][0]["ticketTypeId"] if order["items"] else None
        ticket = {"id": "tk-1", "key": "KEY-abc.123", "ticketTypeId": type_id, "used": False}
        order.update(status="complete", tickets=[ticket])
        return JSONResponse({"id": "p-1"}, status_code=201)

    return app


@dataclass
class Site:
    url: str
    state: FakeState

    def browser(self, email: str | None = None) -> httpx.AsyncClient:
        cookies = {"session": f"tok-{email}"} if email else None
        return httpx.AsyncClient(
            base_url=self.url, cookies=cookies, headers={"accept": "text/html"}
        )


@asynccontextmanager
async def serve_site(**settings: Any) -> AsyncIterator[Site]:
    """The client app with `settings`, in front of a fresh fake API."""
    state = FakeState()
    async with serve(fake_api(state)) as api_url:
        # A test key unless told otherwise: the checkout offers the test cards.
        settings = {"stripe_publishable_key": "pk_test_client", **settings}
        app = create_app(ClientSettings(api_base_url=api_url, **settings))
        async with serve(app) as client_url:
            yield Site(client_url, state)


@pytest.fixture
def site_with() -> Callable[..., AbstractAsyncContextManager[Site]]:
    """Serve a site of its own, with the client settings given."""
    return serve_site


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def site() -> AsyncIterator[Site]:
    async with serve_site() as served:
        yield served
