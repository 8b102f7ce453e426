"""Vouchers over HTTP on a real orders service: the organizer's routes, holds that take a
code (discount and tax in the order's JSON), refusals in the error shape about the
`voucher` field, hidden types, and 200 buyers racing for a 50-use code."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

import httpx
import pytest

from ticketing_common.events import EventCreated, TicketTypeDefinition

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _event(catalog: Any, helpers: Any, url: str) -> EventCreated:
    """`ga` at 20.50 with 19 % VAT included, `extra` at 10.00 with 10 % added, and a
    hidden `vip` at 100.00."""
    types = [
        TicketTypeDefinition(
            id="ga", name="General", price=2050, quantity=300, max_per_order=5, tax_rate_bp=1900
        ),
        TicketTypeDefinition(
            id="extra", name="Extra", price=1000, quantity=50, tax_rate_bp=1000, tax_included=False
        ),
        TicketTypeDefinition(id="vip", name="VIP", price=10000, quantity=5, hidden=True),
    ]
    event = catalog._event(types, [], timedelta(days=2))
    await catalog.publisher.publish(event)
    await helpers.wait_for_event(url, event.event_id)
    return event


def _hold(event: EventCreated, voucher: str | None, type_id: str = "ga", n: int = 1) -> Any:
    body: dict[str, Any] = {
        "eventId": event.event_id,
        "items": [{"ticketTypeId": type_id, "quantity": n}],
    }
    return body if voucher is None else {**body, "voucher": voucher}


async def test_an_organizer_makes_codes_and_buyers_get_discount_and_tax(
    orders_url: str, catalog: Any, users: Any, helpers: Any
) -> None:
    event = await _event(catalog, helpers, orders_url)
    vouchers = f"/api/orders/events/{event.event_id}/vouchers"
    organizer = users.client(orders_url, catalog.organizer)
    buyer = users.client(orders_url)
    async with organizer, buyer:
        made = await organizer.post(
            vouchers, json={"code": "Spring25", "percentOff": 25, "maxRedemptions": 5}
        )
        assert made.status_code == 201, made.text
        assert made.json()["percentOff"] == 25
        assert (
            await buyer.post(vouchers, json={"code": "MINE", "percentOff": 5, "maxRedemptions": 1})
        ).status_code == 403
        twin = await organizer.post(
            vouchers, json={"code": "SPRING25", "amountOff": 1, "maxRedemptions": 1}
        )
        assert (twin.status_code, twin.json()["errors"][0]["field"]) == (409, "code")
        bad = await organizer.post(
            vouchers, json={"code": "X1X", "percentOff": 150, "maxRedemptions": 1}
        )
        assert bad.status_code == 400
        assert bad.json()["errors"][0]["field"] == "percentOff"
        unlock = await organizer.post(
            vouchers, json={"code": "VIPPASS", "unlocks": "vip", "maxRedemptions": 2}
        )
        assert unlock.status_code == 201, unlock.text

        held = await buyer.post(
            "/api/orders",
            json={
                "eventId": event.event_id,
                "items": [
                    {"ticketTypeId": "ga", "quantity": 2},
                    {"ticketTypeId": "extra", "quantity": 1},
                ],
                "voucher": "spring25",
            },
        )
        assert held.status_code == 201, held.text
        order = held.json()
        ga, extra = order["items"]
        # ga: 41.00 - 10.25 = 30.75 with 19 % inside (4.91); extra: 10.00 - 2.50 = 7.50 + 0.75.
        assert (ga["discount"], ga["taxRate"], ga["taxIncluded"], ga["taxAmount"]) == (
            10.25,
            19,
            True,
            4.91,
        )
        assert (extra["discount"], extra["taxAmount"], extra["total"]) == (2.5, 0.75, 8.25)
        assert (order["gross"], order["tax"], order["net"], order["amount"]) == (
            39.0,
            5.66,
            33.34,
            39.0,
        )
        assert order["voucher"] == "Spring25"

        for body, message in [
            (_hold(event, "NOPE"), "Unknown voucher code"),
            (_hold(event, "VIPPASS"), "does not apply"),
            (_hold(event, None, "vip"), "Unknown ticket type vip"),
        ]:
            refused = await buyer.post("/api/orders", json=body)
            assert refused.status_code == 400
            assert message in refused.json()["errors"][0]["message"]
        vip = await buyer.post("/api/orders", json=_hold(event, "vippass", "vip"))
        assert vip.status_code == 201, vip.text
        public = (await buyer.get(f"/api/availability/{event.event_id}")).json()
        assert [t["id"] for t in public["ticketTypes"]] == ["ga", "extra"]

        # Cancelling gives the redemption back; the organizer sees the count.
        assert (await buyer.delete(f"/api/orders/{order['id']}")).status_code == 204
        listed = (await organizer.get(vouchers)).json()
        assert {v["code"]: v["redeemed"] for v in listed} == {"Spring25": 0, "VIPPASS": 1}
        spring = next(v for v in listed if v["code"] == "Spring25")
        disabled = await organizer.post(f"{vouchers}/{spring['id']}/disable")
        assert disabled.json()["disabled"] is True
        after = await buyer.post("/api/orders", json=_hold(event, "spring25"))
        assert (after.status_code, after.json()["errors"][0]["field"]) == (400, "voucher")


async def test_two_hundred_buyers_racing_for_a_fifty_use_code_get_exactly_fifty_holds(
    orders_url: str, catalog: Any, users: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    event = await _event(catalog, helpers, orders_url)
    async with users.client(orders_url, catalog.organizer) as organizer:
        made = await organizer.post(
            f"/api/orders/events/{event.event_id}/vouchers",
            json={"code": "RUSH", "amountOff": 5, "maxRedemptions": 50},
        )
        assert made.status_code == 201, made.text
    limits = httpx.Limits(max_connections=200)
    async with users.client(orders_url, limits=limits) as buyer:
        responses = await asyncio.gather(
            *(
                buyer.post("/api/orders", json=_hold(event, "rush"), headers=users.as_new_buyer())
                for _ in range(200)
            )
        )
    codes = Counter(r.status_code for r in responses)
    assert codes == {201: 50, 409: 150}
    refused = next(r for r in responses if r.status_code == 409).json()["errors"][0]
    assert refused == {"message": "This voucher has been used up", "field": "voucher"}
    held = [r.json() for r in responses if r.status_code == 201]
    assert all(o["voucher"] == "RUSH" and o["gross"] == 15.5 for o in held)
    db = mongo_client[database_name]
    voucher = await db["vouchers"].find_one({"eventId": event.event_id})
    assert voucher["redeemed"] == 50
    assert {r["orderId"] for r in voucher["redemptions"]} == {o["id"] for o in held}
    assert await db["orders"].count_documents({"eventId": event.event_id}) == 50
    # The refused buyers' units went back: 300 - 50 held.
    async with httpx.AsyncClient(base_url=orders_url) as anyone:
        public = (await anyone.get(f"/api/availability/{event.event_id}")).json()
    assert public["ticketTypes"][0]["remaining"] == 250
