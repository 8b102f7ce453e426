"""Reading the statistics route's JSON into the dashboard's figures."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from client.pages.organizer_stats import read_stats, sales_timeline


def test_types_totals_and_timeline_are_read() -> None:
    figures = read_stats(
        {
            "currency": "eur",
            "ticketTypes": [
                {"id": "t1", "name": "A", "price": 10, "quantity": 5, "sold": 2, "held": 1,
                 "revenue": 20, "remaining": 2},
            ],
            "totals": {"sold": 2, "revenue": 20.0, "remaining": 2},
            "salesOverTime": [{"at": "2031-04-01T10:00:00Z", "sold": 2}],
        }
    )  # fmt: skip
    assert (figures.currency, figures.sold, figures.held, figures.remaining) == ("eur", 2, 1, 2)
    assert figures.revenue == 20.0
    assert figures.checked_in is None  # orders knows the check-ins, not the catalog
    assert figures.sales == [(datetime(2031, 4, 1, 10, tzinfo=UTC), 2)]


def test_missing_parts_are_unknown_not_errors() -> None:
    figures = read_stats(
        {"ticketTypes": [{"id": "t1", "revenue": 0.1}, {"id": "t2", "revenue": 0.2}, "junk"]},
        currency="usd",
    )
    assert figures.currency == "usd"
    assert [t.id for t in figures.types] == ["t1", "t2"]
    assert figures.checked_in is None
    assert figures.sales == []
    # Revenue added up from the types when no total is given, without float noise.
    assert figures.revenue == Decimal("0.3")
    assert read_stats(None).types == []


def test_timeline_points_and_bad_entries() -> None:
    body = {
        "salesOverTime": [
            {"at": "2031-04-01T10:00:00+00:00", "sold": 3},
            {"at": "not a date", "sold": 1},
            {"at": "2031-04-02T10:00:00Z", "sold": True},
            {"time": "2031-04-03T10:00:00Z", "quantity": 4},
        ]
    }
    assert sales_timeline(body) == [(datetime(2031, 4, 1, 10, tzinfo=UTC), 3)]
