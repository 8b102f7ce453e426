"""Sales over time: cumulative tickets sold at the end of each bucket, from the first
sale to now, in buckets sized so a chart gets a few dozen points (a minute for a sale
that began minutes ago, up to a week for one that has run for a year)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

BUCKETS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=6),
    timedelta(days=1),
    timedelta(days=7),
)
MAX_POINTS = 48
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class SalesPoint:
    at: datetime  # the end of a bucket
    sold: int  # tickets sold before `at`


def bucket_size(span: timedelta) -> timedelta:
    """The smallest bucket that covers `span` in at most MAX_POINTS buckets."""
    for size in BUCKETS:
        if span <= size * MAX_POINTS:
            return size
    longest = BUCKETS[-1]
    return longest * -(-span // (longest * MAX_POINTS))  # whole weeks, rounded up


def sales_over_time(completions: Iterable[tuple[datetime, int]], now: datetime) -> list[SalesPoint]:
    """(completed at, tickets) of each sale → cumulative points on bucket boundaries (UTC
    aligned) from the first sale up to now (or the latest sale); no sales, no points."""
    sales = sorted(completions)
    if not sales:
        return []
    first, last = sales[0][0], max(sales[-1][0], now)
    size = bucket_size(last - first)
    start = first - (first - _EPOCH) % size
    count = (last - start) // size + 1
    points, sold, index = [], 0, 0
    for number in range(1, count + 1):
        at = start + size * number
        while index < len(sales) and sales[index][0] < at:
            sold += sales[index][1]
            index += 1
        points.append(SalesPoint(at, sold))
    return points
