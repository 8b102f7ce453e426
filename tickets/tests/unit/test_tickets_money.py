"""Unit tests: money at the JSON edge (prices the catalog takes in major units)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ticketing_common.money import to_major, to_minor


@pytest.mark.parametrize(
    ("major", "minor"), [("20.5", 2050), ("0.01", 1), ("19.99", 1999), ("1000000", 100000000)]
)
def test_money_round_trips_between_major_and_minor_units(major: str, minor: int) -> None:
    assert to_minor(Decimal(major)) == minor
    assert to_major(minor) == float(major)


def test_money_refuses_fractions_of_a_cent() -> None:
    with pytest.raises(ValueError, match="2 decimal"):
        to_minor(Decimal("1.005"))
