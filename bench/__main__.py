"""`make bench`: run every benchmark module and write the figures to bench/RESULTS.md.

Each `bench/bench_*.py` exposes `async def run(report: dict) -> None`, starts its own
embedded servers on free ports, and adds its figures under its own key. Results
go to `bench/results.json` (machine-readable) and `bench/RESULTS.md` (for people),
with the machine and commit they were measured on.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def _machine() -> dict[str, Any]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "measuredAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit or "unknown",
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _rows(prefix: str, value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [row for key, inner in value.items() for row in _rows(f"{prefix}.{key}", inner)]
    if isinstance(value, list) and value and isinstance(value[0], dict | list):
        return [row for i, inner in enumerate(value) for row in _rows(f"{prefix}[{i}]", inner)]
    return [(prefix, json.dumps(value) if not isinstance(value, str) else value)]


def _markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Reproduce with `make bench` (writes this file and `bench/results.json`).",
        "",
    ]
    for section, figures in report.items():
        lines += [f"## {section}", "", "| figure | value |", "|---|---|"]
        lines += [f"| {name.lstrip('.')} | {value} |" for name, value in _rows("", figures)]
        lines.append("")
    return "\n".join(lines)


async def _run_all(names: list[str]) -> dict[str, Any]:
    report: dict[str, Any] = {"machine": _machine()}
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"==> {name}", flush=True)
        started = time.monotonic()
        await module.run(report)
        print(f"    done in {time.monotonic() - started:.1f}s", flush=True)
    return report


def main() -> None:
    wanted = sys.argv[1:]
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    names = [n for n in names if not wanted or n in wanted or n.removeprefix("bench_") in wanted]
    report = asyncio.run(_run_all(names))
    results = HERE / "results.json"
    if wanted and results.exists():
        # A partial run keeps the other sections' earlier figures.
        report = {**json.loads(results.read_text()), **report}
    results.write_text(json.dumps(report, indent=2, default=str) + "\n")
    (HERE / "RESULTS.md").write_text(_markdown(report))
    print(f"figures written to {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
