"""The arithmetic of an order line's price: discount, then tax, in integer minor units.

Rules (the one place they live):
- A line's subtotal is `unit_price * quantity`; its discount comes off the subtotal
  first and never below zero (a 100 % discount makes a free line: no tax either).
- Tax is computed per line on the discounted amount, rounded half up to a minor unit
  once per line (never per unit): `tax_included` (VAT-style) takes it out of the
  discounted amount, `amount * rate / (100 % + rate)`; added tax (US-style) puts
  `amount * rate` on top.
- An order's net, tax and gross totals are the sums of its lines', so the totals always
  agree with the lines shown to the buyer.
Rates are in basis points (hundredths of a percent: 1950 = 19.5 %).
"""

from __future__ import annotations

from dataclasses import dataclass

FULL_RATE_BP = 10_000  # 100 %


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves up (both >= 0)."""
    return (2 * numerator + denominator) // (2 * denominator)


@dataclass(frozen=True)
class LinePrice:
    net: int
    tax: int
    gross: int


def price_line(
    unit_price: int, quantity: int, discount: int, tax_rate_bp: int, tax_included: bool
) -> LinePrice:
    """Net, tax and gross of one line (see the module's rules)."""
    discounted = max(0, unit_price * quantity - discount)
    if tax_included:
        tax = round_half_up(discounted * tax_rate_bp, FULL_RATE_BP + tax_rate_bp)
        return LinePrice(net=discounted - tax, tax=tax, gross=discounted)
    tax = round_half_up(discounted * tax_rate_bp, FULL_RATE_BP)
    return LinePrice(net=discounted, tax=tax, gross=discounted + tax)


def percent_of(amount: int, percent_bp: int) -> int:
    """`percent_bp` (basis points) of `amount`, rounded half up: a percentage discount."""
    return round_half_up(amount * percent_bp, FULL_RATE_BP)
