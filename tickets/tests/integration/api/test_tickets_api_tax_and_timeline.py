"""Integration: ticket types carry a tax rule and may be hidden; the statistics report
gross, net and tax and the tickets sold over time, from what orders published."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from tickets_testkit import TicketsApi

from ticketing_common.events import OrderCompleted, OrderItem, utc_now
from ticketing_common.messaging import Publisher

pytestmark = pytest.mark.asyncio(loop_scope="session")

START = utc_now() + timedelta(days=10)
BODY = {
    "name": "Tax Night",
    "category": "Music",
    "venue": {"name": "Hall", "address": "2 Main St"},
    "startsAt": START.isoformat(),
    "endsAt": (START + timedelta(hours=3)).isoformat(),
    "ticketTypes": [
        {"name": "GA", "price": 20.5, "quantity": 10, "taxRate": 19, "taxIncluded": True},
        {
            "name": "Secret",
            "price": 100,
            "quantity": 2,
            "hidden": True,
            "taxRate": 8.25,
            "taxIncluded": False,
        },
    ],
}


async def test_tax_rules_travel_to_orders_and_hidden_types_stay_private(
    tickets_api: TicketsApi,
) -> None:
    api = tickets_api
    bad = {**BODY, "ticketTypes": [{"name": "GA", "price": 1, "quantity": 1, "taxRate": 150}]}
    refused = await api.client.post("/api/events", json=bad, headers=api.cookie("org"))
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "ticketTypes.0.taxRate"
    made = await api.client.post("/api/events", json=BODY, headers=api.cookie("org"))
    assert made.status_code == 201, made.text
    event = made.json()
    assert [(t["taxRate"], t["taxIncluded"], t["hidden"]) for t in event["ticketTypes"]] == [
        (19, True, False),
        (8.25, False, True),
    ]
    created = await api.last_message("event.created", eventId=event["id"])
    assert [(t["taxRateBp"], t["taxIncluded"], t["hidden"]) for t in created["ticketTypes"]] == [
        (1900, True, False),
        (825, False, True),
    ]
    public = (await api.client.get(f"/api/events/{event['id']}")).json()
    assert [t["name"] for t in public["ticketTypes"]] == ["GA"]
    mine = (await api.client.get(f"/api/events/{event['id']}", headers=api.cookie("org"))).json()
    assert [t["name"] for t in mine["ticketTypes"]] == ["GA", "Secret"]
    edited = await api.client.patch(
        f"/api/events/{event['id']}",
        json={"ticketTypes": [{"id": "t1", "taxRate": 7, "taxIncluded": False}]},
        headers=api.cookie("org"),
    )
    assert edited.json()["ticketTypes"][0]["taxRate"] == 7


async def test_stats_report_gross_net_tax_and_sales_over_time(tickets_api: TicketsApi) -> None:
    api = tickets_api
    event = (await api.client.post("/api/events", json=BODY, headers=api.cookie("org"))).json()
    line = OrderItem(
        ticket_type_id="t1",
        quantity=2,
        unit_price=2050,
        discount=1025,
        tax_rate_bp=1900,
        tax_amount=491,
    )
    done = OrderCompleted(
        order_id="tx1",
        version=1,
        user_id="b",
        event_id=event["id"],
        items=[line],
        amount=3075,
        tax=491,
    )
    await Publisher(api.nats.jetstream()).publish(done)
    await api.processed("tickets-order-completed", done.id)

    stats = await api.client.get(f"/api/events/{event['id']}/stats", headers=api.cookie("org"))

    body = stats.json()
    ga = body["ticketTypes"][0]
    assert (ga["sold"], ga["gross"], ga["net"], ga["tax"], ga["revenue"]) == (
        2,
        30.75,
        25.84,
        4.91,
        30.75,
    )
    assert (body["totals"]["gross"], body["totals"]["tax"]) == (30.75, 4.91)
    timeline = body["salesOverTime"]
    assert timeline
    assert timeline[-1]["sold"] == 2
    first = datetime.fromisoformat(timeline[0]["at"].replace("Z", "+00:00"))
    assert done.occurred_at < first <= done.occurred_at + timedelta(minutes=1)
