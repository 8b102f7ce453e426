"""The flash sale's targets, each checked against the figures of the run that measured it:
what was asked, what was measured, and whether it held (`targets` in bench/RESULTS.md).

The host's speed is not the same from one session to the next (`machine` in RESULTS.md),
so a verdict is that run's, beside the machine it ran on.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.flash_sale.plan import LOOPS

STORES = ("empty store", "preloaded store")


@dataclass(frozen=True)
class Target:
    run: str  # a row of the summary table, or "" for a figure of the whole benchmark
    figure: str  # dotted path into the run's figures
    sign: str  # a key of _SIGNS
    limit: float

    def check(self, figures: dict[str, Any]) -> tuple[Any, bool]:
        """The figure (None when missing) and whether it meets the target."""
        value: Any = figures[self.run] if self.run else figures
        for key in self.figure.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        compare: Callable[[Any, Any], bool] = _SIGNS[self.sign]
        return value, isinstance(value, int | float) and compare(value, self.limit)


_SIGNS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "within 10% of": lambda value, limit: abs(value - limit) <= 0.1 * limit,
}


def flash_sale_targets(seated: str) -> dict[str, Target]:
    """Every target, by a name that says it; `seated` is the seated run's row."""
    busy, calm = max(LOOPS), min(LOOPS)
    targets: dict[str, Target] = {}
    for store in STORES:
        run = f"{store}, {busy} buyers"
        targets |= {
            f"{run}: holds/s": Target(run, "selling.holds_per_second_while_selling", ">=", 170),
            f"{run}: p99 ms (201)": Target(run, "selling.latency_ms_201.p99", "<", 300),
            f"{run}: p99 ms (refusal)": Target(run, "selling.latency_ms_409.p99", "<", 100),
            f"{run}: server CPU ms a request": Target(
                run, "cpu.server_cpu_ms_per_request", "<=", 10
            ),
            f"{run}: availability read p99 ms": Target(run, "availability_reads_ms.p99", "<", 50),
        }
        run = f"{store}, {calm} buyers"
        targets[f"{run}: holds/s"] = Target(
            run, "selling.holds_per_second_while_selling", ">=", 150
        )
        for loop in LOOPS:
            run = f"{store}, {loop} buyers"
            targets[f"{run}: seconds until the consumers caught up"] = Target(
                run, "consumers.seconds_until_caught_up", "<=", 1
            )
    for loop in LOOPS:
        targets[f"preloaded over empty holds/s, {loop} buyers"] = Target(
            "", f"preloaded_over_empty_holds_per_second.{loop} buyers", "within 10% of", 1
        )
    targets |= {
        f"{seated}: holds/s": Target(seated, "selling.holds_per_second_while_selling", ">=", 120),
        f"{seated}: p99 ms (201)": Target(seated, "selling.latency_ms_201.p99", "<", 400),
        "expiry wave: latest cancellation ms after expiresAt": Target(
            "", "expiry_wave.delay_ms_max", "<", 2000
        ),
        "expiry wave: holds never cancelled": Target("", "expiry_wave.never_cancelled", "==", 0),
    }
    return targets


def verdicts(
    rows: dict[str, dict[str, Any]], figures: dict[str, Any], seated: str
) -> dict[str, Any]:
    """Each target as "met|NOT MET: <figure> (<sign> <limit>)", every run's oversold count
    among them, and whether all held. `rows` are the runs by label, `figures` the
    benchmark's other figures (expiry wave, ratios)."""
    checked = {**rows, **figures}
    lines: dict[str, str] = {}
    held = True
    targets = flash_sale_targets(seated)
    targets |= {f"{run}: oversold": Target(run, "sold_out_check.oversold", "==", 0) for run in rows}
    for name, target in targets.items():
        value, met = target.check(checked)
        held &= met
        lines[name] = f"{'met' if met else 'NOT MET'}: {value} ({target.sign} {target.limit:g})"
    return {"all_met": held, **lines}
