"""Integration: events (shows) over HTTP, their published definitions, search and stats."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tickets_testkit import TicketsApi

from ticketing_common.events import EventCreated, OrderCompleted, OrderCreated, OrderItem, utc_now
from ticketing_common.messaging import Publisher

pytestmark = pytest.mark.asyncio(loop_scope="session")

START = utc_now() + timedelta(days=10)


def event_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Midnight Jazz",
        "description": "Late sets with the house trio",
        "category": "Music",
        "venue": {"name": "Berlin Arena", "address": "1 Main St"},
        "startsAt": START.isoformat(),
        "endsAt": (START + timedelta(hours=3)).isoformat(),
        "currency": "EUR",
        "ticketTypes": [{"name": "GA", "price": 25.5, "quantity": 100}],
    }
    return {**body, **changes}


async def create(api: TicketsApi, body: dict[str, Any], user: str = "org") -> dict[str, Any]:
    response = await api.client.post("/api/events", json=body, headers=api.cookie(user))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_create_publishes_the_full_inventory(tickets_api: TicketsApi) -> None:
    seated = event_body(
        ticketTypes=[
            {"name": "Stalls", "price": 30},
            {"name": "Box", "price": 80, "maxPerOrder": 2},
        ],
        seating={
            "sections": [
                {"name": "Floor", "rows": [{"label": "A", "seats": 3, "ticketType": "Stalls"}]},
                {
                    "name": "Boxes",
                    "rows": [{"label": "1", "seats": ["L", "R"], "ticketType": "box"}],
                },
            ]
        },
    )
    event = await create(tickets_api, seated)
    assert event["holdMinutes"] == 15
    assert event["currency"] == "eur"
    assert [t["quantity"] for t in event["ticketTypes"]] == [3, 2]
    assert event["seating"]["sections"][1]["rows"][0]["seats"][1] == {
        "id": "Boxes-1-R",
        "label": "R",
        "index": 1,
    }
    message = await tickets_api.last_message("event.created")
    assert message["eventId"] == event["id"]
    assert message["version"] == 0
    assert message["seats"] == []
    assert message["seatRows"] == [
        {"section": "Floor", "row": "A", "ticketTypeId": "t1", "labels": ["1", "2", "3"]},
        {"section": "Boxes", "row": "1", "ticketTypeId": "t2", "labels": ["L", "R"]},
    ]
    published = EventCreated.model_validate(message)
    assert [s.id for s in published.all_seats()] == [
        "Floor-A-1",
        "Floor-A-2",
        "Floor-A-3",
        "Boxes-1-L",
        "Boxes-1-R",
    ]
    assert message["ticketTypes"][1] == {
        "id": "t2",
        "name": "Box",
        "price": 8000,
        "quantity": 2,
        "maxPerOrder": 2,
        "taxRateBp": 0,
        "taxIncluded": True,
        "hidden": False,
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"endsAt": START.isoformat()}, "endsAt"),
        ({"startsAt": "2020-01-01T00:00:00Z"}, "startsAt"),
        ({"startsAt": "2031-01-01T00:00:00"}, "startsAt"),  # no time zone
        ({"holdMinutes": 61}, "holdMinutes"),
        ({"currency": "xyz"}, "currency"),
        ({"venue": {"name": "", "address": "x"}}, "venue.name"),
        ({"ticketTypes": [{"name": "GA", "price": -1, "quantity": 1}]}, "ticketTypes.0.price"),
        ({"ticketTypes": [{"name": "GA", "price": 1, "quantity": 0}]}, "ticketTypes.0.quantity"),
        (
            {
                "ticketTypes": [
                    {"name": "A", "price": 1, "quantity": 1},
                    {"name": "a", "price": 1, "quantity": 1},
                ]
            },
            "ticketTypes.1.name",
        ),
        (
            {
                "ticketTypes": [
                    {"name": "A", "price": 1, "quantity": 60000},
                    {"name": "B", "price": 1, "quantity": 60000},
                ]
            },
            "ticketTypes",
        ),
    ],
)
async def test_invalid_events_are_refused_naming_the_field(
    tickets_api: TicketsApi, changes: dict[str, Any], field: str
) -> None:
    response = await tickets_api.client.post(
        "/api/events", json=event_body(**changes), headers=tickets_api.cookie("org")
    )
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["field"] == field


async def test_search_by_word_prefix_category_and_date(tickets_api: TicketsApi) -> None:
    api = tickets_api
    jazz = await create(api, event_body())
    later = await create(
        api,
        event_body(
            name="Jazz Brunch",
            category="food",
            venue={"name": "Vienna Hall", "address": "3 Ring"},
            startsAt=(START + timedelta(days=5)).isoformat(),
            endsAt=(START + timedelta(days=5, hours=2)).isoformat(),
        ),
    )
    await create(
        api, event_body(name="Rock Night", venue={"name": "Paris Club", "address": "2 Rue"})
    )

    async def ids(**params: str) -> list[str]:
        response = await api.client.get("/api/events", params=params)
        assert response.status_code == 200, response.text
        return [e["id"] for e in response.json()]

    assert await ids(q="JAZ") == [jazz["id"], later["id"]]
    assert await ids(q="jazz berl") == [jazz["id"]]
    assert await ids(q="jazz", category="Food") == [later["id"]]
    assert await ids(q="jazz", **{"from": (START + timedelta(days=1)).isoformat()}) == [later["id"]]
    assert await ids(q="opera") == []
    page = await api.client.get("/api/events", params={"pageSize": 2})
    assert page.headers["X-Total-Count"] == "3"
    assert len(page.json()) == 2


async def test_patch_guard_stats_and_cancel_follow_orders(tickets_api: TicketsApi) -> None:
    api = tickets_api
    event = await create(api, event_body())
    publisher = Publisher(api.nats.jetstream())
    line = OrderItem(ticket_type_id="t1", quantity=4, unit_price=2550)
    held = OrderCreated(
        order_id="h1",
        user_id="b",
        version=0,
        event_id=event["id"],
        items=[line],
        amount=10200,
        expires_at=utc_now() + timedelta(minutes=10),
    )
    done = OrderCompleted(
        order_id="s1", user_id="b", version=1, event_id=event["id"], items=[line], amount=10200
    )
    await publisher.publish(held)
    await publisher.publish(done)
    await api.processed("tickets-order-created", held.id)
    await api.processed("tickets-order-completed", done.id)

    url = f"/api/events/{event['id']}"
    too_low = await api.client.patch(
        url, json={"ticketTypes": [{"id": "t1", "quantity": 7}]}, headers=api.cookie("org")
    )
    assert too_low.status_code == 400
    assert too_low.json()["errors"][0]["field"] == "ticketTypes.0.quantity"
    ok = await api.client.patch(
        url,
        json={"ticketTypes": [{"id": "t1", "quantity": 8, "price": 30}], "name": "Late Jazz"},
        headers=api.cookie("org"),
    )
    assert ok.status_code == 200, ok.text
    assert (ok.json()["version"], ok.json()["ticketTypes"][0]["price"]) == (1, 30.0)
    updated = await api.last_message("event.updated", version=1)
    assert (updated["version"], updated["ticketTypes"][0]["quantity"]) == (1, 8)
    assert (
        await api.client.patch(url, json={"name": "x"}, headers=api.cookie("other"))
    ).status_code == 403

    stats = await api.client.get(f"{url}/stats", headers=api.cookie("org"))
    assert stats.status_code == 200
    figures = stats.json()["ticketTypes"][0]
    assert (figures["sold"], figures["held"], figures["revenue"], figures["remaining"]) == (
        4,
        4,
        102.0,
        0,
    )
    assert (await api.client.get(f"{url}/stats", headers=api.cookie("other"))).status_code == 403

    cancelled = await api.client.post(f"{url}/cancel", headers=api.cookie("org"))
    assert cancelled.json()["status"] == "cancelled"
    assert (await api.last_message("event.updated", version=2))["status"] == "cancelled"
    assert (await api.client.get("/api/events", params={"q": "late"})).json() == []
