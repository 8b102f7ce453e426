"""Statistics with tax and over time: gross, net and tax per type from the lines orders
priced, and cumulative tickets sold per bucket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tickets.domain.sales import OrderLine, OrderRecord, tally
from tickets.domain.sales_timeline import SalesPoint, bucket_size, sales_over_time
from tickets.domain.stats import ShowStats
from tickets.domain.ticket_types import TicketType

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
M = timedelta(minutes=1)


def test_buckets_grow_with_the_span() -> None:
    assert bucket_size(10 * M) == M
    assert bucket_size(3 * 60 * M) == 5 * M
    assert bucket_size(timedelta(days=1)) == timedelta(hours=1)
    assert bucket_size(timedelta(days=400)) == timedelta(days=14)


def test_points_are_cumulative_per_bucket_up_to_now() -> None:
    sales = [(NOW - 10 * M + timedelta(seconds=5), 2), (NOW - 9 * M, 1), (NOW - 2 * M, 3)]

    points = sales_over_time(sales, NOW)

    assert points[0] == SalesPoint(NOW - 9 * M, 2)
    assert points[1] == SalesPoint(NOW - 8 * M, 3)
    assert points[-1] == SalesPoint(NOW + M, 6)
    assert [p.sold for p in points] == sorted(p.sold for p in points)
    assert sales_over_time([], NOW) == []


def test_stats_report_gross_net_and_tax_and_a_timeline() -> None:
    vat = OrderLine("t1", 2, 2050, None, discount=1025, tax_amount=491, tax_included=True)
    added = OrderLine("t2", 1, 1000, None, discount=0, tax_amount=100, tax_included=False)
    records = [
        OrderRecord("o1", "completed", "e1", lines=(vat, added), completed_at=NOW - 5 * M),
        OrderRecord("o2", "created", "e1", lines=(added,), expires_at=NOW + M),
    ]
    types = [TicketType("t1", "GA", 2050, 10), TicketType("t2", "Extra", 1000, 10)]

    stats = ShowStats.of("e1", "usd", types, tally(records, NOW), NOW)

    ga, extra = stats.ticket_types
    assert (ga.revenue, ga.net, ga.tax) == (3075, 2584, 491)
    assert (extra.revenue, extra.net, extra.tax, extra.held) == (1100, 1000, 100, 1)
    assert (stats.revenue, stats.net, stats.tax) == (4175, 3584, 591)
    assert stats.sales_over_time[-1].sold == 3
