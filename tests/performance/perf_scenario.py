"""A short day of the platform, driven through the gateway the way its users drive it.

Sign up and in, publish a standing show and a small seated one, browse and search,
read availability, hold tickets of a type, given seats, seats together and a resale
listing, reprice, cancel an order, pay one (Stripe fake), check a ticket in at the
door, let a hold run out at its show's end, sign out; then wait until the consumers
have caught up (the order complete, the catalog's statistics counting the sale, the
expired order cancelled).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx

from ticketing_common.events import utc_now

Json = dict[str, Any]
STANDING = {"ticketTypes": [{"name": "Standing", "price": 25, "quantity": 20, "maxPerOrder": 4}]}
SEATED = {
    "ticketTypes": [{"name": "Seated", "price": 40}],
    "seating": {
        "sections": [{"name": "A", "rows": [{"label": "1", "seats": 6, "ticketType": "Seated"}]}]
    },
}


async def eventually(probe: Callable[[], Awaitable[Any]], within: float = 30.0) -> Any:
    """Polls until `probe` returns something truthy: the services agree through events."""
    async with asyncio.timeout(within):
        while not (result := await probe()):
            await asyncio.sleep(0.2)
    return result


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json() if response.content else None


async def until(client: httpx.AsyncClient, path: str, done: Callable[[Json], bool]) -> Json:
    """Reads `path` until `done` accepts what it answers."""

    async def read() -> Json | None:
        found: Json = _ok(await client.get(path))
        return found if done(found) else None

    answer: Json = await eventually(read)
    return answer


async def signed_in(base_url: str, who: str) -> httpx.AsyncClient:
    """A user who signed up, signed out and signed in again."""
    client = httpx.AsyncClient(base_url=base_url, timeout=30)
    account = {"email": f"{who}-{uuid.uuid4().hex[:8]}@example.com", "password": "correct horse"}
    _ok(await client.post("/api/users/signup", json=account), 201)
    _ok(await client.post("/api/users/signout"))
    _ok(await client.post("/api/users/signin", json=account))
    me = _ok(await client.get("/api/users/currentuser"))
    assert me["currentUser"]["email"] == account["email"]
    return client


async def publish(
    organizer: httpx.AsyncClient, name: str, layout: Json, starts: datetime, ends: datetime
) -> Json:
    """A published show, once orders has it in its replica (availability answers)."""
    body = {
        "name": name,
        "description": "Index check",
        "category": "music",
        "venue": {"name": "Hall", "address": "1 Main St"},
        "startsAt": starts.isoformat(),
        "endsAt": ends.isoformat(),
        "currency": "usd",
        **layout,
    }
    show: Json = _ok(await organizer.post("/api/events", json=body), 201)

    async def in_orders() -> bool:
        return (await organizer.get(f"/api/availability/{show['id']}")).status_code == 200

    await eventually(in_orders)
    return show


async def browse(buyer: httpx.AsyncClient, organizer_id: str, shows: list[Json]) -> None:
    for params in ({}, {"q": "night"}, {"category": "music"}, {"organizerId": organizer_id}):
        _ok(await buyer.get("/api/events", params=params))
    for show in shows:
        _ok(await buyer.get(f"/api/events/{show['id']}"))
        _ok(await buyer.get(f"/api/availability/{show['id']}"))


async def hold(buyer: httpx.AsyncClient, body: Json) -> Json:
    order: Json = _ok(await buyer.post("/api/orders", json=body), 201)
    return order


async def pay(buyer: httpx.AsyncClient, order: Json) -> Json:
    """Pays through the Stripe fake; returns the order once it is complete."""

    async def payments_knows_it() -> bool:
        found = await buyer.get("/api/payments", params={"orderId": order["id"]})
        return found.status_code == 200

    await eventually(payments_knows_it)
    body = {"token": "tok_visa", "orderId": order["id"]}
    _ok(await buyer.post("/api/payments", json=body), 201)
    paid = await until(buyer, f"/api/orders/{order['id']}", lambda o: o["status"] == "complete")
    _ok(await buyer.get("/api/payments", params={"orderId": order["id"]}))
    return paid


async def resell(seller: httpx.AsyncClient, buyer: httpx.AsyncClient) -> Json:
    """A listing repriced, held by a buyer, then locked against repricing."""
    listing = _ok(await seller.post("/api/tickets", json={"title": "Spare", "price": 20}), 201)
    path = f"/api/tickets/{listing['id']}"
    _ok(await seller.put(path, json={"title": "Spare", "price": 22.5}))
    _ok(await buyer.get("/api/tickets"))
    _ok(await buyer.get(path))

    async def held() -> Json | None:
        response = await buyer.post("/api/orders", json={"ticketId": listing["id"]})
        return response.json() if response.status_code == 201 else None

    order: Json = await eventually(held)

    async def locked() -> bool:
        response = await seller.put(path, json={"title": "Spare", "price": 30})
        return response.status_code == 400

    await eventually(locked)
    return order


async def short_hold(organizer: httpx.AsyncClient, buyer: httpx.AsyncClient) -> Json:
    """A hold on a show that ends in seconds: the hold expires with the show."""
    # Long enough for orders to learn of the show on a busy machine; the rest of the
    # scenario takes about as long, so waiting for the expiry costs little.
    starts = utc_now() + timedelta(seconds=5)
    show = await publish(
        organizer, "Soon over night", STANDING, starts, starts + timedelta(seconds=10)
    )
    ticket_type = show["ticketTypes"][0]["id"]
    items = [{"ticketTypeId": ticket_type, "quantity": 1}]
    return await hold(buyer, {"eventId": show["id"], "items": items})


async def buy_and_check_in(organizer: httpx.AsyncClient, buyer: httpx.AsyncClient) -> None:
    """Holds of every kind on two fresh shows; one cancelled, one paid and checked in."""
    starts = utc_now() + timedelta(days=7)
    ends = starts + timedelta(hours=3)
    standing = await publish(organizer, "Standing night", STANDING, starts, ends)
    seated = await publish(organizer, "Seated night", SEATED, starts, ends)
    me = _ok(await organizer.get("/api/users/currentuser"))["currentUser"]
    await browse(buyer, me["id"], [standing, seated])
    general_type = standing["ticketTypes"][0]["id"]
    repriced = {"ticketTypes": [{"id": general_type, "price": 27.5, "quantity": 18}]}
    _ok(await organizer.patch(f"/api/events/{standing['id']}", json=repriced))
    items = [{"ticketTypeId": general_type, "quantity": 2}]
    general = await hold(buyer, {"eventId": standing["id"], "items": items})
    seats = [s["id"] for s in _ok(await buyer.get(f"/api/availability/{seated['id']}"))["seats"]]
    await hold(buyer, {"eventId": seated["id"], "seats": seats[:2]})
    together = {"ticketTypeId": seated["ticketTypes"][0]["id"], "quantity": 2, "together": True}
    cancelled = await hold(buyer, {"eventId": seated["id"], **together})
    _ok(await buyer.delete(f"/api/orders/{cancelled['id']}"), 204)
    paid = await pay(buyer, general)
    _ok(await buyer.get("/api/orders"))
    door = {"key": paid["tickets"][0]["key"]}
    checked = _ok(await organizer.post("/api/orders/verify", json=door))
    assert checked["result"] == "valid", checked
    # The catalog's statistics count the sale once tickets consumed `order.completed`.
    await until(
        organizer, f"/api/events/{standing['id']}/stats", lambda s: s["totals"]["sold"] == 2
    )


async def run_scenario(base_url: str) -> None:
    users = [await signed_in(base_url, who) for who in ("organizer", "buyer", "seller")]
    organizer, buyer, seller = users
    try:
        expiring = await short_hold(organizer, buyer)
        await buy_and_check_in(organizer, buyer)
        await resell(seller, buyer)
        await until(buyer, f"/api/orders/{expiring['id']}", lambda o: o["status"] == "cancelled")
        for user in users:
            _ok(await user.post("/api/users/signout"))
    finally:
        for user in users:
            await user.aclose()
