"""A whole system for one scenario, healed as `make dev` and `make cluster` heal it.

The dev topology or the cluster (topology.py); the supervisor's `watch` runs in a
thread, so a part that dies is restarted with back-off, and every line it reports is
kept with its time (what exited, when it was back). Killing is `kill -9` of the part's
process group.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from pymongo.asynchronous.database import AsyncDatabase

from bench.chaos.topology import HOST, Started, Topology, keep_only_logs, start
from bench.support import progress
from ticketing_common.devstack import Part, RestartPolicy, StackSettings, Supervisor
from ticketing_common.devstack.probes import answers
from ticketing_common.devstack.restarts import DEFAULT_RESTARTS
from ticketing_common.messaging import connect_nats
from ticketing_common.mongo import Document, MongoClient, connect_mongo


def short_name(part: Part) -> str:
    """`orders-1`, `nats-2`, `mongo`: the part's first word, as its log file is named."""
    return part.name.split()[0]


@dataclass
class Notes:
    """What the supervisor said, each line with the monotonic time it said it."""

    lines: list[tuple[float, str]] = field(default_factory=list)

    def add(self, line: str) -> None:
        self.lines.append((time.monotonic(), line))
        if " exited (" in line or " restarted (" in line or " not healthy after " in line:
            progress(line)

    def exits(self) -> dict[str, int]:
        """How often each part exited (or was killed for not coming up) since start-up."""
        counted: dict[str, int] = {}
        for _, line in self.lines:
            if " exited (" in line or " not healthy after " in line:
                name = line.split()[0]
                counted[name] = counted.get(name, 0) + 1
        return counted


@dataclass
class ChaosStack:
    label: str
    settings: StackSettings
    supervisor: Supervisor
    notes: Notes
    mongo: MongoClient
    nats: NatsClient

    @property
    def gateway(self) -> str:
        return f"http://{HOST}:{self.settings.gateway_port}"

    @property
    def js(self) -> JetStreamContext:
        return self.nats.jetstream()

    @property
    def log_dir(self) -> Path:
        return self.supervisor.log_dir

    def db(self, service: str) -> AsyncDatabase[Document]:
        return self.mongo[service]  # each service's database is named after it

    def part(self, name: str) -> tuple[Part, int]:
        """The part called `name` (short name) and the pid (= process group) it runs as now."""
        for part, process in list(self.supervisor.running):
            if short_name(part) == name:
                return part, process.pid
        raise KeyError(name)

    def kill(self, name: str) -> float:
        """`kill -9` the part's whole process group → the monotonic time of the kill."""
        _, pid = self.part(name)
        os.killpg(pid, signal.SIGKILL)
        progress(f"{self.label}: kill -9 {name} (pid {pid})")
        return time.monotonic()

    async def back(self, name: str, since: float, within: float = 60.0) -> float:
        """Seconds from `since` until the part answers again as a new process."""
        _, old_pid = self.part(name)
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            part, pid = self.part(name)
            if pid != old_pid and await asyncio.to_thread(answers, HOST, part):
                return round(time.monotonic() - since, 2)
            await asyncio.sleep(0.1)
        raise RuntimeError(f"{name} not back within {within:.0f}s")

    def service_exits(self) -> dict[str, int]:
        """Exits of service processes (not the database, broker, provider or gateway)."""
        infrastructure = ("mongo", "nats", "stripe", "gateway")
        return {n: c for n, c in self.notes.exits().items() if not n.startswith(infrastructure)}


async def _start(
    label: str, topology: Topology, env: dict[str, str], notes: Notes, restarts: RestartPolicy
) -> Started:
    """Start the parts in a thread; cancelled meanwhile, it stops them once they are up."""
    starting = asyncio.ensure_future(
        asyncio.to_thread(start, label, topology, env, notes.add, restarts)
    )
    try:
        return await asyncio.shield(starting)
    except asyncio.CancelledError:  # out of time: the thread starts on, then all is stopped
        await asyncio.to_thread((await starting).supervisor.stop_all)
        raise


@asynccontextmanager
async def chaos_stack(
    label: str,
    topology: Topology,
    extra_env: dict[str, str] | None = None,
    first_start_env: dict[str, str] | None = None,
    restarts: RestartPolicy = DEFAULT_RESTARTS,
) -> AsyncIterator[ChaosStack]:
    """Start the stack, heal it from a thread while the scenario runs, stop it after.

    `first_start_env` reaches only the first process of every part: it is taken out of
    the parts' environment once all are up, so a restarted part runs without it (a
    failpoint armed for one crash). `restarts` is the supervisor's back-off (`make dev`'s
    by default). Data goes afterwards; the logs stay, for evidence.
    """
    notes = Notes()
    env = {**(extra_env or {}), **(first_start_env or {})}
    began = time.monotonic()
    started = await _start(label, topology, env, notes, restarts)
    supervisor = started.supervisor
    watcher = threading.Thread(target=supervisor.watch, kwargs={"interval": 0.2}, daemon=True)
    try:
        for part, _ in supervisor.running:
            for key in first_start_env or {}:
                part.env.pop(key, None)
        watcher.start()
        progress(f"{label}: {len(supervisor.running)} parts up in {time.monotonic() - began:.1f}s")
        mongo = connect_mongo(started.settings.mongo_uri)
        nats = await connect_nats(started.nats_urls, f"chaos-{label}")
        try:
            yield ChaosStack(label, started.settings, supervisor, notes, mongo, nats)
        finally:
            await nats.close()
            await mongo.close()
    finally:
        await asyncio.to_thread(supervisor.stop_all)
        if watcher.ident is not None:  # started (a failure may have come before)
            watcher.join(timeout=10)
        progress(f"{label}: stopped; logs in {keep_only_logs(started)}")
