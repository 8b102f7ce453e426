"""What the benchmarks share: embedded servers of their own, percentiles, secrets."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import platform
import signal
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from bench.probes import speed
from ticketing_common.devstack import StackSettings, Supervisor
from ticketing_common.devstack.parts import infrastructure_parts
from ticketing_common.testing.http import free_port

T = TypeVar("T")
JWT_KEY = "bench-signing-key-that-is-long-enough-0123456789"
TICKET_KEY_SECRET = "bench-ticket-key-secret-0123456789abcdef"


def run_main(main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run`, with SIGTERM (a timeout, a stopped job) cancelling the run as Ctrl-C
    does, so the stacks it started stop on the way out instead of running on."""

    async def cancellable() -> T:
        task = asyncio.current_task()
        assert task is not None
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
        return await main

    try:
        return asyncio.run(cancellable())
    except asyncio.CancelledError:
        raise SystemExit(128 + signal.SIGTERM) from None


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


@contextlib.asynccontextmanager
async def embedded_servers(name: str) -> AsyncIterator[tuple[StackSettings, Supervisor]]:
    """SecantusDB (in memory) and nats-server on free ports, stopped afterwards."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    stack = StackSettings(
        data_dir=data_dir,
        in_memory=True,
        mongo_port=free_port(),
        nats_port=free_port(),
        stripe_port=free_port(),
    )
    # The database and the broker only; the payment provider plays no part here.
    supervisor = Supervisor(
        infrastructure_parts(stack)[:2], data_dir / "logs", stack.host, lambda _: None
    )
    await asyncio.to_thread(supervisor.start_all)
    try:
        yield stack, supervisor
    finally:
        with contextlib.suppress(Exception):
            await asyncio.to_thread(supervisor.stop_all)


def latency_ms(seconds: list[float]) -> dict[str, float]:
    """p50, p95 and p99 of latencies given in seconds, in milliseconds (0 when none)."""
    if not seconds:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
    return {
        f"p{round(f * 100)}": round(percentile(seconds, f) * 1000, 1) for f in (0.5, 0.95, 0.99)
    }


def group_cpu_seconds(pgid: int) -> float:
    """utime + stime of every process now in the process group `pgid`, from /proc."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[2]) == pgid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def progress(message: str) -> None:
    """A line of progress on the console while a long benchmark runs."""
    print(f"    {time.strftime('%H:%M:%S')} {message}", flush=True)


async def seconds_or_none(
    done: Callable[[], Awaitable[bool]], within: float, interval: float = 0.1
) -> float | None:
    """Seconds until `done()` says so, polled every `interval`; None if not within `within`."""
    started = time.perf_counter()
    while time.perf_counter() - started < within:
        if await done():
            return round(time.perf_counter() - started, 2)
        await asyncio.sleep(interval)
    return None


async def seconds_until(
    done: Callable[[], Awaitable[bool]], within: float, what: str, interval: float = 0.1
) -> float:
    """Seconds until `done()` says so, polled every `interval`; RuntimeError past `within`."""
    seconds = await seconds_or_none(done, within, interval)
    if seconds is None:
        raise RuntimeError(f"{what}: not done after {within:.0f}s")
    return seconds


# Sections of results.json that another command writes (`make chaos`): a full `make bench`
# keeps them as they are.
SECTIONS_OF_OTHER_COMMANDS = frozenset({"chaos"})
# A section holding `rows` (name -> figures) is drawn as one table with a row per name.
ROWS = "rows"
BENCH_DIR = Path(__file__).parent


def machine() -> dict[str, Any]:
    """Where and on what the figures were measured."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "measuredAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit or "unknown",
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        **speed(),
    }


def _rows(prefix: str, value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [row for key, inner in value.items() for row in _rows(f"{prefix}.{key}", inner)]
    if isinstance(value, list) and value and isinstance(value[0], dict | list):
        return [row for i, inner in enumerate(value) for row in _rows(f"{prefix}[{i}]", inner)]
    return [(prefix, json.dumps(value) if not isinstance(value, str) else value)]


def _figure_table(figures: Any) -> list[str]:
    lines = ["| figure | value |", "|---|---|"]
    lines += [f"| {name.lstrip('.')} | {value} |" for name, value in _rows("", figures)]
    return [*lines, ""]


def _row_table(rows: dict[str, dict[str, Any]]) -> tuple[list[str], list[str]]:
    """One line per row over the plain figures every row has; and each row's others."""
    first = next(iter(rows.values()), {})
    columns = [
        key
        for key in first
        if all(key in row and not isinstance(row[key], dict | list) for row in rows.values())
    ]
    lines = ["| | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, row in rows.items():
        cells = [str(v) if isinstance(v, str) else json.dumps(v) for v in map(row.get, columns)]
        lines.append(f"| {name} | " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    lines.append("")
    details = []
    for name, row in rows.items():
        if rest := {key: value for key, value in row.items() if key not in columns}:
            details += [f"### {name}", "", *_figure_table(rest)]
    return lines, details


def results_markdown(report: dict[str, Any]) -> str:
    """bench/RESULTS.md: a table of figures per section (a table of rows for `rows`)."""
    lines = [
        "# Benchmark results",
        "",
        "Reproduce with `make bench` (writes this file and `bench/results.json`); the",
        "`chaos` section with `make chaos`.",
        "",
    ]
    for section, figures in report.items():
        lines += [f"## {section}", ""]
        details: list[str] = []
        if isinstance(figures, dict) and isinstance(figures.get(ROWS), dict):
            table, details = _row_table(figures[ROWS])
            lines += table
            figures = {key: value for key, value in figures.items() if key != ROWS}
        if figures:  # the section's own figures first, then each row's in detail
            lines += _figure_table(figures)
        lines += details
    return "\n".join(lines)


def write_results(report: dict[str, Any], keep: Callable[[str], bool]) -> Path:
    """Write bench/results.json and bench/RESULTS.md: the sections of `report`, and those of
    the previous results.json that `keep` names, in their old places. → RESULTS.md's path."""
    results = BENCH_DIR / "results.json"
    previous = json.loads(results.read_text()) if results.exists() else {}
    kept = (name for name in previous if name in report or keep(name))
    merged = {name: report.get(name, previous[name]) for name in kept}
    merged.update(report)
    results.write_text(json.dumps(merged, indent=2, default=str) + "\n")
    markdown = BENCH_DIR / "RESULTS.md"
    markdown.write_text(results_markdown(merged))
    return markdown
