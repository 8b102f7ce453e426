"""Stadium-sized seat maps: a compact `seatRows` event.created is applied, held from and
re-applied (edits, redelivery, a crash half-way) in reasonable time."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from orders.store.seat_map import SeatMapStore, seat_definition
from ticketing_common.events import EventUpdated, SeatRowDefinition

# How fast is measured by `make bench`, not asserted here: in two full runs of the suite
# (of about ten) applying 20,000 seats took over a minute while the machine was busy.
pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.timeout(600)]
WITHIN = 240

NATS_DEFAULT_MAX_PAYLOAD = 1024 * 1024


async def test_a_20000_seat_event_from_seat_rows_is_applied_and_held_from(
    orders_url: str, catalog: Any, users: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    event = catalog.stadium(sections=20, rows=25, per_row=40)
    assert event.seats == []
    assert len(event.to_json()) < NATS_DEFAULT_MAX_PAYLOAD
    await catalog.publisher.publish(event)
    body = await _wait_for_event(orders_url, event.event_id, helpers)
    seats = body["seats"]
    assert len(seats) == 20_000
    assert seats[0] == {
        "id": "Block_1-R1-1",
        "section": "Block 1",
        "row": "R1",
        "label": "1",
        "ticketTypeId": "std",
        "state": "available",
    }
    assert seats[-1]["id"] == "Block_20-R25-40"

    async with users.client(orders_url) as buyer:
        chosen = await buyer.post(
            "/api/orders",
            json={"eventId": event.event_id, "seats": ["Block_7-R3-5", "Block_7-R3-6"]},
        )
        assert chosen.status_code == 201, chosen.text
        together = await buyer.post(
            "/api/orders",
            json={
                "eventId": event.event_id,
                "ticketTypeId": "std",
                "quantity": 4,
                "together": True,
            },
        )
        assert together.status_code == 201, together.text
        run = [item["seatId"] for item in together.json()["items"]]
        assert run == [f"Block_1-R1-{n}" for n in range(19, 23)]  # front row, centre
        availability = (await buyer.get(f"/api/availability/{event.event_id}")).json()
    held = {s["id"] for s in availability["seats"] if s["state"] == "held"}
    assert held == {"Block_7-R3-5", "Block_7-R3-6", *run}
    std = availability["ticketTypes"][0]
    assert (std["held"], std["remaining"]) == (6, 20_000 - 6)

    # An edit dropping the last row: its free seats go, the held ones keep their holds.
    units = mongo_client[database_name]["units"]
    edited = EventUpdated(
        **{
            **event.model_dump(exclude={"id", "seat_rows"}),
            "version": 1,
            "seat_rows": event.seat_rows[:-1],
        }
    )
    await catalog.publisher.publish(edited)

    async def row_removed() -> bool:
        return await units.count_documents({"eventId": event.event_id}) == 20_000 - 40

    await helpers.wait_until(row_removed, within=WITHIN)
    still_held = await units.count_documents({"eventId": event.event_id, "status": "held"})
    assert still_held == 6


async def test_re_applying_a_seat_map_after_a_crash_half_way_completes_it_once(
    mongo_client: Any, database_name: str
) -> None:
    units = mongo_client[database_name]["units"]
    store = SeatMapStore(units)
    rows = [
        SeatRowDefinition(section="S", row=str(r), ticket_type_id="std", labels=["1", "2", "3"])
        for r in range(1, 4)
    ]
    seats = [seat for row in rows for seat in row.expand()]
    # A crash left the first four seats inserted, one of them already held.
    await units.insert_many(
        [
            {"_id": f"seat:e1:{s.id}", **seat_definition("e1", s, n), "status": "available"}
            for n, s in enumerate(seats[:4])
        ]
    )
    await units.update_one({"_id": "seat:e1:S-1-2"}, {"$set": {"status": "held", "orderId": "o1"}})

    first = await store.apply("e1", seats)
    again = await store.apply("e1", seats)

    assert (first.inserted, first.updated, first.removed) == (5, 0, 0)
    assert (again.inserted, again.updated, again.removed) == (0, 0, 0)
    stored = [doc async for doc in units.find({"eventId": "e1"}).sort("layout", 1)]
    assert [d["seatId"] for d in stored] == [s.id for s in seats]
    assert [d["status"] for d in stored].count("held") == 1
    # A moved seat is updated in place; its hold is left alone.
    moved = [seats[1].model_copy(update={"ticket_type_id": "vip"}), *seats[2:]]
    changed = await store.apply("e1", moved)
    assert (changed.inserted, changed.updated, changed.removed) == (0, 8, 1)
    held = await units.find_one({"_id": "seat:e1:S-1-2"})
    assert held is not None
    assert (held["ticketTypeId"], held["status"]) == ("vip", "held")


async def _wait_for_event(base_url: str, event_id: str, helpers: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        body: dict[str, Any] = {}

        async def replicated() -> bool:
            try:  # a read while 20,000 seats are being written may wait its turn
                response = await client.get(f"/api/availability/{event_id}")
            except httpx.TimeoutException:
                return False
            body.update(response.json())
            return response.status_code == 200

        await helpers.wait_until(replicated, within=WITHIN)
        return body
