"""Money at the JSON edge: major units (a number like 20.5) <-> integer minor units (2050).

Inside every service money is integer minor units with a currency; these two functions
are the only conversions, used where JSON comes in or goes out. Every supported
currency has two decimal places, so one minor unit is 1/100.
"""

from __future__ import annotations

from decimal import Decimal

MINOR_PER_MAJOR = 100


def to_minor(amount: Decimal) -> int:
    """Major units (at most 2 decimals, validated at the edge) to integer minor units."""
    minor = amount * MINOR_PER_MAJOR
    if minor != minor.to_integral_value():
        raise ValueError("at most 2 decimal places")
    return int(minor)


def to_major(minor: int) -> float:
    # Dividing an integer by 100 gives the float nearest the exact decimal, which JSON
    # renders as the shortest repr (2050 -> 20.5, 1999 -> 19.99).
    return minor / MINOR_PER_MAJOR
