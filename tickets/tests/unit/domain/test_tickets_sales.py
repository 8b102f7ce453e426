"""Unit tests: the catalog's order records only move forward."""

from __future__ import annotations

from tickets_samples import record

from tickets.domain.sales import OrderLine, advance


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
