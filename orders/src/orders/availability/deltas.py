"""What one order did to an event's inventory, as a message every replica can apply.

A delta is idempotent against a snapshot that may or may not already contain it
(snapshots are reloaded from the database at any time): a hold is added once per
order, a release or sale only touches what that very order still holds.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from orders.domain.order import Order
from ticketing_common.mongo import Document

Op = Literal["held", "released", "sold"]
OP_OF_STATUS: dict[str, Op] = {
    "created": "held",
    "awaiting:payment": "held",
    "cancelled": "released",
    "complete": "sold",
}


def order_delta(order: Order) -> dict[str, Any]:
    return {
        "op": OP_OF_STATUS[order.status],
        "orderId": order.id,
        "expiresAt": order.expires_at.isoformat(),
        "lines": [
            {"typeId": line.ticket_type_id, "n": line.quantity, "seatId": line.seat_id}
            for line in order.lines
        ],
    }


def encode(delta: dict[str, Any], source: str) -> bytes:
    return json.dumps({**delta, "source": source}).encode()


def apply_delta(
    counters: dict[str, Document], seats: dict[str, Document], delta: dict[str, Any]
) -> None:
    """Apply to a snapshot's counters (by type id) and seat documents (by seat id)."""
    order_id = delta["orderId"]
    op: Op = delta["op"]
    seat_ids = {line["seatId"] for line in delta["lines"] if line["seatId"]}
    if seat_ids:
        _apply_to_seats(seats, seat_ids, order_id, op, datetime.fromisoformat(delta["expiresAt"]))
    for line in delta["lines"]:
        if line["seatId"] is None and (counter := counters.get(line["typeId"])) is not None:
            _apply_to_counter(counter, order_id, line["n"], op, delta["expiresAt"])


def _apply_to_seats(
    seats: dict[str, Document], seat_ids: set[str], order_id: str, op: Op, expires_at: datetime
) -> None:
    for seat_id in seat_ids:
        seat = seats.get(seat_id)
        if seat is None:
            continue
        if op == "held":
            seat.update(status="held", orderId=order_id, holdExpiresAt=expires_at)
        elif seat.get("orderId", order_id) == order_id:
            if op == "sold":
                seat.update(status="sold", orderId=order_id)
            else:
                seat.update(status="available", orderId=None, holdExpiresAt=None)


def _apply_to_counter(counter: Document, order_id: str, n: int, op: Op, expires_at: str) -> None:
    holds: list[Document] = counter.setdefault("holds", [])
    mine = [h for h in holds if h["orderId"] == order_id]
    if op == "held":
        if not mine:
            holds.append(
                {"orderId": order_id, "n": n, "expiresAt": datetime.fromisoformat(expires_at)}
            )
        return
    counter["holds"] = [h for h in holds if h["orderId"] != order_id]
    if op == "sold" and mine:
        counter["sold"] += n
