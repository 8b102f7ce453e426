"""A whole system as `make dev` starts it (the devstack: SecantusDB on disk, NATS, the
payment fake, every service, Caddy), on free ports and a fresh temporary data directory.

One deviation: the payment fake (localstripe) starts empty and keeps its objects in
memory only. As `make dev` runs it, it loads `/tmp/localstripe.pickle` (a file every
localstripe on the machine shares) and pickles its whole store back there on every
write: O(n) per write, O(n^2) over a sale's 1,000 payments. Measured on this stack: the
fake used more CPU than all the rest while buyers paid (~4 payments/s, and 15% of 50
concurrent payments failed on the provider's timeout). A fresh stack never reads that
file back, so without it the payment figures are the system's, not the fake's disk.

With `replicas`, the stack is the multi-node topology of `make cluster` instead (three
NATS nodes, the stream replicated three times, every service `replicas` times behind the
gateway): how a sale scales with replicas is measured on that topology, 1 against 2.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from pymongo.asynchronous.database import AsyncDatabase

from bench.support import JWT_KEY, group_cpu_seconds, progress
from ticketing_common.devstack import StackSettings, Supervisor
from ticketing_common.devstack.cluster import cluster_stack, free_port_base
from ticketing_common.devstack.nats_cluster import client_urls, nats_nodes
from ticketing_common.devstack.parts import Part, build_parts
from ticketing_common.messaging import connect_nats
from ticketing_common.mongo import Document, MongoClient, connect_mongo
from ticketing_common.testing.http import free_port

# Every part that listens, by its port setting (`<name>_port`): all on free ports.
PORTS = [name for name in StackSettings.model_fields if name.endswith("_port")]


def stack_settings(data_dir: Path, extra_env: dict[str, str]) -> StackSettings:
    """Disk-backed, on free ports; one JWT key for every stack, so a buyer's cookie from
    one stack signs them in on the next."""
    ports = {name: free_port() for name in PORTS}
    env = {"JWT_KEY": JWT_KEY, **extra_env}
    return StackSettings.model_validate(
        {"data_dir": data_dir, "in_memory": False, "extra_env": env, **ports}
    )


# localstripe's own entry point, with the store's dump to disk switched off.
IN_MEMORY_STRIPE = (
    "from localstripe import resources, server\n"
    "resources.Store.dump_to_disk = lambda self: None\n"
    "server.start()"
)


def stack_parts(settings: StackSettings, parts: list[Part] | None = None) -> list[Part]:
    """The parts `make dev` starts (or `parts`), the payment fake in memory only (see the
    module doc)."""
    stripe = [sys.executable, "-c", IN_MEMORY_STRIPE, "--port", str(settings.stripe_port)]
    return [
        replace(part, command=[*stripe, "--from-scratch"])
        if part.name.startswith("stripe")
        else part
        for part in (build_parts(settings) if parts is None else parts)
    ]


def cluster(settings: StackSettings, replicas: int) -> tuple[StackSettings, list[Part], str]:
    """`make cluster`'s topology with `replicas` of each service, on a free port range →
    its running settings, its parts and the broker's client URLs."""
    base = free_port_base(settings.host, replicas)
    update = {"cluster_port_base": base, "cluster_replicas": replicas}
    stack, parts = cluster_stack(settings.model_copy(update=update))
    return stack, stack_parts(stack, parts), client_urls(nats_nodes(base), settings.host)


@dataclass
class Stack:
    label: str
    settings: StackSettings
    supervisor: Supervisor
    mongo: MongoClient
    nats: NatsClient

    @property
    def gateway(self) -> str:
        return f"http://{self.settings.host}:{self.settings.gateway_port}"

    @property
    def js(self) -> JetStreamContext:
        return self.nats.jetstream()

    def db(self, service: str) -> AsyncDatabase[Document]:
        return self.mongo[service]  # each service's database is named after it

    def pid_of(self, part: str) -> int:
        """The process of the part named `part` (its first word: `mongo`, `orders`...)."""
        return next(p.pid for pt, p in self.supervisor.running if pt.name.split()[0] == part)

    def cpu_seconds(self) -> dict[str, float]:
        """CPU used so far by each part: every process of its process group."""
        return {
            part.name.split()[0]: group_cpu_seconds(process.pid)
            for part, process in self.supervisor.running
        }


@asynccontextmanager
async def running_stack(
    label: str,
    *,
    template: Path | None = None,
    extra_env: dict[str, str] | None = None,
    keep_data: bool = False,
    replicas: int | None = None,
) -> AsyncIterator[Stack]:
    """Start a stack (on a copy of `template`'s data, if given; the cluster topology with
    `replicas`); stop it on the way out and remove its data unless `keep_data`."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"bench-flash-{label}-"))
    if template is not None:
        shutil.copytree(
            template, data_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns("logs")
        )
    settings = stack_settings(data_dir, extra_env or {})
    parts, nats_url = stack_parts(settings), settings.nats_url
    if replicas is not None:
        settings, parts, nats_url = cluster(settings, replicas)
    supervisor = Supervisor(parts, data_dir / "logs", settings.host, lambda _: None)
    started = time.monotonic()
    try:
        await asyncio.to_thread(supervisor.start_all)
        progress(f"{label}: stack up in {time.monotonic() - started:.1f}s ({data_dir})")
        mongo = connect_mongo(settings.mongo_uri)
        nats = await connect_nats(nats_url, f"bench-flash-{label}")
        try:
            yield Stack(label, settings, supervisor, mongo, nats)
        finally:
            await nats.close()
            await mongo.close()
    except BaseException:
        keep_data = True  # what went wrong is in its logs
        progress(f"{label}: failed; its data and logs stay in {data_dir}")
        raise
    finally:
        try:
            await asyncio.to_thread(supervisor.stop_all)
        finally:
            if not keep_data:
                shutil.rmtree(data_dir, ignore_errors=True)
