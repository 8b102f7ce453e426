"""Money, dates and the countdown as pages show them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from client.formatting import format_countdown, format_datetime, money, seconds_left

NOW = datetime(2030, 1, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (20.5, "usd", "$20.50"),
        (0.1 + 0.2, "usd", "$0.30"),
        (1234567.891, "eur", "€1,234,567.89"),
        (12, "GBP", "£12.00"),
        (5, "chf", "5.00 CHF"),
        (1500, "jpy", "1,500 JPY"),
        (-3.5, "usd", "-$3.50"),
        ("12.345", None, "$12.35"),
        (None, "usd", "—"),
        ("abc", "usd", "—"),
    ],
)
def test_money_in_major_units_with_currency(amount: object, currency: str, shown: str) -> None:
    assert money(amount, currency) == shown


def test_seconds_left_counts_down_and_stops_at_zero() -> None:
    assert seconds_left("2030-01-01T12:15:00Z", NOW) == 900
    assert seconds_left("2030-01-01T12:00:00.900+00:00", NOW) == 0  # rounded down
    assert seconds_left("2030-01-01T11:59:00Z", NOW) == 0
    assert seconds_left(NOW + timedelta(seconds=61.5), NOW) == 61
    assert seconds_left("not a date", NOW) == 0
    assert seconds_left("2030-01-01T13:00:00+01:00", NOW) == 0  # offsets respected


def test_countdown_format() -> None:
    assert format_countdown(0) == "0:00"
    assert format_countdown(-5) == "0:00"
    assert format_countdown(65) == "1:05"
    assert format_countdown(900) == "15:00"
    assert format_countdown(3725) == "1:02:05"


def test_datetime_shown_in_utc() -> None:
    assert format_datetime("2030-05-01T21:30:00+02:00") == "Wed 1 May 2030, 19:30 UTC"
    assert format_datetime(None) == "—"
