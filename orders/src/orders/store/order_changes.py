"""Many order changes in one statement: each changed order gets its own new fields and
event where it is still what was read — `OrderStore.replace_if_unchanged` for a batch
(an expiry wave's cancellations), one write instead of one per order.

Only the fields some change touches are written: the guard (same version, same payment
in progress) means the rest is stored as it was read.
"""

from __future__ import annotations

from typing import Any

from orders.domain.order import Order
from orders.store.order_documents import order_document
from ticketing_common.events import Event
from ticketing_common.mongo import Document
from ticketing_common.outbox import PENDING_EVENTS_FIELD, outbox_entry
from ticketing_common.per_document import each

# One order's change: the order as read, as it should become, and the event it records.
OrderChange = tuple[Order, Order, Event]
_ABSENT = object()
_UNCHANGED = "_unchanged"


def unchanged_query(order: Order) -> Document:
    """The stored order is still `order`: same version, same payment in progress (the
    query form of the pipeline's `_unchanged` below)."""
    return {"_id": order.id, "version": order.version, "settling": order.settling}


def changes_pipeline(changes: list[OrderChange]) -> list[Document]:
    """The update pipeline for `update_many({"_id": {"$in": ids}}, ...)`."""
    ids = [after.id for _, after, _ in changes]
    befores = [order_document(before) for before, _, _ in changes]
    afters = [order_document(after) for _, after, _ in changes]
    touched = sorted(
        {
            name
            for old, new in zip(befores, afters, strict=True)
            for name in old.keys() | new.keys()
            if old.get(name, _ABSENT) != new.get(name, _ABSENT)
        }
    )
    unchanged = {
        "$and": [
            {"$eq": ["$version", each(ids, [b.version for b, _, _ in changes])]},
            {
                "$eq": [
                    {"$ifNull": ["$settling", None]},
                    each(ids, [b.settling for b, _, _ in changes]),
                ]
            },
        ]
    }

    def written(name: str) -> Document:
        """The field's new value where the order is unchanged and has one; else as stored."""
        has = each(ids, [name in new for new in afters])
        value = each(ids, [new.get(name) for new in afters])
        return {"$cond": [{"$and": [f"${_UNCHANGED}", has]}, value, f"${name}"]}

    events = each(ids, [[outbox_entry(event)] for _, _, event in changes])
    pending: Any = {
        "$cond": [
            f"${_UNCHANGED}",
            {"$concatArrays": [{"$ifNull": [f"${PENDING_EVENTS_FIELD}", []]}, events]},
            f"${PENDING_EVENTS_FIELD}",
        ]
    }
    return [
        {"$set": {_UNCHANGED: unchanged}},
        {"$set": {**{name: written(name) for name in touched}, PENDING_EVENTS_FIELD: pending}},
        {"$unset": _UNCHANGED},
    ]
