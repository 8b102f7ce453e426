"""Holds under contention: holds/second for one event at 50 concurrent buyers.

Starts its own embedded SecantusDB and nats-server (in memory, free ports), serves the
orders service in its own process under cProfile (so the profile and the CPU
figures are the service side alone), seeds a general-admission event through the real NATS, then:
- throughput: 50 buyers take 1-ticket holds for a fixed time while 5 readers poll
  availability → holds/s (also for the first and the second half of the window, to show
  whether the rate holds up as live holds accumulate), p50/p99 hold latency, p99
  availability read latency;
- accumulated: a fresh event pre-seeded with 2,000 live holds (taken through the API),
  then the same timed load → holds/s with that many live holds already on the type;
- sell-out: 50 buyers race for 300 tickets → oversold count (must be 0);
- seated: a 5,000-seat event, 50 buyers each holding 1-4 random specific seats (half of
  the requests aimed at the 1,000 front seats, so they collide) → holds/s, p50/p99 hold
  latency, rejected-because-taken count, and seats in two active orders read from the
  database (must be 0);
- bound: CPU used by the database, the broker and the service during the load, the
  raw rate of the same conditional write issued straight to the database, and the
  service's top profile entries.
Run alone: `python -m bench.bench_orders` (prints the report as JSON).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import pstats
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from bson import ObjectId

from bench.orders_seated import measure_seated
from bench.support import JWT_KEY, TICKET_KEY_SECRET, embedded_servers, percentile
from orders.config import OrdersSettings
from orders.store.counter_expressions import free_at_least
from ticketing_common.auth import SessionUser, issue_token
from ticketing_common.devstack import StackSettings
from ticketing_common.events import (
    EventCreated,
    TicketTypeDefinition,
    utc_now,
)
from ticketing_common.messaging import Publisher, connect_nats, ensure_stream
from ticketing_common.mongo import connect_mongo
from ticketing_common.testing.http import free_port

BUYERS = 50
READERS = 5
LOAD_SECONDS = 8.0
SELL_OUT = 300
PRESEEDED_HOLDS = 2000


class ServiceProcess:
    """The orders service as its own process (uvicorn under cProfile), like `make dev` runs it."""

    def __init__(self, env: dict[str, str], work_dir: Path) -> None:
        self.port = free_port()
        self.profile_path = work_dir / "orders.prof"
        self.env = {**os.environ, **env, "SERVICE_NAME": "orders", "LOG_LEVEL": "WARNING"}
        self.process: subprocess.Popen[bytes] | None = None

    def _spawn(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "cProfile", "-o", str(self.profile_path), "-m", "uvicorn"]
        command += ["orders.main:create_app", "--factory", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--no-access-log", "--log-level", "warning"]
        return subprocess.Popen(command, env=self.env)

    async def __aenter__(self) -> str:
        self.process = self._spawn()
        url = f"http://127.0.0.1:{self.port}"
        async with httpx.AsyncClient(base_url=url) as client:
            for _ in range(600):
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get("/healthz")).status_code == 200:
                        return url
                await asyncio.sleep(0.05)
        raise RuntimeError("the orders service did not start")

    async def __aexit__(self, *_: object) -> None:
        assert self.process is not None
        # SIGINT: uvicorn shuts down cleanly, then cProfile writes its file.
        self.process.send_signal(signal.SIGINT)
        try:
            await asyncio.to_thread(self.process.wait, 60)
        except subprocess.TimeoutExpired:
            self.process.kill()  # the figures stand; only the profile is lost
            await asyncio.to_thread(self.process.wait)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def top(self, count: int = 12) -> list[str]:
        if not self.profile_path.exists():
            return ["no profile: the service did not stop within 60 s"]
        out = io.StringIO()
        pstats.Stats(str(self.profile_path), stream=out).sort_stats("tottime").print_stats(count)
        lines = [line.strip() for line in out.getvalue().splitlines()]
        start = next(i for i, line in enumerate(lines) if line.startswith("ncalls"))
        return [" ".join(line.split()) for line in lines[start + 1 :] if line][:count]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def seed_event(publisher: Publisher, quantity: int) -> str:
    now = utc_now()
    event = EventCreated(
        event_id=str(ObjectId()),
        organizer_id="bench",
        name="Bench",
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=2),
        ticket_types=[
            TicketTypeDefinition(id="ga", name="GA", price=1000, quantity=quantity, max_per_order=5)
        ],
        version=0,
    )
    await publisher.publish(event)
    return event.event_id


async def wait_replicated(client: httpx.AsyncClient, event_id: str) -> None:
    for _ in range(400):
        if (await client.get(f"/api/availability/{event_id}")).status_code == 200:
            return
        await asyncio.sleep(0.05)
    raise RuntimeError("event never replicated")


async def buyers(
    client: httpx.AsyncClient, event_id: str, until: float | None, stop_after: int | None = None
) -> list[tuple[int, float, float]]:
    """Each buyer takes 1-ticket holds until time runs out, the event sells out, or
    `stop_after` holds were taken → (status, latency, finished at) per request."""
    body = {"eventId": event_id, "items": [{"ticketTypeId": "ga", "quantity": 1}]}
    results: list[tuple[int, float, float]] = []
    taken = 0

    async def buyer() -> None:
        nonlocal taken
        while until is None or time.perf_counter() < until:
            if stop_after is not None and taken >= stop_after:
                return
            started = time.perf_counter()
            response = await client.post("/api/orders", json=body)
            finished = time.perf_counter()
            results.append((response.status_code, finished - started, finished))
            taken += response.status_code == 201
            if response.status_code != 201 and until is None:
                return

    await asyncio.gather(*(buyer() for _ in range(BUYERS)))
    return results


def rate_by_half(
    holds: list[tuple[int, float, float]], started: float, elapsed: float
) -> list[float]:
    """Holds/s in the first and the second half of the timed window."""
    middle = started + elapsed / 2
    first = sum(1 for status, _, at in holds if status == 201 and at <= middle)
    second = sum(1 for status, _, at in holds if status == 201 and at > middle)
    return [round(first / (elapsed / 2), 1), round(second / (elapsed / 2), 1)]


def hold_figures(
    holds: list[tuple[int, float, float]], started: float, elapsed: float
) -> dict[str, Any]:
    """Throughput and latency of a timed window of holds (status, latency, finished at)."""
    ok = [latency for status, latency, _ in holds if status == 201]
    return {
        "holds": len(ok),
        "errors": sum(1 for status, _, _ in holds if status != 201),
        "holds_per_second": round(len(ok) / elapsed, 1),
        "holds_per_second_by_half": rate_by_half(holds, started, elapsed),
        "hold_latency_ms_p50": round(percentile(ok, 0.50) * 1000, 1),
        "hold_latency_ms_p99": round(percentile(ok, 0.99) * 1000, 1),
    }


async def accumulated(client: httpx.AsyncClient, publisher: Publisher) -> dict[str, Any]:
    """The timed load on a type that already carries PRESEEDED_HOLDS live holds."""
    event_id = await seed_event(publisher, 10**6)
    await wait_replicated(client, event_id)
    seeding = time.perf_counter()
    seeded = await buyers(client, event_id, None, stop_after=PRESEEDED_HOLDS)
    seed_seconds = time.perf_counter() - seeding
    started = time.perf_counter()
    holds = await buyers(client, event_id, started + LOAD_SECONDS)
    elapsed = time.perf_counter() - started
    return {
        "live_holds_before": sum(1 for status, _, _ in seeded if status == 201),
        "seeding_holds_per_second": round(PRESEEDED_HOLDS / seed_seconds, 1),
        **hold_figures(holds, started, elapsed),
    }


async def readers(client: httpx.AsyncClient, event_id: str, until: float) -> list[float]:
    latencies: list[float] = []

    async def reader() -> None:
        while time.perf_counter() < until:
            started = time.perf_counter()
            response = await client.get(f"/api/availability/{event_id}")
            response.raise_for_status()
            latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(reader() for _ in range(READERS)))
    return latencies


async def raw_database_rate(mongo_uri: str, seconds: float = 3.0) -> float:
    """The hold's conditional write issued straight to the database by 50 writers."""
    client = connect_mongo(mongo_uri)
    counters = client["bench_raw"]["counters"]
    await counters.delete_many({})
    await counters.insert_one({"_id": "c", "quantity": 10**9, "sold": 0, "holds": []})
    done = 0
    until = time.perf_counter() + seconds

    async def writer() -> None:
        nonlocal done
        while time.perf_counter() < until:
            now = utc_now()
            entry = {"orderId": str(ObjectId()), "n": 1, "expiresAt": now + timedelta(minutes=15)}
            await counters.update_one(
                {"_id": "c", **free_at_least(1, now)}, {"$push": {"holds": entry}}
            )
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(writer() for _ in range(BUYERS)))
    rate = done / (time.perf_counter() - started)
    await client.close()
    return rate


