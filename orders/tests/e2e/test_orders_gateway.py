"""Orders through the running gateway, signed in by the real auth service."""

from __future__ import annotations

import uuid

import httpx
import pytest
from bson import ObjectId

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def test_signed_in_buyer_reaches_orders_through_the_gateway(running_stack: str) -> None:
    async with httpx.AsyncClient(base_url=running_stack, timeout=30) as client:
        assert (await client.get("/api/orders")).status_code == 401
        email = f"buyer-{uuid.uuid4().hex[:8]}@example.com"
        signup = await client.post(
            "/api/users/signup", json={"email": email, "password": "correct horse battery"}
        )
        assert signup.status_code == 201
        mine = await client.get("/api/orders")
        assert mine.status_code == 200
        assert mine.json() == []
        assert mine.headers["X-Total-Count"] == "0"
        unknown = str(ObjectId())
        hold = await client.post(
            "/api/orders",
            json={"eventId": unknown, "items": [{"ticketTypeId": "ga", "quantity": 1}]},
        )
        assert hold.status_code == 404
        assert hold.json() == {"errors": [{"message": "Event not found", "field": "eventId"}]}
        assert (await client.get(f"/api/availability/{unknown}")).status_code == 404
        assert (await client.get(f"/api/orders/{unknown}")).status_code == 404
