"""Choosing "N seats together": adjacent free runs, best first."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from orders.domain.seating import SeatSpot, candidate_runs, longest_run


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
