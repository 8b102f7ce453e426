"""Helpers of the notifications suites: a recording SMTP server, sample events, settling.

Imported by the tests and by conftest.py (pytest puts this directory on sys.path).
"""

from __future__ import annotations

import asyncio
import email
import threading
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from bson import ObjectId
from nats.js import JetStreamContext

from ticketing_common.events import (
    STREAM_NAME,
    EventCreated,
    IssuedTicketRef,
    OrderCompleted,
    OrderItem,
    TicketTypeDefinition,
    UserCreated,
    utc_now,
)

# Serves the app (`serve_notifications`), optionally with changed settings; yields its URL.
ServeApp = Callable[..., AbstractAsyncContextManager[str]]


@dataclass
class RecordingHandler:
    """An aiosmtpd handler that keeps every message it is handed, repeats included."""

    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        parsed = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.messages.append(parsed)
        return "250 OK"

    async def wait_for(self, count: int, within: float = 15) -> list[EmailMessage]:
        async with asyncio.timeout(within):
            while len(self.messages) < count:
                await asyncio.sleep(0.05)
        return list(self.messages)


@dataclass(frozen=True)
class Purchase:
    """A buyer, the show they bought for, and the completed order's event."""

    user: UserCreated
    show: EventCreated
    completed: OrderCompleted


def purchase(email_address: str = "ada@example.com") -> Purchase:
    user = UserCreated(user_id=str(ObjectId()), email=email_address)
    starts = utc_now() + timedelta(days=30)
    show = EventCreated(
        event_id=str(ObjectId()),
        organizer_id=str(ObjectId()),
        name="Night at the Opera",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        ticket_types=[TicketTypeDefinition(id="stalls", name="Stalls", price=4550, quantity=10)],
        version=0,
    )
    order_id = str(ObjectId())
    tickets = [
        IssuedTicketRef(id=str(ObjectId()), key=f"k1.{n}.signature", ticket_type_id="stalls")
        for n in range(2)
    ]
    completed = OrderCompleted(
        order_id=order_id,
        user_id=user.user_id,
        version=2,
        event_id=show.event_id,
        items=[OrderItem(ticket_type_id="stalls", quantity=2, unit_price=4550)],
        amount=9100,
        ticket_ids=[t.id for t in tickets],
        tickets=tickets,
    )
    return Purchase(user, show, completed)


async def settled(js: JetStreamContext, durable: str, within: float = 15) -> None:
    """Wait until the durable consumer has nothing pending or unacknowledged."""
    async with asyncio.timeout(within):
        while True:
            info: Any = await js.consumer_info(STREAM_NAME, durable)
            if info.num_pending == 0 and info.num_ack_pending == 0:
                return
            await asyncio.sleep(0.05)
