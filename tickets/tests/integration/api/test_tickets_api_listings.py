"""Integration: resale listings over HTTP, and their locks driven by orders' events."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from tickets_testkit import TicketsApi, eventually

from ticketing_common.events import (
    OrderCancelled,
    OrderCompleted,
    OrderCreated,
    OrderedTicket,
    utc_now,
)
from ticketing_common.messaging import Publisher

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _listing(api: TicketsApi, user: str = "seller", price: float = 20.5) -> dict[str, object]:
    response = await api.client.post(
        "/api/tickets", json={"title": "Concert", "price": price}, headers=api.cookie(user)
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def _created(ticket_id: str, order_id: str = "o1") -> OrderCreated:
    return OrderCreated(
        order_id=order_id,
        user_id="buyer",
        version=0,
        ticket=OrderedTicket(id=ticket_id, price=2050),
        amount=2050,
        expires_at=utc_now() + timedelta(minutes=15),
    )


async def test_create_publishes_ticket_created_with_price_in_cents(tickets_api: TicketsApi) -> None:
    body = await _listing(tickets_api)
    assert body["price"] == 20.5
    assert body["userId"] == "seller"
    assert body["version"] == 0
    message = await tickets_api.last_message("ticket.created")
    assert (message["ticketId"], message["price"], message["version"]) == (body["id"], 2050, 0)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "  ", "price": 10}, "title"),
        ({"title": "x" * 201, "price": 10}, "title"),
        ({"title": "ok", "price": 0}, "price"),
        ({"title": "ok", "price": 10.001}, "price"),
        ({"title": "ok"}, "price"),
    ],
)
async def test_invalid_listings_are_refused_naming_the_field(
    tickets_api: TicketsApi, payload: dict[str, object], field: str
) -> None:
    response = await tickets_api.client.post(
        "/api/tickets", json=payload, headers=tickets_api.cookie("u")
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


async def test_signed_out_malformed_and_foreign_requests(tickets_api: TicketsApi) -> None:
    api = tickets_api
    assert (
        await api.client.post("/api/tickets", json={"title": "a", "price": 1})
    ).status_code == 401
    assert (await api.client.get("/api/tickets/not-an-id")).status_code == 404
    listing = await _listing(api)
    other = await api.client.put(
        f"/api/tickets/{listing['id']}",
        json={"title": "b", "price": 2},
        headers=api.cookie("thief"),
    )
    assert other.status_code == 403
    stale = await api.client.put(
        f"/api/tickets/{listing['id']}",
        json={"title": "b", "price": 2, "version": 7},
        headers=api.cookie("seller"),
    )
    assert stale.status_code == 409


async def test_list_is_paged_newest_first_with_total_and_links(tickets_api: TicketsApi) -> None:
    ids = [(await _listing(tickets_api, price=n))["id"] for n in (1, 2, 3)]
    response = await tickets_api.client.get("/api/tickets", params={"pageSize": 2})
    assert response.status_code == 200
    assert [t["id"] for t in response.json()] == [ids[2], ids[1]]
    assert response.headers["X-Total-Count"] == "3"
    assert 'page=2&pageSize=2>; rel="next"' in response.headers["Link"]
    too_big = await tickets_api.client.get("/api/tickets", params={"pageSize": 101})
    assert too_big.json()["errors"][0]["field"] == "pageSize"


async def test_concurrent_edits_never_lose_one_silently(tickets_api: TicketsApi) -> None:
    listing = await _listing(tickets_api)
    cookie = tickets_api.cookie("seller")

    async def edit(price: int) -> int:
        response = await tickets_api.client.put(
            f"/api/tickets/{listing['id']}",
            json={"title": "Concert", "price": price, "version": 0},
            headers=cookie,
        )
        return response.status_code

    statuses = sorted(await asyncio.gather(edit(30), edit(40)))
    assert statuses == [200, 409]
    final = (await tickets_api.client.get(f"/api/tickets/{listing['id']}")).json()
    assert final["version"] == 1


async def test_order_events_lock_unlock_and_sell_once_each(tickets_api: TicketsApi) -> None:
    api = tickets_api
    publisher = Publisher(api.nats.jetstream())
    listing = await _listing(api)
    ticket_id = str(listing["id"])
    created = _created(ticket_id)
    await publisher.publish(created)
    # The same event redelivered under another message id (past the broker's de-duplication).
    await publisher.publish_raw("order.created", created.to_json(), "redelivery-1")
    await api.processed("tickets-order-created", created.id)
    locked = (await api.client.get(f"/api/tickets/{ticket_id}")).json()
    assert (locked["orderId"], locked["version"]) == ("o1", 1)
    update = await api.last_message("ticket.updated", version=1)
    assert (update["orderId"], update["version"]) == ("o1", 1)
    edit = await api.client.put(
        f"/api/tickets/{ticket_id}", json={"title": "x", "price": 5}, headers=api.cookie("seller")
    )
    assert edit.status_code == 400
    assert edit.json()["errors"][0]["message"] == "Cannot edit a reserved ticket"
    listed = (await api.client.get("/api/tickets")).json()
    assert ticket_id not in [t["id"] for t in listed]

    cancelled = OrderCancelled(
        order_id="o1",
        user_id="buyer",
        version=1,
        ticket=created.ticket,
        amount=2050,
        reason="expired",
    )
    await publisher.publish(cancelled)
    await api.processed("tickets-order-cancelled", cancelled.id)
    unlocked = (await api.client.get(f"/api/tickets/{ticket_id}")).json()
    assert (unlocked["orderId"], unlocked["version"]) == (None, 2)

    second = _created(ticket_id, "o2")
    done = OrderCompleted(
        order_id="o2", user_id="buyer", version=1, ticket=second.ticket, amount=2050
    )
    await publisher.publish(done)  # completion overtakes its own creation
    await publisher.publish(second)
    await api.processed("tickets-order-created", second.id)
    await api.processed("tickets-order-completed", done.id)
    sold = (await api.client.get(f"/api/tickets/{ticket_id}")).json()
    assert (sold["orderId"], sold["version"]) == ("o2", 3)


async def test_cancel_before_create_does_not_lock_forever(tickets_api: TicketsApi) -> None:
    api = tickets_api
    publisher = Publisher(api.nats.jetstream())
    ticket_id = str((await _listing(api))["id"])
    created = _created(ticket_id, "o9")
    cancelled = OrderCancelled(
        order_id="o9",
        user_id="buyer",
        version=1,
        ticket=created.ticket,
        amount=2050,
        reason="expired",
    )
    await publisher.publish(cancelled)
    await api.processed("tickets-order-cancelled", cancelled.id)
    await publisher.publish(created)
    await api.processed("tickets-order-created", created.id)
    listing = await eventually(lambda: _get(api, ticket_id))
    assert (listing["orderId"], listing["version"]) == (None, 0)


async def _get(api: TicketsApi, ticket_id: str) -> dict[str, object]:
    body: dict[str, object] = (await api.client.get(f"/api/tickets/{ticket_id}")).json()
    return body
