"""The seated run: 50 buyers at a time after specific seats of a 5,000-seat map, through
the gateway, on a fresh stack.

Each of the 2,000 buyers picks one seat: half pick among the front 1,000 (so picks
collide and many are refused as taken, 409), half among all 5,000. No payments. After
the run the orders database is read: no seat may be in two active orders (oversold),
and every 201 must be a seat held by its order.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from datetime import timedelta
from typing import Any

from bench.flash_sale.figures import cpu_figures, selling_figures
from bench.flash_sale.gateway import GatewayClient
from bench.flash_sale.lag import ORDER_CREATED, consumer_lag, messages_on, seconds_to_catch_up
from bench.flash_sale.plan import ACTIVE_STATUSES, PRICE, REQUESTS, Buyer
from bench.flash_sale.stack import Stack
from bench.flash_sale.traffic import Call, closed_loop, event_body, gateway_client, post
from bench.support import progress
from orders.store.order_documents import order_from_document
from ticketing_common.events import utc_now

SEAT_ROWS, PER_ROW, FRONT = 50, 100, 1_000  # 5,000 seats; half the picks aim at the front 1,000
SEATS = SEAT_ROWS * PER_ROW


async def seated_event(client: GatewayClient, organizer: Buyer) -> tuple[str, list[str]]:
    """A 5,000-seat show, created through the gateway → its id and seat ids, front first."""
    now = utc_now()
    body = event_body(0, now + timedelta(days=1), now + timedelta(days=2))
    body["ticketTypes"] = [{"name": "Seat", "price": PRICE, "maxPerOrder": 10}]
    row = {"seats": PER_ROW, "ticketType": "Seat"}
    rows = [{**row, "label": f"R{r}"} for r in range(1, SEAT_ROWS + 1)]
    body["seating"] = {"sections": [{"name": "Stalls", "rows": rows}]}
    response = await client.post("/api/events", json=body, headers=organizer.headers)
    response.raise_for_status()
    event_id = response.json()["id"]
    for _ in range(1200):
        answer = await client.get(f"/api/availability/{event_id}")
        if answer.status_code == 200 and len(seats := answer.json()["seats"]) == SEATS:
            return event_id, [seat["id"] for seat in seats]
        await asyncio.sleep(0.05)
    raise RuntimeError(f"seated event {event_id} never became sellable")


def picks(seat_ids: list[str], count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    front = seat_ids[:FRONT]
    return [rng.choice(front if n % 2 == 0 else seat_ids) for n in range(count)]


async def seats_in_two_orders(stack: Stack, event_id: str) -> int:
    """Seats that appear in more than one active order (each such seat is oversold), read
    through orders' own mapping of its documents (as checks.py does)."""
    query = {"eventId": event_id, "status": {"$in": list(ACTIVE_STATUSES)}}
    seats: Counter[str] = Counter()
    async for doc in stack.db("orders")["orders"].find(query, {"pendingEvents": 0}):
        seats.update(line.seat_id for line in order_from_document(doc).lines if line.seat_id)
    return sum(1 for orders in seats.values() if orders > 1)


async def sell_seats(
    stack: Stack, buyers: list[Buyer], organizer: Buyer, loop: int
) -> dict[str, Any]:
    async with gateway_client(stack.gateway, loop + 4) as client:
        event_id, seat_ids = await seated_event(client, organizer)
        wanted = dict(zip((b.user_id for b in buyers), picks(seat_ids, len(buyers)), strict=True))
        created_before = await messages_on(stack.js, ORDER_CREATED)
        cpu_before, load_before = stack.cpu_seconds(), time.process_time()
        progress(f"{stack.label}: {REQUESTS} seat holds, {loop} buyers at a time")

        async def hold_seat(buyer: Buyer) -> Call:
            body = {"eventId": event_id, "seats": [wanted[buyer.user_id]]}
            return await post(client, "/api/orders", body, buyer)

        calls = await closed_loop(buyers[:REQUESTS], loop, hold_seat)
        load_cpu = time.process_time() - load_before
        cpu = cpu_figures(cpu_before, stack.cpu_seconds(), load_cpu, len(calls), len(calls))
        lag, selling = await consumer_lag(stack.js), selling_figures(calls)
        held = selling["holds_201"]
        caught_up = await seconds_to_catch_up(stack.js, created_before + held)
        double = await seats_in_two_orders(stack, event_id)
        progress(f"{stack.label}: {held} seats held, {double} in two orders")
        return {
            "selling": {"buyers_at_a_time": loop, **selling},
            "cpu": cpu,
            "sold_out_check": {"seats": len(seat_ids), "oversold": double},
            "consumers": {"lag_at_end": lag, "seconds_until_caught_up": caught_up},
        }
