"""Integration: stadium-sized seat maps are created, edited and published as compact rows."""

from __future__ import annotations

import time

import pytest
from tickets_samples import stadium
from tickets_testkit import TicketsApi

from ticketing_common.events import STREAM_NAME, EventCreated, EventUpdated

pytestmark = pytest.mark.asyncio(loop_scope="session")

NATS_DEFAULT_MAX_PAYLOAD = 1024 * 1024


async def _raw_message(api: TicketsApi, subject: str) -> bytes:
    msg = await api.nats.jetstream().get_last_msg(STREAM_NAME, subject)
    return msg.data or b""


async def test_a_20000_seat_event_is_published_as_rows_under_one_megabyte(
    tickets_api: TicketsApi,
) -> None:
    started = time.monotonic()
    response = await tickets_api.client.post(
        "/api/events", json=stadium(20, 25, 40), headers=tickets_api.cookie("org")
    )
    assert response.status_code == 201, response.text
    assert time.monotonic() - started < 10
    event = response.json()
    assert sum(t["quantity"] for t in event["ticketTypes"]) == 20_000

    message = await tickets_api.last_message("event.created", eventId=event["id"])
    raw = await _raw_message(tickets_api, "event.created")
    assert len(raw) < NATS_DEFAULT_MAX_PAYLOAD
    assert message["seats"] == []
    assert len(message["seatRows"]) == 20 * 25
    seats = EventCreated.model_validate_json(raw).all_seats()
    assert len(seats) == 20_000
    assert (seats[0].id, seats[-1].id) == ("Block_1-R1-1", "Block_20-R25-40")
    assert seats[-1].index == 39

    # An edit of the big map (one row fewer) goes out as rows too.
    layout = stadium(20, 25, 40)["seating"]
    layout["sections"][-1]["rows"].pop()
    edited = await tickets_api.client.patch(
        f"/api/events/{event['id']}", json={"seating": layout}, headers=tickets_api.cookie("org")
    )
    assert edited.status_code == 200, edited.text
    await tickets_api.last_message("event.updated", eventId=event["id"], version=1)
    updated = EventUpdated.model_validate_json(await _raw_message(tickets_api, "event.updated"))
    assert len(updated.all_seats()) == 20_000 - 40


async def test_seat_maps_are_capped_by_sellable_units_and_message_size(
    tickets_api: TicketsApi,
) -> None:
    too_many = await tickets_api.client.post(
        "/api/events", json=stadium(101, 10, 100), headers=tickets_api.cookie("org")
    )
    assert too_many.status_code == 400
    assert too_many.json()["errors"][0]["field"] == "seating"
    # 100,000 seats with 20-character labels would not fit one NATS message.
    long_labels = stadium(100, 10, 100)
    for section in long_labels["seating"]["sections"]:
        for row in section["rows"]:
            row["seats"] = [f"{n:020d}" for n in range(100)]
    refused = await tickets_api.client.post(
        "/api/events", json=long_labels, headers=tickets_api.cookie("org")
    )
    assert refused.status_code == 400
    assert "too large" in refused.json()["errors"][0]["message"]
