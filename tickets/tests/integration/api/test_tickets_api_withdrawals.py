"""Integration: a seller withdraws a resale listing (`DELETE /api/tickets/:id`) — only
theirs, only while no order holds it — and it is gone from reads, the list and edits;
an order's lock and a withdrawal racing never both win."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from tickets_testkit import TicketsApi

from ticketing_common.events import OrderCancelled, OrderCreated, OrderedTicket, utc_now
from ticketing_common.messaging import Publisher

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _listing(api: TicketsApi, user: str = "seller") -> str:
    response = await api.client.post(
        "/api/tickets", json={"title": "Concert", "price": 20.5}, headers=api.cookie(user)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _created(ticket_id: str, order_id: str) -> OrderCreated:
    return OrderCreated(
        order_id=order_id,
        user_id="buyer",
        version=0,
        ticket=OrderedTicket(id=ticket_id, price=2050),
        amount=2050,
        expires_at=utc_now() + timedelta(minutes=15),
    )


async def test_the_seller_withdraws_and_the_listing_is_gone(tickets_api: TicketsApi) -> None:
    api = tickets_api
    ticket_id = await _listing(api)
    url = f"/api/tickets/{ticket_id}"

    assert (await api.client.delete(url)).status_code == 401
    other = await api.client.delete(url, headers=api.cookie("thief"))
    assert other.status_code == 403
    assert other.json()["errors"][0]["message"] == "Only the seller may withdraw this ticket"
    unknown = await api.client.delete("/api/tickets/nope", headers=api.cookie("seller"))
    assert unknown.status_code == 404

    withdrawn = await api.client.delete(url, headers=api.cookie("seller"))
    assert (withdrawn.status_code, withdrawn.content) == (204, b"")
    message = await api.last_message("ticket.cancelled", ticketId=ticket_id)
    assert (message["version"], message["userId"], message["price"]) == (1, "seller", 2050)

    assert (await api.client.get(url)).status_code == 404
    listed = (await api.client.get("/api/tickets")).json()
    assert ticket_id not in [t["id"] for t in listed]
    reprice = await api.client.put(
        url, json={"title": "x", "price": 5}, headers=api.cookie("seller")
    )
    assert reprice.status_code == 404
    again = await api.client.delete(url, headers=api.cookie("seller"))
    assert again.status_code == 404


async def test_a_listing_an_order_holds_cannot_be_withdrawn(tickets_api: TicketsApi) -> None:
    api = tickets_api
    publisher = Publisher(api.nats.jetstream())
    ticket_id = await _listing(api)
    created = _created(ticket_id, "o-held")
    await publisher.publish(created)
    await api.processed("tickets-order-created", created.id)

    refused = await api.client.delete(f"/api/tickets/{ticket_id}", headers=api.cookie("seller"))
    assert refused.status_code == 400
    # No field: the common error shape leaves a null one out.
    assert refused.json() == {"errors": [{"message": "Cannot withdraw a reserved ticket"}]}

    # Released, it can be withdrawn; an order event after that locks nothing.
    cancelled = OrderCancelled(
        order_id="o-held",
        user_id="buyer",
        version=1,
        ticket=created.ticket,
        amount=2050,
        reason="expired",
    )
    await publisher.publish(cancelled)
    await api.processed("tickets-order-cancelled", cancelled.id)
    ok = await api.client.delete(f"/api/tickets/{ticket_id}", headers=api.cookie("seller"))
    assert ok.status_code == 204
    late = _created(ticket_id, "o-late")
    await publisher.publish(late)
    await api.processed("tickets-order-created", late.id)
    stored = await api.db_client[api.settings.database_name]["tickets"].find_one({"_id": ticket_id})
    assert (stored["withdrawn"], stored["orderId"], stored["version"]) == (True, None, 3)


async def test_a_withdrawal_racing_an_order_lock_never_leaves_both(tickets_api: TicketsApi) -> None:
    api = tickets_api
    publisher = Publisher(api.nats.jetstream())
    for n in range(5):
        ticket_id = await _listing(api)
        created = _created(ticket_id, f"o-race-{n}")
        lock = asyncio.create_task(publisher.publish(created))
        response = await api.client.delete(
            f"/api/tickets/{ticket_id}", headers=api.cookie("seller")
        )
        await lock
        await api.processed("tickets-order-created", created.id)
        doc = await api.db_client[api.settings.database_name]["tickets"].find_one(
            {"_id": ticket_id}
        )
        if response.status_code == 204:
            assert (doc["withdrawn"], doc["orderId"]) == (True, None)
        else:
            assert response.status_code in (400, 409)
            assert (doc["withdrawn"], doc["orderId"]) == (False, f"o-race-{n}")
