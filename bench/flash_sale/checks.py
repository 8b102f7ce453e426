"""What the databases say after the sale: units in orders against the quantity and
against the counters (oversold).

Order documents are read back through orders' own mapping (orders.store.order_documents)
and counter shards through its own rule of a live hold (orders.domain.counters), so a
change of either shape changes these checks with it.
"""

from __future__ import annotations

from typing import Any

from bench.flash_sale.plan import ACTIVE_STATUSES
from bench.flash_sale.stack import Stack
from bench.flash_sale.traffic import SaleEvent
from orders.domain.counters import counter_free
from orders.store.order_documents import order_from_document
from ticketing_common.events import utc_now


async def units_by_status(stack: Stack, event: SaleEvent) -> dict[str, int]:
    units: dict[str, int] = dict.fromkeys(ACTIVE_STATUSES, 0)
    query = {"eventId": event.id, "status": {"$in": list(ACTIVE_STATUSES)}}
    async for doc in stack.db("orders")["orders"].find(query, {"pendingEvents": 0}):
        order = order_from_document(doc)
        units[order.status] += order.units
    return units


async def counter_units(stack: Stack, event: SaleEvent) -> dict[str, int]:
    """Sold, held and remaining units of the type, summed over its counter shards."""
    now = utc_now()
    totals = {"sold": 0, "held": 0, "remaining": 0}
    query = {"eventId": event.id, "ticketTypeId": event.type_id}
    async for doc in stack.db("orders")["counters"].find(query):
        held, remaining = counter_free(doc, now)
        entries = doc.get("holds", [])
        sold_entries = sum(entry["n"] for entry in entries if entry.get("sold") is True)
        totals["sold"] += doc["sold"] + sold_entries
        totals["held"] += held - sold_entries
        totals["remaining"] += remaining
    return totals


async def oversold(stack: Stack, event: SaleEvent, holds_201: int) -> dict[str, Any]:
    """Units in active or complete orders against the quantity, and against the counters."""
    units = await units_by_status(stack, event)
    counters = await counter_units(stack, event)
    in_orders = sum(units.values())
    taken = counters["sold"] + counters["held"]
    return {
        "quantity": event.quantity,
        "holds_answered_201": holds_201,
        "units_in_orders": units,
        "counters": counters,
        "oversold": max(0, in_orders - event.quantity),
        "orders_match_counters": in_orders == taken,
    }
