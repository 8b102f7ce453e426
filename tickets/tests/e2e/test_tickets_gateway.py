"""End to end through the gateway: a user signs up, lists a ticket, creates and finds an event."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import pytest

from ticketing_common.events import utc_now

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]


async def test_listing_and_event_through_the_gateway(running_stack: str) -> None:
    async with httpx.AsyncClient(base_url=running_stack, timeout=20) as client:
        email = f"org-{uuid.uuid4().hex[:8]}@example.com"
        signup = await client.post(
            "/api/users/signup", json={"email": email, "password": "s3cret-pass"}
        )
        assert signup.status_code == 201, signup.text
        user_id = signup.json()["id"]

        listing = await client.post("/api/tickets", json={"title": "Spare seat", "price": 42.5})
        assert listing.status_code == 201, listing.text
        assert (listing.json()["userId"], listing.json()["price"]) == (user_id, 42.5)
        listed = await client.get("/api/tickets", params={"pageSize": 100})
        assert listing.json()["id"] in [t["id"] for t in listed.json()]
        assert int(listed.headers["X-Total-Count"]) >= 1

        word = f"zq{uuid.uuid4().hex[:6]}"
        starts = utc_now() + timedelta(days=3)
        created = await client.post(
            "/api/events",
            json={
                "name": f"Gateway {word} Festival",
                "category": "music",
                "venue": {"name": "Hall", "address": "1 Main St"},
                "startsAt": starts.isoformat(),
                "endsAt": (starts + timedelta(hours=2)).isoformat(),
                "ticketTypes": [{"name": "GA", "price": 10, "quantity": 50}],
            },
        )
        assert created.status_code == 201, created.text
        event_id = created.json()["id"]
        found = await client.get("/api/events", params={"q": word[:5]})
        assert [e["id"] for e in found.json()] == [event_id]
        stats = await client.get(f"/api/events/{event_id}/stats")
        assert stats.json()["totals"] == {
            "sold": 0,
            "revenue": 0.0,
            "remaining": 50,
            "refunded": 0,
            "gross": 0.0,
            "net": 0.0,
            "tax": 0.0,
        }

        await client.post("/api/users/signout")
        client.cookies.clear()
        assert (await client.get(f"/api/events/{event_id}/stats")).status_code == 401
        assert (await client.get(f"/api/events/{event_id}")).json()["name"].startswith("Gateway")
