"""`make chaos` (`python -m bench.chaos [scenario ...]`): real processes, real signals.

Each scenario starts its own disk-backed stack on free ports (the dev topology or the
cluster), healed by the supervisor as `make dev` heals it, injects its fault while
buyers are buying, and checks what the databases and the stream say afterwards. A
scenario that fails a check (or cannot finish) gets `"pass": false` with the reason and
the run goes on; the exit status is 1 if any failed. Rows go under `chaos` in
bench/results.json and bench/RESULTS.md; a partial run keeps the other rows.

Scenarios are named by number or name, e.g. `make chaos ONLY="1 database_restart"`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bench.chaos import (
    consumer_crash,
    database_restart,
    expiration_kill,
    nats_kill,
    replica_kill,
    stream_injection,
)
from bench.chaos.verdict import broken_row
from bench.support import BENCH_DIR, ROWS, machine, progress, run_main, write_results

Scenario = Callable[[], Awaitable[dict[str, Any]]]
# name -> (scenario, seconds it may take at most, start-up and stop included)
SCENARIOS: dict[str, tuple[Scenario, float]] = {
    "orders_replica_kill": (replica_kill.run, 240),
    "nats_node_kill": (nats_kill.run_cluster, 300),
    "dev_nats_kill": (nats_kill.run_dev, 200),
    "consumer_crash": (consumer_crash.run, 150),
    "expiration_kill": (expiration_kill.run, 150),
    "database_restart": (database_restart.run, 240),
    "stream_injection": (stream_injection.run, 150),
}


def chosen(wanted: list[str]) -> list[str]:
    names = list(SCENARIOS)
    picked = [n for i, n in enumerate(names, 1) if not wanted or n in wanted or str(i) in wanted]
    if unknown := set(wanted) - set(picked) - {str(i) for i in range(1, len(names) + 1)}:
        raise SystemExit(f"unknown scenarios {sorted(unknown)}; choose from {names}")
    return picked


async def run_one(name: str) -> dict[str, Any]:
    scenario, budget = SCENARIOS[name]
    progress(f"==> {name}")
    started = time.monotonic()
    try:
        async with asyncio.timeout(budget):
            row = await scenario()
    except TimeoutError:
        row = broken_row(f"harness: not finished within {budget:.0f}s")
    except Exception as exc:  # a broken scenario is a row: the run goes on
        row = broken_row(f"harness: {type(exc).__name__}: {exc}")
    row["scenario_seconds"] = round(time.monotonic() - started, 1)
    verdict = "pass" if row["pass"] else f"FAIL: {row['reason']}"
    progress(f"    {name}: {verdict} ({row['scenario_seconds']}s)")
    return row


async def run_all(names: list[str]) -> dict[str, dict[str, Any]]:
    return {name: await run_one(name) for name in names}


def previous_rows() -> dict[str, Any]:
    results = BENCH_DIR / "results.json"
    if not results.exists():
        return {}
    rows: dict[str, Any] = json.loads(results.read_text()).get("chaos", {}).get(ROWS, {})
    return rows


def main() -> int:
    names = chosen(sys.argv[1:])
    # The harness's own NATS client logs every reconnect with a traceback when a node is
    # killed on purpose; its failures that matter surface as errors where they happen.
    logging.getLogger("nats").setLevel(logging.CRITICAL)
    rows = run_main(run_all(names))
    # A partial run keeps the other scenarios' last rows, in the scenarios' order.
    merged = {**previous_rows(), **rows}
    ordered = {name: merged[name] for name in SCENARIOS if name in merged}
    section = {"measured": machine(), ROWS: ordered}
    written = write_results({"chaos": section}, lambda _: True)
    failed = [name for name in names if not rows[name]["pass"]]
    print(f"figures written to {written}; failed: {failed or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
