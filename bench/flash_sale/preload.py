"""Writing the history (history.py) into a running stack's databases with insert_many.

Written straight into each service's database while the services run (their indexes
exist, as in a store that grew), in batches of BATCH documents: users in auth; shows
in tickets and in orders' catalog replica with their counter shards (sold units
included); orders in orders; payments' order replica and payments; tickets' order
records and processed-event records.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from typing import Any

from bench.flash_sale.history import (
    past_order,
    past_show,
    past_users,
    processed_documents,
    replica_document,
)
from bench.flash_sale.plan import BATCH, HISTORY_EVENTS, HISTORY_ORDERS, HISTORY_USERS
from bench.flash_sale.stack import Stack
from bench.support import progress
from orders.domain.order import Order
from orders.domain.shards import even_slices, shard_count, shard_id
from orders.store.catalog import _event_document as catalog_document
from orders.store.order_documents import order_document
from payments.domain import OrderReplica, PaymentStatus
from payments.store.documents import attempt_document
from ticketing_common.devstack.parts import dev_secret
from ticketing_common.events import utc_now
from ticketing_common.messaging.processed import PROCESSED_EVENTS
from ticketing_common.mongo import Document
from ticketing_common.outbox import PENDING_EVENTS_FIELD
from tickets.domain.sales import OrderLine, OrderRecord, OrderState
from tickets.domain.shows import Show
from tickets.store.orders import to_document as record_document
from tickets.store.shows import to_document as show_document

Batches = dict[tuple[str, str], list[Document]]


class Preloader:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.written: Counter[str] = Counter()

    async def insert(self, batches: Batches) -> None:
        """Every (database, collection) batch at once; each in slices of BATCH documents."""

        async def one(service: str, collection: str, docs: list[Document]) -> None:
            for start in range(0, len(docs), BATCH):
                await self.stack.db(service)[collection].insert_many(
                    docs[start : start + BATCH], ordered=False
                )
            self.written[f"{service}.{collection}"] += len(docs)

        await asyncio.gather(*(one(s, c, docs) for (s, c), docs in batches.items() if docs))


def order_batches(orders: list[Order]) -> Batches:
    batches: Batches = {}
    for order in orders:
        put = batches.setdefault
        put(("orders", "orders"), []).append({**order_document(order), PENDING_EVENTS_FIELD: []})
        put(("payments", "orders"), []).append(replica_document(order))
        put(("tickets", "order_records"), []).append(record_document(order_record(order)))
        put(("tickets", PROCESSED_EVENTS), []).extend(processed_documents(order, "tickets"))
        if order.status == "complete":
            put(("payments", "payments"), []).append(payment_document(order))
    return batches


def order_record(order: Order) -> OrderRecord:
    lines = tuple(OrderLine(x.ticket_type_id, x.quantity, x.unit_price) for x in order.lines)
    state: OrderState = "completed" if order.status == "complete" else "cancelled"
    return OrderRecord(order.id, state, order.event_id, None, lines, order.expires_at)


def payment_document(order: Order) -> Document:
    """The succeeded payment of a paid order, as payments' store leaves it."""
    replica = OrderReplica(
        order.id, order.user_id, "created", order.amount, order.currency, 0, order.expires_at
    )
    paid_at = order.created_at + (order.expires_at - order.created_at) / 3
    document = attempt_document(replica, 1, paid_at)
    provider_ref = f"pi_{document['_id']}"
    status = PaymentStatus.SUCCEEDED.value
    return {**document, "status": status, "providerRef": provider_ref, "updatedAt": paid_at}


def show_batches(shows: list[Show], sold: Counter[tuple[str, str]]) -> Batches:
    """Shows in tickets and in orders' catalog replica, and their counter shards."""
    catalog, counters = [], []
    for show in shows:
        shards = {t.id: shard_count(t.quantity) for t in show.ticket_types}
        catalog.append({"_id": show.id, **catalog_document(show.created_event(), shards)})
        for t in show.ticket_types:
            slices = zip(
                even_slices(t.quantity, shards[t.id]),
                even_slices(sold[(show.id, t.id)], shards[t.id]),
                strict=True,
            )
            for k, (quantity, sold_units) in enumerate(slices):
                doc = {"eventId": show.id, "ticketTypeId": t.id, "shard": k, "holds": []}
                counters.append(
                    {
                        "_id": shard_id(show.id, t.id, k),
                        **doc,
                        "quantity": quantity,
                        "sold": sold_units,
                    }
                )
    return {
        ("tickets", "events"): [show_document(show) for show in shows],
        ("orders", "catalog_events"): catalog,
        ("orders", "counters"): counters,
    }


async def preload(stack: Stack, user_model: Document, seed: int = 10) -> dict[str, Any]:
    """Write the whole history → what was written and how long it took."""
    rng, now, loader = random.Random(seed), utc_now(), Preloader(stack)
    started = time.perf_counter()
    users = past_users(HISTORY_USERS, user_model, now, rng)
    await loader.insert({("auth", "users"): users})
    user_ids = [user["_id"] for user in users]
    shows = [past_show(rng.choice(user_ids), now, rng) for _ in range(HISTORY_EVENTS)]
    secret = dev_secret(stack.settings, "ticket-key-secret").encode()
    sold: Counter[tuple[str, str]] = Counter()
    for start in range(0, HISTORY_ORDERS, BATCH):
        chunk = min(BATCH, HISTORY_ORDERS - start)
        orders = [
            past_order(rng.choice(shows), rng.choice(user_ids), now, rng, secret)
            for _ in range(chunk)
        ]
        for order in orders:
            if order.status == "complete":
                sold[(order.event_id or "", order.lines[0].ticket_type_id)] += order.units
        await loader.insert(order_batches(orders))
        if (start + chunk) % 25_000 == 0:
            progress(f"preloaded {start + chunk} orders")
    await loader.insert(show_batches(shows, sold))
    seconds = time.perf_counter() - started
    return {"documents": dict(sorted(loader.written.items())), "seconds": round(seconds, 1)}
