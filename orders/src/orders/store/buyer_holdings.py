"""How many tickets a buyer holds for an event: what the per-buyer cap is checked against.

A sale asks once per hold, so concurrent asks share one read (a `Coalescer`): the
orders of all their buyers for the event, by the `(eventId, userId)` index's exact fields
(the embedded database serves no index for the status and expiry ranges), filtered
here — one buyer has few orders of one event.
"""

from __future__ import annotations

from datetime import datetime

from pymongo.asynchronous.collection import AsyncCollection

from orders.domain.order import PENDING
from ticketing_common.batching import Coalescer
from ticketing_common.mongo import Document

Ask = tuple[str, str, datetime]  # buyer, event, as of when
PROJECTION = {"userId": 1, "lines.quantity": 1, "status": 1, "expiresAt": 1}


class BuyerHoldings:
    def __init__(self, orders: AsyncCollection[Document]) -> None:
        self.orders = orders
        self._asks: Coalescer[Ask, int] = Coalescer(self._units_held_many)

    async def units_held(self, user_id: str, event_id: str, now: datetime) -> int:
        """The tickets the buyer holds for the event in pending orders unexpired at `now`."""
        return await self._asks.submit((user_id, event_id, now))

    async def _units_held_many(self, asks: list[Ask]) -> list[int | BaseException]:
        found: dict[tuple[str, str], list[Document]] = {(u, e): [] for u, e, _ in asks}
        for event_id in {e for _, e, _ in asks}:
            buyers = sorted({u for u, e, _ in asks if e == event_id})
            query = {"eventId": event_id, "userId": {"$in": buyers}}
            async for doc in self.orders.find(query, PROJECTION):
                found[(doc["userId"], event_id)].append(doc)
        return [_held(found[(user_id, event_id)], now) for user_id, event_id, now in asks]


def _held(orders: list[Document], now: datetime) -> int:
    return sum(
        int(line["quantity"])
        for doc in orders
        if doc["status"] in PENDING and doc["expiresAt"] > now
        for line in doc["lines"]
    )
