"""Domain rules without I/O: seat runs, hold expiry cap, ticket keys, version order, orders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orders.domain import EventUnavailable, NotEnoughTickets
from orders.domain.holds import VersionDecision, hold_window, version_decision
from orders.domain.keys import read_ticket_key, sign_ticket_key
from orders.domain.order import Line, ListingRef, Order, ticket_slots
from orders.domain.seating import SeatSpot, candidate_runs, longest_run

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
SECRET = b"s" * 32


def row(pattern: str, name: str = "A") -> list[SeatSpot]:
    """'.' free, 'x' taken; seat ids are '<row><index>'."""
    return [SeatSpot(f"{name}{i}", "S", name, i, c == ".") for i, c in enumerate(pattern)]


def test_run_that_fills_a_hole_exactly_beats_one_leaving_a_lone_seat() -> None:
    seats = row("x...x.....")
    assert candidate_runs(seats, 3)[0] == ["A1", "A2", "A3"]
    # Two from the hole of three would strand one seat; the long run has room at an edge.
    assert candidate_runs(seats, 2)[0] in (["A5", "A6"], ["A8", "A9"])


def test_front_row_wins_when_both_leave_no_gap() -> None:
    seats = row("....", "A") + row("....", "B")
    assert candidate_runs(seats, 4) == [["A0", "A1", "A2", "A3"], ["B0", "B1", "B2", "B3"]]


def test_no_run_when_seats_are_scattered() -> None:
    seats = row(".x.x.")
    assert candidate_runs(seats, 2) == []
    assert longest_run(seats) == 1


def test_index_gaps_break_adjacency() -> None:
    seats = [SeatSpot("a", "S", "A", 0, True), SeatSpot("b", "S", "A", 2, True)]
    assert candidate_runs(seats, 2) == []


@given(st.text(alphabet=".x", min_size=1, max_size=30), st.integers(1, 6))
def test_every_candidate_is_free_adjacent_and_sized(pattern: str, quantity: int) -> None:
    seats = row(pattern)
    by_id = {s.id: s for s in seats}
    for run in candidate_runs(seats, quantity, limit=100):
        spots = [by_id[i] for i in run]
        assert len(spots) == quantity
        assert all(s.free for s in spots)
        assert [s.index for s in spots] == list(range(spots[0].index, spots[0].index + quantity))
    assert bool(candidate_runs(seats, quantity)) == (longest_run(seats) >= quantity)


def test_hold_lasts_its_length_when_the_event_ends_later() -> None:
    window = hold_window(NOW, timedelta(minutes=15), NOW + timedelta(hours=2))
    assert window.expires_at == NOW + timedelta(minutes=15)
    assert window.notice is None


def test_hold_is_capped_at_the_event_end_with_a_notice() -> None:
    window = hold_window(NOW, timedelta(minutes=15), NOW + timedelta(minutes=7, seconds=10))
    assert window.expires_at == NOW + timedelta(minutes=7, seconds=10)
    assert window.notice == "The event will end in 8 minutes"
    one = hold_window(NOW, timedelta(minutes=15), NOW + timedelta(seconds=20))
    assert one.notice == "The event will end in 1 minute"


def test_no_hold_on_an_ended_event() -> None:
    with pytest.raises(EventUnavailable, match="ended"):
        hold_window(NOW, timedelta(minutes=15), NOW)


def test_not_enough_message() -> None:
    assert NotEnoughTickets(3, -1).message == (
        "Requested amount of tickets (3) not available. Only 0 available."
    )


def test_signed_key_round_trips_and_tampering_is_detected() -> None:
    key = sign_ticket_key(SECRET, "t1", "e1")
    parsed = read_ticket_key(SECRET, key)
    assert parsed is not None
    assert (parsed.ticket_id, parsed.event_id) == ("t1", "e1")
    ticket, event, nonce, signature = key.split(".")
    assert read_ticket_key(SECRET, f"t2.{event}.{nonce}.{signature}") is None
    assert read_ticket_key(SECRET, f"{ticket}.e2.{nonce}.{signature}") is None
    assert read_ticket_key(b"o" * 32, key) is None
    assert read_ticket_key(SECRET, "garbage") is None
    assert sign_ticket_key(SECRET, "t1", "e1") != key  # the random part differs


@pytest.mark.parametrize(
    ("current", "incoming", "creates", "expected"),
    [
        (None, 0, True, VersionDecision.APPLY),
        (None, 1, False, VersionDecision.WAIT),
        (0, 1, False, VersionDecision.APPLY),
        (0, 3, False, VersionDecision.WAIT),
        (2, 2, False, VersionDecision.IGNORE),
        (2, 1, False, VersionDecision.IGNORE),
        (0, 0, True, VersionDecision.IGNORE),
    ],
)
def test_versions_apply_in_order(
    current: int | None, incoming: int, creates: bool, expected: VersionDecision
) -> None:
    assert version_decision(current, incoming, creates=creates) is expected


def order(**changes: object) -> Order:
    base = Order(
        id="o1",
        user_id="u1",
        kind="event",
        status="created",
        version=0,
        created_at=NOW,
        expires_at=NOW + timedelta(minutes=15),
        currency="usd",
        event_id="e1",
        lines=[Line("ga", 2, 2050), Line("vip", 1, 9900, "A-1")],
    )
    return Order(**{**base.__dict__, **changes})


def test_order_amount_events_and_transitions() -> None:
    pending = order()
    assert pending.amount == 2 * 2050 + 9900
    assert pending.pending
    created = pending.created_event()
    assert created.amount == pending.amount
    assert created.expires_at == pending.expires_at
    cancelled, event = pending.cancel("expired")
    assert cancelled.status == "cancelled"
    assert cancelled.version == 1
    assert event.reason == "expired"
    assert ticket_slots(pending) == [("ga", None), ("ga", None), ("vip", "A-1")]


def test_listing_order_carries_the_ticket() -> None:
    resale = order(kind="listing", event_id=None, lines=[], listing=ListingRef("t9", "Seat", 1550))
    event = resale.created_event()
    assert event.ticket is not None
    assert event.ticket.price == 1550
    assert event.amount == 1550
    assert resale.signing_event_id == "listing-t9"
    assert ticket_slots(resale) == [(None, None)]
