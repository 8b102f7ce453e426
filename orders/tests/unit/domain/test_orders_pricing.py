"""Line pricing: discount first, then tax included (VAT) or added (US), rounded half up
once per line; an order's totals are the sums of its lines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from orders_fakes import NOW

from orders.domain.order import Order
from orders.domain.order_parts import Line
from orders.domain.pricing import LinePrice, price_line, round_half_up


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(5, 2, 3), (4, 2, 2), (7, 2, 4), (1, 3, 0), (2, 3, 1), (0, 7, 0)],
)
def test_round_half_up(numerator: int, denominator: int, expected: int) -> None:
    assert round_half_up(numerator, denominator) == expected


def test_included_tax_is_taken_out_of_the_price() -> None:
    # 2 x 59.50 at 19 % VAT included: 119.00 gross, of which 19.00 tax.
    assert price_line(5950, 2, 0, 1900, True) == LinePrice(net=10000, tax=1900, gross=11900)


def test_added_tax_goes_on_top() -> None:
    # 3 x 10.00 with 8.88 % sales tax on top: 2.664 rounds to 2.66.
    assert price_line(1000, 3, 0, 888, False) == LinePrice(net=3000, tax=266, gross=3266)


def test_tax_rounds_half_up_once_per_line_not_per_unit() -> None:
    # 0.05 at 10 % added: 0.005 per unit would round to 0.01 each (0.03 for three);
    # per line 0.015 rounds half up to 0.02.
    assert price_line(5, 3, 0, 1000, False) == LinePrice(net=15, tax=2, gross=17)
    # Included: 1.00 at 25 % included → 0.20 tax exactly; 1.01 → 0.202 → 0.20.
    assert price_line(101, 1, 0, 2500, True).tax == 20


def test_a_discount_comes_off_before_tax() -> None:
    # 2 x 50.00, 25.00 off the line, 20 % added: 75.00 net, 15.00 tax.
    assert price_line(5000, 2, 2500, 2000, False) == LinePrice(net=7500, tax=1500, gross=9000)
    # Included: 75.00 gross with 20 % inside → 12.50 tax.
    assert price_line(5000, 2, 2500, 2000, True) == LinePrice(net=6250, tax=1250, gross=7500)


def test_a_full_discount_makes_a_free_line_without_tax() -> None:
    assert price_line(4000, 2, 8000, 2000, False) == LinePrice(net=0, tax=0, gross=0)
    assert price_line(4000, 2, 8000, 2000, True) == LinePrice(net=0, tax=0, gross=0)


def test_no_tax_keeps_the_price() -> None:
    assert price_line(1999, 2, 0, 0, True) == LinePrice(net=3998, tax=0, gross=3998)


def test_an_orders_totals_are_the_sums_of_its_lines() -> None:
    lines = [
        Line("vip", 1, 10001, discount=0, tax_rate_bp=1900, tax_included=True),
        Line("ga", 2, 333, discount=100, tax_rate_bp=725, tax_included=False),
    ]
    order = Order("o1", "u1", "event", "created", 0, NOW, NOW + timedelta(minutes=15), "usd", lines)
    first, second = (line.price for line in lines)
    assert order.amount == first.gross + second.gross
    assert order.tax == first.tax + second.tax
    assert order.net == first.net + second.net
    assert order.amount == order.net + order.tax
    item = lines[1].as_item()
    assert (item.discount, item.tax_amount, item.gross, item.net) == (
        100,
        second.tax,
        second.gross,
        second.net,
    )
    assert order.created_event().tax == order.tax
