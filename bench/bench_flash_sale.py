"""Flash sale: 2,000 buyers after 1,000 tickets, through the gateway of the whole system.

Every run has a stack of its own, started as `make dev` starts it (the devstack, with
SecantusDB on disk in a fresh temporary directory, on free ports; bench/flash_sale/
stack.py). One event with one general-admission type of 1,000; 2,000 single-ticket
holds (`POST /api/orders`) from distinct signed-in buyers in a closed loop of 50, then
10, buyers, so 1,000 are refused (409); with 5 availability readers beside the 50.
Each loop runs on an empty store and on one preloaded with a history (100,000 orders,
20,000 users, 1,000 events, and the consumers' records of them), three times each: the
run with the median hold rate is reported, with every run's rate (one commit's rates
vary by a fifth from run to run on this machine). Then every buyer with a hold pays
(`POST /api/payments`). Then the seated run, three times too: 2,000 buyers, 50 at a
time, each after one seat of a 5,000-seat map, picks overlapping
(bench/flash_sale/seated.py).
Last, an expiry wave: 1,000 holds of 20 s whose `expiresAt` fall within 15 s, and how
late each order became cancelled. And the 50-buyer sale on `make cluster`'s topology
with one and with two replicas of every service: the scaling factor.

The organizer signs up through the gateway; the buyers are made as auth makes them
(bench/flash_sale/buyers.py), on the stack that is then preloaded (its data, copied,
starts each preloaded run); cookies are reused on every stack.
Run alone: `make bench ONLY=flash_sale` (or `python -m bench flash_sale`).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from bench.flash_sale.buyers import add_users, mint_buyers, sign_up_organizer
from bench.flash_sale.expiry import expiry_wave
from bench.flash_sale.figures import METHOD, table_row
from bench.flash_sale.plan import LOOPS, READERS, REPEATS, REQUESTS, Buyer
from bench.flash_sale.preload import preload
from bench.flash_sale.sale import sell
from bench.flash_sale.seated import SEATS, sell_seats
from bench.flash_sale.stack import running_stack
from bench.flash_sale.targets import STORES, verdicts
from bench.support import ROWS, progress
from ticketing_common.mongo import Document

SEATED = f"seated ({SEATS:,} seats), {max(LOOPS)} buyers"


class Crowd:
    """The buyers and organizer, their user documents, and the preloaded data to copy."""

    def __init__(self, buyers: list[Buyer], organizer: Buyer, users: list[Document]) -> None:
        self.buyers, self.organizer, self.users = buyers, organizer, users
        self.template: Path | None = None


async def prepare(report: dict[str, Any]) -> Crowd:
    """Make the buyers and preload the history; keep that stack's data."""
    async with running_stack("preloaded-template", keep_data=True) as stack:
        organizer, user_model = await sign_up_organizer(stack)
        buyers, users = mint_buyers(REQUESTS, user_model)
        await add_users(stack, users)
        history = await preload(stack, user_model)
        report["buyers"] = {"users": len(buyers), "made": "user documents + signed cookies"}
        report["preloaded"] = history
        progress(f"{len(buyers)} buyers made, history preloaded in {history['seconds']}s")
        crowd = Crowd(buyers, organizer, [*users, user_model])
        crowd.template = stack.settings.data_dir
    return crowd


async def one_run(crowd: Crowd, preloaded: bool, loop: int) -> dict[str, Any]:
    label = f"{'preloaded' if preloaded else 'empty'}-{loop}"
    template = crowd.template if preloaded else None
    async with running_stack(label, template=template) as stack:
        if not preloaded:
            await add_users(stack, crowd.users)
        readers = READERS if loop == max(LOOPS) else 0
        profile = loop == max(LOOPS)  # both stores alike: the sampling costs a little
        return await sell(stack, crowd.buyers, crowd.organizer, loop, readers, profile)


async def seated_run(crowd: Crowd) -> dict[str, Any]:
    async with running_stack("seated-50") as stack:
        await add_users(stack, crowd.users)
        return await sell_seats(stack, crowd.buyers, crowd.organizer, max(LOOPS))


async def replica_run(crowd: Crowd, replicas: int) -> dict[str, Any]:
    """The 50-buyer sale on `make cluster`'s topology with `replicas` of each service."""
    async with running_stack(f"cluster-{replicas}", replicas=replicas) as stack:
        await add_users(stack, crowd.users)
        return await sell(stack, crowd.buyers, crowd.organizer, max(LOOPS), READERS)


def rate(run: dict[str, Any]) -> float:
    return float(run["selling"]["holds_per_second_while_selling"])


def median_run(repeats: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median hold rate, with every run's rate in the order they ran."""
    median = sorted(repeats, key=rate)[len(repeats) // 2]
    return {**median, "rates_of_the_runs": [rate(run) for run in repeats]}


def preloaded_over_empty(runs: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    """Each loop's median hold rate on the preloaded store over the empty store's."""
    ratios: dict[str, float | None] = {}
    for loop in LOOPS:
        empty, preloaded = (rate(runs[f"{store}, {loop} buyers"]) for store in STORES)
        ratios[f"{loop} buyers"] = round(preloaded / empty, 2) if empty else None
    return ratios


def cluster_label(replicas: int) -> str:
    return f"cluster, {replicas}x every service, {max(LOOPS)} buyers"


def scaling(runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Holds/s with two replicas of every service over one, on the same topology."""
    labels = [cluster_label(n) for n in (1, 2)]
    rates = [rate(runs[label]) for label in labels]
    factor = round(rates[1] / rates[0], 2) if rates[0] else None
    return {"holds_per_second": dict(zip(labels, rates, strict=True)), "factor": factor}


async def run(report: dict[str, Any]) -> None:
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    figures: dict[str, Any] = {}
    crowd = await prepare(figures)
    runs: dict[str, dict[str, Any]] = {}
    try:
        for loop in LOOPS:
            # The stores take turns, so the host's drift over minutes weighs on both alike.
            repeats: dict[str, list[dict[str, Any]]] = {store: [] for store in STORES}
            for _ in range(REPEATS):
                for preloaded, store in enumerate(STORES):
                    repeats[store].append(await one_run(crowd, bool(preloaded), loop))
            for store in STORES:
                runs[f"{store}, {loop} buyers"] = median_run(repeats[store])
        seated = [await seated_run(crowd) for _ in range(REPEATS)]
        runs[SEATED] = median_run(seated)
        for replicas in (1, 2):
            runs[cluster_label(replicas)] = await replica_run(crowd, replicas)
    finally:
        if crowd.template is not None:
            shutil.rmtree(crowd.template, ignore_errors=True)
    wave = await expiry_wave(crowd.buyers, crowd.organizer, crowd.users)
    checked = {
        "expiry_wave": wave,
        "preloaded_over_empty_holds_per_second": preloaded_over_empty(runs),
    }
    report["flash_sale"] = {
        ROWS: {label: table_row(run) for label, run in runs.items()},
        "targets": verdicts(runs, checked, SEATED),
        **checked,
        "two_replicas_over_one": scaling(runs),
        **figures,
        "method": METHOD,
        "seconds": round(time.perf_counter() - started, 1),
        "load_average_1m_before_and_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


if __name__ == "__main__":
    result: dict[str, Any] = {}
    asyncio.run(run(result))
    print(json.dumps(result, indent=2, default=str))
