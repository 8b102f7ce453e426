"""Sales over time as a server-rendered SVG line chart: tickets sold, cumulative per bucket.

Drawn in Python so the dashboard needs no chart library and no script to show it;
the SVG uses only classes and presentation attributes, which the page's content
security policy (no inline styles) allows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 14, 30


@dataclass(frozen=True)
class ChartPoint:
    at: datetime
    sold: int  # tickets sold up to and including `at`


def cumulative_buckets(
    sales: Iterable[tuple[datetime, int]], buckets: int = 12, end: datetime | None = None
) -> list[ChartPoint]:
    """Tickets sold up to the end of each of `buckets` equal slices, first sale to `end`.

    The series starts at zero just before the first sale, so one sale still draws a line.
    """
    ordered = sorted((at, quantity) for at, quantity in sales if quantity > 0)
    if not ordered:
        return []
    start = ordered[0][0]
    stop = max(end or ordered[-1][0], ordered[-1][0])
    if stop == start:
        return [ChartPoint(start, 0), ChartPoint(start, sum(q for _, q in ordered))]
    span = (stop - start) / buckets
    points = [ChartPoint(start, 0)]
    total, index = 0, 0
    for number in range(1, buckets + 1):
        edge = stop if number == buckets else start + span * number
        while index < len(ordered) and ordered[index][0] <= edge:
            total += ordered[index][1]
            index += 1
        points.append(ChartPoint(edge, total))
    return points


def axis_top(value: int) -> int:
    """A round y-axis maximum at or above `value`: 1, 2, 5, 10, 20, 50, ..."""
    top = 1
    while top < value:
        top = top * 5 // 2 if str(top).startswith("2") else top * 2
    return top


def _label(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %H:%M}"


def _position(point: ChartPoint, first: datetime, seconds: float, top: int) -> tuple[float, float]:
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    share = (point.at - first).total_seconds() / seconds if seconds else 1.0
    x = LEFT + share * plot_width
    y = TOP + plot_height - (point.sold / top) * plot_height
    return round(x, 1), round(y, 1)


def _axes(top: int, first_label: str, last_label: str) -> list[str]:
    bottom_y, right_x = HEIGHT - BOTTOM, WIDTH - RIGHT
    return [
        f'<line class="chart-axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom_y}"'
        ' stroke="currentColor"/>',
        f'<line class="chart-axis" x1="{LEFT}" y1="{bottom_y}" x2="{right_x}" y2="{bottom_y}"'
        ' stroke="currentColor"/>',
        f'<text class="chart-y" x="{LEFT - 6}" y="{bottom_y}" text-anchor="end">0</text>',
        f'<text class="chart-y" x="{LEFT - 6}" y="{TOP + 8}" text-anchor="end">{top}</text>',
        f'<text class="chart-x" x="{LEFT}" y="{HEIGHT - 8}">{escape(first_label)}</text>',
        f'<text class="chart-x" x="{right_x}" y="{HEIGHT - 8}" text-anchor="end">'
        f"{escape(last_label)}</text>",
    ]


def sales_chart_svg(points: Sequence[ChartPoint], empty_note: str = "No sales yet") -> Markup:
    """The chart of `points` (from `cumulative_buckets`); empty data draws `empty_note`."""
    opening = (
        f'<svg class="sales-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        ' aria-label="Tickets sold over time" xmlns="http://www.w3.org/2000/svg">'
    )
    if not points:
        parts = _axes(1, "", "")
        parts.append(
            f'<text class="chart-empty" x="{WIDTH // 2}" y="{HEIGHT // 2}"'
            f' text-anchor="middle">{escape(empty_note)}</text>'
        )
        return Markup(opening + "".join(parts) + "</svg>")  # noqa: S704 - built from escaped parts
    first, last = points[0].at, points[-1].at
    seconds = (last - first).total_seconds()
    top = axis_top(max(p.sold for p in points))
    coords = [_position(p, first, seconds, top) for p in points]
    parts = _axes(top, _label(first), _label(last))
    line = " ".join(f"{x},{y}" for x, y in coords)
    parts.append(
        f'<polyline class="chart-line" points="{line}" fill="none" stroke="currentColor"/>'
    )
    for point, (x, y) in zip(points, coords, strict=True):
        title = escape(f"{_label(point.at)}: {point.sold} sold")
        parts.append(
            f'<circle class="chart-point" cx="{x}" cy="{y}" r="3"><title>{title}</title></circle>'
        )
    return Markup(opening + "".join(parts) + "</svg>")  # noqa: S704 - built from escaped parts
