"""The live availability stream (server-sent events) against real replicas, Mongo and NATS:
a whole snapshot on connect, then small `changes` frames, coalesced, with ids."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

import orders.api.availability as availability_api

pytestmark = pytest.mark.asyncio(loop_scope="session")


@dataclass
class Sse:
    id: str | None
    event: str
    data: dict[str, Any]
    at: float
    size: int


class Reader:
    """Reads one event-stream response, frame by frame; comments are counted."""

    def __init__(self, response: httpx.Response) -> None:
        self.lines: AsyncIterator[str] = response.aiter_lines()
        self.comments = 0

    async def next(self, within: float = 5) -> Sse:
        return await asyncio.wait_for(self._next(), within)

    async def _next(self) -> Sse:
        fields: dict[str, str] = {}
        size = 0
        async for line in self.lines:
            size += len(line) + 1
            if line.startswith(":"):
                self.comments += 1
            elif line:
                key, _, value = line.partition(": ")
                fields[key] = value
            elif "data" in fields:
                data = json.loads(fields["data"])
                return Sse(fields.get("id"), fields["event"], data, time.monotonic(), size)
        raise AssertionError("stream ended")


def stream(client: httpx.AsyncClient, event_id: str, **headers: str) -> Any:
    return client.stream("GET", f"/api/availability/{event_id}/stream", headers=headers)


async def test_a_hold_on_another_replica_arrives_as_a_small_changes_frame(
    start_orders: Any, catalog: Any, users: Any, helpers: Any
) -> None:
    async with start_orders() as watched, start_orders() as other:
        event = await catalog.seated_event(rows=2, per_row=5)
        await helpers.wait_for_event(watched, event.event_id)
        await helpers.wait_for_event(other, event.event_id)
        async with (
            httpx.AsyncClient(base_url=watched, timeout=10) as viewer,
            users.client(other) as buyer,
            stream(viewer, event.event_id) as response,
        ):
            assert response.headers["content-type"].startswith("text/event-stream")
            frames = Reader(response)
            first = await frames.next()
            assert first.event == "availability"
            assert len(first.data["seats"]) == 10
            assert {s["state"] for s in first.data["seats"]} == {"available"}
            body = {"eventId": event.event_id, "seats": ["A-1", "B-3"]}
            assert (await buyer.post("/api/orders", json=body)).status_code == 201
            pushed = await frames.next()
            assert pushed.event == "changes"
            assert pushed.data["ticketTypes"] == [
                {"id": "std", "sold": 0, "held": 2, "remaining": 8}
            ]
            assert sorted(pushed.data["seats"], key=lambda s: str(s["id"])) == [
                {"id": "A-1", "state": "held"},
                {"id": "B-3", "state": "held"},
            ]
            assert set(pushed.data) == {"ticketTypes", "seats"}
            assert pushed.id is not None
            assert first.id is not None
            assert pushed.id != first.id
            assert pushed.size < first.size / 3
            # A viewer joining now may be shown the same render plus the frames since.
            async with stream(viewer, event.event_id) as late_response:
                late = Reader(late_response)
                joined = await late.next()
                assert joined.event == "availability"
                states = {s["id"]: s["state"] for s in joined.data["seats"]}
                if joined.id != pushed.id:
                    assert joined.id == first.id
                    caught_up = await late.next()
                    assert caught_up.id == pushed.id
                    states |= {s["id"]: s["state"] for s in caught_up.data["seats"]}
                assert sorted(seat for seat, state in states.items() if state == "held") == [
                    "A-1",
                    "B-3",
                ]


async def test_an_expiring_hold_arrives_as_a_change_without_any_write(
    start_orders: Any, catalog: Any, users: Any, helpers: Any, mongo_client: Any, database_name: str
) -> None:
    async with start_orders(hold_seconds_override=1.5) as url:
        event = await catalog.seated_event(rows=1, per_row=4)
        await helpers.wait_for_event(url, event.event_id)
        async with (
            httpx.AsyncClient(base_url=url, timeout=10) as viewer,
            users.client(url) as buyer,
            stream(viewer, event.event_id) as response,
        ):
            frames = Reader(response)
            await frames.next()
            body = {"eventId": event.event_id, "seats": ["A-2"]}
            assert (await buyer.post("/api/orders", json=body)).status_code == 201
            held = await frames.next()
            assert held.data["seats"] == [{"id": "A-2", "state": "held"}]
            expired = await frames.next(within=5)
            assert expired.event == "changes"
            assert expired.data == {
                "ticketTypes": [{"id": "std", "sold": 0, "held": 0, "remaining": 4}],
                "seats": [{"id": "A-2", "state": "available"}],
            }
    # Nothing released the seat in the database: the frame came from the clock alone.
    unit = await mongo_client[database_name]["units"].find_one({"seatId": "A-2"})
    assert unit is not None
    assert unit["status"] == "held"


async def test_a_new_connection_or_a_reconnect_gets_the_whole_snapshot(
    orders_url: str, catalog: Any, users: Any, helpers: Any
) -> None:
    event = await catalog.seated_event(rows=1, per_row=4)
    await helpers.wait_for_event(orders_url, event.event_id)
    async with users.client(orders_url) as buyer:
        body = {"eventId": event.event_id, "seats": ["A-0", "A-3"]}
        assert (await buyer.post("/api/orders", json=body)).status_code == 201
        async with stream(buyer, event.event_id) as response:
            first = await Reader(response).next()
        assert first.id is not None
        async with stream(buyer, event.event_id, **{"Last-Event-ID": first.id}) as response:
            again = await Reader(response).next()
    for frame in (first, again):
        assert frame.event == "availability"
        states = [s["state"] for s in frame.data["seats"]]
        assert states == ["held", "available", "available", "held"]
        assert frame.data["ticketTypes"][0]["remaining"] == 2


async def test_a_burst_of_holds_is_coalesced_and_quiet_streams_get_keep_alives(
    orders_url: str, catalog: Any, users: Any, helpers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(availability_api, "HEARTBEAT_SECONDS", 0.5)
    event = await catalog.seated_event(rows=2, per_row=4)
    await helpers.wait_for_event(orders_url, event.event_id)
    seats = [f"{row}-{n}" for row in "AB" for n in range(4)]
    async with users.client(orders_url) as buyer, stream(buyer, event.event_id) as response:
        frames = Reader(response)
        await frames.next()
        await asyncio.sleep(1.2)  # quiet: keep-alive comments, counted as the next frame is read
        body = {"eventId": event.event_id}
        results = await asyncio.gather(
            *(buyer.post("/api/orders", json={**body, "seats": [s]}) for s in seats)
        )
        assert [r.status_code for r in results] == [201] * len(seats)
        changes: list[Sse] = []
        seen: set[str] = set()
        while seen != set(seats):
            frame = await frames.next()
            changes.append(frame)
            seen |= {s["id"] for s in frame.data["seats"] if s["state"] == "held"}
    assert frames.comments >= 1
    # The server sends at most one frame per 0.25 s; arrival times here jitter a little,
    # so allow one frame of slack over the burst's span rather than checking each gap.
    span = changes[-1].at - changes[0].at
    assert len(changes) <= 2 + span / 0.25, [round(c.at - changes[0].at, 3) for c in changes]
    assert changes[-1].data["ticketTypes"][0]["remaining"] == 0
