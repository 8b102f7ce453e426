"""The load: a show on sale, and a burst of one-ticket holds by distinct buyers.

The organizer publishes the show in the catalog through the gateway; orders learns of
it from `event.created`, as in production. The organizer and each buyer (all distinct
users) carry a session cookie signed with the stack's JWT key — what auth issues at
sign-in, without 2,000 argon2 hashes on a 2-core machine. Each buyer sends exactly one
hold, so a buyer with two orders is a duplicated request. Every request's outcome is kept:
status (or no response), times, the order id of a 201, and for an error its shape.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from bson import ObjectId
from nats.js import JetStreamContext

from bench.support import JWT_KEY
from ticketing_common.auth import SessionUser, issue_token
from ticketing_common.config import BaseServiceSettings
from ticketing_common.events import UserCreated, utc_now
from ticketing_common.messaging import Publisher

SIGNED_WITH = BaseServiceSettings(jwt_key=JWT_KEY)


@dataclass(frozen=True)
class SaleEvent:
    id: str
    type_id: str
    quantity: int
    organizer: str  # the organizer's session cookie


@dataclass(frozen=True)
class Outcome:
    buyer: str
    started: float  # monotonic
    finished: float
    status: int | None  # None: no response (refused, reset, timed out)
    order_id: str | None = None
    error: str | None = None  # no response: the exception; an error status: its body
    retry_after: str | None = None
    shaped: bool = False  # an error body of the one shape {"errors": [{"message": ...}]}


def session_cookie(user_id: str) -> str:
    user = SessionUser(id=user_id, email=f"{user_id}@chaos.example")
    return f"session={issue_token(user, SIGNED_WITH)}"


async def put_on_sale(gateway: str, quantity: int) -> SaleEvent:
    """Publish a show with one GA type as a new organizer; wait until orders sells it."""
    organizer = session_cookie(str(ObjectId()))
    async with httpx.AsyncClient(base_url=gateway, timeout=60) as client:
        starts = utc_now() + timedelta(days=7)
        show = {
            "name": "Chaos night",
            "category": "music",
            "venue": {"name": "Hall", "address": "1 Main St"},
            "startsAt": starts.isoformat(),
            "endsAt": (starts + timedelta(hours=3)).isoformat(),
            "ticketTypes": [{"name": "GA", "price": 49.5, "quantity": quantity}],
        }
        response = await client.post("/api/events", json=show, headers={"Cookie": organizer})
        response.raise_for_status()
        created = response.json()
        event = SaleEvent(created["id"], created["ticketTypes"][0]["id"], quantity, organizer)
        for _ in range(300):
            if (await client.get(f"/api/availability/{event.id}")).status_code == 200:
                return event
            await asyncio.sleep(0.1)
    raise RuntimeError("orders never learnt of the show")


def _outcome(buyer: str, started: float, response: httpx.Response) -> Outcome:
    finished = time.monotonic()
    if response.status_code == 201:
        return Outcome(buyer, started, finished, 201, order_id=response.json()["id"])
    try:
        errors = response.json().get("errors")
        shaped = isinstance(errors, list) and all("message" in e for e in errors) and bool(errors)
    except ValueError:
        shaped = False
    return Outcome(
        buyer,
        started,
        finished,
        response.status_code,
        error=response.text[:200],
        retry_after=response.headers.get("Retry-After"),
        shaped=shaped,
    )


class Burst:
    """`buyers` one-ticket holds on the event, `concurrency` at a time, through the gateway.

    `reached(n)` lets a fault wait for the n-th finished request."""

    def __init__(self, gateway: str, event: SaleEvent, buyers: int, concurrency: int) -> None:
        self.gateway = gateway
        self.event = event
        self.concurrency = concurrency
        self.waiting = [str(ObjectId()) for _ in range(buyers)]
        self.outcomes: list[Outcome] = []
        self.over = False
        self._progress = asyncio.Condition()

    async def announce(self, js: JetStreamContext) -> None:
        """Tell the stream of each buyer as auth does at sign-up (`user.created`), so the
        services that mail a buyer (notifications) know their address."""
        for buyer in self.waiting:
            await Publisher(js).publish(UserCreated(user_id=buyer, email=f"{buyer}@example.com"))

    @property
    def body(self) -> dict[str, Any]:
        item = {"ticketTypeId": self.event.type_id, "quantity": 1}
        return {"eventId": self.event.id, "items": [item]}

    async def run(self) -> list[Outcome]:
        limits = httpx.Limits(max_connections=self.concurrency)
        async with httpx.AsyncClient(base_url=self.gateway, timeout=30, limits=limits) as client:
            await asyncio.gather(*(self._buyer(client) for _ in range(self.concurrency)))
        self.over = True
        await self._note()
        return self.outcomes

    async def _buyer(self, client: httpx.AsyncClient) -> None:
        while self.waiting:
            buyer = self.waiting.pop()
            started = time.monotonic()
            headers = {"Cookie": session_cookie(buyer)}
            try:
                response = await client.post("/api/orders", json=self.body, headers=headers)
            except httpx.TransportError as exc:
                outcome = Outcome(buyer, started, time.monotonic(), None, error=type(exc).__name__)
            else:
                outcome = _outcome(buyer, started, response)
            self.outcomes.append(outcome)
            await self._note()

    async def _note(self) -> None:
        async with self._progress:
            self._progress.notify_all()

    async def reached(self, finished: int) -> bool:
        """Wait for `finished` requests to have finished → False if the burst ended first."""
        async with self._progress:
            await self._progress.wait_for(lambda: len(self.outcomes) >= finished or self.over)
        return len(self.outcomes) >= finished


def created(outcomes: list[Outcome]) -> list[str]:
    """Order ids the buyers were told were created (201)."""
    return [o.order_id for o in outcomes if o.status == 201 and o.order_id]


def statuses(outcomes: list[Outcome]) -> dict[str, int]:
    """How many requests ended with each status (or with no response, and why)."""
    counted: dict[str, int] = {}
    for outcome in outcomes:
        key = f"no response ({outcome.error})" if outcome.status is None else str(outcome.status)
        counted[key] = counted.get(key, 0) + 1
    return dict(sorted(counted.items()))


def errors_5xx(outcomes: list[Outcome]) -> int:
    return sum(1 for o in outcomes if o.status is not None and o.status >= 500)


def per_second(outcomes: list[Outcome], at: float, before: int, after: int) -> dict[str, str]:
    """Statuses of the requests that finished in each second around `at` (e.g. a kill)."""
    seconds: dict[str, str] = {}
    for second in range(-before, after):
        window = [o for o in outcomes if second <= o.finished - at < second + 1]
        seconds[f"{second:+d}s"] = " ".join(f"{k}:{v}" for k, v in statuses(window).items())
    return seconds