async def _measure(stack: StackSettings, pids: dict[str, int], work_dir: Path) -> dict[str, Any]:
    nats_url, mongo_uri = stack.nats_url, stack.mongo_uri
    settings = OrdersSettings(
        mongo_uri=mongo_uri,
        nats_url=nats_url,
        mongo_db="bench_orders",
        jwt_key=JWT_KEY,
        ticket_key_secret=TICKET_KEY_SECRET,
        log_level="WARNING",
        # Every simulated buyer here shares one session: no per-buyer cap in this run.
        buyer_cap_factor=1_000_000,
    )
    nc = await connect_nats(nats_url, "bench-orders")
    await ensure_stream(nc.jetstream())
    publisher = Publisher(nc.jetstream())
    service = ServiceProcess(
        {
            "MONGO_URI": mongo_uri,
            "NATS_URL": nats_url,
            "MONGO_DB": "bench_orders",
            "JWT_KEY": JWT_KEY,
            "TICKET_KEY_SECRET": TICKET_KEY_SECRET,
        },
        work_dir,
    )
    cookie = issue_token(SessionUser(id=str(ObjectId()), email="b@example.com"), settings)
    limits = httpx.Limits(max_connections=BUYERS + READERS + 5)
    try:
        async with (
            service as url,
            httpx.AsyncClient(
                base_url=url, cookies={"session": cookie}, limits=limits, timeout=60
            ) as client,
        ):
            big = await seed_event(publisher, 10**6)
            await wait_replicated(client, big)
            idle_reads = await readers(client, big, time.perf_counter() + 1.0)
            pids["service"] = service.pid
            cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
            started = time.perf_counter()
            until = started + LOAD_SECONDS
            holds, reads = await asyncio.gather(
                buyers(client, big, until), readers(client, big, until)
            )
            elapsed = time.perf_counter() - started
            cpu = {
                name: round((cpu_seconds(pid) - cpu_before[name]) / elapsed * 100)
                for name, pid in pids.items()
            }
            small = await seed_event(publisher, SELL_OUT)
            await wait_replicated(client, small)
            sell_out = await buyers(client, small, None)
            left = (await client.get(f"/api/availability/{small}")).json()["ticketTypes"][0]
            seated = await measure_seated(client, publisher, mongo_uri, wait_replicated)
            with_live_holds = await accumulated(client, publisher)
    finally:
        await nc.drain()
    top = service.top()
    raw_rate = await raw_database_rate(mongo_uri)
    sold = sum(1 for status, _, _ in sell_out if status == 201)
    return {
        "buyers": BUYERS,
        "load_seconds": LOAD_SECONDS,
        **hold_figures(holds, started, elapsed),
        "availability_read_ms_p99_idle": round(percentile(idle_reads, 0.99) * 1000, 1),
        "availability_reads": len(reads),
        "availability_read_ms_p50": round(percentile(reads, 0.50) * 1000, 1),
        "availability_read_ms_p99": round(percentile(reads, 0.99) * 1000, 1),
        "sell_out": {"tickets": SELL_OUT, "holds": sold, "remaining": left["remaining"]},
        "oversold": max(0, sold - SELL_OUT),
        "cpu_percent_during_load": cpu,
        "raw_conditional_writes_per_second": round(raw_rate, 1),
        "service_profile_top_tottime": top,
        "seated": seated,
        "with_2000_live_holds": with_live_holds,
    }


def bound_by(figures: dict[str, Any]) -> str:
    """Name the bounding part from the measured CPU shares rather than by assumption.

    The load generator shares the 2 cores, so the busiest of the system's own parts
    (database, service, broker) is what a faster machine or a second replica relieves.
    """
    cpu = figures["cpu_percent_during_load"]
    parts = {name: cpu[name] for name in ("mongo", "service", "nats")}
    busiest = max(parts, key=lambda name: parts[name])
    raw = figures["raw_conditional_writes_per_second"]
    return (
        f"{busiest} (CPU % during load: {cpu}); for scale, SecantusDB alone takes {raw} "
        f"guarded writes/s on one hot document at {BUYERS} writers"
    )


async def run(report: dict[str, Any]) -> None:
    async with embedded_servers("orders") as (stack, supervisor):
        pids = {part.name.split()[0]: process.pid for part, process in supervisor.running}
        pids["load generator"] = os.getpid()
        figures = await _measure(stack, pids, supervisor.log_dir)
        figures["bound"] = bound_by(figures)
        report["orders"] = figures


if __name__ == "__main__":
    result: dict[str, Any] = {}
    asyncio.run(run(result))
    print(json.dumps(result, indent=2))
