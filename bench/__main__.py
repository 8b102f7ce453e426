"""`make bench`: run every benchmark module and write the figures to bench/RESULTS.md.

Each `bench/bench_*.py` exposes `async def run(report: dict) -> None`, starts its own
embedded servers on free ports, and adds its figures under its own key. Results
go to `bench/results.json` (machine-readable) and `bench/RESULTS.md` (for people),
with the machine and commit they were measured on (`bench.support.write_results`, which
`make chaos` writes its section with too).
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path
from typing import Any

from bench.support import SECTIONS_OF_OTHER_COMMANDS, machine, run_main, write_results

HERE = Path(__file__).parent


async def _run_all(names: list[str]) -> dict[str, Any]:
    report: dict[str, Any] = {"machine": machine()}
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
    report = run_main(_run_all(names))
    # A partial run keeps the other sections' earlier figures; a full one keeps only what
    # other commands wrote.
    written = write_results(
        report, lambda section: bool(wanted) or section in SECTIONS_OF_OTHER_COMMANDS
    )
    print(f"figures written to {written}")


if __name__ == "__main__":
    main()
