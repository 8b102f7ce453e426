"""A realistic past for a preloaded store: users, shows, and orders that were paid (80%)
or expired, each written the way its owning service writes it.

Shows come from the tickets aggregate (`new_show`) and its document mapping; orders are
orders' own `Order` written by its store's mapping (imported, never copied: that code is
changing); the consumer-side records are what each consumer keeps for such an order:
payments' order replica and payment, tickets' order record and its processed-event ids.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from bson import ObjectId

from orders.domain.keys import sign_ticket_key
from orders.domain.order import Order
from orders.domain.order_parts import IssuedTicket, Line
from ticketing_common.events import new_event_id
from ticketing_common.mongo import Document
from tickets.domain.drafts import ShowDraft, TicketTypeSpec, Venue
from tickets.domain.shows import Show, new_show

CATEGORIES = ("music", "theatre", "cinema", "sports", "comedy", "conference")
CITIES = ("Berlin", "Paris", "Lisbon", "Vienna", "Prague", "Madrid")
PAID_SHARE = 0.8
HOLD = timedelta(minutes=15)


def past_users(count: int, model: Document, now: datetime, rng: random.Random) -> list[Document]:
    """Users shaped as `model`, a document auth wrote at sign-up (so its password hash is
    real and shared: nobody signs in as them), each with an id, email and date of its own."""
    return [
        {
            **model,
            "_id": str(ObjectId()),
            "email": f"past-{n:05d}-{rng.randrange(16**6):06x}@example.com",
            "createdAt": now - timedelta(days=rng.uniform(1, 700)),
        }
        for n in range(count)
    ]


def past_show(organizer_id: str, now: datetime, rng: random.Random) -> Show:
    """A show of the last eleven months or the next one, with two general-admission types."""
    starts_at = now + timedelta(days=rng.uniform(-330, 30))
    city = rng.choice(CITIES)
    draft = ShowDraft(
        name=f"{rng.choice(CATEGORIES).title()} night {rng.randrange(10_000)}",
        description=f"An evening in {city}.",
        category=rng.choice(CATEGORIES),
        venue=Venue(f"{city} Hall", f"{rng.randrange(1, 200)} Main Street, {city}"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        hold_minutes=15,
        currency="usd",
        ticket_types=(
            TicketTypeSpec("General admission", 4_500, 1_500),
            TicketTypeSpec("VIP", 12_000, 300),
        ),
    )
    return new_show(str(ObjectId()), organizer_id, draft, starts_at - timedelta(days=60))


def past_order(show: Show, user_id: str, now: datetime, rng: random.Random, secret: bytes) -> Order:
    """A one-line order of 1-4 tickets: paid with its tickets issued, or expired."""
    ticket_type = rng.choices(show.ticket_types, weights=(4, 1))[0]
    opened = show.created_at or now
    created_at = opened + (min(show.starts_at, now) - opened) * rng.random()
    quantity = rng.randint(1, 4)
    order = Order(
        id=str(ObjectId()),
        user_id=user_id,
        kind="event",
        status="created",
        version=0,
        created_at=created_at,
        expires_at=created_at + HOLD,
        currency=show.currency,
        lines=[Line(ticket_type.id, quantity, ticket_type.price)],
        event_id=show.id,
        event_name=show.name,
        event_starts_at=show.starts_at,
    )
    # Through the aggregate's own transitions, so the documents carry what each records.
    if rng.random() >= PAID_SHARE:
        return order.cancel("expired", order.expires_at)[0]
    ids = [str(ObjectId()) for _ in range(quantity)]
    tickets = [IssuedTicket(i, sign_ticket_key(secret, i, show.id), ticket_type.id) for i in ids]
    return order.start_settling(f"pay-{order.id}").complete(tickets)[0]


def replica_document(order: Order) -> Document:
    """payments' replica of the order, as its listeners leave it."""
    doc: Document = {
        "_id": order.id,
        "userId": order.user_id,
        "amount": order.amount,
        "currency": order.currency,
        "status": order.status,
        "expiresAt": order.expires_at,
        "version": order.version,
    }
    if order.cancel_reason:
        doc["cancelReason"] = order.cancel_reason
    return doc


def processed_documents(order: Order, durable_prefix: str) -> list[Document]:
    """tickets' processed-event records of the order's two events."""
    ending = "completed" if order.status == "complete" else "cancelled"
    return [
        {"_id": f"{durable_prefix}-order-{state}:{new_event_id()}", "at": order.created_at}
        for state in ("created", ending)
    ]
