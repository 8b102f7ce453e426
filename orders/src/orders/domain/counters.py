"""When a general-admission hold entry still takes its units — the one definition.

A counter shard is `{quantity, sold, holds: [{orderId, n, expiresAt, sold?}]}`. An
entry is live while it is sold or its `expiresAt` is still ahead, so an expired hold is
free at once, before any write prunes it. The rule is written twice by necessity: in
Python (`entry_is_live`, for what is read into memory) and as the aggregation
expression the stores' guarded writes and counts use (`entry_is_live_expression`).
Both sit here, side by side; change them together
(tests/integration/store/test_orders_counters.py checks they agree on the same entries).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

SOLD = "sold"
EXPIRES_AT = "expiresAt"


def entry_is_live(entry: Mapping[str, Any], now: datetime) -> bool:
    return entry.get(SOLD) is True or bool(entry[EXPIRES_AT] > now)


def entry_is_live_expression(now: datetime, entry: str = "$$h") -> dict[str, Any]:
    """`entry_is_live` as an aggregation condition on the variable `entry`."""
    return {"$or": [{"$eq": [f"{entry}.{SOLD}", True]}, {"$gt": [f"{entry}.{EXPIRES_AT}", now]}]}


def counter_free(doc: Mapping[str, Any], now: datetime) -> tuple[int, int]:
    """(held, remaining) of a counter document at `now`."""
    held = sum(h["n"] for h in doc.get("holds", []) if entry_is_live(h, now))
    return held, doc["quantity"] - doc["sold"] - held
