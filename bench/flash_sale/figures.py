"""The figures of a run: hold rate and latencies, CPU per request by part, and the row
per run that RESULTS.md shows in the summary table (`bench.support.ROWS`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bench.flash_sale.traffic import Call
from bench.support import latency_ms, percentile

LOAD_GENERATOR = "load generator"


def selling_figures(calls: list[Call]) -> dict[str, Any]:
    """Holds/s from the first to the last 201; latency of 201s, of refusals, of all."""
    ok = [c for c in calls if c.status == 201]
    refused = [c for c in calls if c.status == 409]
    done = sorted(c.finished for c in ok)
    selling = done[-1] - done[0] if len(done) > 1 else 0.0
    return {
        "requests": len(calls),
        "holds_201": len(ok),
        "refused_409": len(refused),
        "other_statuses": dict(Counter(c.status for c in calls if c.status not in (201, 409))),
        "other_reasons": dict(Counter(c.reason for c in calls if c.status not in (201, 409))),
        "holds_per_second_while_selling": round((len(done) - 1) / selling, 1) if selling else 0,
        "selling_seconds": round(selling, 2),
        "latency_ms_201": latency_ms([c.seconds for c in ok]),
        "latency_ms_409": latency_ms([c.seconds for c in refused]),
        "latency_ms_all_p99": round(percentile([c.seconds for c in calls], 0.99) * 1000, 1),
    }


def cpu_figures(
    before: dict[str, float], after: dict[str, float], load_cpu: float, requests: int, holds: int
) -> dict[str, Any]:
    """CPU ms per request of each part (whole process groups), of the server in total (also
    per hold request: the reads beside them are cheap and many), and of the load generator;
    the bounding part is the server part with the largest share."""
    spent = {part: after[part] - before[part] for part in after}
    server = sum(spent.values())
    per_request = {part: round(s * 1000 / requests, 2) for part, s in spent.items()}
    busiest = max(spent, key=lambda part: spent[part])
    share = spent[busiest] / server if server else 0.0
    return {
        "requests": requests,
        "server_cpu_ms_per_request": round(server * 1000 / requests, 2),
        "server_cpu_ms_per_hold_request": round(server * 1000 / holds, 2),
        "by_part_ms_per_request": per_request,
        f"{LOAD_GENERATOR}_ms_per_request": round(load_cpu * 1000 / requests, 2),
        "bound_by": f"{busiest} ({share:.0%} of server CPU)",
    }


def table_row(run: dict[str, Any]) -> dict[str, Any]:
    """The run's row of the summary table (plain figures first: they become its columns),
    then every figure of the run."""
    selling = run["selling"]
    ok = selling["latency_ms_201"]
    rates = run.get("rates_of_the_runs", [selling["holds_per_second_while_selling"]])
    return {
        "holds/s while selling": selling["holds_per_second_while_selling"],
        "holds/s of each run": " / ".join(map(str, rates)),
        "p50 / p99 ms (201)": f"{ok['p50']} / {ok['p99']}",
        "p99 ms (all)": selling["latency_ms_all_p99"],
        "server CPU ms per request": run["cpu"]["server_cpu_ms_per_request"],
        "(per hold request)": run["cpu"]["server_cpu_ms_per_hold_request"],
        "oversold": run["sold_out_check"]["oversold"],
        "bound by": run["cpu"]["bound_by"],
        **run,
    }


METHOD = {
    "stack": "as `make dev` starts it (SecantusDB on disk in a fresh directory, LOG_LEVEL "
    "INFO, free ports), one per run; localstripe started empty and without its pickle "
    "of the whole store on every write (bench/flash_sale/stack.py says why)",
    "holds/s while selling": "(201s - 1) / time from the first to the last 201 answer",
    "cpu": "utime+stime of every process in each part's process group over the timed window "
    "(first hold request to last answer) / requests in it (holds and availability reads); "
    "load generator = the benchmark's own process",
    "db_ops_per_hold": "SecantusDB's own counters (`top` per collection, serverStatus "
    "opcounters) from the first hold until the consumers caught up / successful holds "
    "(the refused requests' operations included); server_ms = the server's wall time in "
    "that collection's operations (it grows when operations queue behind a slow one)",
    "db_ops_per_purchase": "the same, from the first payment until every order completed",
    "consumers": "JetStream num_pending + num_ack_pending of each service's durable "
    "consumers when the last hold was answered; caught up = every order.created in the "
    "stream and nothing pending",
    "complete": "every paid order's order.completed is in the stream (orders writes it "
    "with the status and publishes it right after)",
    "expiry_wave delay": "JetStream timestamp of the order's order.cancelled - its expiresAt",
}
