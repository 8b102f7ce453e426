"""Memory of each service under load, the figures behind the Kubernetes requests and limits.

    .venv/bin/python infra/measure_memory.py [seconds] [buyers]     (default 60 s, 20)

Starts the dev stack (`ticketing_common.devstack`, every part on free ports, data in a
temporary directory), then for `seconds` runs `buyers` concurrent loops through the
gateway — sign up, search events, read availability, hold one ticket, pay, list orders,
load the web page — while 10 availability streams stay open. Every second it reads
VmRSS and VmHWM (the peak) and the CPU time from /proc for every process of each
part's process group.
Prints one line per part, then what the stream holds per completed purchase.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from ticketing_common.devstack import StackSettings, Supervisor
from ticketing_common.devstack.parts import build_parts
from ticketing_common.events import STREAM_NAME, utc_now
from ticketing_common.messaging import connect_nats
from ticketing_common.testing.http import free_port

PORTS = "gateway mongo nats stripe client auth tickets orders expiration payments"
STREAMS = 10
MIB = 1024 * 1024


def proc_usage(pgid: int) -> tuple[int, int, float]:
    """(VmRSS, VmHWM) in bytes and CPU seconds, summed over process group `pgid`."""
    rss = hwm = ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[2]) != pgid:
                continue
            status = (stat.parent / "status").read_text().splitlines()
        except (OSError, IndexError):  # the process ended while we looked
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime + stime
        memory = {k: v.split() for k, _, v in (line.partition(":") for line in status)}
        rss += int(memory.get("VmRSS", ["0"])[0]) * 1024
        hwm += int(memory.get("VmHWM", ["0"])[0]) * 1024
    return rss, hwm, ticks / os.sysconf("SC_CLK_TCK")


@asynccontextmanager
async def signed_up(gateway: str) -> AsyncIterator[httpx.AsyncClient]:
    """A new user of the gateway, signed up through auth (password hashing included)."""
    async with httpx.AsyncClient(base_url=gateway, timeout=60) as client:
        email = f"{uuid.uuid4().hex[:12]}@example.com"
        password = "measure-Password-1"  # noqa: S105 - a throwaway user of a throwaway stack
        answer = await client.post("/api/users/signup", json={"email": email, "password": password})
        answer.raise_for_status()
        yield client


async def create_event(organizer: httpx.AsyncClient) -> dict[str, Any]:
    now = utc_now()
    answer = await organizer.post(
        "/api/events",
        json={
            "name": "Memory measurement night",
            "category": "concert",
            "venue": {"name": "Hall", "address": "1 Main St"},
            "startsAt": (now + timedelta(days=1)).isoformat(),
            "endsAt": (now + timedelta(days=2)).isoformat(),
            "ticketTypes": [{"name": "GA", "price": 20.5, "quantity": 100000, "maxPerOrder": 5}],
        },
    )
    answer.raise_for_status()
    event: dict[str, Any] = answer.json()
    for _ in range(100):  # until orders has the event in its replica
        if (await organizer.get(f"/api/availability/{event['id']}")).status_code == 200:
            return event
        await asyncio.sleep(0.2)
    raise SystemExit("orders never learned of the event")


async def buyer_loop(
    gateway: str, event: dict[str, Any], until: float, tally: Counter[str]
) -> None:
    """One buyer after another until `until`; a failed step (a timeout under load) is
    counted and the next buyer starts."""
    while time.monotonic() < until:
        try:
            async with signed_up(gateway) as buyer:
                await buy_one(buyer, event, tally)
        except httpx.HTTPError as exc:
            tally[f"error {type(exc).__name__}"] += 1


async def buy_one(buyer: httpx.AsyncClient, event: dict[str, Any], tally: Counter[str]) -> None:
    """Browse, hold one ticket, pay, list orders, load the web page."""
    await buyer.get("/api/events", params={"q": "memory"})
    await buyer.get(f"/api/availability/{event['id']}")
    item = {"ticketTypeId": event["ticketTypes"][0]["id"], "quantity": 1}
    hold = await buyer.post("/api/orders", json={"eventId": event["id"], "items": [item]})
    tally[f"hold {hold.status_code}"] += 1
    if hold.status_code != 201:
        return
    order_id = hold.json()["id"]
    for _ in range(50):  # until payments has the order in its replica
        if (await buyer.get("/api/payments", params={"orderId": order_id})).is_success:
            break
        await asyncio.sleep(0.1)
    paid = await buyer.post("/api/payments", json={"token": "tok_visa", "orderId": order_id})
    tally[f"pay {paid.status_code}"] += 1
    await buyer.get("/api/orders")
    await buyer.get("/")


async def open_stream(gateway: str, event_id: str, until: float) -> None:
    """An availability stream (server-sent events) held open until `until`."""
    path = f"/api/availability/{event_id}/stream"
    async with (
        httpx.AsyncClient(base_url=gateway, timeout=httpx.Timeout(10, read=None)) as client,
        client.stream("GET", path) as answer,
    ):
        async for _ in answer.aiter_bytes():
            if time.monotonic() >= until:
                return


async def sample(supervisor: Supervisor, until: float, peaks: dict[str, list[float]]) -> None:
    """Every second until `until`: per part, [RSS now, max RSS, VmHWM, CPU s at start, now]."""
    while time.monotonic() < until:
        for part, process in supervisor.running:
            rss, hwm, cpu = proc_usage(process.pid)
            peak = peaks.setdefault(part.name.split()[0], [0, 0, 0, cpu, cpu])
            peak[:3] = [rss, max(peak[1], rss), max(peak[2], hwm)]
            peak[4] = cpu
        await asyncio.sleep(1)


async def measure(
    settings: StackSettings, supervisor: Supervisor, seconds: float, buyers: int
) -> None:
    gateway = f"http://{settings.host}:{settings.gateway_port}"
    async with signed_up(gateway) as organizer:
        event = await create_event(organizer)
    until = time.monotonic() + seconds
    tally: Counter[str] = Counter()
    peaks: dict[str, list[float]] = {}
    tasks = [buyer_loop(gateway, event, until, tally) for _ in range(buyers)]
    tasks += [open_stream(gateway, event["id"], until) for _ in range(STREAMS)]
    await asyncio.gather(sample(supervisor, until + 5, peaks), *tasks)
    print(f"{seconds:.0f} s, {buyers} buyers, {STREAMS} open streams: {dict(tally)}")
    print(f"{'part':<12}{'RSS at end':>12}{'max RSS':>10}{'VmHWM':>10} (MiB){'CPU':>8} (cores)")
    for name, (rss, top, hwm, cpu_start, cpu_end) in peaks.items():
        cores = (cpu_end - cpu_start) / seconds
        print(f"{name:<12}{rss / MIB:>12.0f}{top / MIB:>10.0f}{hwm / MIB:>10.0f}{cores:>14.2f}")
    nc = await connect_nats(settings.nats_url, "measure-memory")
    state = (await nc.jetstream().stream_info(STREAM_NAME)).state
    await nc.close()
    paid = max(1, tally["pay 201"])
    per_purchase = state.bytes / paid
    print(f"stream: {state.messages} messages, {state.bytes} B, {per_purchase:.0f} B/purchase")


def main(args: list[str]) -> None:
    seconds = float(args[0]) if args else 60.0
    buyers = int(args[1]) if len(args) > 1 else 20
    with tempfile.TemporaryDirectory(prefix="measure-memory-") as data:
        ports = {f"{name}_port": free_port() for name in PORTS.split()}
        settings = StackSettings.model_validate(
            {"data_dir": Path(data), "in_memory": True, "log_level": "WARNING", **ports}
        )
        supervisor = Supervisor(build_parts(settings), Path(data) / "logs", settings.host)
        try:
            supervisor.start_all()
            asyncio.run(measure(settings, supervisor, seconds, buyers))
        finally:
            supervisor.stop_all()


if __name__ == "__main__":
    main(sys.argv[1:])
