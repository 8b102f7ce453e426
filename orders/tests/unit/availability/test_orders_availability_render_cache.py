"""GET's body is rendered once per change: the same bytes while no delta was applied and
no hold in the snapshot expired, a new render as soon as either happens."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from orders_availability_kit import availability_snapshot, seat_hold_delta

from orders.availability.render import render, rendered_json
from orders.availability.snapshot import next_change_at

NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)
SOON, LATER = NOW + timedelta(minutes=5), NOW + timedelta(minutes=15)


def _ga_hold(order_id: str, n: int, expires_at: datetime) -> dict[str, object]:
    line = {"typeId": "ga", "n": n, "seatId": None}
    return {"op": "held", "orderId": order_id, "expiresAt": expires_at.isoformat(), "lines": [line]}


def test_the_body_is_the_render_and_is_reused_until_a_delta_is_applied() -> None:
    snap = availability_snapshot(NOW, 4, general=10)
    first = rendered_json(snap, NOW)
    assert json.loads(first) == render(snap, NOW)
    assert rendered_json(snap, NOW + timedelta(seconds=1)) is first
    snap.apply(_ga_hold("o1", 3, LATER))
    after = json.loads(rendered_json(snap, NOW))
    assert after == render(snap, NOW)
    assert [t["held"] for t in after["ticketTypes"] if t["id"] == "ga"] == [3]


def test_a_hold_expiring_makes_the_next_read_render_again() -> None:
    snap = availability_snapshot(NOW, 4, general=10)
    snap.apply(seat_hold_delta("o1", ["S-0-1"], SOON))
    snap.apply(_ga_hold("o2", 2, LATER))
    assert next_change_at(snap, NOW) == SOON
    held = rendered_json(snap, NOW)
    assert rendered_json(snap, SOON - timedelta(seconds=1)) is held
    freed = json.loads(rendered_json(snap, SOON + timedelta(seconds=1)))
    assert {s["id"]: s["state"] for s in freed["seats"]}["S-0-1"] == "available"
    assert next_change_at(snap, SOON + timedelta(seconds=1)) == LATER
