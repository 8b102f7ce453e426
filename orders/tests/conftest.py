"""Fixtures of the orders tests: the service on the real embedded servers, a catalog
publisher that plays the tickets service on the real NATS, and signed-in clients."""

from __future__ import annotations

import asyncio
import base64
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio
from bson import ObjectId
from nats.aio.client import Client as NatsClient

from orders.config import OrdersSettings
from orders.main import create_app
from ticketing_common.auth import SessionUser, issue_token
from ticketing_common.events import (
    EventCreated,
    SeatDefinition,
    SeatRowDefinition,
    TicketCreated,
    TicketTypeDefinition,
    utc_now,
)
from ticketing_common.messaging import Publisher
from ticketing_common.testing.http import serve

ServiceFactory = Callable[..., AbstractAsyncContextManager[str]]
TEST_TICKET_KEY_SECRET = "test-ticket-key-secret-0123456789abcdef"
# Test-only Ed25519 signing seed (base64 of 32 fixed bytes) and its key id.
TEST_TICKET_SIGNING_KEY = base64.b64encode(bytes(range(32))).decode()
TEST_TICKET_SIGNING_KEY_ID = "test-1"


async def wait_until(check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


class Catalog:
    """Publishes catalog events exactly as the tickets service models them."""

    def __init__(self, nats: NatsClient) -> None:
        self.publisher = Publisher(nats.jetstream())
        self.organizer = str(ObjectId())

    async def general_event(
        self, quantity: int = 100, max_per_order: int = 5, ends_in: timedelta = timedelta(days=2)
    ) -> EventCreated:
        event = self._event(
            [
                TicketTypeDefinition(
                    id="ga",
                    name="General",
                    price=2050,
                    quantity=quantity,
                    max_per_order=max_per_order,
                )
            ],
            [],
            ends_in,
        )
        await self.publisher.publish(event)
        return event

    async def seated_event(
        self, rows: int = 3, per_row: int = 8, max_per_order: int = 10
    ) -> EventCreated:
        seats = [
            SeatDefinition(
                id=f"{r}-{i}",
                section="Stalls",
                row=r,
                label=str(i + 1),
                index=i,
                ticket_type_id="std",
            )
            for r in "ABCDEFGHIJ"[:rows]
            for i in range(per_row)
        ]
        types = [
            TicketTypeDefinition(
                id="std",
                name="Standard",
                price=4000,
                quantity=len(seats),
                max_per_order=max_per_order,
            )
        ]
        event = self._event(types, seats, timedelta(days=2))
        await self.publisher.publish(event)
        return event

    def stadium(self, sections: int, rows: int, per_row: int) -> EventCreated:
        """A seat map in the compact form (`seatRows`), as the tickets service publishes it."""
        seat_rows = [
            SeatRowDefinition(
                section=f"Block {s}",
                row=f"R{r}",
                ticket_type_id="std",
                labels=[str(n) for n in range(1, per_row + 1)],
            )
            for s in range(1, sections + 1)
            for r in range(1, rows + 1)
        ]
        types = [
            TicketTypeDefinition(
                id="std", name="Standard", price=4000, quantity=sections * rows * per_row
            )
        ]
        event = self._event(types, [], timedelta(days=2))
        return event.model_copy(update={"seat_rows": seat_rows})

    def _event(
        self, types: list[TicketTypeDefinition], seats: list[SeatDefinition], ends_in: timedelta
    ) -> EventCreated:
        now = utc_now()
        starts = min(now + timedelta(hours=1), now + ends_in - timedelta(minutes=1))
        return EventCreated(
            event_id=str(ObjectId()),
            organizer_id=self.organizer,
            name="Concert",
            starts_at=starts,
            ends_at=now + ends_in,
            hold_minutes=15,
            ticket_types=types,
            seats=seats,
            version=0,
        )

    async def listing(self, seller: str, price: int = 1500) -> TicketCreated:
        listing = TicketCreated(
            ticket_id=str(ObjectId()), title="Resale seat", price=price, user_id=seller, version=0
        )
        await self.publisher.publish(listing)
        return listing


@pytest.fixture
def catalog(clean_stream: NatsClient) -> Catalog:
    return Catalog(clean_stream)


@pytest.fixture
def orders_settings(service_settings: dict[str, Any]) -> OrdersSettings:
    # Its own durable consumer names: an e2e stack's orders service may share this NATS.
    name = f"orders-test-{uuid.uuid4().hex[:8]}"
    return OrdersSettings(
        **service_settings,
        service_name=name,
        ticket_key_secret=TEST_TICKET_KEY_SECRET,
        ticket_signing_key=TEST_TICKET_SIGNING_KEY,
        ticket_signing_key_id=TEST_TICKET_SIGNING_KEY_ID,
    )


@pytest.fixture
def start_orders(orders_settings: OrdersSettings, clean_stream: NatsClient) -> ServiceFactory:
    """Serve an orders app (more than one may share the database); yields its base URL."""

    @asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[str]:
        async with serve(create_app(orders_settings.model_copy(update=overrides))) as url:
            yield url

    return start


@pytest_asyncio.fixture(loop_scope="session")
async def orders_url(start_orders: ServiceFactory) -> AsyncIterator[str]:
    async with start_orders() as url:
        yield url


class Users:
    def __init__(self, settings: OrdersSettings) -> None:
        self.settings = settings

    def client(self, base_url: str, user_id: str | None = None, **kwargs: Any) -> httpx.AsyncClient:
        cookies = {"session": self.token(user_id)}
        return httpx.AsyncClient(base_url=base_url, cookies=cookies, timeout=60, **kwargs)

    def token(self, user_id: str | None = None) -> str:
        user = SessionUser(id=user_id or str(ObjectId()), email="buyer@example.com")
        return issue_token(user, self.settings)

    def as_new_buyer(self) -> dict[str, str]:
        """Headers that make one request a new buyer's (each buyer has a hold cap)."""
        return {"cookie": f"session={self.token()}"}


@pytest.fixture
def users(orders_settings: OrdersSettings) -> Users:
    return Users(orders_settings)


async def wait_for_event(base_url: str, event_id: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base_url) as client:
        body: dict[str, Any] = {}

        async def replicated() -> bool:
            response = await client.get(f"/api/availability/{event_id}")
            body.update(response.json())
            return response.status_code == 200

        await wait_until(replicated)
        return body


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


class Helpers:
    wait_until = staticmethod(wait_until)
    wait_for_event = staticmethod(wait_for_event)
    parse_time = staticmethod(parse_time)


@pytest.fixture
def helpers() -> type[Helpers]:
    return Helpers
