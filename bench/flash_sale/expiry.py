"""The expiry wave: 1,000 holds whose `expiresAt` fall within 15 s, and how late each
order became cancelled.

Orders runs with HOLD_SECONDS_OVERRIDE (through `StackSettings.extra_env`, which every
service's environment ends with). The holds are paced evenly over 15 s (the k-th sent no
sooner than k * 15 ms in), so the wave is the same however fast holds are taken. Taking
them may still last longer than 15 s, so the event ends WAVE_HOLD_SECONDS +
WAVE_SPREAD_SECONDS after the first hold may be taken:
a later hold is capped at the event's end (the hold rule), and every expiresAt falls in
[first hold + WAVE_HOLD_SECONDS, event end]. An order counts as cancelled when its
`order.cancelled` is stored in the stream (the message's JetStream timestamp; orders'
outbox relay publishes it right after the write).
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta
from typing import Any

from nats.aio.msg import Msg
from nats.js.api import DeliverPolicy

from bench.flash_sale.buyers import add_users
from bench.flash_sale.db_profile import database_time, fresh_profiles, profile_entries, profiled
from bench.flash_sale.plan import (
    WAVE_BUYERS,
    WAVE_HOLD_SECONDS,
    WAVE_HOLDS,
    WAVE_SPREAD_SECONDS,
    Buyer,
)
from bench.flash_sale.stack import Stack, running_stack
from bench.flash_sale.traffic import (
    Call,
    SaleEvent,
    closed_loop,
    create_event,
    gateway_client,
    hold,
)
from bench.support import percentile, progress, seconds_or_none
from orders.domain.order import Order
from orders.store.order_documents import order_from_document
from ticketing_common.events import ExpirationComplete, OrderCancelled, Subject, utc_now
from ticketing_common.mongo import Document

LEAD = timedelta(seconds=3)  # room to create and replicate the event before the first hold


async def wave_orders(stack: Stack, event: SaleEvent) -> list[Order]:
    cursor = stack.db("orders")["orders"].find({"eventId": event.id}, {"pendingEvents": 0})
    return [order_from_document(doc) for doc in await cursor.to_list()]


def delay_figures(
    expires: dict[str, datetime], cancelled: dict[str, datetime], fired: dict[str, datetime]
) -> dict[str, Any]:
    """Delay of each cancelled order past its expiresAt (orders never cancelled counted),
    and its two legs: until `expiration.complete` was stored (the expiration service and
    the scheduled message), then until `order.cancelled` was (orders)."""
    delays = [
        (cancelled[o] - at).total_seconds() * 1000 for o, at in expires.items() if o in cancelled
    ]
    legs = {
        "expiration": [
            (fired[o] - at).total_seconds() * 1000 for o, at in expires.items() if o in fired
        ],
        "orders": [
            (cancelled[o] - fired[o]).total_seconds() * 1000
            for o in expires
            if o in fired and o in cancelled
        ],
    }
    spread = (max(expires.values()) - min(expires.values())).total_seconds()
    if not delays:
        return {"holds": len(expires), "cancelled": 0}
    return {
        "holds": len(expires),
        "expires_at_spread_seconds": round(spread, 2),
        "cancelled": len(delays),
        "never_cancelled": len(expires) - len(delays),
        "delay_ms_p50": round(percentile(delays, 0.50), 1),
        "delay_ms_p99": round(percentile(delays, 0.99), 1),
        "delay_ms_max": round(max(delays), 1),
        "delay_ms_min": round(min(delays), 1),
        **{
            f"{leg}_ms_{name}": round(percentile(values, q), 1)
            for leg, values in legs.items()
            if values
            for name, q in (("p50", 0.50), ("p99", 0.99))
        },
    }


async def take_wave(stack: Stack, buyers: list[Buyer], organizer: Buyer) -> tuple[SaleEvent, float]:
    """The event and its holds → (event, holds/s)."""
    async with gateway_client(stack.gateway, WAVE_BUYERS + 4) as client:
        opened = utc_now()
        ends_in = LEAD + timedelta(seconds=WAVE_HOLD_SECONDS + WAVE_SPREAD_SECONDS)
        event = await create_event(client, organizer, 5 * WAVE_HOLDS, ends_in)
        await asyncio.sleep(max(0.0, (opened + LEAD - utc_now()).total_seconds()))
        started, step = time.perf_counter(), WAVE_SPREAD_SECONDS / WAVE_HOLDS

        async def paced(item: tuple[int, Buyer]) -> Call:
            number, buyer = item  # the k-th hold goes no sooner than k steps in
            await asyncio.sleep(max(0.0, started + number * step - time.perf_counter()))
            return await hold(client, event, buyer)

        calls = await closed_loop(list(enumerate(buyers[:WAVE_HOLDS])), WAVE_BUYERS, paced)
        rate = len(calls) / (time.perf_counter() - started)
    if any(c.status != 201 for c in calls):
        raise RuntimeError(f"expiry wave: {sum(c.status != 201 for c in calls)} holds refused")
    return event, rate


async def expiry_wave(
    buyers: list[Buyer], organizer: Buyer, users: list[Document], profile: bool = False
) -> dict[str, Any]:
    """The wave's figures; with `profile`, the database's profiler is on while the holds
    expire, and its time by collection and command is added (`database_time`)."""
    env = {"HOLD_SECONDS_OVERRIDE": str(WAVE_HOLD_SECONDS)}
    hold_length = timedelta(seconds=WAVE_HOLD_SECONDS)
    async with running_stack("expiry-wave", extra_env=env) as stack:
        await add_users(stack, users)
        cancelled: dict[str, datetime] = {}
        fired: dict[str, datetime] = {}

        async def on_cancelled(msg: Msg) -> None:
            order_id = OrderCancelled.model_validate_json(msg.data).order_id
            cancelled.setdefault(order_id, msg.metadata.timestamp)

        async def on_fired(msg: Msg) -> None:
            order_id = ExpirationComplete.model_validate_json(msg.data).order_id
            fired.setdefault(order_id, msg.metadata.timestamp)

        subscriptions = [
            await stack.js.subscribe(
                str(subject), cb=callback, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW
            )
            for subject, callback in (
                (Subject.ORDER_CANCELLED, on_cancelled),
                (Subject.EXPIRATION_COMPLETE, on_fired),
            )
        ]
        progress(f"expiry wave: {WAVE_HOLDS} holds of {WAVE_HOLD_SECONDS}s")
        event, rate = await take_wave(stack, buyers, organizer)
        orders = await wave_orders(stack, event)
        expires = {order.id: order.expires_at for order in orders}
        if profile:
            await fresh_profiles(stack)
            await profiled(stack, 2)

        async def all_cancelled() -> bool:
            return len(cancelled.keys() & expires.keys()) >= len(expires)

        last_expiry = max(expires.values())
        await seconds_or_none(all_cancelled, (last_expiry - utc_now()).total_seconds() + 120)
        for subscription in subscriptions:
            await subscription.unsubscribe()
        timed: dict[str, Any] = {}
        if profile:
            await profiled(stack, 0)
            entries = await profile_entries(stack)
            timed["database_time"] = database_time(entries, len(expires), "cancelled_order")
    return {
        "hold_seconds_override": WAVE_HOLD_SECONDS,
        "holds_per_second_taking_them": round(rate, 1),
        "capped_at_event_end": sum(1 for o in orders if o.expires_at - o.created_at < hold_length),
        **delay_figures(expires, cancelled, fired),
        **timed,
    }
