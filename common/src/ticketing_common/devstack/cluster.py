"""`make cluster`: the multi-node topology on one machine, where failover is proven.

Three NATS nodes with the stream on three replicas, `cluster_replicas` processes of
every service, one SecantusDB (production runs a MongoDB replica set), localstripe,
and Caddy balancing across the replicas with health checks (`infra/Caddyfile`).

Every port is `cluster_port_base` (B) plus an offset, clear of the single-node ports:
gateway B+80, mongo B+17, stripe B+20, the dev mailbox B+25, NATS node n clients B+420+n,
routes B+620+n, monitoring B+820+n, and replica r of a service B+100*r plus the service's
digit of the single-node ports (client 0, auth 1, tickets 2, orders 3, expiration 4,
payments 5, notifications 6).
"""

from __future__ import annotations

from ticketing_common.devstack.nats_cluster import (
    NODES,
    NatsNode,
    client_urls,
    nats_cluster_parts,
    nats_nodes,
)
from ticketing_common.devstack.parts import (
    SERVICES,
    Part,
    data_dir,
    gateway_part,
    installed_services,
    mailbox_part,
    mongo_part,
    service_env,
    service_part,
    stripe_part,
)
from ticketing_common.devstack.probes import (
    port_is_free,
    port_is_free_to_listen,
    random_port_base,
)
from ticketing_common.devstack.settings import StackSettings
from ticketing_common.devstack.supervisor import PortInUse

PORT_SETTING = "CLUSTER_PORT_BASE"
SERVICE_DIGIT = {
    "client": 0,
    "auth": 1,
    "tickets": 2,
    "orders": 3,
    "expiration": 4,
    "payments": 5,
    "notifications": 6,
}
GATEWAY_OFFSET, MONGO_OFFSET, STRIPE_OFFSET, SMTP_OFFSET = 80, 17, 20, 25


def replica_port(base: int, service: str, replica: int) -> int:
    return base + 100 * replica + SERVICE_DIGIT[service]


def cluster_settings(settings: StackSettings) -> StackSettings:
    """The stack's settings moved onto the cluster's ports and into `<data>/cluster`."""
    base = settings.cluster_port_base
    return settings.model_copy(
        update={
            "data_dir": settings.data_dir / "cluster",
            "gateway_port": base + GATEWAY_OFFSET,
            "mongo_port": base + MONGO_OFFSET,
            "stripe_port": base + STRIPE_OFFSET,
            "smtp_port": base + SMTP_OFFSET,
        }
    )


def cluster_stack(settings: StackSettings) -> tuple[StackSettings, list[Part]]:
    """The cluster's own settings (gateway port, data directory) and its parts, in order."""
    stack = cluster_settings(settings)
    nodes = nats_nodes(settings.cluster_port_base)
    parts = [mongo_part(stack, PORT_SETTING)]
    parts += nats_cluster_parts(nodes, stack.host, data_dir(stack))
    parts.append(stripe_part(stack, PORT_SETTING))
    parts += mailbox_part(stack, PORT_SETTING)
    parts += replica_parts(stack, nodes)
    base, replicas = settings.cluster_port_base, range(1, settings.cluster_replicas + 1)
    upstreams = {s: [replica_port(base, s, r) for r in replicas] for s in SERVICES}
    parts.append(gateway_part(stack, upstreams, PORT_SETTING))
    return stack, parts


def replica_parts(stack: StackSettings, nodes: list[NatsNode]) -> list[Part]:
    """Each installed service `cluster_replicas` times, on one database and durables each."""
    env = service_env(stack, client_urls(nodes, stack.host), stream_replicas=NODES)
    return [
        service_part(
            f"{service}-{replica}",
            service,
            replica_port(stack.cluster_port_base, service, replica),
            PORT_SETTING,
            stack.host,
            env,
        )
        for service in installed_services()
        for replica in range(1, stack.cluster_replicas + 1)
    ]


def cluster_ports(base: int, replicas: int) -> list[int]:
    """Every port the cluster listens on, the NATS client and route ports included."""
    services = [replica_port(base, s, r) for s in SERVICES for r in range(1, replicas + 1)]
    nats = [p for n in nats_nodes(base) for p in (n.client_port, n.route_port, n.monitor_port)]
    fixed = [base + GATEWAY_OFFSET, base + MONGO_OFFSET, base + STRIPE_OFFSET, base + SMTP_OFFSET]
    return fixed + nats + services


def check_ports(settings: StackSettings) -> None:
    """Before start-up, also for the ports no part is watched on (NATS clients and routes),
    naming the one setting that moves them all. Only a listener counts: every part sets
    SO_REUSEADDR, so connections of a cluster just stopped (TIME_WAIT) do not."""
    base = settings.cluster_port_base
    for port in cluster_ports(base, settings.cluster_replicas):
        if not port_is_free_to_listen(settings.host, port):
            raise PortInUse(
                f"Port {port} of the cluster is already in use. Stop what holds it, "
                f"or set {PORT_SETTING} (now {base}) to another base."
            )


def free_port_base(host: str, replicas: int, attempts: int = 50) -> int:
    """A base whose every cluster port is free now (for tests: several clusters at once),
    clear of the ports the kernel gives outgoing connections."""
    span = max(cluster_ports(0, replicas)) + 1
    for _ in range(attempts):
        base = random_port_base(span, step=10)
        if all(port_is_free(host, port) for port in cluster_ports(base, replicas)):
            return base
    raise RuntimeError(f"no free port range for a cluster after {attempts} tries")
