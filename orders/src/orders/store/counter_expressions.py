"""The counter shards' rules as database expressions (orders.domain.counters has them in
Python): which hold entries are live, how many units a shard has free, and guarded
pipeline stages that change a shard only where a condition holds."""

from __future__ import annotations

from datetime import datetime

from orders.domain.counters import entry_is_live_expression
from ticketing_common.mongo import Document


def entries_where(condition: Document) -> Document:
    """The shard's hold entries `$$h` for which `condition` holds."""
    return {"$filter": {"input": {"$ifNull": ["$holds", []]}, "as": "h", "cond": condition}}


def live_entries(now: datetime, excluding_order: str | None = None) -> Document:
    """The shard's hold entries that still take their units (optionally not the order's)."""
    live = entry_is_live_expression(now)
    if excluding_order is not None:
        live = {"$and": [{"$ne": ["$$h.orderId", excluding_order]}, live]}
    return entries_where(live)


def free_units(now: datetime, excluding_order: str | None = None) -> Document:
    held = {
        "$sum": {"$map": {"input": live_entries(now, excluding_order), "as": "h", "in": "$$h.n"}}
    }
    return {"$subtract": ["$quantity", {"$add": ["$sold", held]}]}


def free_at_least(n: int, now: datetime, excluding_order: str | None = None) -> Document:
    return {"$expr": has_room(n, now, excluding_order)}


def has_room(n: int, now: datetime, excluding_order: str | None = None) -> Document:
    """The shard has `n` free units (an expression). A guard is written in the update
    pipeline (`$cond`), never as a query `$expr`: the embedded database then serves no
    index at all, and every guarded write would read the whole collection."""
    return {"$gte": [free_units(now, excluding_order), n]}


def guarded(condition: Document | str, field: str, value: object) -> Document:
    """A pipeline stage setting `field` to `value` only where `condition` holds."""
    return {"$set": {field: {"$cond": [condition, value, f"${field}"]}}}
