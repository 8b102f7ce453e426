"""The dashboard's sales chart: cumulative buckets and the SVG drawn from them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from client.pages.organizer_chart import (
    BOTTOM,
    HEIGHT,
    LEFT,
    RIGHT,
    TOP,
    WIDTH,
    ChartPoint,
    axis_top,
    cumulative_buckets,
    sales_chart_svg,
)

START = datetime(2031, 4, 1, 10, 0, tzinfo=UTC)


def test_buckets_add_up_sales_from_zero_before_the_first_sale() -> None:
    sales = [(START + timedelta(hours=h), q) for h, q in ((0, 2), (5, 1), (9, 3), (10, 4))]
    points = cumulative_buckets(sales, buckets=5)
    assert points[0] == ChartPoint(START, 0)
    assert [p.sold for p in points] == [0, 2, 2, 3, 3, 10]
    assert [p.at for p in points[1:]] == [START + timedelta(hours=2 * n) for n in range(1, 6)]


def test_buckets_reach_to_the_given_end_and_ignore_empty_entries() -> None:
    points = cumulative_buckets([(START, 1), (START, 0)], buckets=2, end=START + timedelta(hours=4))
    assert points == [
        ChartPoint(START, 0),
        ChartPoint(START + timedelta(hours=2), 1),
        ChartPoint(START + timedelta(hours=4), 1),
    ]


def test_one_moment_of_sales_is_a_step_from_zero() -> None:
    assert cumulative_buckets([(START, 2), (START, 3)]) == [
        ChartPoint(START, 0),
        ChartPoint(START, 5),
    ]
    assert cumulative_buckets([]) == []


def test_the_y_axis_ends_on_a_round_number() -> None:
    assert [axis_top(v) for v in (0, 1, 2, 3, 7, 10, 11, 49, 51, 1999)] == [
        1, 1, 2, 5, 10, 10, 20, 50, 100, 2000,
    ]  # fmt: skip


def _points(svg: str) -> list[tuple[float, float]]:
    found = re.search(r'<polyline class="chart-line" points="([^"]+)"', svg)
    assert found is not None
    return [(float(x), float(y)) for x, y in (p.split(",") for p in found.group(1).split())]


def test_the_chart_places_points_on_the_axes() -> None:
    points = [
        ChartPoint(START, 0),
        ChartPoint(START + timedelta(hours=1), 5),
        ChartPoint(START + timedelta(hours=2), 10),
    ]
    svg = str(sales_chart_svg(points))
    assert svg.startswith('<svg class="sales-chart" viewBox="0 0 640 220"')
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    assert _points(svg) == [(LEFT, bottom), ((LEFT + right) / 2, (TOP + bottom) / 2), (right, TOP)]
    # Axis labels: 0 and the round top on y, the first and last moments on x.
    assert re.search(r'<text class="chart-y"[^>]*>0</text>', svg)
    assert re.search(r'<text class="chart-y"[^>]*>10</text>', svg)
    assert ">1 Apr 10:00</text>" in svg
    assert ">1 Apr 12:00</text>" in svg
    assert svg.count('<circle class="chart-point"') == 3
    assert "<title>1 Apr 11:00: 5 sold</title>" in svg


def test_no_sales_draws_the_axes_and_a_note() -> None:
    svg = str(sales_chart_svg([]))
    assert "No sales yet" in svg
    assert svg.count('<line class="chart-axis"') == 2
    assert "<polyline" not in svg
    assert svg.endswith("</svg>")


def test_the_empty_note_is_escaped() -> None:
    svg = str(sales_chart_svg([], "Sales <b>unknown</b>"))
    assert "Sales &lt;b&gt;unknown&lt;/b&gt;" in svg
