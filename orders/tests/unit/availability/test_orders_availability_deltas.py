"""A delta applies to a snapshot that may already contain it: a hold is added once per
order, and a release or sale touches only what that very order still holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from orders_availability_kit import availability_snapshot, seat_hold_delta

from orders.availability.deltas import apply_delta
from orders.availability.snapshot import remaining_by_type, seat_state

NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)
LATER = NOW + timedelta(minutes=15)


def general_delta(op: str, order_id: str, n: int) -> dict[str, Any]:
    line = {"typeId": "ga", "n": n, "seatId": None}
    return {"op": op, "orderId": order_id, "expiresAt": LATER.isoformat(), "lines": [line]}


def test_a_general_admission_hold_applied_twice_counts_once_and_its_sale_is_sold() -> None:
    snap = availability_snapshot(NOW, 0, general=20)
    apply_delta(snap.counters, snap.seats_by_id, general_delta("held", "o1", 3))
    apply_delta(snap.counters, snap.seats_by_id, general_delta("held", "o1", 3))
    assert remaining_by_type(snap, NOW)["ga"] == (0, 3, 17)
    apply_delta(snap.counters, snap.seats_by_id, general_delta("sold", "o1", 3))
    apply_delta(snap.counters, snap.seats_by_id, general_delta("sold", "o1", 3))
    assert remaining_by_type(snap, NOW)["ga"] == (3, 0, 17)


def test_a_release_by_another_order_leaves_a_held_seat_held() -> None:
    snap = availability_snapshot(NOW, 4)
    apply_delta(snap.counters, snap.seats_by_id, seat_hold_delta("o1", ["S-0-1"], LATER))
    other = {**seat_hold_delta("o2", ["S-0-1"], LATER), "op": "released"}
    apply_delta(snap.counters, snap.seats_by_id, other)
    assert seat_state(snap.seats_by_id["S-0-1"], NOW) == "held"
    mine = {**seat_hold_delta("o1", ["S-0-1"], LATER), "op": "released"}
    apply_delta(snap.counters, snap.seats_by_id, mine)
    assert seat_state(snap.seats_by_id["S-0-1"], NOW) == "available"


def test_a_hold_past_its_expiry_reads_as_free_before_any_release() -> None:
    snap = availability_snapshot(NOW, 4, general=10)
    apply_delta(snap.counters, snap.seats_by_id, seat_hold_delta("o1", ["S-0-2"], LATER))
    apply_delta(snap.counters, snap.seats_by_id, general_delta("held", "o2", 4))
    assert remaining_by_type(snap, NOW) == {"std": (0, 1, 3), "ga": (0, 4, 6)}
    after = LATER + timedelta(seconds=1)
    assert remaining_by_type(snap, after) == {"std": (0, 0, 4), "ga": (0, 0, 10)}
