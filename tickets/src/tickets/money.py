"""Money at the JSON edge: major units (a number like 20.5) <-> integer minor units (2050).

Every currency the catalog accepts has two decimal places, so one minor unit is 1/100.
"""

from __future__ import annotations

from decimal import Decimal

MINOR_PER_MAJOR = 100
# A ceiling keeps prices far inside 64-bit integers, even summed over 100,000 units.
MAX_PRICE_MAJOR = Decimal("1000000")
SUPPORTED_CURRENCIES = frozenset(
    {"usd", "eur", "gbp", "cad", "aud", "nzd", "chf", "sek", "nok", "dkk", "pln", "czk"}
)


def to_minor(amount: Decimal) -> int:
    """Major units (at most 2 decimals, validated at the edge) to integer minor units."""
    minor = amount * MINOR_PER_MAJOR
    if minor != minor.to_integral_value():
        raise ValueError("at most 2 decimal places")
    return int(minor)


def to_major(minor: int) -> float:
    # Division of an integer by 100 gives the float nearest the exact decimal, which
    # JSON renders as the shortest repr (2050 -> 20.5, 1999 -> 19.99).
    return minor / MINOR_PER_MAJOR
