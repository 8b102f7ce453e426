"""Selling the entries of paid orders on the counter shards (store/counters.py), and
folding sold entries into each shard's `sold` counter.

A sale's payments settle side by side, so their sales and their folds share writes (a
`Coalescer` each): the write that would have been one per payment is one per batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pymongo.asynchronous.collection import AsyncCollection

from orders.domain.counters import SOLD, entry_is_live_expression
from orders.store.counter_expressions import entries_where, guarded, has_room
from ticketing_common.batching import Coalescer
from ticketing_common.mongo import Document


@dataclass(frozen=True)
class Sale:
    shard: str
    order_id: str
    n: int
    now: datetime


class CounterSales:
    def __init__(self, counters: AsyncCollection[Document]) -> None:
        self.counters = counters
        self._sales: Coalescer[Sale, bool] = Coalescer(self._sell_many)
        self._folds: Coalescer[tuple[str, str], None] = Coalescer(self._fold_many)

    async def sell(self, shard: str, order_id: str, n: int, now: datetime) -> bool:
        """Mark the order's entry sold; valid even past expiry while nobody took its place.
        Selling a sold entry again (a redelivery) is a success that changes nothing.

        The sales that arrive together share one write (`_sell_many`)."""
        return await self._sales.submit(Sale(shard, order_id, n, now))

    async def _sell_many(self, sales: list[Sale]) -> list[bool | BaseException]:
        """One write marks sold the entries these orders have on these shards that are live
        (sold, or not expired as of the latest sale's moment), and one read of the shards
        tells which are sold. A live entry already counts against its shard's quantity, so
        marking it sold takes no room; an entry past its expiry may have been given away,
        so it takes a guarded write of its own (`_sell_one`), one after another. (A
        settlement sells every entry of its order, so an order's entry on a shard of
        another sale of the batch is sold a moment early, never wrongly.)"""
        now = max(sale.now for sale in sales)
        order_ids = sorted({sale.order_id for sale in sales})
        shards = sorted({sale.shard for sale in sales})
        selling = {"$and": [{"$in": ["$$h.orderId", order_ids]}, entry_is_live_expression(now)]}
        await self.counters.update_many(
            {"_id": {"$in": shards}, "holds.orderId": {"$in": order_ids}},
            [{"$set": {"holds": _mark_sold(selling)}}],
        )
        sold = {
            (doc["_id"], entry["orderId"])
            async for doc in self.counters.find({"_id": {"$in": shards}})
            for entry in doc.get("holds", [])
            if entry.get(SOLD)
        }
        results: list[bool | BaseException] = []
        for sale in sales:
            if (sale.shard, sale.order_id) in sold:
                results.append(True)
                continue
            try:
                results.append(await self._sell_one(sale))
            except Exception as error:  # that caller's failure alone
                results.append(error)
        return results

    async def _sell_one(self, sale: Sale) -> bool:
        """The guarded sale of one entry: where its shard has room for it besides the other
        live entries (so an expired entry is sold only while nobody took its place)."""
        mine = {"_id": sale.shard, "holds": {"$elemMatch": {"orderId": sale.order_id}}}
        guard = has_room(sale.n, sale.now, excluding_order=sale.order_id)
        marked = _mark_sold({"$eq": ["$$h.orderId", sale.order_id]})
        result = await self.counters.update_one(mine, [guarded(guard, "holds", marked)])
        if result.modified_count == 1:
            return True
        sold = {"$elemMatch": {"orderId": sale.order_id, SOLD: True}}
        found = await self.counters.find_one({"_id": sale.shard, "holds": sold}, {"_id": 1})
        return found is not None

    async def fold(self, shard: str, order_id: str) -> None:
        """Move a sold entry into the shard's `sold` counter (keeps the document small).

        The folds that arrive together share one write (`_fold_many`)."""
        await self._folds.submit((shard, order_id))

    async def _fold_many(self, folds: list[tuple[str, str]]) -> list[None]:
        """One write over the shards: each adds its folded entries' units to `sold` and
        drops them; an entry not sold, or folded already (a redelivery), is left alone."""
        order_ids = sorted({order_id for _, order_id in folds})
        folded = {"$and": [{"$in": ["$$h.orderId", order_ids]}, {"$eq": [f"$$h.{SOLD}", True]}]}
        units = {"$sum": {"$map": {"input": entries_where(folded), "as": "h", "in": "$$h.n"}}}
        shards = sorted({shard for shard, _ in folds})
        await self.counters.update_many(
            {"_id": {"$in": shards}, "holds.orderId": {"$in": order_ids}},
            [
                {"$set": {"sold": {"$add": ["$sold", units]}}},
                {"$set": {"holds": entries_where({"$not": [folded]})}},
            ],
        )
        return [None] * len(folds)


def _mark_sold(condition: Document) -> Document:
    """The shard's entries, each `$$h` for which `condition` holds marked sold."""
    sold = {"$mergeObjects": ["$$h", {SOLD: True}]}
    return {"$map": {"input": "$holds", "as": "h", "in": {"$cond": [condition, sold, "$$h"]}}}
