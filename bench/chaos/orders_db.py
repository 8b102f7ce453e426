"""What orders' database says of a show: its orders, what its counters hold, and the
figures a scenario checks against the buyers' answers.

Units are counted both ways: what the counter shards take (sold, plus each entry that
is still live by orders' own rule, `orders.domain.counters.entry_is_live`) and what the
orders that should hold units hold (pending and not yet expired, or complete). Taken
beyond that is leaked (held for nobody until the recovery sweep or the expiry frees
it); orders beyond what is taken would be an oversell waiting to happen.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bench.chaos.load import SaleEvent
from bench.chaos.stack import ChaosStack
from orders.domain.counters import entry_is_live
from ticketing_common.events import utc_now
from ticketing_common.mongo import Document

PENDING = ("created", "awaiting:payment")
FIELDS = dict.fromkeys(
    ["userId", "status", "version", "createdAt", "expiresAt", "lines", "pendingEvents"], 1
)


@dataclass(frozen=True)
class OrdersTruth:
    quantity: int
    orders: dict[str, Document]  # order id -> document (the fields above)
    taken: int  # units the counter shards take now
    claimed: frozenset[str]  # orders with a live, unsold entry on a shard
    at: datetime
    # Ids with a creation record still waiting (ticketing_common.creations): the outbox
    # of new orders, emptied as the relay publishes their first events.
    recorded: frozenset[str] = frozenset()

    def units(self, doc: Document) -> int:
        return sum(int(line["quantity"]) for line in doc.get("lines", []))

    def holds_units(self, doc: Document) -> bool:
        pending = doc["status"] in PENDING and doc["expiresAt"] > self.at
        return bool(pending or doc["status"] == "complete")

    @property
    def in_orders(self) -> int:
        return sum(self.units(d) for d in self.orders.values() if self.holds_units(d))

    @property
    def leaked(self) -> int:
        return max(0, self.taken - self.in_orders)

    @property
    def oversold(self) -> int:
        return max(0, self.taken - self.quantity, self.in_orders - self.quantity)

    @property
    def undrained(self) -> int:
        """Orders whose outgoing events the outbox relay has not published yet (a record
        of an id never recorded as an order waits for its fence: not counted)."""
        embedded = {i for i, d in self.orders.items() if d.get("pendingEvents")}
        first = {i for i in self.recorded if self.orders.get(i, {}).get("userId")}
        return len(embedded | first)

    def duplicated(self) -> int:
        """Buyers with more than one order: each buyer sent a single hold."""
        per_buyer: dict[str, int] = {}
        for doc in self.orders.values():
            if doc["status"] != "abandoned":  # a recovery fence, not an order
                per_buyer[doc["userId"]] = per_buyer.get(doc["userId"], 0) + 1
        return sum(1 for count in per_buyer.values() if count > 1)

    def lost(self, acknowledged: list[str]) -> list[str]:
        """Orders a buyer was told were created (201) that are not orders here."""
        return [
            i for i in acknowledged if self.orders.get(i, {}).get("status") in (None, "abandoned")
        ]

    def holding_nothing(self) -> list[str]:
        """Pending orders with no units claimed on the counters: their units are free for
        others (an oversell waiting to happen, or done)."""
        pending = [i for i, d in self.orders.items() if d["status"] in PENDING]
        return [i for i in pending if self.holds_units(self.orders[i]) and i not in self.claimed]

    def figures(self) -> dict[str, Any]:
        return {
            "units_taken_by_counters": self.taken,
            "units_in_orders": self.in_orders,
            "orders_with_unpublished_events": self.undrained,
            # When each was created (the hold's `now`): evidence to set beside a fault's time.
            "pending_orders_holding_no_units": {
                i: self.orders[i]["createdAt"].isoformat() for i in self.holding_nothing()[:5]
            },
        }


async def orders_truth(stack: ChaosStack, event: SaleEvent) -> OrdersTruth:
    db = stack.db("orders")
    now = utc_now()
    query = {"eventId": event.id}
    orders = {d["_id"]: d async for d in db["orders"].find(query, FIELDS)}
    taken, claimed = 0, set()
    async for shard in db["counters"].find({"eventId": event.id, "ticketTypeId": event.type_id}):
        live = [h for h in shard.get("holds", []) if entry_is_live(h, now)]
        taken += int(shard["sold"]) + sum(int(h["n"]) for h in live)
        claimed |= {h["orderId"] for h in live if h.get("sold") is not True}
    recorded = frozenset([d["_id"] async for d in db["creations"].find({}, {"_id": 1})])
    return OrdersTruth(event.quantity, orders, taken, frozenset(claimed), now, recorded)


async def recovery(
    stack: ChaosStack, event: SaleEvent, since: float, within: float
) -> tuple[float | None, OrdersTruth]:
    """Seconds from `since` (monotonic) until nothing is leaked and the outbox is drained,
    polled for up to `within` seconds from now → (seconds or None, the last look)."""
    deadline = time.monotonic() + within
    while True:
        truth = await orders_truth(stack, event)
        if truth.leaked == 0 and truth.undrained == 0:
            return round(time.monotonic() - since, 2), truth
        if time.monotonic() > deadline:
            return None, truth
        await asyncio.sleep(0.5)
