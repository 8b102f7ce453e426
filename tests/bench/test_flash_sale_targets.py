"""The flash sale's verdicts (bench/flash_sale/targets.py): each target against the figure
of the run that measured it; a missing or failing figure is not met."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bench.flash_sale.targets import verdicts

SEATED = "seated (5,000 seats), 50 buyers"


def a_run(rate: float, p99: float, refusal_p99: float, reads_p99: float | None) -> dict[str, Any]:
    run: dict[str, Any] = {
        "selling": {
            "holds_per_second_while_selling": rate,
            "latency_ms_201": {"p99": p99},
            "latency_ms_409": {"p99": refusal_p99},
        },
        "cpu": {"server_cpu_ms_per_request": 2.5},
        "consumers": {"seconds_until_caught_up": 0.2},
        "sold_out_check": {"oversold": 0},
    }
    if reads_p99 is not None:
        run["availability_reads_ms"] = {"p99": reads_p99}
    return run


def passing() -> tuple[dict[str, Any], dict[str, Any]]:
    rows = {
        f"{store} store, {loop} buyers": a_run(rate, 200, 80, 20 if loop == 50 else None)
        for store in ("empty", "preloaded")
        for loop, rate in ((50, 300.0), (10, 200.0))
    }
    rows[SEATED] = a_run(250, 350, 150, None)
    rows["cluster, 2x every service, 50 buyers"] = a_run(90, 900, 900, 90)
    figures = {
        "expiry_wave": {"delay_ms_max": 1500.0, "never_cancelled": 0},
        "preloaded_over_empty_holds_per_second": {"50 buyers": 0.95, "10 buyers": 1.08},
    }
    return rows, figures


def test_every_target_met_when_every_figure_is_within_its_limit() -> None:
    rows, figures = passing()

    found = verdicts(rows, figures, SEATED)

    assert found["all_met"] is True
    assert found["empty store, 50 buyers: holds/s"] == "met: 300.0 (>= 170)"
    assert found["preloaded over empty holds/s, 10 buyers"] == "met: 1.08 (within 10% of 1)"
    assert all(line.startswith("met: ") for name, line in found.items() if name != "all_met")
    # The cluster runs have no targets of their own (only their oversold count).
    assert [name for name in found if name.startswith("cluster")] == [
        "cluster, 2x every service, 50 buyers: oversold"
    ]


@pytest.mark.parametrize(
    ("where", "path", "value", "name", "line"),
    [
        (
            "preloaded store, 50 buyers",
            ("selling", "latency_ms_409", "p99"),
            100.0,
            "preloaded store, 50 buyers: p99 ms (refusal)",
            "NOT MET: 100.0 (< 100)",
        ),
        (
            "empty store, 10 buyers",
            ("selling", "holds_per_second_while_selling"),
            149.9,
            "empty store, 10 buyers: holds/s",
            "NOT MET: 149.9 (>= 150)",
        ),
        (
            "preloaded_over_empty_holds_per_second",
            ("50 buyers",),
            1.12,
            "preloaded over empty holds/s, 50 buyers",
            "NOT MET: 1.12 (within 10% of 1)",
        ),
        (
            "expiry_wave",
            ("delay_ms_max",),
            2000.0,
            "expiry wave: latest cancellation ms after expiresAt",
            "NOT MET: 2000.0 (< 2000)",
        ),
        (
            "cluster, 2x every service, 50 buyers",
            ("sold_out_check", "oversold"),
            1,
            "cluster, 2x every service, 50 buyers: oversold",
            "NOT MET: 1 (== 0)",
        ),
    ],
)
def test_a_figure_past_its_limit_is_not_met(
    where: str, path: tuple[str, ...], value: float, name: str, line: str
) -> None:
    rows, figures = passing()
    figures = copy.deepcopy(figures)
    node = rows[where] if where in rows else figures[where]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value

    found = verdicts(rows, figures, SEATED)

    assert found[name] == line
    assert found["all_met"] is False
    assert [n for n, v in found.items() if n != "all_met" and v.startswith("NOT")] == [name]


def test_a_missing_figure_is_not_met() -> None:
    rows, figures = passing()
    del rows["empty store, 50 buyers"]["availability_reads_ms"]

    found = verdicts(rows, figures, SEATED)

    assert found["empty store, 50 buyers: availability read p99 ms"] == "NOT MET: None (< 50)"
    assert found["all_met"] is False
