"""Choosing "N seats together": the best adjacent run in one row.

A run is judged by the single-seat gaps it would leave (a lone seat is hard to
sell), then by row (rows come in layout order, front first), then by how tightly
it fills a hole, then by how central it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SeatSpot:
    id: str
    section: str
    row: str
    index: int
    free: bool


def free_runs(row: list[SeatSpot]) -> list[list[SeatSpot]]:
    """Maximal runs of free seats with consecutive indexes."""
    runs: list[list[SeatSpot]] = []
    current: list[SeatSpot] = []
    for seat in sorted(row, key=lambda s: s.index):
        if seat.free and current and seat.index == current[-1].index + 1:
            current.append(seat)
            continue
        if current:
            runs.append(current)
        current = [seat] if seat.free else []
    if current:
        runs.append(current)
    return runs


def _rows(seats: Iterable[SeatSpot]) -> list[list[SeatSpot]]:
    rows: dict[tuple[str, str], list[SeatSpot]] = {}
    for seat in seats:
        rows.setdefault((seat.section, seat.row), []).append(seat)
    return list(rows.values())


def candidate_runs(seats: Iterable[SeatSpot], quantity: int, limit: int = 20) -> list[list[str]]:
    """Seat-id runs of `quantity` adjacent free seats, best first (at most `limit`)."""
    scored: list[tuple[tuple[int, int, int, float, int], list[str]]] = []
    gapless = 0
    for row_rank, row in enumerate(_rows(seats)):
        if gapless >= limit:
            # `limit` runs leaving no lone seat in earlier rows beat anything further back
            # (scores compare gaps, then row): a stadium need not be scanned to the end.
            break
        indexes = sorted(s.index for s in row)
        centre = (indexes[0] + indexes[-1]) / 2
        for run in free_runs(row):
            spare = len(run) - quantity
            for start in range(spare + 1):
                chosen = run[start : start + quantity]
                lone_gaps = int(start == 1) + int(spare - start == 1)
                middle = (chosen[0].index + chosen[-1].index) / 2
                score = (lone_gaps, row_rank, spare, abs(middle - centre), start)
                scored.append((score, [s.id for s in chosen]))
                gapless += lone_gaps == 0
    scored.sort(key=lambda item: item[0])
    return [ids for _, ids in scored[:limit]]


def longest_run(seats: Iterable[SeatSpot]) -> int:
    return max((len(run) for row in _rows(seats) for run in free_runs(row)), default=0)
