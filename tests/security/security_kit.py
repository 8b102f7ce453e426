"""Helpers of the security tests: users of the running system, signed in through the
gateway by the real auth service, and the objects one of them owns."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx

from ticketing_common.events import utc_now

PASSWORD = "correct horse battery"


def new_email(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:8]}@example.com"


@asynccontextmanager
async def session_of(gateway: str, email: str, how: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of `email`, signed in by signing up or in (`how`): a session of its own."""
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        body = {"email": email, "password": PASSWORD}
        response = await client.post(f"/api/users/{how}", json=body)
        assert response.is_success, response.text
        yield client


def sign_up(gateway: str, who: str) -> AbstractAsyncContextManager[httpx.AsyncClient]:
    """A client signed up (so signed in) as a new user."""
    return session_of(gateway, new_email(who), "signup")


def event_body(name: str = "Security night") -> dict[str, Any]:
    starts = utc_now() + timedelta(days=5)
    return {
        "name": name,
        "category": "music",
        "venue": {"name": "Hall", "address": "1 Main St"},
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=2)).isoformat(),
        "ticketTypes": [{"name": "GA", "price": 15, "quantity": 20, "maxPerOrder": 4}],
    }


@dataclass
class Owned:
    """What the owner made: a listing, an event, and an order holding one of its tickets."""

    owner: httpx.AsyncClient
    listing: dict[str, Any]
    event: dict[str, Any]
    order: dict[str, Any]


async def hold_one(owner: httpx.AsyncClient, event: dict[str, Any]) -> dict[str, Any]:
    async with asyncio.timeout(15):  # until orders has the event in its replica
        while (await owner.get(f"/api/availability/{event['id']}")).status_code != 200:
            await asyncio.sleep(0.1)
    item = {"ticketTypeId": event["ticketTypes"][0]["id"], "quantity": 1}
    response = await owner.post("/api/orders", json={"eventId": event["id"], "items": [item]})
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


async def own_things(owner: httpx.AsyncClient) -> Owned:
    listing = await owner.post("/api/tickets", json={"title": "Front row", "price": 30})
    assert listing.status_code == 201, listing.text
    event = await owner.post("/api/events", json=event_body())
    assert event.status_code == 201, event.text
    order = await hold_one(owner, event.json())
    return Owned(owner, listing.json(), event.json(), order)
