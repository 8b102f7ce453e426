"""The three-node NATS JetStream cluster of `make cluster`: ports, config files, parts.

Each node has its own client, route and monitoring port and its own store, and fsyncs
every write before acknowledging it (`sync_interval: always`): under the default lazy
fsync, Jepsen's analysis of NATS 2.12.1 lost acknowledged writes when nodes crashed
together, and three replicas on one machine may well crash together.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ticketing_common.devstack.parts import Part, binary

NODES = 3
CLUSTER_NAME = "ticketing"
# Offsets from the cluster's port base; node n adds n (echoing 4222, 6222 and 8222).
CLIENT_OFFSET = 420
ROUTE_OFFSET = 620
MONITOR_OFFSET = 820


@dataclass(frozen=True)
class NatsNode:
    number: int
    client_port: int
    route_port: int
    monitor_port: int

    @property
    def name(self) -> str:
        return f"nats-{self.number}"


def nats_nodes(base: int) -> list[NatsNode]:
    return [
        NatsNode(n, base + CLIENT_OFFSET + n, base + ROUTE_OFFSET + n, base + MONITOR_OFFSET + n)
        for n in range(1, NODES + 1)
    ]


def client_urls(nodes: list[NatsNode], host: str) -> str:
    """Every node's client address, comma-separated, so a client can fail over."""
    return ",".join(f"nats://{host}:{node.client_port}" for node in nodes)


def node_config(node: NatsNode, nodes: list[NatsNode], host: str, store: Path) -> str:
    routes = ", ".join(
        f"nats-route://{host}:{other.route_port}" for other in nodes if other != node
    )
    return "\n".join(
        [
            "# Written by the dev stack (`make cluster`) at each start; edits are lost.",
            f"server_name: {node.name}",
            f"listen: {host}:{node.client_port}",
            f"http: {host}:{node.monitor_port}",
            "jetstream {",
            f"  store_dir: {json.dumps(str(store))}",
            "  sync_interval: always",
            "}",
            "cluster {",
            f"  name: {CLUSTER_NAME}",
            f"  listen: {host}:{node.route_port}",
            f"  routes: [{routes}]",
            "}",
            "",
        ]
    )


def nats_cluster_parts(nodes: list[NatsNode], host: str, data: Path) -> list[Part]:
    """One part per node, its config written under `data`.

    A part is watched on its monitoring port: the nodes before the last are healthy once
    JetStream runs, the last once it is in touch with an elected meta leader, so the
    services that follow can create their replicated stream at once.
    """
    parts = []
    for node in nodes:
        config = data / f"{node.name}.conf"
        config.write_text(node_config(node, nodes, host, data / node.name))
        last = node is nodes[-1]
        parts.append(
            Part(
                f"{node.name} (JetStream; clients {node.client_port}, "
                f"routes {node.route_port}; monitor)",
                [binary("nats-server"), "-c", str(config)],
                node.monitor_port,
                "CLUSTER_PORT_BASE",
                "/healthz" if last else "/healthz?js-enabled-only=true",
            )
        )
    return parts
