"""What a live availability frame names: touched seats and types only, expiries by the
clock, reloads compared once; measured on a 50,000-seat map against the whole snapshot."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from orders_availability_kit import availability_snapshot, seat_hold_delta

from orders.availability.deltas import apply_delta
from orders.availability.diff import SentState, same_definition
from orders.availability.render import render
from orders.availability.snapshot import Snapshot

NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)


def snapshot(seats: int, general: int = 0) -> Snapshot:
    return availability_snapshot(NOW, seats, general)


def hold(snap: Snapshot, order_id: str, seats: list[str], minutes: float = 15) -> dict[str, Any]:
    delta = seat_hold_delta(order_id, seats, NOW + timedelta(minutes=minutes))
    apply_delta(snap.counters, snap.seats_by_id, delta)
    return delta


def test_a_frame_names_only_the_touched_seats_and_types() -> None:
    snap = snapshot(300)
    sent = SentState(snap, NOW)
    assert sent.advance(snap, NOW, set(), set()) is None
    hold(snap, "o1", ["S-1-5", "S-2-7"])
    frame = sent.advance(snap, NOW, {"S-1-5", "S-2-7"}, {"std"})
    assert frame is not None
    assert frame["ticketTypes"] == [{"id": "std", "sold": 0, "held": 2, "remaining": 298}]
    assert sorted(frame["seats"], key=lambda s: str(s["id"])) == [
        {"id": "S-1-5", "state": "held"},
        {"id": "S-2-7", "state": "held"},
    ]


def test_a_touched_seat_is_sent_even_when_back_to_its_last_sent_state() -> None:
    # A viewer who connected between the hold and the release saw it held.
    snap = snapshot(10)
    sent = SentState(snap, NOW)
    delta = hold(snap, "o1", ["S-0-3"])
    apply_delta(snap.counters, snap.seats_by_id, {**delta, "op": "released"})
    frame = sent.advance(snap, NOW, {"S-0-3"}, {"std"})
    assert frame is not None
    assert frame["seats"] == [{"id": "S-0-3", "state": "available"}]


def test_a_hold_running_out_is_a_change_once_and_sets_the_next_wake() -> None:
    snap = snapshot(10, general=50)
    sent = SentState(snap, NOW)
    hold(snap, "o1", ["S-0-1"], minutes=1)
    hold(snap, "o2", ["S-0-2"], minutes=5)
    sent.advance(snap, NOW, {"S-0-1", "S-0-2"}, {"std"})
    assert sent.next_expiry(NOW) == NOW + timedelta(minutes=1)
    later = NOW + timedelta(minutes=2)
    frame = sent.advance(snap, later, set(), set())
    assert frame == {
        "ticketTypes": [{"id": "std", "sold": 0, "held": 1, "remaining": 9}],
        "seats": [{"id": "S-0-1", "state": "available"}],
    }
    assert sent.advance(snap, later, set(), set()) is None
    assert sent.next_expiry(later) == NOW + timedelta(minutes=5)


def test_general_admission_counts_follow_deltas_and_expiry() -> None:
    snap = snapshot(0, general=50)
    sent = SentState(snap, NOW)
    delta = {
        "op": "held",
        "orderId": "o1",
        "expiresAt": (NOW + timedelta(minutes=1)).isoformat(),
        "lines": [{"typeId": "ga", "n": 3, "seatId": None}],
    }
    apply_delta(snap.counters, snap.seats_by_id, delta)
    frame = sent.advance(snap, NOW, set(), {"ga"})
    assert frame == {"ticketTypes": [{"id": "ga", "sold": 0, "held": 3, "remaining": 47}]}
    assert sent.next_expiry(NOW) == NOW + timedelta(minutes=1)
    frame = sent.advance(snap, NOW + timedelta(minutes=2), set(), set())
    assert frame == {"ticketTypes": [{"id": "ga", "sold": 0, "held": 0, "remaining": 50}]}


def test_a_reloaded_snapshot_is_compared_once_and_only_differences_are_sent() -> None:
    snap = snapshot(10)
    sent = SentState(snap, NOW)
    reloaded = snapshot(10)
    hold(reloaded, "lost-notification", ["S-0-9"])
    assert same_definition(snap, reloaded)
    frame = sent.advance(reloaded, NOW, set(), set())
    assert frame is not None
    assert frame["seats"] == [{"id": "S-0-9", "state": "held"}]
    assert not same_definition(snap, snapshot(11))


def test_on_a_50000_seat_map_a_hold_frame_is_tiny_next_to_the_snapshot() -> None:
    snap = snapshot(50_000)
    whole = json.dumps(render(snap, NOW))
    sent = SentState(snap, NOW)
    seats = ["S-10-1", "S-10-2", "S-10-3", "S-10-4"]
    hold(snap, "o1", seats)
    frame = json.dumps(sent.advance(snap, NOW, set(seats), {"std"}))
    assert len(whole) > 4_000_000
    assert len(frame) < 300
