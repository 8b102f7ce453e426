"""What a scenario's stack is made of, and starting it: the dev topology (`build_parts`)
or the cluster (`cluster_stack`), disk-backed, on free ports, in a fresh temporary
directory; the logs are kept after the stop, the stores are not.

The machine is shared (other test runs take ports too), so a port found free may be
taken before its part binds it: a start that fails that way is tried again on new ports.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from bench.support import JWT_KEY, progress
from ticketing_common.devstack import (
    Part,
    RestartPolicy,
    StackSettings,
    StartupFailed,
    Supervisor,
    build_parts,
)
from ticketing_common.devstack.cluster import cluster_stack, free_port_base
from ticketing_common.devstack.nats_cluster import client_urls, nats_nodes
from ticketing_common.devstack.supervisor import PortInUse
from ticketing_common.testing.http import free_port

Topology = Literal["dev", "cluster"]
HOST = "127.0.0.1"
# Every port setting of the dev topology (gateway_port, mongo_port, ...).
DEV_PORTS = [name for name in StackSettings.model_fields if name.endswith("_port")]
START_ATTEMPTS = 3


@dataclass(frozen=True)
class Started:
    data_dir: Path
    settings: StackSettings  # as the stack runs (the cluster's own ports and directory)
    supervisor: Supervisor
    nats_urls: str


def _settings(data_dir: Path, topology: Topology, extra_env: dict[str, str]) -> StackSettings:
    values: dict[str, object] = {"data_dir": data_dir, "in_memory": False}
    values["extra_env"] = {"JWT_KEY": JWT_KEY, "LOG_LEVEL": "INFO", **extra_env}
    if topology == "cluster":
        values["cluster_port_base"] = free_port_base(HOST, replicas=2)
    else:
        values |= {name: free_port() for name in DEV_PORTS}
    return StackSettings.model_validate(values)


def _topology(settings: StackSettings, topology: Topology) -> tuple[StackSettings, list[Part], str]:
    """The running settings, the parts, and the broker's client URLs."""
    if topology == "cluster":
        stack, parts = cluster_stack(settings)
        return stack, parts, client_urls(nats_nodes(settings.cluster_port_base), HOST)
    return settings, build_parts(settings), settings.nats_url


def _fresh_payment_fake(parts: list[Part]) -> list[Part]:
    # Outside `make dev`'s data directory localstripe would load /tmp/localstripe.pickle,
    # which every localstripe on the machine rewrites: start it empty instead.
    empty = ["--from-scratch"]
    return [
        replace(p, command=p.command + empty) if p.name.startswith("stripe") else p for p in parts
    ]


def start(
    label: str,
    topology: Topology,
    env: dict[str, str],
    report: Callable[[str], None],
    restarts: RestartPolicy,
) -> Started:
    """Start every part (blocking), on new ports and a new directory for each attempt."""
    for attempt in range(1, START_ATTEMPTS + 1):
        data_dir = Path(tempfile.mkdtemp(prefix=f"chaos-{label}-"))
        settings, parts, nats_urls = _topology(_settings(data_dir, topology, env), topology)
        log_dir = settings.data_dir / "logs"
        supervisor = Supervisor(_fresh_payment_fake(parts), log_dir, HOST, report, restarts)
        try:
            supervisor.start_all()
        except (PortInUse, StartupFailed) as exc:
            supervisor.stop_all()
            if attempt == START_ATTEMPTS or "in use" not in str(exc):
                raise
            progress(f"{label}: a port was taken meanwhile, starting again ({exc})"[:200])
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            return Started(data_dir, settings, supervisor, nats_urls)
    raise AssertionError("unreachable")


def keep_only_logs(started: Started) -> Path:
    """Remove the stores (they can be large), keep the logs → where they are now."""
    data_dir, log_dir = started.data_dir, started.supervisor.log_dir
    kept = data_dir / "logs"
    if log_dir != kept and log_dir.exists():
        shutil.move(log_dir, kept)
    for path in data_dir.iterdir():
        if path != kept:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink()
    return kept
