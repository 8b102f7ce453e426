"""The availability projection on in-memory stores and an in-memory NATS: reads are
served from the snapshot, a change applies at once and goes to the other replicas, a
changed definition reloads, and a delta seen during a reload is not lost."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from orders_availability_kit import general_counters, seat_documents, seat_hold_delta, seated_event

from orders.availability import AvailabilityProjection
from orders.availability.snapshot import seat_state
from ticketing_common.events import utc_now
from ticketing_common.mongo import Document


@dataclass
class FakeMsg:
    subject: str
    data: bytes


class FakeNats:
    def __init__(self) -> None:
        self.callback: Callable[[Any], Awaitable[None]] | None = None
        self.published: list[tuple[str, bytes]] = []

    async def subscribe(self, subject: str, cb: Callable[[Any], Awaitable[None]]) -> object:
        self.callback = cb
        return None

    async def publish(self, subject: str, payload: bytes) -> None:
        self.published.append((subject, payload))

    async def deliver(self, subject: str, payload: bytes) -> None:
        assert self.callback is not None
        await self.callback(FakeMsg(subject, payload))


class FakeCatalog:
    def __init__(self, seats: int) -> None:
        self.seats = seats

    async def event(self, event_id: str) -> Any:
        return seated_event(utc_now(), self.seats) if event_id == "e1" else None


class FakeInventory:
    """Fresh documents on every read, counting reads; `gate` holds a read mid-way."""

    def __init__(self, catalog: FakeCatalog) -> None:
        self.catalog = catalog
        self.reads = 0
        self.gate: asyncio.Event | None = None
        self.delay = 0.0

    async def counters_of_event(self, event_id: str) -> list[Document]:
        self.reads += 1
        if self.gate is not None:
            await self.gate.wait()
        await asyncio.sleep(self.delay)
        return list(general_counters(0).values())

    async def seats_of_event(self, event_id: str) -> list[Document]:
        return seat_documents(self.catalog.seats)


async def started(seats: int = 4) -> tuple[AvailabilityProjection, FakeNats, FakeInventory]:
    nats, catalog = FakeNats(), FakeCatalog(seats)
    inventory = FakeInventory(catalog)
    projection = AvailabilityProjection(
        cast(Any, catalog), cast(Any, inventory), cast(Any, nats), max_age=60
    )
    await projection.start()
    return projection, nats, inventory


def held(order_id: str, seat: str) -> dict[str, Any]:
    return seat_hold_delta(order_id, [seat], utc_now() + timedelta(minutes=15))


async def test_a_change_applies_at_once_and_is_published_for_the_other_replicas() -> None:
    projection, nats, inventory = await started()
    assert await projection.snapshot("e1") is not None
    await projection.changed("e1", held("o1", "S-0-1"))
    snap = await projection.snapshot("e1")
    assert snap is not None
    assert seat_state(snap.seats_by_id["S-0-1"], utc_now()) == "held"
    assert inventory.reads == 1
    [(subject, payload)] = nats.published
    assert subject == "availability.e1"
    assert json.loads(payload)["source"] == projection.source
    # Its own message coming back is not applied twice; another replica's is applied.
    await nats.deliver(subject, payload)
    other = json.dumps({**held("o2", "S-0-2"), "source": "other"}).encode()
    await nats.deliver(subject, other)
    assert seat_state(snap.seats_by_id["S-0-2"], utc_now()) == "held"
    await projection.stop()


async def test_a_changed_definition_reloads_before_the_next_read() -> None:
    projection, nats, inventory = await started()
    first = await projection.snapshot("e1")
    await nats.deliver("availability.e1", b"")
    second = await projection.snapshot("e1")
    assert second is not None
    assert second is not first
    assert inventory.reads == 2
    assert await projection.snapshot("unknown") is None
    await projection.stop()


async def test_a_delta_arriving_during_a_reload_is_applied_to_its_result() -> None:
    projection, _, inventory = await started()
    inventory.gate = asyncio.Event()
    reading = asyncio.create_task(projection.snapshot("e1"))
    await asyncio.sleep(0)  # the reload is now waiting on the database
    await projection.changed("e1", held("o1", "S-0-3"))
    inventory.gate.set()
    snap = await reading
    assert snap is not None
    assert seat_state(snap.seats_by_id["S-0-3"], utc_now()) == "held"
    await projection.stop()


async def test_an_old_snapshot_is_refreshed_at_most_every_20_reloads_length() -> None:
    projection, _, inventory = await started()
    projection.max_age = 0.05
    inventory.delay = 0.05  # a reload this long: refreshed after 1 s, not after 0.05 s
    assert await projection.snapshot("e1") is not None
    await asyncio.sleep(0.15)
    await projection.snapshot("e1")
    await asyncio.sleep(0.1)
    assert inventory.reads == 1  # past max_age, but not 20 reloads' length old
    for _ in range(40):  # within 4 s it is old enough: refreshed in the background
        await projection.snapshot("e1")
        await asyncio.sleep(0.1)
        if inventory.reads == 2:
            break
    assert inventory.reads == 2
    await projection.stop()
