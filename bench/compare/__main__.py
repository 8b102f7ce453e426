"""`make bench-compare BASE=<rev>`: the flash sale of two commits, run alternately.

This machine's speed drifts by a third over minutes (the load generator's own CPU a
request with it), so figures of two `make bench` runs taken apart say little about a
change. Here the working tree's code and BASE's take turns, one fresh-stack sale each
(`one_sale.py`, 50 buyers and 5 readers, or `LOOP` buyers), `ROUNDS` times; the medians
of each side go to bench/RESULTS.md under `flash_sale_compare` (`flash_sale_compare_10`
for `LOOP=10`), with every run's figures.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.support import machine, progress, write_results

ROOT = Path(__file__).resolve().parents[2]
ONE_SALE = Path(__file__).with_name("one_sale.py")
METHOD = (
    "the two sides take turns, a fresh-stack sale each, so a drift of the machine's speed"
    " falls on both; medians first, then every run"
)


def _figures(sale: dict[str, Any]) -> dict[str, float]:
    selling, cpu = sale["selling"], sale["cpu"]
    parts = cpu["by_part_ms_per_request"]
    return {
        "holds_per_second": selling["holds_per_second_while_selling"],
        "p99_ms_201": selling["latency_ms_201"]["p99"],
        "p99_ms_refusal": selling["latency_ms_409"]["p99"],
        "p99_ms_reads": sale.get("availability_reads_ms", {}).get("p99", 0.0),
        "server_cpu_ms_per_hold_request": cpu["server_cpu_ms_per_hold_request"],
        "mongo_ms_per_request": parts["mongo"],
        "orders_ms_per_request": parts["orders"],
        "orders_reads_ms_per_request": parts.get("orders-reads", 0.0),
        "gateway_ms_per_request": parts["gateway"],
        "load_generator_ms_per_request": cpu["load generator_ms_per_request"],
        "db_ops_per_hold": sale["db_ops_per_hold"]["total"],
        "oversold": sale["sold_out_check"]["oversold"],
    }


def _one_sale(tree: Path, loop: int) -> dict[str, float]:
    sources = [str(tree), *(str(p) for p in sorted(tree.glob("*/src")))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sources)}
    done = subprocess.run(
        [sys.executable, str(ONE_SALE), str(loop)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return _figures(json.loads(done.stdout.strip().splitlines()[-1]))


def _medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {name: round(statistics.median(r[name] for r in runs), 2) for name in runs[0]}


def main() -> None:
    args = sys.argv[1:]
    base = args[0]
    rounds = int(args[1]) if len(args) > 1 else 3
    loop = int(args[2]) if len(args) > 2 else 50
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as scratch:
        base_tree = Path(scratch) / "base"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(base_tree)], check=True)
        subprocess.run(["git", "-C", str(base_tree), "checkout", "-q", base], check=True)
        sides: dict[str, tuple[Path, list[dict[str, float]]]] = {
            f"base {base}": (base_tree, []),
            f"this tree {machine()['commit']}": (ROOT, []),
        }
        for number in range(1, rounds + 1):
            for name, (tree, runs) in sides.items():
                runs.append(_one_sale(tree, loop))
                progress(f"compare: round {number}, {name}: {runs[-1]}")
    rows = {f"{name}, median": _medians(runs) for name, (_, runs) in sides.items()}
    for name, (_, runs) in sides.items():
        rows |= {f"{name}, run {i}": run for i, run in enumerate(runs, 1)}
    section = {"rows": rows, "base": base, "buyers": loop, "rounds": rounds, "method": METHOD}
    name = "flash_sale_compare" + ("" if loop == 50 else f"_{loop}")
    written = write_results({"machine": machine(), name: section}, lambda _: True)
    print(f"figures written to {written}")


if __name__ == "__main__":
    main()
