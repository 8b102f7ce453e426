"""Seat-map reads answered before the routes (`api/availability_reads.py`), on a real
orders app: the same answer as the route, logged like any request; what the fast path
does not know goes on to the routes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from orders.api.availability_reads import AvailabilityReads
from orders.config import OrdersSettings
from orders.main import create_app
from ticketing_common.testing.http import serve

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_reads_are_answered_inside_the_guards_before_the_routes(
    orders_settings: OrdersSettings, orders_url: str, catalog: Any, helpers: Any
) -> None:
    event = await catalog.general_event(quantity=40)
    by_route = await helpers.wait_for_event(orders_url, event.event_id)
    app = create_app(orders_settings)
    # Innermost: inside the request log, the error containment and the limits.
    assert app.user_middleware[-1].cls is AvailabilityReads
    # Without its route, only the fast path can answer a read.
    app.router.routes = [
        route
        for route in app.router.routes
        if not (isinstance(route, APIRoute) and route.path == "/api/availability/{event_id}")
    ]
    async with serve(app) as url, httpx.AsyncClient(base_url=url) as client:
        await helpers.wait_for_event(url, event.event_id)
        read = await client.get(f"/api/availability/{event.event_id}")
        unknown = await client.get("/api/availability/000000000000000000000000")
    assert read.status_code == 200
    assert read.headers["content-type"] == "application/json"
    assert read.headers["x-request-id"]  # logged as any request
    assert read.json()["ticketTypes"] == by_route["ticketTypes"]
    # Not known here: on to the routes (this app has none for it, so the framework's 404).
    assert unknown.status_code == 404
