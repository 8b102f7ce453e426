"""Unit tests: the catalog's order records only move forward."""

from __future__ import annotations

from tickets_samples import record

from ticketing_common.events import utc_now
from tickets.domain.sales import OrderLine, advance, tally

NOW = utc_now()


def test_order_records_only_move_forward() -> None:
    created = record("created", OrderLine("t1", 2, 100))
    cancelled = record("cancelled")
    assert advance(None, cancelled) == cancelled  # cancel first: remembered as a tombstone
    assert advance(cancelled, created) is None  # the late create holds nothing
    after = advance(created, cancelled)
    assert after is not None
    assert after.state == "cancelled"
    assert after.lines == created.lines
    assert advance(created, created) is None


def test_a_sale_ends_only_by_a_refund_which_counts_apart() -> None:
    sold = record("completed", OrderLine("t1", 2, 100))
    assert advance(sold, record("cancelled")) is None  # a plain cancel never undoes a sale
    refunded = advance(sold, record("refunded"))
    assert refunded is not None
    assert (refunded.state, refunded.lines) == ("refunded", sold.lines)
    assert advance(refunded, sold) is None  # a late completion changes nothing
    assert advance(record("created", OrderLine("t1", 2, 100)), record("refunded")) is not None

    sales = tally([refunded, record("completed", OrderLine("t1", 1, 100))], NOW)
    assert (sales.of("t1").sold, sales.of("t1").revenue, sales.of("t1").refunded) == (1, 100, 2)
    assert sales.taken("t1") == 1
